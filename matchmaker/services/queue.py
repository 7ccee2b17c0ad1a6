"""The coordinator's review queue: filters, sorting and paging over every suggestion."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlmodel import Session, col, func, select

from matchmaker.models import Company, Listing, Suggestion
from matchmaker.services.paging import Page


def pair_text(offer_company: Company, offer: Listing, need_company: Company, need: Listing
               ) -> str:
    return f"{offer_company.name}: {offer.title} → {need_company.name}: {need.title}"[:500]


ANSWER_FILTERS = ("any_interested", "both_interested", "any_not_relevant", "unanswered")
SORTS = ("score_desc", "score_asc", "distance_asc", "distance_desc", "newest", "updated")


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = ()
    score_min: float | None = None
    score_max: float | None = None
    distance_max: float | None = None
    municipality: str = ""
    kind: str = ""
    company_id: int | None = None
    answers: str = ""
    origin: str = ""
    sort: str = "score_desc"
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class MatchRow:
    suggestion: Suggestion
    offer: Listing
    need: Listing
    offer_company: Company
    need_company: Company

    @property
    def pair(self) -> str:
        return pair_text(self.offer_company, self.offer, self.need_company, self.need)


@dataclass(frozen=True)
class QueuePage(Page[MatchRow]):
    more: bool = False  # more suggestions than `total` (`COUNT_CAP`) pass the filters

    @property
    def rows(self) -> list[MatchRow]:
        return self.items


# Made once: building an alias proxies every column, which cost more than the query itself.
_ALIASES = (aliased(Listing, name="offer_l"), aliased(Listing, name="need_l"),
            aliased(Company, name="offer_c"), aliased(Company, name="need_c"))


def _joined(*columns):  # noqa: ANN002, ANN202
    offer, need, offer_co, need_co = _ALIASES
    what = columns or (Suggestion, offer, need, offer_co, need_co)
    query = (select(*what)
             .select_from(Suggestion)
             .join(offer, offer.id == Suggestion.offer_listing_id)
             .join(need, need.id == Suggestion.need_listing_id)
             .join(offer_co, offer_co.id == Suggestion.offer_company_id)
             .join(need_co, need_co.id == Suggestion.need_company_id))
    return query, (offer, need, offer_co, need_co)


def _conditions(f: QueueFilters, offer, need, offer_co, need_co) -> list:  # noqa: ANN001
    s = Suggestion
    conds: list = []
    if f.statuses:
        conds.append(col(s.status).in_(f.statuses))
    if f.score_min is not None:
        conds.append(s.score >= f.score_min)
    if f.score_max is not None:
        conds.append(s.score <= f.score_max)
    if f.distance_max is not None:
        conds.append(s.distance_km <= f.distance_max)
    if f.municipality:
        conds.append(or_(offer_co.municipality == f.municipality,
                         need_co.municipality == f.municipality))
    if f.kind:
        conds.append(or_(offer.kind == f.kind, need.kind == f.kind))
    if f.company_id is not None:
        conds.append(or_(s.offer_company_id == f.company_id, s.need_company_id == f.company_id))
    if f.origin:
        conds.append(s.origin == f.origin)
    if f.answers == "any_interested":
        conds.append(or_(s.offer_answer == "interested", s.need_answer == "interested"))
    elif f.answers == "both_interested":
        conds.append(and_(s.offer_answer == "interested", s.need_answer == "interested"))
    elif f.answers == "any_not_relevant":
        conds.append(or_(s.offer_answer == "not_relevant", s.need_answer == "not_relevant"))
    elif f.answers == "unanswered":
        conds.append(and_(col(s.offer_answer).is_(None), col(s.need_answer).is_(None)))
    return conds


# Each sort has an index in its order (migration 0012), which a page walks until it has its
# rows: cheap while most suggestions pass the filters, dear when few do (it walks them all,
# 0.7 s at 10k for the two introduced pairs by distance). Under this many rows SQLite sorts
# the filtered rows instead, as before the indexes (its planner, without the statistics of
# skewed columns, would walk the index); PostgreSQL's planner sees the skew by itself.
ORDER_INDEX_MIN_ROWS = 20_000
#: a page counts the suggestions under its filters up to this many and then says "more than":
#: counting all of a 10k registry's 325,000 cost 19–27 ms a page on SQLite and 81–87 ms on
#: PostgreSQL, and no one pages past the 400th page (narrowing the filters is the way there)
COUNT_CAP = 20_000  # not below ORDER_INDEX_MIN_ROWS: the same count decides that


def _unindexed(column):  # noqa: ANN001, ANN202
    """`+column` (SQLite): the same value, in no index's order."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _order(sort: str, by_index: bool = True) -> list:
    s = Suggestion
    key = (lambda column: column) if by_index else _unindexed
    distance = key(col(s.distance_km))
    no_distance = distance.is_(None)  # unknown distances last, on every database
    return {
        "score_asc": [key(col(s.score)).asc()],
        "distance_asc": [no_distance, distance.asc()],
        "distance_desc": [no_distance, distance.desc()],
        "newest": [key(col(s.created_at)).desc()],
        "updated": [key(col(s.updated_at)).desc()],
    }.get(sort, [key(col(s.score)).desc()]) + [col(s.id).asc()]


def review_queue(session: Session, f: QueueFilters) -> QueuePage:
    """One page of suggestions under the filters; filtering, sorting and paging run in SQL.

    The page's ids are chosen over the suggestion table alone (joined only to what the
    filters read), and only those rows are then read with their listings and companies: at
    300,000 suggestions, sorting the joined rows cost most of a second."""
    counted = session.exec(select(func.count()).select_from(
        _filtered(select(Suggestion.id), f).limit(COUNT_CAP + 1).subquery())).one()
    total = min(counted, COUNT_CAP)
    pages = max(1, math.ceil(total / f.per_page))
    page = min(max(1, f.page), pages)
    by_index = counted >= ORDER_INDEX_MIN_ROWS or session.get_bind().dialect.name != "sqlite"
    offset = (page - 1) * f.per_page
    if by_index and f.sort in ("distance_asc", "distance_desc"):
        ids = _by_distance(session, f, offset)
    else:
        ids = list(session.exec(_filtered(select(Suggestion.id), f)
                                .order_by(*_order(f.sort, by_index)).offset(offset).limit(f.per_page)))
    query, _aliases = _joined()
    rows = {row[0].id: MatchRow(*row) for row in session.exec(query.where(col(Suggestion.id).in_(ids)))}
    return QueuePage([rows[i] for i in ids if i in rows], total, page, pages, f.per_page,
                     more=counted > COUNT_CAP)


def _by_distance(session: Session, f: QueueFilters, offset: int) -> list[int]:
    """A page by distance through one index, `(distance_km, id)`, in both directions: the
    known distances first (nearest or farthest; ties by id), then the unknown ones by id.
    (Unknown-last in one ORDER BY needs an index per direction, which the full recompute's
    inserts pay for: 2.3–3.0 s of CPU each at 10k.) The unknown ones' offset needs the
    number of known ones, counted only on a page that reaches them."""
    s = Suggestion
    distance = col(s.distance_km)
    known = _filtered(select(s.id), f).where(distance.is_not(None))
    ids = list(session.exec(
        known.order_by(distance.asc() if f.sort == "distance_asc" else distance.desc(), col(s.id))
        .offset(offset).limit(f.per_page)))
    if len(ids) < f.per_page:
        if ids:
            skip = 0
        else:
            skip = offset - session.exec(_filtered(select(func.count(s.id)), f)
                                         .where(distance.is_not(None))).one()
        ids += session.exec(_filtered(select(s.id), f).where(distance.is_(None))
                            .order_by(col(s.id)).offset(max(0, skip)).limit(f.per_page - len(ids)))
    return ids


def _filtered(query, f: QueueFilters):  # noqa: ANN001, ANN202
    """`query` over the suggestions under the filters, joined only to the tables they read:
    every suggestion has both listings and both companies (foreign keys), so the joins
    change no count and no order."""
    offer, need, offer_co, need_co = _ALIASES
    query = query.select_from(Suggestion)
    if f.kind:
        query = (query.join(offer, offer.id == Suggestion.offer_listing_id)
                 .join(need, need.id == Suggestion.need_listing_id))
    if f.municipality:
        query = (query.join(offer_co, offer_co.id == Suggestion.offer_company_id)
                 .join(need_co, need_co.id == Suggestion.need_company_id))
    return query.where(*_conditions(f, *_ALIASES))


COMPANY_CHOICES = 300  # a cluster's members fit in the company filter; a national registry does not


def queue_choices(session: Session, company_id: int | None = None) -> dict[str, list]:
    """Values the queue's filters offer: municipalities, and the first `COMPANY_CHOICES`
    companies by name (with `company_id`, the chosen one, always among them)."""
    municipalities = sorted(set(session.exec(
        select(Company.municipality).where(Company.municipality != "").distinct())), key=str.lower)
    companies = list(session.exec(select(Company.id, Company.name).order_by(Company.name)
                                  .limit(COMPANY_CHOICES)))
    if company_id is not None and all(i != company_id for i, _name in companies):
        companies += session.exec(select(Company.id, Company.name).where(Company.id == company_id))
    return {"municipalities": municipalities, "companies": companies}
