"""One page of a longer list: from SQL (LIMIT/OFFSET with a count) or from a list in memory.

Every paged page (directory, coordinator overview, partners) uses this, so a page number out of
range, negative or not a number always lands on the nearest real page instead of an error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, func, select

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """The 1-based position of the first item shown (0 on an empty page)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def window(self, near: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last and those within `near` of
        this one, with None where numbers are left out ("1 … 4 5 6 7 8 … 6500"); made here,
        not by a template loop over every page (6,500 of them in a 10k registry's queue)."""
        around = range(max(1, self.page - near), min(self.pages, self.page + near) + 1)
        shown = sorted({1, self.pages, *around})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def _clamp(page: int, total: int, per_page: int) -> tuple[int, int]:
    pages = max(1, math.ceil(total / per_page))
    return min(max(1, page), pages), pages


def paginate(session: Session, query, page: int, per_page: int,  # noqa: ANN001
             total: int | None = None, count_with_page: bool = False) -> Page:
    """A page of a select; the query must be ordered (by something unique last) to page stably.
    `total`: the number of rows it selects, when the caller counted them already.

    `count_with_page`: count in the page's own query (``count(*) OVER ()``), one pass over a
    costly filter (a directory text search) instead of two; but the database then holds every
    selected row, so only for filters that select few (no DISTINCT either: it counts before)."""
    if total is None and count_with_page:
        return _counted_with_page(session, query, page, per_page)
    if total is None:
        total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    page, pages = _clamp(page, total, per_page)
    return Page(list(session.exec(_slice(query, page, per_page))), total, page, pages, per_page)


def _counted_with_page(session: Session, query, page: int, per_page: int) -> Page:  # noqa: ANN001
    entities = len(query.column_descriptions)
    counted = query.add_columns(func.count().over())
    # SQLAlchemy's execute: rows of (entity, count), where SQLModel's exec would keep the entity
    rows = OrmSession.execute(session, _slice(counted, max(1, page), per_page)).all()
    if not rows:  # past the last page (or nothing at all): count, and show the last page
        return paginate(session, query, page, per_page)
    total = rows[0][-1]
    page, pages = _clamp(page, total, per_page)
    items = [row[0] if entities == 1 else tuple(row[:-1]) for row in rows]
    return Page(items, total, page, pages, per_page)


def _slice(query, page: int, per_page: int):  # noqa: ANN001, ANN202
    return query.offset((page - 1) * per_page).limit(per_page)


def paginate_list(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """A page of a list already in memory (when a filter cannot run in SQL)."""
    page, pages = _clamp(page, len(items), per_page)
    start = (page - 1) * per_page
    return Page(list(items[start:start + per_page]), len(items), page, pages, per_page)

