"""What a company may see of its suggested partners: views, exports.

Privacy lives here, not in templates: a company sees a suggestion only while the other side's
listing is public and active (or once introduced), and gets the other side's contact details
only after the introduction. Every page and export for companies reads `PartnerSuggestion`,
which simply does not carry what may not be shown.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from matchmaker.domain import workflow
from matchmaker.domain.interchange import neutralise
from matchmaker.domain.vocab import Visibility
from matchmaker.matching.score import STRONG_CONCEPT, STRONG_TEXT, strength
from matchmaker.matching.settings import MatchSettings
from matchmaker.models import Company, Listing, Suggestion, User
from matchmaker.services.matching import reason_text

EVIDENCE_LINES = MatchSettings()  # where evidence turns medium (min_concept/text_evidence)


def evidence_strength(origin: str, components: dict | None) -> str:
    """strong | medium | weak for an engine suggestion; "" for a pair made by hand."""
    return strength(components or {}, EVIDENCE_LINES) if origin == "engine" else ""


def evidence_strength_sql():  # noqa: ANN201  (an SQL expression)
    """`evidence_strength` of a stored suggestion as SQL (the same lines, read from the stored
    components), so that the partner page filters and counts by it in the database."""
    concept = func.coalesce(Suggestion.components["concept"].as_float(), 0.0)
    text = func.coalesce(Suggestion.components["text"].as_float(), 0.0)
    return case(
        (Suggestion.origin != "engine", ""),
        (or_(concept >= STRONG_CONCEPT, text >= STRONG_TEXT), "strong"),
        (or_(concept >= EVIDENCE_LINES.min_concept_evidence,
             text >= EVIDENCE_LINES.min_text_evidence), "medium"),
        else_="weak")

# --- what a company may see --------------------------------------------------------------------

@dataclass(frozen=True)
class ListingSummary:
    id: int
    direction: str
    kind: str
    title: str
    description: str
    quantity: float | None
    unit: str | None
    frequency: str | None
    unit_written: str | None = None

    @classmethod
    def of(cls, listing: Listing) -> ListingSummary:
        return cls(listing.id, listing.direction, listing.kind, listing.title, listing.description,
                   listing.quantity, listing.unit, listing.frequency, listing.unit_written)


@dataclass(frozen=True)
class PartnerProfile:
    """The other company's public profile; contact fields are None until the introduction."""

    id: int
    name: str
    city: str
    municipality: str
    industry: str
    description: str
    website: str
    contact_person: str | None = None
    email: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, company: Company, introduced: bool) -> PartnerProfile:
        contact = ((company.contact_person, company.email, company.phone) if introduced
                   else (None, None, None))
        return cls(company.id, company.name, company.city, company.municipality, company.industry,
                   company.description, company.website, *contact)


@dataclass(frozen=True)
class PartnerSuggestion:
    id: int
    status: str
    score: float
    distance_km: float | None
    pair_type: str
    origin: str
    side: str  # the viewer's side: "offer" (supplies) or "need" (receives)
    reasons: list[dict]
    own_listing: ListingSummary
    partner_listing: ListingSummary
    partner: PartnerProfile
    answer: str | None
    answer_reason: str | None
    created_at: datetime
    strength: str = ""  # of the evidence: strong | medium | weak ("" for a pair made by hand)

    @property
    def introduced(self) -> bool:
        return workflow.is_introduced(self.status)

    @property
    def answerable(self) -> bool:
        return self.status in workflow.ANSWERABLE

    def to_dict(self, language: str) -> dict[str, object]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["introduced"] = self.introduced
        data["reasons"] = [{**r, "text": reason_text(r, language)} for r in self.reasons]
        return data


def _introduced_clause():
    return col(Suggestion.status).in_([s.value for s in workflow.INTRODUCED_STATUSES])


OFFER, NEED = aliased(Listing, name="offer_l"), aliased(Listing, name="need_l")  # made once


def company_suggestions_query(company_id: int):
    """Suggestions the company may see, with both listings (the privacy rule, in SQL)."""
    offer, need = OFFER, NEED

    def shown(listing):  # noqa: ANN001, ANN202
        return and_(listing.visibility == Visibility.PUBLIC.value, listing.active)

    introduced = _introduced_clause()
    return (
        select(Suggestion, offer, need)
        .join(offer, offer.id == Suggestion.offer_listing_id)
        .join(need, need.id == Suggestion.need_listing_id)
        .where(col(Suggestion.status).in_([s.value for s in workflow.COMPANY_VISIBLE]))
        .where(or_(
            and_(Suggestion.offer_company_id == company_id, or_(introduced, shown(need))),
            and_(Suggestion.need_company_id == company_id, or_(introduced, shown(offer))),
        ))
    )


def partner_views(session: Session, company_id: int, rows: Iterable) -> list[PartnerSuggestion]:
    rows = list(rows)
    partner_ids = {s.need_company_id if s.offer_company_id == company_id else s.offer_company_id
                   for s, _o, _n in rows}
    partners = {c.id: c for c in session.exec(
        select(Company).where(col(Company.id).in_(partner_ids)))} if partner_ids else {}
    views = []
    for s, offer, need in rows:
        mine = s.offer_company_id == company_id
        side = "offer" if mine else "need"
        own, other = (offer, need) if mine else (need, offer)
        partner = partners[s.need_company_id if mine else s.offer_company_id]
        views.append(PartnerSuggestion(
            id=s.id, status=s.status, score=s.score, distance_km=s.distance_km,
            pair_type=s.pair_type, origin=s.origin, side=side, reasons=list(s.reasons or []),
            own_listing=ListingSummary.of(own), partner_listing=ListingSummary.of(other),
            partner=PartnerProfile.of(partner, workflow.is_introduced(s.status)),
            answer=s.offer_answer if mine else s.need_answer,
            answer_reason=s.offer_answer_reason if mine else s.need_answer_reason,
            created_at=s.created_at,
            strength=evidence_strength(s.origin, s.components),
        ))
    return views


def partner_suggestions(session: Session, user: User, limit: int | None = None
                        ) -> list[PartnerSuggestion]:
    """The user's company's suggestions, best first (the best `limit` of them)."""
    if user.company_id is None:
        return []
    rows = session.exec(company_suggestions_query(user.company_id)
                        .order_by(col(Suggestion.score).desc(), Suggestion.id).limit(limit))
    return partner_views(session, user.company_id, rows)


PARTNER_CSV_COLUMNS = (
    "suggestion_id", "status", "score", "distance_km", "pair_type", "origin", "your_listing_id",
    "your_listing_title", "partner_company", "partner_city", "partner_municipality",
    "partner_listing_id", "partner_listing_kind", "partner_listing_title",
    "partner_contact_person", "partner_email", "partner_phone", "reasons", "your_answer",
    "your_answer_reason",
)


def partner_export(session: Session, user: User, fmt: str, language: str) -> str:
    """The company's suggestions as CSV or JSON, with the same privacy as the page."""
    views = partner_suggestions(session, user)
    if fmt == "json":
        return json.dumps({"format": "matchmaker/partners-v1",
                           "suggestions": [v.to_dict(language) for v in views]},
                          ensure_ascii=False, indent=2) + "\n"
    rows = [(v.id, v.status, v.score, v.distance_km, v.pair_type, v.origin, v.own_listing.id,
             v.own_listing.title, v.partner.name, v.partner.city, v.partner.municipality,
             v.partner_listing.id, v.partner_listing.kind, v.partner_listing.title,
             v.partner.contact_person, v.partner.email, v.partner.phone,
             "; ".join(reason_text(r, language) for r in v.reasons), v.answer, v.answer_reason)
            for v in views]
    return csv_text(PARTNER_CSV_COLUMNS, rows)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
    return out.getvalue()


