"""The `matchmaker/v1` interchange format: parse and validate JSON or CSV, all problems at once.

Pure: bytes in, validated entries (or every problem with its line/record and field) out; and
company records out as a document that reads back to the same records. The work is split by job:
`interchange_records` (fields and their rules), `interchange_json`, `interchange_csv`.
"""

from __future__ import annotations

import math

from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange_csv import (
    CSV_COLUMNS,
    CSV_COMPANY_COLUMNS,
    CSV_LISTING_COLUMNS,
    neutralise,
    parse_csv,
)
from matchmaker.domain.interchange_csv import to_csv as _to_csv
from matchmaker.domain.interchange_json import MAX_DEPTH, parse_json
from matchmaker.domain.interchange_json import to_json as _to_json
from matchmaker.domain.interchange_records import (
    COMPANY_FIELDS,
    FORMAT,
    LISTING_FIELDS,
    CompanyEntry,
    ListingEntry,
    NonFinite,
)

__all__ = [
    "COMPANY_FIELDS", "CSV_COLUMNS", "CSV_COMPANY_COLUMNS", "CSV_LISTING_COLUMNS", "FORMAT",
    "LISTING_FIELDS", "MAX_DEPTH", "CompanyEntry", "ListingEntry", "NonFinite", "check_exportable",
    "neutralise", "parse", "parse_csv", "parse_json", "to_csv", "to_document", "to_json",
]


def parse(data: bytes, filename: str) -> list[CompanyEntry]:
    """Choose the parser by file name: .csv is CSV, anything else JSON."""
    return parse_csv(data) if filename.lower().endswith(".csv") else parse_json(data)


def to_document(companies: list[dict[str, object]]) -> dict[str, object]:
    return {"format": FORMAT, "companies": companies}


def check_exportable(companies: list[dict[str, object]]) -> None:
    """Refuse, by record and field, a non-finite number that reached the database some other way:
    neither JSON nor our import can carry it, so writing it would break the round trip."""
    problems = []
    for company in companies:
        where = f"company {company.get('id')!r}"
        problems += _non_finite(company, where)
        for listing in company.get("listings") or []:  # type: ignore[union-attr]
            problems += _non_finite(listing, f"{where}, listing {listing.get('id')!r}")
    if problems:
        raise InvalidData(problems)


def _non_finite(record: dict[str, object], where: str) -> list[str]:
    return [f"{where}, field '{name}': {value} is not a finite number; correct it in the database "
            f"and export again" for name, value in record.items()
            if isinstance(value, float) and not math.isfinite(value)]


def to_json(companies: list[dict[str, object]]) -> str:
    check_exportable(companies)
    return _to_json(to_document(companies))


def to_csv(companies: list[dict[str, object]]) -> str:
    check_exportable(companies)
    return _to_csv(companies)
