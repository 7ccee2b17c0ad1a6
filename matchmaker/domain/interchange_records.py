"""Records of the `matchmaker/v1` interchange format and their validation, whatever the file type.

Pure: raw values (from JSON or CSV) in, validated entries or every problem with its place out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from matchmaker.domain.errors import Unreadable
from matchmaker.domain.numbers import normalise_number
from matchmaker.domain.orgnr import normalise_orgnr
from matchmaker.domain.rules import LAT_RANGE, LON_RANGE, MAX_LENGTH, WEBSITE_SCHEMES
from matchmaker.domain.units import is_plain, parse_written_unit
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
    unit_written: str | None = None  # "tonn/år", "lm3": kept for display (domain.units)
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


@dataclass(frozen=True)
class NonFinite:
    """A JSON number no float can hold (NaN, Infinity, 1e309): kept as its token so that the
    field it sits in is refused by name instead of being stored as inf or nan."""

    token: str

    def __repr__(self) -> str:
        return self.token if len(self.token) <= 30 else f"{self.token[:27]}..."


def _shown(value: object) -> str:
    """A value quoted in a message, cut short: a refused cell may be megabytes long."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


_REFUSED = object()  # a value that was refused already (NUL): skip the field's other checks
# half of a UTF-16 pair on its own: JSON's "\ud800" escape makes one, and no database can store it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Checker:
    """Collects problems for one record instead of stopping at the first."""

    def __init__(self, where: str, problems: list[str]):
        self.where = where
        self.problems = problems

    def fail(self, name: str, message: str) -> None:
        self.problems.append(f"{self.where}, field '{name}': {message}")

    def _get(self, raw: dict, name: str) -> object:
        """The raw value; NUL is refused here once for every kind of field, since SQLite would
        store it and PostgreSQL refuses it mid-import, and so is a lone surrogate, which is not
        text at all (both databases would fail on it mid-import)."""
        value = raw.get(name)
        if isinstance(value, str) and "\x00" in value:
            self.fail(name, "contains a NUL character (\\x00), which cannot be stored")
            return _REFUSED
        if isinstance(value, str) and (found := _LONE_SURROGATE.search(value)):
            self.fail(name, f"contains a lone surrogate ({ascii(found.group())[1:-1]}), which is "
                            "not text and cannot be stored")
            return _REFUSED
        return value

    def text(self, raw: dict, name: str, *, required: bool = False, limit: str | None = None) -> str:
        value = self._get(raw, name)
        if value is _REFUSED:
            return ""
        if value is None:
            value = ""
        if isinstance(value, NonFinite) or (isinstance(value, float) and not math.isfinite(value)):
            self.fail(name, f"is not a finite number: {_shown(value)}")
            return ""
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
        value = self._get(raw, name)
        if value is _REFUSED or value is None or value == "":
            return None
        number: float | None = None
        if isinstance(value, str):
            try:
                number = float(normalise_number(value))  # "12,5", "40 000", "1.200,5"
            except ValueError:
                self.fail(name, f"is not a number: {_shown(value)}")
                return None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond any float
                number = math.inf
        elif not isinstance(value, NonFinite):
            self.fail(name, f"is not a number: {_shown(value)}")
            return None
        if number is None or not math.isfinite(number):
            self.fail(name, f"is not a finite number: {_shown(value)}")
            return None
        return number

    def choice(self, raw: dict, name: str, allowed: tuple[str, ...], *, required: bool = False,
               default: str | None = None) -> str | None:
        value = self._get(raw, name)
        if value is _REFUSED:
            return default
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "is required")
            return default
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            self.fail(name, f"unknown value {_shown(value)}; expected one of {', '.join(allowed)}")
            return default
        return value.strip().lower()

    def day(self, raw: dict, name: str) -> date | None:
        value = self._get(raw, name)
        if value is _REFUSED or value is None or value == "":
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(name, f"is not a date (YYYY-MM-DD): {_shown(value)}")
            return None

    def flag(self, raw: dict, name: str, default: bool) -> bool:
        value = self._get(raw, name)
        if value is _REFUSED or value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self.fail(name, f"expected true or false, got {_shown(value)}")
        return default


def read_company(raw: object, where: str, problems: list[str]) -> CompanyEntry | None:
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
    if entry.website and not entry.website.startswith(WEBSITE_SCHEMES):
        check.fail("website", f"must start with {' or '.join(WEBSITE_SCHEMES)}")
    entry.lat, entry.lon = check.number(raw, "lat"), check.number(raw, "lon")
    if (entry.lat is None) != (entry.lon is None):
        check.fail("lat" if entry.lat is None else "lon", "give both lat and lon, or neither")
    for name, (low, high) in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
        value = getattr(entry, name)
        if value is not None and not low <= value <= high:
            check.fail(name, f"{value} is outside {low:g}..{high:g}")
    listings = raw.get("listings") or []
    if not isinstance(listings, list):
        check.fail("listings", "must be a list")
        listings = []
    seen: set[str] = set()
    for number, raw_listing in enumerate(listings, start=1):
        listing = read_listing(raw_listing, f"{where}, listing {number}", problems)
        if listing is None:
            continue
        if listing.external_id:
            if listing.external_id in seen:
                problems.append(f"{where}, listing {number}, field 'id': "
                                f"duplicate id {listing.external_id!r}")
            seen.add(listing.external_id)
        entry.listings.append(listing)
    return entry


def read_listing(raw: object, where: str, problems: list[str]) -> ListingEntry | None:
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
        written = parse_written_unit(unit)
        if written is None:
            check.fail("unit", f"unknown unit {unit!r}")
        else:
            entry.unit = written.unit
            entry.unit_written = None if is_plain(written) else written.written
            if written.frequency and entry.frequency and written.frequency != entry.frequency:
                check.fail("frequency", f"{entry.frequency!r} but the unit {unit!r} says "
                                        f"{written.frequency!r}")
            entry.frequency = entry.frequency or written.frequency
    if entry.available_from and entry.available_until and (
        entry.available_until < entry.available_from
    ):
        check.fail("available_until", "is before available_from")
    return entry


def check_unique(companies: list[CompanyEntry], problems: list[str]) -> None:
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


def decode(data: bytes) -> str:
    """UTF-8 text without its byte-order mark; other encodings are refused with the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable([f"line {line}: the file is not UTF-8 encoded ({exc.reason} at byte "
                           f"{exc.start}); save it as UTF-8 and try again"]) from None
