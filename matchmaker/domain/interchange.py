"""The `matchmaker/v1` interchange format: parse and validate JSON or CSV, all problems at once.

Pure: bytes in, validated entries (or every problem with its line/record and field) out.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from matchmaker.domain.errors import InvalidData
from matchmaker.domain.orgnr import normalise_orgnr
from matchmaker.domain.rules import MAX_LENGTH, canonical_unit
from matchmaker.domain.vocab import Direction, Frequency, Kind, Visibility

FORMAT = "matchmaker/v1"

COMPANY_FIELDS = (
    "id", "name", "org_number", "address", "postcode", "city", "municipality", "country",
    "lat", "lon", "description", "industry", "nace_code", "website", "contact_person", "email",
    "phone",
)
LISTING_FIELDS = (
    "id", "direction", "kind", "title", "description", "quantity", "unit", "frequency",
    "available_from", "available_until", "active", "visibility",
)
# CSV: one row per listing; company columns first, listing columns prefixed to stay unambiguous.
CSV_COMPANY_COLUMNS = tuple("company_id" if f == "id" else f for f in COMPANY_FIELDS)
CSV_LISTING_COLUMNS = tuple(f"listing_{f}" for f in LISTING_FIELDS)
CSV_COLUMNS = CSV_COMPANY_COLUMNS + CSV_LISTING_COLUMNS

_TRUE = {"true", "1", "yes", "ja", "y"}
_FALSE = {"false", "0", "no", "nei", "n"}


@dataclass
class ListingEntry:
    external_id: str | None
    direction: str
    kind: str
    title: str
    description: str = ""
    quantity: float | None = None
    unit: str | None = None
    frequency: str | None = None
    available_from: date | None = None
    available_until: date | None = None
    active: bool = True
    visibility: str = Visibility.PUBLIC.value


@dataclass
class CompanyEntry:
    external_id: str | None
    name: str
    org_number: str | None = None
    address: str = ""
    postcode: str = ""
    city: str = ""
    municipality: str = ""
    country: str = "NO"
    lat: float | None = None
    lon: float | None = None
    description: str = ""
    industry: str = ""
    nace_code: str = ""
    website: str = ""
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    listings: list[ListingEntry] = field(default_factory=list)
    where: str = ""


class _Checker:
    """Collects problems for one record instead of stopping at the first."""

    def __init__(self, where: str, problems: list[str]):
        self.where = where
        self.problems = problems

    def fail(self, name: str, message: str) -> None:
        self.problems.append(f"{self.where}, field '{name}': {message}")

    def text(self, raw: dict, name: str, *, required: bool = False, limit: str | None = None) -> str:
        value = raw.get(name)
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(name, "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.fail(name, "is required")
        maximum = MAX_LENGTH.get(limit or name)
        if maximum and len(value) > maximum:
            self.fail(name, f"is longer than {maximum} characters")
        return value

    def number(self, raw: dict, name: str) -> float | None:
        value = raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(" ", "").replace(",", "."))
            except ValueError:
                self.fail(name, f"is not a number: {value!r}")
                return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(name, f"is not a number: {value!r}")
            return None
        return float(value)

    def choice(self, raw: dict, name: str, allowed: tuple[str, ...], *, required: bool = False,
               default: str | None = None) -> str | None:
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "is required")
            return default
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            self.fail(name, f"unknown value {value!r}; expected one of {', '.join(allowed)}")
            return default
        return value.strip().lower()

    def day(self, raw: dict, name: str) -> date | None:
        value = raw.get(name)
        if value is None or value == "":
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(name, f"is not a date (YYYY-MM-DD): {value!r}")
            return None

    def flag(self, raw: dict, name: str, default: bool) -> bool:
        value = raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self.fail(name, f"expected true or false, got {value!r}")
        return default


def _company(raw: object, where: str, problems: list[str]) -> CompanyEntry | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    check = _Checker(where, problems)
    entry = CompanyEntry(
        external_id=check.text(raw, "id") or None,
        name=check.text(raw, "name", required=True),
        address=check.text(raw, "address"), postcode=check.text(raw, "postcode"),
        city=check.text(raw, "city"), municipality=check.text(raw, "municipality"),
        country=(check.text(raw, "country") or "NO").upper(),
        description=check.text(raw, "description"), industry=check.text(raw, "industry"),
        nace_code=check.text(raw, "nace_code"), website=check.text(raw, "website"),
        contact_person=check.text(raw, "contact_person"), phone=check.text(raw, "phone"),
        where=where,
    )
    if len(entry.country) != 2 or not entry.country.isalpha():
        check.fail("country", "must be a two-letter ISO country code")
    try:
        entry.org_number = normalise_orgnr(check.text(raw, "org_number"))
    except ValueError as exc:
        check.fail("org_number", str(exc))
    email = check.text(raw, "email")
    if email:
        try:
            entry.email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            check.fail("email", str(exc))
    if entry.website and not entry.website.startswith(("http://", "https://")):
        check.fail("website", "must start with http:// or https://")
    entry.lat, entry.lon = check.number(raw, "lat"), check.number(raw, "lon")
    if (entry.lat is None) != (entry.lon is None):
        check.fail("lat" if entry.lat is None else "lon", "give both lat and lon, or neither")
    if entry.lat is not None and not -90 <= entry.lat <= 90:
        check.fail("lat", f"{entry.lat} is outside -90..90")
    if entry.lon is not None and not -180 <= entry.lon <= 180:
        check.fail("lon", f"{entry.lon} is outside -180..180")
    listings = raw.get("listings") or []
    if not isinstance(listings, list):
        check.fail("listings", "must be a list")
        listings = []
    seen: set[str] = set()
    for number, raw_listing in enumerate(listings, start=1):
        listing = _listing(raw_listing, f"{where}, listing {number}", problems)
        if listing is None:
            continue
        if listing.external_id:
            if listing.external_id in seen:
                problems.append(f"{where}, listing {number}, field 'id': "
                                f"duplicate id {listing.external_id!r}")
            seen.add(listing.external_id)
        entry.listings.append(listing)
    return entry


def _listing(raw: object, where: str, problems: list[str]) -> ListingEntry | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    check = _Checker(where, problems)
    entry = ListingEntry(
        external_id=check.text(raw, "id") or None,
        direction=check.choice(raw, "direction", tuple(Direction), required=True) or "",
        kind=check.choice(raw, "kind", tuple(Kind), required=True) or "",
        title=check.text(raw, "title", required=True),
        description=check.text(raw, "description", limit="listing_description"),
        quantity=check.number(raw, "quantity"),
        frequency=check.choice(raw, "frequency", tuple(Frequency)),
        available_from=check.day(raw, "available_from"),
        available_until=check.day(raw, "available_until"),
        active=check.flag(raw, "active", True),
        visibility=check.choice(raw, "visibility", tuple(Visibility),
                                default=Visibility.PUBLIC.value) or Visibility.PUBLIC.value,
    )
    if entry.quantity is not None and entry.quantity < 0:
        check.fail("quantity", "must not be negative")
    unit = check.text(raw, "unit")
    if unit:
        entry.unit = canonical_unit(unit)
        if entry.unit is None:
            check.fail("unit", f"unknown unit {unit!r}")
    if entry.available_from and entry.available_until and (
        entry.available_until < entry.available_from
    ):
        check.fail("available_until", "is before available_from")
    return entry


def _check_unique(companies: list[CompanyEntry], problems: list[str]) -> None:
    for attribute, label in (("external_id", "id"), ("org_number", "org_number")):
        first_seen: dict[str, str] = {}
        for company in companies:
            value = getattr(company, attribute)
            if not value:
                continue
            if value in first_seen:
                problems.append(f"{company.where}, field '{label}': {value!r} "
                                f"is used again (first at {first_seen[value]})")
            else:
                first_seen[value] = company.where


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidData([f"byte {exc.start}: the file is not UTF-8 encoded "
                           f"({exc.reason}); save it as UTF-8 and try again"]) from None


def parse_json(data: bytes) -> list[CompanyEntry]:
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise InvalidData([f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
                          ) from None
    if not isinstance(document, dict):
        raise InvalidData(["document: must be a JSON object with 'format' and 'companies'"])
    problems: list[str] = []
    if document.get("format") != FORMAT:
        problems.append(f"document, field 'format': expected {FORMAT!r}, "
                        f"got {document.get('format')!r}")
    raw_companies = document.get("companies")
    if not isinstance(raw_companies, list):
        raise InvalidData([*problems, "document, field 'companies': must be a list"])
    companies = []
    for number, raw in enumerate(raw_companies, start=1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"company {number}" + (f" (id {ident!r})" if ident else "")
        entry = _company(raw, where, problems)
        if entry is not None:
            companies.append(entry)
    _check_unique(companies, problems)
    if problems:
        raise InvalidData(problems)
    return companies


def parse_csv(data: bytes) -> list[CompanyEntry]:
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems: list[str] = []
    header = reader.fieldnames or []
    missing = [c for c in ("name", "listing_direction", "listing_kind", "listing_title")
               if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        if missing:
            problems.append(f"line 1: missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"line 1: unknown column(s) {', '.join(unknown)}")
        raise InvalidData(problems)
    groups: dict[str, tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(f"line {line}: more cells than columns")
                continue
            row = {k: _unneutralise(v or "") for k, v in row.items()}
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
    except csv.Error as exc:
        raise InvalidData([f"line {reader.line_num}: invalid CSV: {exc}"]) from None
    companies = []
    for first_line, row, listings in groups.values():
        raw_company = {f: row.get("company_id" if f == "id" else f, "") for f in COMPANY_FIELDS}
        raw_company["listings"] = []
        entry = _company(raw_company, f"line {first_line}", problems)
        if entry is None:
            continue
        for line, raw_listing in listings:
            listing = _listing(raw_listing, f"line {line}", problems)
            if listing is not None:
                entry.listings.append(listing)
        ids = [listing.external_id for listing in entry.listings if listing.external_id]
        for duplicate in {i for i in ids if ids.count(i) > 1}:
            problems.append(f"line {first_line}, field 'listing_id': duplicate id {duplicate!r} "
                            f"within company {entry.name!r}")
        companies.append(entry)
    _check_unique(companies, problems)
    if problems:
        raise InvalidData(problems)
    return companies


def parse(data: bytes, filename: str) -> list[CompanyEntry]:
    """Choose the parser by file name: .csv is CSV, anything else JSON."""
    return parse_csv(data) if filename.lower().endswith(".csv") else parse_json(data)


# --- writing -----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def to_document(companies: list[dict[str, object]]) -> dict[str, object]:
    return {"format": FORMAT, "companies": companies}


def to_csv(companies: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for company in companies:
        company_cells = [company.get(f) for f in COMPANY_FIELDS]
        listings = company.get("listings") or [{}]
        for listing in listings:  # type: ignore[union-attr]
            cells = company_cells + [listing.get(f) for f in LISTING_FIELDS]
            writer.writerow([_cell(_plain(c)) for c in cells])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return neutralise(str(value))
