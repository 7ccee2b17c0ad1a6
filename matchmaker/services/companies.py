"""Company profiles and where they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import bindparam, union
from sqlmodel import Session, col, func, or_, select

from matchmaker.db import casefold
from matchmaker.domain.errors import Conflict, NotFound
from matchmaker.domain.vocab import LocationSource, Membership, Visibility
from matchmaker.geo.gazetteer import postcode_place
from matchmaker.geo.locator import Locate
from matchmaker.models import Company, Listing
from matchmaker.models._time import utcnow
from matchmaker.services.matching import Matcher, refresh_listings
from matchmaker.services.paging import Page, paginate
from matchmaker.services.text_index import matching_rowids, trigram_match

PROFILE_FIELDS = (
    "name", "org_number", "address", "postcode", "city", "municipality", "country",
    "description", "industry", "nace_code", "website", "contact_person", "email", "phone",
)


def name_place(company: Company) -> None:
    """Fill a blank place or municipality from a Norwegian postcode (the offline table): a new
    member types the postcode and need not know which municipality it lies in."""
    if (company.country or "NO").upper() != "NO" or (company.city and company.municipality):
        return
    hit = postcode_place(company.postcode or "")
    if hit is not None:
        company.city = company.city or hit.label
        company.municipality = company.municipality or hit.municipality


def place_company(company: Company, lat: float | None, lon: float | None, locate: Locate) -> None:
    """Coordinates the user gives win; else the gazetteer (or a configured geocoder); else none.
    A blank place or municipality is filled from the postcode first."""
    name_place(company)
    if lat is not None and lon is not None:
        company.lat, company.lon = lat, lon
        company.location_source = LocationSource.USER.value
        return
    hit = locate(address=company.address, postcode=company.postcode, city=company.city,
                 country=company.country)
    if hit is None:
        company.lat = company.lon = company.location_source = None
    else:
        company.lat, company.lon = round(hit.lat, 6), round(hit.lon, 6)
        company.location_source = (LocationSource.GEOCODER if hit.method == "geocoder"
                                   else LocationSource.GAZETTEER).value


def apply_profile(company: Company, fields: dict[str, object]) -> None:
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(company, name, value if value is not None or name == "org_number" else "")
    company.country = (company.country or "NO").upper()


def update_profile(
    session: Session, company: Company, fields: dict[str, object],
    lat: float | None, lon: float | None, locate: Locate, matcher: Matcher,
) -> Company:
    org = fields.get("org_number")
    if org and session.exec(
        select(Company).where(Company.org_number == org, Company.id != company.id)
    ).first():
        raise Conflict("organisation number already registered")
    before = (company.lat, company.lon)
    apply_profile(company, fields)
    place_company(company, lat, lon, locate)
    company.updated_at = utcnow()
    session.add(company)
    if (company.lat, company.lon) != before:
        # A company that moves has new distances to everyone: its pairs are recomputed.
        listing_ids = session.exec(select(Listing.id).where(Listing.company_id == company.id))
        refresh_listings(session, matcher, list(listing_ids))
    session.commit()
    return company


@dataclass(frozen=True)
class ProfileProgress:
    """What a new member has done of the four things that make suggestions possible and good."""

    location: bool
    org_number: bool
    offer: bool
    need: bool

    @property
    def steps(self) -> list[tuple[str, bool]]:
        return [("location", self.location), ("org_number", self.org_number),
                ("offer", self.offer), ("need", self.need)]

    @property
    def done(self) -> int:
        return sum(done for _, done in self.steps)

    @property
    def complete(self) -> bool:
        return self.done == len(self.steps)


def profile_progress(session: Session, company: Company) -> ProfileProgress:
    directions = set(session.exec(
        select(Listing.direction).where(Listing.company_id == company.id).distinct()))
    return ProfileProgress(location=company.has_location, org_number=bool(company.org_number),
                           offer="offer" in directions, need="need" in directions)


def get_company(session: Session, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("company")
    return company


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    municipality: str = ""
    kind: str = ""
    direction: str = ""
    missing_location: bool = False  # the coordinator's "who still lacks a location?"
    include_confidential: bool = False  # the coordinator's view
    page: int = 1
    per_page: int = 20


def _missing_location():
    return or_(col(Company.lat).is_(None), col(Company.lon).is_(None))


def directory(
    session: Session, f: DirectoryFilters, search: Callable[[str], set[int]] | None = None,
) -> Page[tuple[Company, list[Listing]]]:
    """One page of companies with their active listings a member may see, under the filters.

    Text matches company fields and listing text as written, and, with `search` (the matching
    engine's reading of the query: synonyms, translations, compounds, typos), the listings it
    names. Confidential listings appear only when `include_confidential` (the coordinator's
    view, which also lists companies waiting for approval); a text search never matches on a
    listing the viewer may not see. With a kind or a direction, only companies with such a
    listing are shown, and only those listings.
    """
    listing_filter = [col(Listing.active)]
    if not f.include_confidential:
        listing_filter.append(Listing.visibility == Visibility.PUBLIC.value)
    shown_filter = list(listing_filter)
    if f.kind:
        shown_filter.append(Listing.kind == f.kind)
    if f.direction:
        shown_filter.append(Listing.direction == f.direction)
    companies_q = select(Company).order_by(func.lower(Company.name), Company.id)
    if not f.include_confidential:  # a company waiting for approval is not a member yet
        companies_q = companies_q.where(Company.membership == Membership.APPROVED.value)
    if f.municipality:
        companies_q = companies_q.where(Company.municipality == f.municipality)
    if f.missing_location:
        companies_q = companies_q.where(_missing_location())
    if f.kind or f.direction:
        companies_q = companies_q.where(
            col(Company.id).in_(select(Listing.company_id).where(*shown_filter)))
    text = f.text.strip()
    if text:
        # SQLite's lower() and LIKE fold ASCII letters only: a query with Æ, Ø, Å (or any other
        # letter beyond ASCII) folds the columns as Python does, a Python call a row there;
        # PostgreSQL's lower() folds them all (`casefold` compiles to it)
        fold = func.lower if text.isascii() else casefold
        folded = text.casefold()

        def holds(column):  # noqa: ANN001, ANN202 -- a SQL condition; % and _ typed are plain
            return fold(column).contains(folded, autoescape=True)

        # Each way to match is its own query over the ids it finds, so that an index answers
        # each (PostgreSQL's pg_trgm on `lower(col)`; on SQLite the trigram tables name the
        # candidates, and the same `LIKE` checks them): `… OR id IN (…)` read every company.
        matching_companies = select(Company.id).where(or_(
            holds(Company.name), holds(Company.description), holds(Company.industry),
            holds(Company.city)))
        matching_listings = select(Listing.company_id).where(
            *listing_filter, or_(holds(Listing.title), holds(Listing.description)))
        match = trigram_match(text) if session.get_bind().dialect.name == "sqlite" else None
        if match is not None:
            matching_companies = matching_companies.where(
                col(Company.id).in_(matching_rowids("company_fts", match)))
            matching_listings = matching_listings.where(
                col(Listing.id).in_(matching_rowids("listing_fts", match)))
        ways = [matching_companies, matching_listings]
        if search is not None:
            # inlined, not bound: a broad query can name more listings than SQLite takes parameters
            found = bindparam("found", sorted(search(text)), expanding=True, literal_execute=True)
            ways.append(select(Listing.company_id).where(*listing_filter, col(Listing.id).in_(found)))
        companies_q = companies_q.where(col(Company.id).in_(union(*ways)))
    page = paginate(session, companies_q, f.page, f.per_page, count_with_page=bool(text))
    by_company: dict[int, list[Listing]] = {c.id: [] for c in page.items}
    if page.items:
        listings = session.exec(
            select(Listing).where(col(Listing.company_id).in_(by_company), *shown_filter)
            .order_by(Listing.direction, Listing.title)
        )
        for listing in listings:
            by_company[listing.company_id].append(listing)
    return replace(page, items=[(c, by_company[c.id]) for c in page.items])


def municipalities(session: Session) -> list[str]:
    rows = session.exec(select(Company.municipality).where(Company.municipality != "").distinct())
    return sorted(rows, key=str.lower)


def missing_locations(session: Session, limit: int = 5) -> Page[Company]:
    """The first companies without a location, and how many there are in all."""
    query = select(Company).where(_missing_location()).order_by(Company.name, Company.id)
    return paginate(session, query, 1, limit)
