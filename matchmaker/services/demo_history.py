"""The demo cluster's fictional history: designed pairs walked through the review workflow,
so that a fresh demo shows introductions, dialogues, agreements with volumes and a no-deal
on its map, chains and impact page — through the same service calls a coordinator's clicks
make (audit log, introduction dates, outbox), not by writing statuses directly."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from matchmaker.domain.errors import InvalidData
from matchmaker.models import Company, Listing, Suggestion, User
from matchmaker.services import review


def _listing(session: Session, ref: str) -> Listing:
    company_ref, _, listing_ref = ref.partition("/")
    listing = session.exec(select(Listing).join(Company, Company.id == Listing.company_id).where(
        Company.external_id == company_ref, Listing.external_id == listing_ref)).first()
    if listing is None:
        raise InvalidData([f"demo history: no listing {ref!r}"])
    return listing


def apply_demo_history(session: Session, coordinator: User, document: dict[str, Any]) -> int:
    """Apply every decision of the document; returns how many pairs moved. Mails are queued
    in the outbox, not sent (``settings=None``): the demo's addresses are fictional."""
    moved = 0
    for decision in document["decisions"]:
        offer, need = _listing(session, decision["offer"]), _listing(session, decision["need"])
        suggestion = session.exec(select(Suggestion).where(
            Suggestion.offer_listing_id == offer.id, Suggestion.need_listing_id == need.id)).first()
        if suggestion is None:
            raise InvalidData([f"demo history: {decision['offer']} -> {decision['need']} "
                               "is not suggested"])
        steps = decision["steps"]
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            outcome = review.Outcome(decision.get("volume"), decision.get("unit")) if last else None
            review.transition(session, coordinator, suggestion.id, step,
                              note=decision.get("note", "") if last else "", outcome=outcome)
        moved += 1
    return moved
