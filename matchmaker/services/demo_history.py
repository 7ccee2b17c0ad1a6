"""The demo cluster's fictional history: designed pairs walked through the review workflow,
so that a fresh demo shows introductions, dialogues, agreements with volumes and a no-deal
on its map, chains and impact page — through the same service calls a coordinator's clicks
make (audit log, introduction dates, outbox), not by writing statuses directly."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from matchmaker.domain.errors import InvalidData
from matchmaker.models import Company, Listing, Suggestion, User
from matchmaker.services import projects, review


def _listing(session: Session, ref: str) -> Listing:
    company_ref, _, listing_ref = ref.partition("/")
    listing = session.exec(select(Listing).join(Company, Company.id == Listing.company_id).where(
        Company.external_id == company_ref, Listing.external_id == listing_ref)).first()
    if listing is None:
        raise InvalidData([f"demo history: no listing {ref!r}"])
    return listing


def _suggestion(session: Session, offer_ref: str, need_ref: str) -> Suggestion:
    offer, need = _listing(session, offer_ref), _listing(session, need_ref)
    suggestion = session.exec(select(Suggestion).where(
        Suggestion.offer_listing_id == offer.id, Suggestion.need_listing_id == need.id)).first()
    if suggestion is None:
        raise InvalidData([f"demo history: {offer_ref} -> {need_ref} is not suggested"])
    return suggestion


def apply_demo_history(session: Session, coordinator: User, document: dict[str, Any]) -> int:
    """Apply every decision of the document, then save its cluster projects; returns how many
    pairs moved. Mails are queued in the outbox, not sent (``settings=None``): the demo's
    addresses are fictional."""
    moved = 0
    for decision in document["decisions"]:
        suggestion = _suggestion(session, decision["offer"], decision["need"])
        steps = decision["steps"]
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            outcome = review.Outcome(decision.get("volume"), decision.get("unit")) if last else None
            review.transition(session, coordinator, suggestion.id, step,
                              note=decision.get("note", "") if last else "", outcome=outcome)
        moved += 1
    for plan in document.get("projects", []):
        ids = [_suggestion(session, offer, need).id for offer, need in plan["links"]]
        project = projects.save_project(session, coordinator, plan["title"], plan["note"], ids)
        projects.set_status(session, project.id, plan["status"])
    return moved
