"""Field rules shared by the web forms and the interchange format, so both reject the same data."""

from matchmaker.domain.vocab import UNITS

MAX_LENGTH: dict[str, int] = {
    "id": 100, "name": 200, "org_number": 20, "address": 200, "postcode": 10, "city": 100,
    "municipality": 100, "country": 2, "description": 2000, "industry": 100, "nace_code": 10,
    "website": 200, "contact_person": 200, "email": 254, "phone": 40,
    "title": 200, "listing_description": 4000,
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
