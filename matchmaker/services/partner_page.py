"""The partner page: a company's suggestions grouped by what it should do next, filtered, paged.

The groups follow the workflow: answer (the company has not answered yet), waiting (answered;
the coordinator decides), introduced (talk to each other) and closed, shown as "concluded"
(an agreement or no deal).
A rejected pair is not shown to companies at all (partners.COMPANY_VISIBLE). Grouping,
filtering, counting and paging run in the database, over the suggestions the company may see
(`company_suggestions_query`), so a page costs the same for a company with ten suggestions
and for one with a thousand: only the cards shown are read whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_

from matchmaker.db import casefold
from matchmaker.domain.workflow import ANSWERABLE, Status
from matchmaker.models import Company, Suggestion, User
from matchmaker.services.paging import Page, paginate
from matchmaker.services.partners import (
    NEED,
    OFFER,
    PartnerSuggestion,
    company_suggestions_query,
    evidence_strength_sql,
    partner_views,
)

GROUPS: tuple[str, ...] = ("answer", "waiting", "introduced", "closed")
CLOSED: frozenset[str] = frozenset({Status.AGREEMENT.value, Status.NO_DEAL.value})
STRENGTHS: tuple[str, ...] = ("strong", "medium", "weak")
PER_PAGE = 10
PARTNER = aliased(Company, name="partner_c")


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


class _Side:
    """The company's side of each suggestion, as SQL: its own listing and answer, the partner,
    and the group (`group_of` in SQL)."""

    def __init__(self, company_id: int) -> None:
        mine = Suggestion.offer_company_id == company_id
        self.own_listing = case((mine, Suggestion.offer_listing_id), else_=Suggestion.need_listing_id)
        self.own_title = case((mine, OFFER.title), else_=NEED.title)
        self.partner_id = case((mine, Suggestion.need_company_id), else_=Suggestion.offer_company_id)
        self.partner_title = case((mine, NEED.title), else_=OFFER.title)
        answer = case((mine, Suggestion.offer_answer), else_=Suggestion.need_answer)
        answerable = col(Suggestion.status).in_([s.value for s in ANSWERABLE])
        self.group = case(
            (and_(answerable, func.coalesce(answer, "") != ""), "waiting"),
            (answerable, "answer"),
            (col(Suggestion.status).in_(sorted(CLOSED)), "closed"),
            else_="introduced")


def _filtered(company_id: int, side: _Side, f: PartnerFilters):  # noqa: ANN202  (a select)
    query = company_suggestions_query(company_id)
    if f.listing_id is not None:
        query = query.where(side.own_listing == f.listing_id)
    if f.strength:
        query = query.where(evidence_strength_sql() == f.strength)
    text = f.text.strip().casefold()
    if text:
        query = query.join(PARTNER, PARTNER.id == side.partner_id).where(or_(
            casefold(PARTNER.name).contains(text, autoescape=True),
            casefold(side.partner_title).contains(text, autoescape=True)))
    return query


def _best_first(query):  # noqa: ANN001, ANN202
    return query.order_by(col(Suggestion.score).desc(), Suggestion.id)


def partner_page(session: Session, user: User, f: PartnerFilters) -> PartnerPage:
    company_id = user.company_id
    side = _Side(company_id)
    own_rows = session.exec(company_suggestions_query(company_id).with_only_columns(
        side.own_listing, side.own_title, func.count(Suggestion.id))
        .group_by(side.own_listing, side.own_title)).all()
    own = sorted(((listing_id, title) for listing_id, title, _n in own_rows),
                 key=lambda x: x[1].lower())
    filtered = _filtered(company_id, side, f)
    counts = dict.fromkeys(GROUPS, 0)
    counts.update(session.exec(filtered.with_only_columns(side.group, func.count(Suggestion.id))
                               .group_by(side.group)).all())
    group = f.group if f.group in GROUPS else next((g for g in GROUPS if counts[g]), GROUPS[0])
    number = f.page
    wanted = session.exec(filtered.with_only_columns(side.group, Suggestion.score)
                          .where(Suggestion.id == f.show)).first() if f.show else None
    if wanted is not None:
        group, score = wanted
        before = session.exec(filtered.with_only_columns(func.count(Suggestion.id)).where(
            side.group == group, or_(Suggestion.score > score,
                                     and_(Suggestion.score == score, Suggestion.id < f.show)))).one()[0]
        number = before // f.per_page + 1
    rows = paginate(session, _best_first(filtered.where(side.group == group)), number, f.per_page,
                    total=counts[group])
    cards = Page(partner_views(session, company_id, rows.items), rows.total, rows.page, rows.pages,
                 rows.per_page)
    return PartnerPage(group, counts, cards, own, sum(n for _i, _t, n in own_rows))


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
