"""Listings through the API, by the web's rules: who may see and change which listing is
``services.listings``; what the fields must satisfy together is ``domain.listing_rules``, checked
on the listing as it will be after a partial change, as the edit form checks the whole of it."""

from __future__ import annotations

from functools import partial

from sqlalchemy import false
from sqlmodel import Session, select

from matchmaker import labels
from matchmaker.domain import listing_rules
from matchmaker.domain.errors import InvalidData
from matchmaker.models import Listing, User
from matchmaker.services.listings import (
    create_listing,
    listing_owner,
    own_listing,
    update_listing,
    visible,
)
from matchmaker.services.matching import Matcher
from matchmaker.services.paging import Page, paginate

RULE_FIELDS = ("quantity", "unit", "frequency", "available_from", "available_until")


def listings(session: Session, user: User, page: int, per_page: int, *, mine: bool = False,
             direction: str = "", company_id: int | None = None) -> Page[Listing]:
    """A page of the listings the user may see, oldest first."""
    query = select(Listing).where(visible(session, user))
    if mine:
        query = query.where(Listing.company_id == user.company_id if user.company_id else false())
    if direction:
        query = query.where(Listing.direction == direction)
    if company_id is not None:
        query = query.where(Listing.company_id == company_id)
    return paginate(session, query.order_by(Listing.id), page, per_page)


def _as_written(listing: Listing | None) -> dict[str, object]:
    """What the rules read of a stored listing, as its edit form shows it (the unit as written)."""
    if listing is None:
        return dict.fromkeys(RULE_FIELDS)
    return {"quantity": listing.quantity, "unit": listing.unit_written or listing.unit,
            "frequency": listing.frequency, "available_from": listing.available_from,
            "available_until": listing.available_until}


def _settled(changes: dict[str, object], listing: Listing | None) -> dict[str, object]:
    """The fields to store: the changes on the listing as it is, checked together. A new unit
    brings its own frequency: one that the old unit named ("t/år") goes with it."""
    before = _as_written(listing)
    state = {**before, **{name: changes[name] for name in RULE_FIELDS if name in changes}}
    if "unit" in changes and "frequency" not in changes and listing_rules.names_frequency(
            str(before["unit"] or "")):
        state["frequency"] = None
    found = listing_rules.problems(**state)  # type: ignore[arg-type]
    if found:
        raise InvalidData([f"{p.field}: {labels.english(partial(labels.listing_problem, p))}"
                           for p in found])
    return {**changes, **listing_rules.unit_fields(state["unit"], state["frequency"])}  # type: ignore[arg-type]


def create(session: Session, user: User, changes: dict[str, object], matcher: Matcher) -> Listing:
    listing_owner(user)  # Forbidden before any word on the data
    return create_listing(session, user, _settled(changes, None), matcher)


def update(session: Session, user: User, listing_id: int, changes: dict[str, object],
           matcher: Matcher) -> Listing:
    """A partial change: a field left out keeps its value."""
    listing = own_listing(session, user, listing_id)
    return update_listing(session, user, listing_id, _settled(changes, listing), matcher)
