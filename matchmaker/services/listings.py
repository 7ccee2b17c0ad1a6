"""A company's own listings: only its users may create, change or remove them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import Session, col, select

from matchmaker.domain.errors import Forbidden, NotFound
from matchmaker.domain.vocab import Membership, Visibility
from matchmaker.models import Company, Listing, User
from matchmaker.models._time import utcnow
from matchmaker.services.matching import Matcher, refresh_listings
from matchmaker.services.membership import may_see_members

LISTING_FIELDS = (
    "direction", "kind", "title", "description", "quantity", "unit", "unit_written", "frequency",
    "available_from", "available_until", "active", "visibility",
)


def visible(session: Session, user: User) -> ColumnElement[bool]:
    """Which listings the user may look at, as SQL: every one for the coordinator; a company's
    own; and, between members only (neither side waiting for approval), the others' public,
    active listings. A confidential listing of another company does not exist for them."""
    if user.is_coordinator:
        return true()
    own = Listing.company_id == user.company_id if user.company_id is not None else false()
    if not may_see_members(session, user):
        return own
    approved = select(Company.id).where(Company.membership == Membership.APPROVED.value)
    return or_(own, and_(Listing.visibility == Visibility.PUBLIC.value, col(Listing.active),
                         col(Listing.company_id).in_(approved)))


def visible_listing(session: Session, user: User, listing_id: int) -> Listing:
    """A listing the user may look at; NotFound for any other, whether it exists or not."""
    listing = session.exec(select(Listing).where(Listing.id == listing_id,
                                                 visible(session, user))).first()
    if listing is None:
        raise NotFound("listing")
    return listing


def listing_owner(user: User) -> int:
    """The company whose listings the user may create and change."""
    if user.company_id is None:
        raise Forbidden("only a company's users have listings")
    return user.company_id


def own_listing(session: Session, user: User, listing_id: int) -> Listing:
    listing = visible_listing(session, user, listing_id)
    if listing.company_id != listing_owner(user):
        raise Forbidden("listing belongs to another company")
    return listing


def company_listings(session: Session, company_id: int) -> list[Listing]:
    return list(session.exec(
        select(Listing).where(Listing.company_id == company_id)
        .order_by(Listing.direction, Listing.title)
    ))


def _apply(listing: Listing, fields: dict[str, object]) -> None:
    for name in LISTING_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(listing, name, "" if value is None and name in ("title", "description")
                    else value)
    if not listing.unit:
        listing.unit = None
    if not listing.frequency:
        listing.frequency = None


def create_listing(session: Session, user: User, fields: dict[str, object],
                   matcher: Matcher) -> Listing:
    listing = Listing(company_id=listing_owner(user), direction=str(fields["direction"]),
                      kind=str(fields["kind"]), title=str(fields["title"]))
    _apply(listing, fields)
    session.add(listing)
    session.flush()
    refresh_listings(session, matcher, [listing.id])
    session.commit()
    return listing


def update_listing(session: Session, user: User, listing_id: int,
                   fields: dict[str, object], matcher: Matcher) -> Listing:
    listing = own_listing(session, user, listing_id)
    _apply(listing, fields)
    listing.updated_at = utcnow()
    session.add(listing)
    refresh_listings(session, matcher, [listing.id])
    session.commit()
    return listing


def set_listing_active(session: Session, user: User, listing_id: int, active: bool,
                       matcher: Matcher) -> Listing:
    listing = own_listing(session, user, listing_id)
    listing.active = active
    listing.updated_at = utcnow()
    session.add(listing)
    refresh_listings(session, matcher, [listing.id])
    session.commit()
    return listing


def delete_listing(session: Session, user: User, listing_id: int, matcher: Matcher) -> None:
    listing = own_listing(session, user, listing_id)
    session.delete(listing)
    refresh_listings(session, matcher, [listing_id])
    session.commit()


def shown_listings(session: Session, company_id: int, *, include_confidential: bool
                   ) -> list[Listing]:
    """Another company's active listings as a viewer may see them."""
    query = select(Listing).where(Listing.company_id == company_id, Listing.active)
    if not include_confidential:
        query = query.where(Listing.visibility == Visibility.PUBLIC.value)
    return list(session.exec(query.order_by(Listing.direction, Listing.title)))
