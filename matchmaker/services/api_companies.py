"""Companies as the API shows them: the directory's rules (members see approved companies and
their public, active listings, without contact details; the coordinator sees every company,
confidential listings and contacts) and a company's own profile in full, which it may change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from sqlmodel import Session

from matchmaker.domain.errors import Forbidden, NotFound
from matchmaker.domain.vocab import LocationSource
from matchmaker.geo.locator import Locate
from matchmaker.models import Company, Listing, User
from matchmaker.services.companies import DirectoryFilters, directory, get_company, update_profile
from matchmaker.services.listings import shown_listings
from matchmaker.services.matching import Matcher
from matchmaker.services.paging import Page
from matchmaker.services.partners import ListingSummary, PartnerProfile


def _view(company: Company, listings: list[Listing], contact: bool) -> dict:
    return {**asdict(PartnerProfile.of(company, contact)),
            "listings": [asdict(ListingSummary.of(listing)) for listing in listings]}


def companies(session: Session, user: User, text: str, municipality: str, page: int, per_page: int,
              search: Callable[[str], set[int]] | None = None) -> Page[dict]:
    f = DirectoryFilters(text=text, municipality=municipality, page=page, per_page=per_page,
                         include_confidential=user.is_coordinator)
    found = directory(session, f, search)
    return Page([_view(c, listings, user.is_coordinator or c.id == user.company_id)
                 for c, listings in found.items], found.total, found.page, found.pages, found.per_page)


def _visible(session: Session, user: User, company_id: int) -> Company:
    """A company the user may see; NotFound for one not (yet) a member."""
    found = get_company(session, company_id)
    if not (found.approved or user.is_coordinator or found.id == user.company_id):
        raise NotFound("company")
    return found


def company(session: Session, user: User, company_id: int) -> dict:
    """One company as the user may see it."""
    found = _visible(session, user, company_id)
    own = found.id == user.company_id
    return _view(found, shown_listings(session, company_id, include_confidential=user.is_coordinator or own),
                 user.is_coordinator or own)


def update_own(session: Session, user: User, company_id: int, changes: dict[str, object],
               locate: Locate, matcher: Matcher) -> dict:
    """The user's own company's profile, changed as the web's profile form changes it, but only
    in the fields given. Coordinates the company gave itself stay unless changed; derived ones
    are looked up again from the address, as on every save of the form."""
    found = _visible(session, user, company_id)
    if found.id != user.company_id:
        raise Forbidden("company")
    fields = dict(changes)
    if "lat" in fields:
        lat, lon = fields.pop("lat"), fields.pop("lon")
    elif found.location_source == LocationSource.USER.value:
        lat, lon = found.lat, found.lon
    else:
        lat = lon = None
    update_profile(session, found, fields, lat, lon, locate, matcher)  # type: ignore[arg-type]
    return company(session, user, company_id)
