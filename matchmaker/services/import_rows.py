"""An import's rows, written in bulk: the companies and listings of a parsed interchange file.

The stored companies an import may update are read once, by the file's ids, organisation
numbers and names (a few queries, not a few per company); every company and listing is then
resolved in memory by the interchange rules — a company by its external id, then its
organisation number, then its exact name; a listing by its external id, then direction +
kind + title — and written with one executemany per table and kind of write, as plain rows:
building an ORM object costs more than writing its row (about 75 µs each, seconds at 50,000
listings). Nothing here commits; `services.interchange` holds the transaction.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from sqlalchemy import insert, update
from sqlmodel import Session, col, func, select

from matchmaker.db import chunks
from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange import COMPANY_FIELDS, LISTING_FIELDS, CompanyEntry, ListingEntry
from matchmaker.geo.locator import Locate
from matchmaker.models import Company, Listing
from matchmaker.models._time import utcnow
from matchmaker.services.companies import place_company

IN_LIST_SIZE = 500  # ids or names in one `IN (...)` of a look-up

_PLACE = ("city", "municipality", "lat", "lon", "location_source")  # what `place_company` sets


class Row:
    """A company or listing as the import sees it: its id (None until inserted) and the
    column values it has (the stored keys) or will be written with."""

    __slots__ = ("id", "values")

    def __init__(self, id: int | None, values: dict[str, object]) -> None:  # noqa: A002
        self.id, self.values = id, values

    def get(self, name: str) -> object:
        return self.values.get(name)


class Known:
    """The stored companies an import may update or collide with, and their listings' keys,
    kept current as the import creates and changes companies. A dictionary entry whose
    company has changed since is skipped on look-up."""

    def __init__(self, session: Session, entries: list[CompanyEntry]) -> None:
        keys = ((Company.external_id, {e.external_id for e in entries if e.external_id}),
                (Company.org_number, {e.org_number for e in entries if e.org_number}),
                (func.lower(Company.name), {e.name.lower() for e in entries}))
        found: dict[int, Row] = {}
        for column, values in keys:
            for chunk in chunks(sorted(values), IN_LIST_SIZE):
                query = select(Company.id, Company.external_id, Company.org_number, Company.name)
                for stored in session.exec(query.where(column.in_(chunk))):
                    found[stored.id] = Row(stored.id, dict(stored._mapping))
        self.by_id: dict[str, Row] = {}
        self.by_org: dict[str, Row] = {}
        self.by_name: dict[str, list[Row]] = {}
        for company in sorted(found.values(), key=lambda c: cast(int, c.id)):
            self.add(company)
        self.listings: dict[int, list[Row]] = {}  # by id() of the company's Row
        companies = {company.id: company for company in found.values()}
        query = select(Listing.id, Listing.company_id, Listing.external_id, Listing.direction,
                       Listing.kind, Listing.title)
        for chunk in chunks(sorted(found), IN_LIST_SIZE):
            for stored in session.exec(query.where(col(Listing.company_id).in_(chunk)).order_by(Listing.id)):
                self.listings_of(companies[stored.company_id]).append(Row(stored.id, dict(stored._mapping)))

    def listings_of(self, company: Row) -> list[Row]:
        return self.listings.setdefault(id(company), [])

    def add(self, company: Row) -> None:
        """(Again) after a company's external id, organisation number or name changed."""
        if company.get("external_id"):
            self.by_id[cast(str, company.get("external_id"))] = company
        if company.get("org_number"):
            self.by_org[cast(str, company.get("org_number"))] = company
        self.by_name.setdefault(cast(str, company.get("name")).lower(), []).append(company)

    def find(self, entry: CompanyEntry) -> Row | None:
        """Re-imports update: by external id, then organisation number, then exact name."""
        if entry.external_id:
            found = self.by_id.get(entry.external_id)
            if found is not None and found.get("external_id") == entry.external_id:
                return found
        if entry.org_number:
            found = self.holder(entry.org_number)
            if found is not None and found.get("external_id") in (None, entry.external_id):
                return found
        name = entry.name.lower()
        return next((c for c in self.by_name.get(name, ())
                     if c.get("external_id") is None and cast(str, c.get("name")).lower() == name), None)

    def holder(self, org_number: str) -> Row | None:
        found = self.by_org.get(org_number)
        return found if found is not None and found.get("org_number") == org_number else None


def _find_listing(existing: list[Row], entry: ListingEntry) -> Row | None:
    for listing in existing:
        if entry.external_id and listing.get("external_id") == entry.external_id:
            return listing
    title = entry.title.lower()
    for listing in existing:
        if (listing.get("external_id") in (None, entry.external_id)
                and listing.get("direction") == entry.direction and listing.get("kind") == entry.kind
                and cast(str, listing.get("title")).lower() == title):
            return listing
    return None


def _defaults(model: type[Company] | type[Listing], **required: object) -> dict[str, object]:
    """A new row's column values as the model would default them."""
    return model(**required).model_dump(exclude={"id"})


def _write(session: Session, model: type[Company] | type[Listing], rows: list[Row], new: list[Row],
           ids: bool = False) -> None:
    """Insert the `new` rows (their ids read back in order when `ids`) and update the rest, a
    page at a time. Core statements: the ORM's bulk insert reads ids back one row at a time."""
    table, connection = model.__table__, session.connection()  # type: ignore[attr-defined]
    new_ids = {id(row) for row in new}
    for chunk in chunks(new):
        if not ids:
            connection.execute(insert(table), [row.values for row in chunk])
            continue
        inserted = connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                      [row.values for row in chunk])
        for row, row_id in zip(chunk, inserted.scalars(), strict=True):
            row.id = row_id
    updated = list({id(row): row for row in rows if id(row) not in new_ids}.values())
    for chunk in chunks(updated):
        session.execute(update(model), [{**row.values, "id": row.id} for row in chunk])


def write_rows(session: Session, entries: list[CompanyEntry], locate: Locate,
               counts: dict[str, int]) -> list[int]:
    """Every entry's company and listings, created or updated (raises with every problem
    first); the ids of every listing of these companies. What it held in between is gone
    when it returns, before the matching that follows needs the memory."""
    known = Known(session, entries)
    companies = write_companies(session, entries, known, locate, counts)
    return write_listings(session, entries, companies, known, counts)


def write_companies(session: Session, entries: list[CompanyEntry], known: Known, locate: Locate,
                    counts: dict[str, int]) -> list[Row]:
    """Each entry's company, created or updated; raises with every problem first."""
    problems: list[str] = []
    companies: list[Row] = []
    new: list[Row] = []
    created: set[int] = set()  # id() of the new rows
    template = _defaults(Company, name="")
    now = utcnow()
    for entry in entries:
        company = known.find(entry)
        if company is None:
            company = Row(None, {**template, "created_at": now})
        if entry.org_number:
            holder = known.holder(entry.org_number)
            if holder is not None and holder is not company:
                problems.append(f"{entry.where}, field 'org_number': {entry.org_number} "
                                f"belongs to {holder.get('name')!r} already")
                continue
        if company.id is None and id(company) not in created:
            created.add(id(company))
            new.append(company)
            counts["companies_created"] += 1
        else:
            counts["companies_updated"] += 1
        values = {name: getattr(entry, name) for name in COMPANY_FIELDS if name not in ("id", "lat", "lon")}
        values["external_id"] = entry.external_id or company.get("external_id")
        spot = SimpleNamespace(**values, lat=None, lon=None, location_source=None)
        place_company(cast(Company, spot), entry.lat, entry.lon, locate)
        values.update((name, getattr(spot, name)) for name in _PLACE)
        counts["missing_location"] += values["lat"] is None
        company.values.update(values, updated_at=now)
        known.add(company)
        companies.append(company)
    if problems:
        raise InvalidData(problems)
    _write(session, Company, companies, new, ids=True)
    return companies


def write_listings(session: Session, entries: list[CompanyEntry], companies: list[Row], known: Known,
                   counts: dict[str, int]) -> list[int]:
    """Each entry's listings, created or updated; the ids of every listing of these companies
    (moved companies change distances for all their listings, not just the imported ones)."""
    template = _defaults(Listing, company_id=0, direction="", kind="", title="")
    now = utcnow()
    touched: list[Row] = []
    new: list[Row] = []
    for entry, company in zip(entries, companies, strict=True):
        existing = known.listings_of(company)
        for listing_entry in entry.listings:
            listing = _find_listing(existing, listing_entry)
            if listing is None:
                listing = Row(None, {**template, "company_id": company.id, "created_at": now})
                existing.append(listing)
                new.append(listing)
                counts["listings_created"] += 1
            else:
                counts["listings_updated"] += 1
            listing.values.update({name: getattr(listing_entry, name)
                                   for name in LISTING_FIELDS if name != "id"})
            listing.values.update(unit_written=listing_entry.unit_written, updated_at=now,
                                  external_id=listing_entry.external_id or listing.get("external_id"))
            touched.append(listing)
    _write(session, Listing, touched, new)
    ids = {cast(int, company.id) for company in companies}
    out: list[int] = []
    for chunk in chunks(sorted(ids), IN_LIST_SIZE):
        out += session.exec(select(Listing.id).where(col(Listing.company_id).in_(chunk))).all()
    return out
