"""What a listing's fields must satisfy together, and what its unit as written stores: one rule
for the web form and the API (limits of single fields: ``domain.rules``, ``domain.vocab``).

Pure: no Flask. A problem names its field and what is wrong; each caller words it (the form in
the reader's language, see ``labels.listing_problem``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from matchmaker.domain.units import is_plain, parse_written_unit


class Problem(StrEnum):
    UNIT_MISSING = "unit_missing"  # a quantity needs a unit to mean anything
    UNIT_UNKNOWN = "unit_unknown"
    FREQUENCY_CLASH = "frequency_clash"  # "t/år" with the frequency "month"
    DATES_REVERSED = "dates_reversed"


@dataclass(frozen=True)
class ListingProblem:
    field: str
    problem: Problem
    frequency: str | None = None  # what the unit says, for FREQUENCY_CLASH


def problems(quantity: object, unit: str | None, frequency: str | None,
             available_from: date | None, available_until: date | None) -> list[ListingProblem]:
    """Every rule the fields break together (each field on its own is checked already)."""
    found: list[ListingProblem] = []
    if quantity is not None and not unit:
        found.append(ListingProblem("unit", Problem.UNIT_MISSING))
    written = parse_written_unit(unit) if unit else None
    if unit and written is None:
        found.append(ListingProblem("unit", Problem.UNIT_UNKNOWN))
    if written and written.frequency and frequency and frequency != written.frequency:
        found.append(ListingProblem("frequency", Problem.FREQUENCY_CLASH, written.frequency))
    if available_from and available_until and available_until < available_from:
        found.append(ListingProblem("available_until", Problem.DATES_REVERSED))
    return found


def unit_fields(unit: str | None, frequency: str | None) -> dict[str, str | None]:
    """What to store for a unit as written: the canonical unit the engine compares, the writing
    when it says more than that ("lm3", "t/år"), and the frequency, which the unit may name."""
    written = parse_written_unit(unit)
    return {
        "unit": written.unit if written else None,
        "unit_written": None if written is None or is_plain(written) else written.written,
        "frequency": written.frequency if written and written.frequency else frequency or None,
    }


def names_frequency(unit: str | None) -> bool:
    """Whether a stored unit's writing says how often ("t/år"): its frequency belongs to it."""
    written = parse_written_unit(unit)
    return bool(written and written.frequency)
