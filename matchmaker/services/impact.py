"""Impact figures from the database: reads the rows, the pure module does the arithmetic.

Only reads; the coordinator's page, its charts and CSVs, and the public landing page call it.
"""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_, select

from matchmaker.config import Settings
from matchmaker.domain.units import canonical_quantity
from matchmaker.domain.vocab import Membership
from matchmaker.domain.workflow import Status
from matchmaker.impact import figures as f
from matchmaker.models import Company, Listing, Suggestion, SuggestionEvent

EVENT_STATUSES = (Status.INTRODUCED.value, Status.AGREEMENT.value, Status.NO_DEAL.value)


def assumptions(settings: Settings) -> f.Assumptions:
    return f.Assumptions(reference_km=settings.impact_reference_km,
                         co2_kg_per_tkm=settings.impact_co2_kg_per_tkm,
                         co2_source=settings.impact_co2_source,
                         radius_km=settings.match_radius_km)


# A company waiting for the coordinator's approval is not a member yet: it counts nowhere.
_MEMBER = Company.membership == Membership.APPROVED.value


def _companies(session: Session) -> list[f.CompanyRow]:
    rows = session.exec(select(Company.id, Company.municipality, Company.industry, Company.nace_code)
                        .where(_MEMBER))
    return [f.CompanyRow(cid, (municipality or "").strip(), (industry or nace or "").strip())
            for cid, municipality, industry, nace in rows]


def _listings(session: Session) -> list[f.ListingRow]:
    rows = session.exec(select(Listing.id, Listing.company_id, Listing.direction, Listing.kind,
                               Listing.active, Listing.quantity, Listing.unit, Listing.frequency,
                               Listing.unit_written)
                        .join(Company, col(Company.id) == Listing.company_id).where(_MEMBER))
    return [f.ListingRow(*row[:5], canonical_quantity(row[5], row[8]), *row[6:8]) for row in rows]


def _suggestions(session: Session) -> list[f.SuggestionRow]:
    offer = aliased(Listing)
    rows = session.exec(
        select(Suggestion.id, Suggestion.offer_listing_id, Suggestion.offer_company_id,
               Suggestion.need_company_id, Suggestion.status, Suggestion.created_at,
               Suggestion.distance_km,
               or_(col(Suggestion.offer_answer).is_not(None), col(Suggestion.need_answer).is_not(None)),
               offer.title, Suggestion.outcome_volume, Suggestion.outcome_unit)
        .join(offer, offer.id == Suggestion.offer_listing_id))
    return [f.SuggestionRow(*row) for row in rows]


def _events(session: Session) -> list[f.EventRow]:
    """Answers and the steps of the funnel from the audit log (it keeps every move)."""
    rows = session.exec(
        select(SuggestionEvent.suggestion_id, SuggestionEvent.action, SuggestionEvent.to_status,
               SuggestionEvent.created_at)
        .where(col(SuggestionEvent.suggestion_id).is_not(None))
        .where(or_(SuggestionEvent.action == "answer",
                   (SuggestionEvent.action == "transition")
                   & col(SuggestionEvent.to_status).in_(EVENT_STATUSES))))
    return [f.EventRow(sid, "answered" if action == "answer" else str(to_status), at)
            for sid, action, to_status, at in rows]


def impact(session: Session, settings: Settings) -> f.Impact:
    """Every figure of the coordinator's impact page."""
    return f.compute(_companies(session), _listings(session), _suggestions(session),
                     _events(session), assumptions(settings))


def public_figures(session: Session) -> f.PublicFigures:
    """The landing page's aggregate: counted in SQL, never a company's row leaves this function."""
    members = session.exec(select(func.count(Company.id)).where(_MEMBER)).one()
    municipalities = session.exec(select(func.count(func.distinct(Company.municipality)))
                                  .where(Company.municipality != "", _MEMBER)).one()
    agreed = session.exec(select(Suggestion.outcome_volume, Suggestion.outcome_unit)
                          .where(Suggestion.status == Status.AGREEMENT))
    return f.public_figures(members, municipalities, list(agreed))
