"""Suggestions as the API shows them: both sides of a pair in one shape, for companies and for
the coordinator alike.

A company's view is built from ``partners.PartnerSuggestion`` (so the web's privacy rules hold
unchanged: no confidential or inactive listing of another company, contact details only once
introduced, no rejected pair, not the other company's answer). The coordinator sees every pair
with both answers, as in the review queue.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, col

from matchmaker.domain import workflow
from matchmaker.domain.errors import NotFound
from matchmaker.models import Company, Suggestion, User
from matchmaker.services.matching import reason_text
from matchmaker.services.paging import Page, paginate, paginate_list
from matchmaker.services.partners import (
    ListingSummary,
    PartnerProfile,
    PartnerSuggestion,
    company_suggestions_query,
    evidence_strength,
    partner_suggestions,
    partner_views,
)
from matchmaker.services.queue import MatchRow, _joined


def _side(listing: ListingSummary, company: PartnerProfile, answer: str | None,
          reason: str | None) -> dict:
    return {"listing": asdict(listing), "company": asdict(company), "answer": answer,
            "answer_reason": reason}


def _common(s, reasons: list[dict], language: str) -> dict:  # noqa: ANN001  (view or row)
    return {"id": s.id, "status": s.status, "score": s.score, "distance_km": s.distance_km,
            "pair_type": s.pair_type, "origin": s.origin, "created_at": s.created_at,
            "introduced": workflow.is_introduced(s.status),
            "answerable": s.status in workflow.ANSWERABLE,
            "reasons": [reason_text(r, language) for r in reasons]}


def from_partner_view(view: PartnerSuggestion, own: Company, language: str) -> dict:
    mine = _side(view.own_listing, PartnerProfile.of(own, True), view.answer, view.answer_reason)
    theirs = _side(view.partner_listing, view.partner, None, None)
    offer, need = (mine, theirs) if view.side == "offer" else (theirs, mine)
    return {**_common(view, view.reasons, language), "strength": view.strength,
            "your_side": view.side, "offer": offer, "need": need}


def from_row(row: MatchRow, language: str) -> dict:
    s = row.suggestion
    return {**_common(s, list(s.reasons or []), language),
            "strength": evidence_strength(s.origin, s.components), "your_side": None,
            "offer": _side(ListingSummary.of(row.offer), PartnerProfile.of(row.offer_company, True),
                           s.offer_answer, s.offer_answer_reason),
            "need": _side(ListingSummary.of(row.need), PartnerProfile.of(row.need_company, True),
                          s.need_answer, s.need_answer_reason)}


def _all_query(status: str = ""):  # noqa: ANN202
    query, _aliases = _joined()
    if status:
        query = query.where(Suggestion.status == status)
    return query.order_by(col(Suggestion.score).desc(), Suggestion.id)


def suggestions(session: Session, user: User, page: int, per_page: int, status: str = "") -> Page[dict]:
    """A page of the suggestions the user may see, best first."""
    if user.is_coordinator:
        rows = paginate(session, _all_query(status), page, per_page)
        items = [from_row(MatchRow(*r), user.language) for r in rows.items]
        return Page(items, rows.total, rows.page, rows.pages, rows.per_page)
    views = [v for v in partner_suggestions(session, user) if not status or v.status == status]
    shown = paginate_list(views, page, per_page)
    own = session.get(Company, user.company_id) if user.company_id else None
    return Page([from_partner_view(v, own, user.language) for v in shown.items],
                shown.total, shown.page, shown.pages, shown.per_page)


def suggestion(session: Session, user: User, suggestion_id: int) -> dict:
    """One suggestion the user may see; NotFound for any other (whether it exists or not)."""
    if user.is_coordinator:
        row = session.exec(_all_query().where(Suggestion.id == suggestion_id)).first()
        if row is None:
            raise NotFound("suggestion")
        return from_row(MatchRow(*row), user.language)
    if user.company_id is None:
        raise NotFound("suggestion")
    rows = session.exec(company_suggestions_query(user.company_id).where(Suggestion.id == suggestion_id))
    views = partner_views(session, user.company_id, rows)
    if not views:
        raise NotFound("suggestion")
    return from_partner_view(views[0], session.get(Company, user.company_id), user.language)
