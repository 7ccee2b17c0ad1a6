"""The CSV side of the interchange format: one row per listing, company columns repeated.

Reading is strict about shape (every header known and named once, every row as wide as the
header) because a lenient reader silently lets the last of two same-named columns win.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date

from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange_records import (
    COMPANY_FIELDS,
    LISTING_FIELDS,
    CompanyEntry,
    check_unique,
    decode,
    read_company,
    read_listing,
)

# Company columns first, listing columns prefixed to stay unambiguous.
CSV_COMPANY_COLUMNS = tuple("company_id" if f == "id" else f for f in COMPANY_FIELDS)
CSV_LISTING_COLUMNS = tuple(f"listing_{f}" for f in LISTING_FIELDS)
CSV_COLUMNS = CSV_COMPANY_COLUMNS + CSV_LISTING_COLUMNS
REQUIRED_COLUMNS = ("name", "listing_direction", "listing_kind", "listing_title")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, str]


def neutralise(value: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _escape(value: str) -> str:
    """`neutralise`, made reversible: a value that already starts with quotes before a formula
    character gets one more, so reading strips exactly the one that writing added."""
    return "'" + value if value.lstrip("'").startswith(_FORMULA_START) else value


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START) else value


def _check_header(header: list[str]) -> list[str]:
    problems = [f"line 1: missing column {name}" for name in REQUIRED_COLUMNS if name not in header]
    for name in dict.fromkeys(header):
        places = [str(i) for i, column in enumerate(header, start=1) if column == name]
        if name not in CSV_COLUMNS:
            problems.append(f"line 1, field {name!r}: unknown column")
        elif len(places) > 1:
            problems.append(f"line 1, field {name!r}: the column appears more than once "
                            f"(columns {', '.join(places)})")
    return problems


def _rows(text: str) -> tuple[list[tuple[int, Row]], list[str]]:
    """Each data row with the line it starts on; rows of the wrong width become problems."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    rows: list[tuple[int, Row]] = []
    try:
        header = next(reader, [])
        problems = _check_header(header)
        if problems:
            raise InvalidData(problems)
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not cells:  # a blank line
                continue
            if len(cells) != len(header):
                problems.append(f"line {start}: {len(cells)} cells, but the header has "
                                f"{len(header)} columns ({'fewer' if len(cells) < len(header) else 'more'}"
                                f" cells than columns)")
                continue
            rows.append((start, {c: _unescape(v) for c, v in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        raise InvalidData([f"line {reader.line_num}: invalid CSV: {exc}"]) from None
    return rows, problems


def parse_csv(data: bytes) -> list[CompanyEntry]:
    rows, problems = _rows(decode(data))
    groups: dict[str, tuple[int, Row, list[tuple[int, Row]]]] = {}
    for line, row in rows:
        key = row.get("company_id") or row.get("name") or f"line {line}"
        if key not in groups:
            groups[key] = (line, row, [])
        else:
            first_line, first, _ = groups[key]
            for column in CSV_COMPANY_COLUMNS:
                if row.get(column) and row[column] != first.get(column):
                    problems.append(f"line {line}, field '{column}': differs from line "
                                    f"{first_line} for the same company")
        listing = {f: row.get(f"listing_{f}", "") for f in LISTING_FIELDS}
        if any(listing.values()):
            groups[key][2].append((line, listing))
    companies = []
    for first_line, row, listings in groups.values():
        raw_company: dict[str, object] = {
            f: row.get("company_id" if f == "id" else f, "") for f in COMPANY_FIELDS}
        entry = read_company(raw_company, f"line {first_line}", problems)
        if entry is None:
            continue
        for line, raw_listing in listings:
            listing = read_listing(raw_listing, f"line {line}", problems)
            if listing is not None:
                entry.listings.append(listing)
        ids = [listing.external_id for listing in entry.listings if listing.external_id]
        for duplicate in {i for i in ids if ids.count(i) > 1}:
            problems.append(f"line {first_line}, field 'listing_id': duplicate id {duplicate!r} "
                            f"within company {entry.name!r}")
        companies.append(entry)
    check_unique(companies, problems)
    if problems:
        raise InvalidData(problems)
    return companies


def to_csv(companies: list[dict[str, object]]) -> str:
    out = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer then quotes a lone "\r" in a cell, which "\n" leaves bare
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for company in companies:
        company_cells = [company.get(f) for f in COMPANY_FIELDS]
        listings = company.get("listings") or [{}]
        for listing in listings:  # type: ignore[union-attr]
            cells = company_cells + [listing.get(f) for f in LISTING_FIELDS]
            writer.writerow([_cell(c) for c in cells])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written: not a finite number")
        if value == 0 and math.copysign(1, value) < 0:
            return _escape("-0")  # keeps the sign a plain int() would drop
        if value.is_integer() and abs(value) < 2**53:  # 400.0 reads better as 400
            return str(int(value))
        return _escape(repr(value))
    return _escape(str(value))
