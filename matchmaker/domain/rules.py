"""Field rules shared by the web forms, the API and the interchange format, so all reject the
same data."""

from matchmaker.domain.vocab import UNITS

MAX_LENGTH: dict[str, int] = {
    "id": 100, "name": 200, "org_number": 20, "address": 200, "postcode": 10, "city": 100,
    "municipality": 100, "country": 2, "description": 2000, "industry": 100, "nace_code": 10,
    "website": 200, "contact_person": 200, "email": 254, "phone": 40,
    "title": 200, "listing_description": 4000,
}
MIN_LENGTH: dict[str, int] = {"title": 3}

# Formats a filled-in profile field must have (a blank optional field is not checked).
PATTERN: dict[str, str] = {
    "country": r"^[A-Za-z]{2}$", "nace_code": r"^\d{2}(\.\d{1,3})?$", "website": r"^https?://",
    "phone": r"^[0-9 +()-]*$",
}
# (min, max) of numbers; None: no bound on that side.
RANGE: dict[str, tuple[float | None, float | None]] = {
    "quantity": (0, None), "lat": (-90, 90), "lon": (-180, 180),
}

LAT_RANGE = (-90.0, 90.0)  # degrees, WGS 84
LON_RANGE = (-180.0, 180.0)
WEBSITE_SCHEMES = ("http://", "https://")  # a website must start with one of these

# Spellings people use for the units we know, mapped to the canonical symbol.
UNIT_ALIASES: dict[str, str] = {
    **{unit.casefold(): unit for unit in UNITS},
    "tonn": "t", "ton": "t", "tonnes": "t", "tons": "t", "m³": "m3", "kubikk": "m3",
    "liter": "l", "litre": "l", "litres": "l", "liters": "l", "stk": "pcs", "pieces": "pcs",
    "m²": "m2", "paller": "pallets", "timer": "h", "hours": "h",
}


def canonical_unit(value: str) -> str | None:
    """The canonical unit for a spelling, or None when we do not know it."""
    return UNIT_ALIASES.get(value.strip().casefold())


def half_coordinates(lat: float | None, lon: float | None) -> str | None:
    """The coordinate missing when only the other one is given ("lat" or "lon"); else None.
    A place is both or neither: one alone would put the company on a line, not a point."""
    if (lat is None) == (lon is None):
        return None
    return "lat" if lat is None else "lon"
