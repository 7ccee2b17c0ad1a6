"""Import and export of companies and listings in the interchange format; imports are all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session, select

from matchmaker import security_log
from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange import (
    COMPANY_FIELDS,
    LISTING_FIELDS,
    CompanyEntry,
    parse,
)
from matchmaker.geo.locator import Locate
from matchmaker.models import Company, Listing
from matchmaker.services.embeddings import Progress
from matchmaker.services.import_rows import write_rows
from matchmaker.services.matching import (
    Matcher,
    matches_in_bulk,
    recompute,
    record_changes,
    refresh_listings,
)
from matchmaker.services.text_index import bulk_writes, defers_triggers


@dataclass
class ImportReport:
    companies_created: int = 0
    companies_updated: int = 0
    listings_created: int = 0
    listings_updated: int = 0
    missing_location: int = 0


def import_entries(session: Session, entries: list[CompanyEntry], locate: Locate,
                   matcher: Matcher, progress: Progress | None = None, processes: int = 1) -> ImportReport:
    """Write every entry in one transaction, then match: a large import (see `matches_in_bulk`)
    by one full recompute (`processes` as `matchmaker match --processes`) in the same
    transaction, a small one listing by listing. `entries` is emptied once written: a national
    registry's take hundreds of MB, which the matching needs then."""
    counts = Counter[str]()
    try:
        incoming = sum(len(entry.listings) for entry in entries)
        with bulk_writes(session, defers_triggers(session, incoming)):  # the search tables
            moved = write_rows(session, entries, locate, counts)
            entries.clear()
            if matches_in_bulk(session, len(moved)):
                record_changes(session, moved, matched=True)  # matched below, in this transaction
                recompute(session, matcher, processes, progress, rows_written=True)
            else:
                refresh_listings(session, matcher, moved)
        session.commit()
    except (IntegrityError, DataError) as exc:  # a value the database's column cannot hold
        session.rollback()
        matcher.forget()
        raise InvalidData([f"database refused the import: {exc.orig}"]) from None
    except BaseException:
        session.rollback()
        matcher.forget()
        raise
    return ImportReport(**counts)


def import_document(session: Session, data: bytes, source: str, locate: Locate, matcher: Matcher,
                    parsed: Callable[[list[CompanyEntry]], None] | None = None,
                    progress: Progress | None = None, processes: int = 1) -> ImportReport:
    """Parse (JSON, or CSV for a ``source`` ending in .csv) and import, all or nothing, and
    security-log the outcome: the command line and the API import through here alike.
    ``parsed`` hears the entries before they are written (the demo says what it loads);
    ``progress`` and ``processes`` are a bulk import's (`import_entries`)."""
    try:
        entries = parse(data, source)
        del data  # (the file's bytes: 110 MB at 100,000 companies)
        if parsed is not None:
            parsed(entries)
        report = import_entries(session, entries, locate, matcher, progress, processes)
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
