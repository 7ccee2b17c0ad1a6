"""Import and export of companies and listings in the interchange format; imports are all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session, col, func, select

from matchmaker import security_log
from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange import (
    COMPANY_FIELDS,
    LISTING_FIELDS,
    CompanyEntry,
    ListingEntry,
    parse,
)
from matchmaker.geo.locator import Locate
from matchmaker.models import Company, Listing
from matchmaker.models._time import utcnow
from matchmaker.services.companies import place_company
from matchmaker.services.matching import Matcher, refresh_listings


@dataclass
class ImportReport:
    companies_created: int = 0
    companies_updated: int = 0
    listings_created: int = 0
    listings_updated: int = 0
    missing_location: int = 0


def _find_company(session: Session, entry: CompanyEntry) -> Company | None:
    """Re-imports update: by external id, then organisation number, then exact name."""
    if entry.external_id:
        found = session.exec(select(Company).where(Company.external_id == entry.external_id)).first()
        if found is not None:
            return found
    if entry.org_number:
        found = session.exec(select(Company).where(Company.org_number == entry.org_number)).first()
        if found is not None and (found.external_id in (None, entry.external_id)):
            return found
    found = session.exec(select(Company).where(
        func.lower(Company.name) == entry.name.lower(), Company.external_id.is_(None))).first()
    return found


def _find_listing(existing: list[Listing], entry: ListingEntry) -> Listing | None:
    for listing in existing:
        if entry.external_id and listing.external_id == entry.external_id:
            return listing
    for listing in existing:
        if (listing.external_id in (None, entry.external_id) and listing.direction == entry.direction
                and listing.kind == entry.kind and listing.title.lower() == entry.title.lower()):
            return listing
    return None


def import_entries(session: Session, entries: list[CompanyEntry], locate: Locate,
                   matcher: Matcher) -> ImportReport:
    report = ImportReport()
    problems: list[str] = []
    touched: list[Listing] = []
    try:
        for entry in entries:
            company = _find_company(session, entry)
            if company is None:
                company = Company(name=entry.name)
                report.companies_created += 1
            else:
                report.companies_updated += 1
            if entry.org_number:
                holder = session.exec(
                    select(Company).where(Company.org_number == entry.org_number)).first()
                if holder is not None and holder is not company:
                    problems.append(f"{entry.where}, field 'org_number': {entry.org_number} "
                                    f"belongs to {holder.name!r} already")
                    continue
            for name in COMPANY_FIELDS:
                if name not in ("id", "lat", "lon"):
                    setattr(company, name, getattr(entry, name))
            company.external_id = entry.external_id or company.external_id
            place_company(company, entry.lat, entry.lon, locate)
            report.missing_location += company.lat is None
            company.updated_at = utcnow()
            session.add(company)
            session.flush()
            existing = list(session.exec(select(Listing).where(Listing.company_id == company.id)))
            for listing_entry in entry.listings:
                listing = _find_listing(existing, listing_entry)
                if listing is None:
                    listing = Listing(company_id=company.id, direction=listing_entry.direction,
                                      kind=listing_entry.kind, title=listing_entry.title)
                    existing.append(listing)
                    report.listings_created += 1
                else:
                    report.listings_updated += 1
                for name in LISTING_FIELDS:
                    if name != "id":
                        setattr(listing, name, getattr(listing_entry, name))
                listing.unit_written = listing_entry.unit_written
                listing.external_id = listing_entry.external_id or listing.external_id
                listing.updated_at = utcnow()
                session.add(listing)
                touched.append(listing)
            session.flush()
        if problems:
            raise InvalidData(problems)
        # Moved companies change distances for all their listings, not just the imported ones.
        moved = {listing.company_id for listing in touched}
        refresh_listings(session, matcher, [*session.exec(
            select(Listing.id).where(col(Listing.company_id).in_(moved)))])
        session.commit()
    except (IntegrityError, DataError) as exc:  # a value the database's column cannot hold
        session.rollback()
        raise InvalidData([f"database refused the import: {exc.orig}"]) from None
    except BaseException:
        session.rollback()
        raise
    return report


def import_document(session: Session, data: bytes, source: str, locate: Locate, matcher: Matcher,
                    parsed: Callable[[list[CompanyEntry]], None] | None = None) -> ImportReport:
    """Parse (JSON, or CSV for a ``source`` ending in .csv) and import, all or nothing, and
    security-log the outcome: the command line and the API import through here alike.
    ``parsed`` hears the entries before they are written (the demo says what it loads)."""
    try:
        entries = parse(data, source)
        if parsed is not None:
            parsed(entries)
        report = import_entries(session, entries, locate, matcher)
    except InvalidData as exc:
        security_log.event("import refused", file=source, problems=len(exc.problems))
        raise
    security_log.event("import", file=source, **asdict(report))
    return report


def _listing_dict(listing: Listing) -> dict[str, object]:
    return {
        "id": listing.external_id or f"listing-{listing.id}",
        **{name: getattr(listing, name) for name in LISTING_FIELDS if name != "id"},
        "unit": listing.unit_written or listing.unit,  # as written; it reads back the same
    }


def export_companies(session: Session, company_id: int | None = None) -> list[dict[str, object]]:
    """Every company with all its listings; only the one company when ``company_id`` is given."""
    company_query, listing_query = select(Company), select(Listing)
    if company_id is not None:
        company_query = company_query.where(Company.id == company_id)
        listing_query = listing_query.where(Listing.company_id == company_id)
    companies = session.exec(company_query.order_by(Company.id)).all()
    listings: dict[int, list[Listing]] = {}
    for listing in session.exec(listing_query.order_by(Listing.id)):
        listings.setdefault(listing.company_id, []).append(listing)
    out = []
    for company in companies:
        record: dict[str, object] = {"id": company.external_id or f"company-{company.id}"}
        for name in COMPANY_FIELDS:
            if name != "id":
                record[name] = getattr(company, name)
        record["listings"] = [_listing_dict(item) for item in listings.get(company.id, [])]
        out.append(record)
    return out
