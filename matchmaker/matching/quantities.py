"""Quantities: units to a base unit per dimension, frequencies to amounts per year."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

#: unit alias (folded) -> (dimension, factor to the dimension's base unit)
UNITS: Mapping[str, tuple[str, float]] = {
    "kg": ("mass", 1.0),
    "kilo": ("mass", 1.0),
    "t": ("mass", 1000.0),
    "tonn": ("mass", 1000.0),
    "tonne": ("mass", 1000.0),
    "tonnes": ("mass", 1000.0),
    "ton": ("mass", 1000.0),
    "tons": ("mass", 1000.0),
    "l": ("volume", 1.0),
    "liter": ("volume", 1.0),
    "litre": ("volume", 1.0),
    "m3": ("volume", 1000.0),
    "m^3": ("volume", 1000.0),
    "m³": ("volume", 1000.0),
    "kubikk": ("volume", 1000.0),
    "kwh": ("energy", 1.0),
    "mwh": ("energy", 1000.0),
    "gwh": ("energy", 1_000_000.0),
    "kw": ("power", 1.0),
    "mw": ("power", 1000.0),
    "pcs": ("count", 1.0),
    "stk": ("count", 1.0),
    "pallets": ("pallets", 1.0),
    "paller": ("pallets", 1.0),
    "h": ("hours", 1.0),
    "timer": ("hours", 1.0),
    "m2": ("area", 1.0),
    "m²": ("area", 1.0),
    "m": ("length", 1.0),
}

DIMENSIONS: tuple[str, ...] = (
    "mass",
    "volume",
    "energy",
    "power",
    "count",
    "pallets",
    "hours",
    "area",
    "length",
)

#: frequency -> occurrences per year (None: not a rate, e.g. "once" or "continuous")
PER_YEAR: Mapping[str, float | None] = {
    "once": None,
    "continuous": None,
    "day": 365.0,
    "week": 52.0,
    "month": 12.0,
    "year": 1.0,
}


@dataclass(frozen=True, slots=True)
class Quantity:
    amount: float  # in the dimension's base unit (kg, l, kWh, kW, ...)
    dimension: str
    unit: str  # as given, for display
    frequency: str | None = None

    def annual(self) -> float | None:
        per = PER_YEAR.get(self.frequency or "")
        return None if per is None else self.amount * per


def normalise_unit(unit: str | None) -> tuple[str, float] | None:
    if not unit:
        return None
    key = unit.strip().casefold().replace(" ", "").replace(".", "")
    return UNITS.get(key)


def normalise_quantity(
    quantity: float | None, unit: str | None, frequency: str | None = None
) -> Quantity | None:
    if quantity is None or not isinstance(quantity, (int, float)):
        return None
    q = float(quantity)
    if not math.isfinite(q) or q <= 0:
        return None
    norm = normalise_unit(unit)
    if norm is None:
        return None
    dimension, factor = norm
    freq = frequency.strip().casefold() if frequency else None
    return Quantity(q * factor, dimension, unit or "", freq if freq in PER_YEAR else None)
