"""Pending changes in the ``ListingChange`` feed: claimed once, and asked about by pages."""

from __future__ import annotations

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from matchmaker.models import Listing, ListingChange
from matchmaker.models._time import utcnow

_CHANGES = ListingChange.__table__  # type: ignore[attr-defined]


def claim(session: Session, limit: int) -> list[tuple[int, int]]:
    """Mark up to `limit` pending changes matched in this transaction and return them as
    (change id, listing id). On PostgreSQL the rows are locked with SKIP LOCKED, so a second
    worker claims other rows instead of waiting; on SQLite the UPDATE takes the one write
    lock. Either way a change is claimed by one transaction, and a rolled-back one leaves
    it pending for the next."""
    pending = (select(_CHANGES.c.id).where(_CHANGES.c.matched_at.is_(None))
               .order_by(_CHANGES.c.id).limit(limit).with_for_update(skip_locked=True))
    claimed = session.execute(
        update(_CHANGES).where(_CHANGES.c.id.in_(pending.scalar_subquery()))
        .values(matched_at=utcnow()).returning(_CHANGES.c.id, _CHANGES.c.listing_id))
    return sorted((row.id, row.listing_id) for row in claimed)


def mark_all_matched(session: Session) -> None:
    """After a full recompute that nothing ran beside (the demo's seed): nothing is pending.
    Does not commit."""
    session.execute(update(_CHANGES).where(_CHANGES.c.matched_at.is_(None)).values(matched_at=utcnow()))


def any_pending(session: Session) -> bool:
    return session.exec(select(exists().where(col(ListingChange.matched_at).is_(None)))).one()


def company_pending(session: Session, company_id: int) -> bool:
    """Whether a listing of this company waits for the matching worker."""
    return session.exec(select(exists().where(
        col(ListingChange.matched_at).is_(None), ListingChange.listing_id == Listing.id,
        Listing.company_id == company_id))).one()
