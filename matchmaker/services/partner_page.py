"""The partner page: a company's suggestions grouped by what it should do next, filtered, paged.

The groups follow the workflow: answer (the company has not answered yet), waiting (answered;
the coordinator decides), introduced (talk to each other) and closed, shown as "concluded"
(an agreement or no deal).
A rejected pair is not shown to companies at all (partners.COMPANY_VISIBLE). Filtering and paging
run over the company's own suggestions in memory, because the strength of the evidence is
computed from the stored components, not stored itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_

from matchmaker.domain.workflow import Status
from matchmaker.models import Suggestion, User
from matchmaker.services.paging import Page, paginate_list
from matchmaker.services.partners import (
    PartnerSuggestion,
    company_suggestions_query,
    partner_suggestions,
    partner_views,
)

GROUPS: tuple[str, ...] = ("answer", "waiting", "introduced", "closed")
CLOSED: frozenset[str] = frozenset({Status.AGREEMENT.value, Status.NO_DEAL.value})
STRENGTHS: tuple[str, ...] = ("strong", "medium", "weak")
PER_PAGE = 10


def group_of(view: PartnerSuggestion) -> str:
    if view.answerable:
        return "waiting" if view.answer else "answer"
    return "closed" if view.status in CLOSED else "introduced"


@dataclass(frozen=True)
class PartnerFilters:
    group: str = ""  # "" = the first group with something in it
    listing_id: int | None = None  # one of the company's own listings
    strength: str = ""
    text: str = ""  # in the partner's name or its listing's title (own listings: listing_id)
    show: int | None = None  # a suggestion to open at (from the map): its group and page
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class PartnerPage:
    group: str
    counts: dict[str, int]  # per group, under the other filters
    cards: Page[PartnerSuggestion]
    own_listings: list[tuple[int, str]]  # the company's listings that have suggestions
    total: int  # all the company's suggestions, before any filter


def _matches(view: PartnerSuggestion, f: PartnerFilters) -> bool:
    if f.listing_id is not None and view.own_listing.id != f.listing_id:
        return False
    if f.strength and view.strength != f.strength:
        return False
    text = f.text.strip().casefold()
    return not text or any(text in value.casefold() for value in (
        view.partner.name, view.partner_listing.title))


def partner_page(session: Session, user: User, f: PartnerFilters) -> PartnerPage:
    views = partner_suggestions(session, user)  # best first
    own = sorted({(v.own_listing.id, v.own_listing.title) for v in views}, key=lambda x: x[1].lower())
    shown = [v for v in views if _matches(v, f)]
    by_group: dict[str, list[PartnerSuggestion]] = {g: [] for g in GROUPS}
    for view in shown:
        by_group[group_of(view)].append(view)
    group = f.group if f.group in GROUPS else next(
        (g for g in GROUPS if by_group[g]), GROUPS[0])
    number = f.page
    wanted = next((v for v in shown if v.id == f.show), None) if f.show else None
    if wanted is not None:
        group = group_of(wanted)
        number = by_group[group].index(wanted) // f.per_page + 1
    return PartnerPage(group, {g: len(items) for g, items in by_group.items()},
                       paginate_list(by_group[group], number, f.per_page), own, len(views))


def listing_partners(session: Session, user: User, listing_id: int) -> list[PartnerSuggestion]:
    """The suggested partners of one of the user's own listings, best first (none for others)."""
    if user.company_id is None:
        return []
    rows = session.exec(company_suggestions_query(user.company_id)
                        .where(or_(Suggestion.offer_listing_id == listing_id,
                                   Suggestion.need_listing_id == listing_id))
                        .order_by(col(Suggestion.score).desc(), Suggestion.id))
    return [v for v in partner_views(session, user.company_id, rows)
            if v.own_listing.id == listing_id]
