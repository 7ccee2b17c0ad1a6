"""Units as people write them: "t/år", "tonn/år", "m³/mnd", "kWh/år", "lm3", "fast m3".

A written unit becomes the canonical unit the engine compares in, the frequency it names (if
any) and the factor from the written unit to the canonical one; the listing keeps what was
written, for display. Pure: no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchmaker.domain.rules import UNIT_ALIASES
from matchmaker.domain.vocab import Frequency

# Loose (lm3, "løs kubikk") and solid (fm3, "fast kubikk") cubic metres of wood. The engine
# compares solid volume; 1 fm3 ≈ 2.5 lm3 is the usual rule of thumb for wood chips
# (real values run from about 2.3 to 2.8 with chip size and moisture).
LOOSE_PER_SOLID_M3 = 2.5

_WOOD_VOLUME: dict[str, float] = {
    "fm3": 1.0, "m3f": 1.0, "fastm3": 1.0, "fastkubikk": 1.0, "solidm3": 1.0,
    "lm3": 1 / LOOSE_PER_SOLID_M3, "m3l": 1 / LOOSE_PER_SOLID_M3, "løsm3": 1 / LOOSE_PER_SOLID_M3,
    "løskubikk": 1 / LOOSE_PER_SOLID_M3, "loosem3": 1 / LOOSE_PER_SOLID_M3,
}

_FREQUENCY: dict[str, str] = {
    **dict.fromkeys(("år", "yr", "year", "a", "året", "aar"), Frequency.YEAR.value),
    **dict.fromkeys(("mnd", "md", "måned", "month", "mo", "mon", "måneden"), Frequency.MONTH.value),
    **dict.fromkeys(("uke", "uka", "week", "wk", "w"), Frequency.WEEK.value),
}

# "per", "pr.", "i" and "/" all join a unit to its period: "tonn per år", "t pr. år", "m3 i året"
_SPLIT = re.compile(r"\s*(?:/|\bper\b|\bpr\.?(?=\s)|\bi\b)\s*", re.IGNORECASE)
MAX_WRITTEN = 30


@dataclass(frozen=True)
class WrittenUnit:
    unit: str  # canonical, one of vocab.UNITS
    frequency: str | None  # a Frequency value when the writing names one
    factor: float  # quantity as written × factor = quantity in `unit`
    written: str  # as written, tidied (spaces collapsed)
    spelling: bool = False  # the writing is just a spelling of `unit` ("tonn", "stk.", "m³")


def _base(text: str) -> tuple[str, float, bool] | None:
    key = text.strip().replace("³", "3").replace("²", "2")
    canonical = UNIT_ALIASES.get(key.casefold())
    if canonical is not None:
        return canonical, 1.0, True
    squeezed = re.sub(r"[\s.]", "", key.casefold())
    if squeezed in _WOOD_VOLUME:
        return "m3", _WOOD_VOLUME[squeezed], False
    canonical = UNIT_ALIASES.get(squeezed)
    return (canonical, 1.0, True) if canonical else None


def parse_written_unit(text: str | None) -> WrittenUnit | None:
    """The meaning of a written unit, or None when it is empty or not one we know."""
    written = " ".join((text or "").split())
    if not written or len(written) > MAX_WRITTEN:
        return None
    parts = _SPLIT.split(written, maxsplit=1)
    base = _base(parts[0])
    if base is None:
        return None
    frequency = None
    if len(parts) == 2:
        frequency = _FREQUENCY.get(parts[1].strip().rstrip(".").casefold())
        if frequency is None:
            return None
    return WrittenUnit(unit=base[0], frequency=frequency, factor=base[1], written=written,
                       spelling=base[2])


def is_plain(parsed: WrittenUnit) -> bool:
    """Whether the writing says no more than the canonical unit does: then nothing is kept,
    and each reader sees the unit in their own language ("stk." / "pieces")."""
    return parsed.spelling and parsed.frequency is None


def canonical_quantity(quantity: float | None, written: str | None) -> float | None:
    """A quantity as written, in the canonical unit the engine compares ("100 lm3" → 40 m³);
    a plain or unknown writing leaves it as it is."""
    parsed = parse_written_unit(written)
    if quantity is None or parsed is None:
        return quantity
    return quantity * parsed.factor


def _any_case(text: str) -> str:
    """``text`` as a regular expression matching it in any case (and ³ ² for 3 2), written with
    character classes only, so that Python and ECMAScript (JSON Schema) read it alike."""
    out = []
    for char in text:
        variants = {char, char.upper()} if char.upper().casefold() == char else {char}
        variants |= {"3": {"³"}, "2": {"²"}}.get(char, set())
        out.append(f"[{''.join(sorted(variants))}]" if len(variants) > 1 else re.escape(char))
    return "".join(out)


def spelling_pattern() -> str:
    """A unit written without a period, as a regular expression: a spelling of a canonical
    unit ("t", "tonn", "stk.", "m³") or of a wood volume ("lm3", "fm3"), in any case. The API
    describes the interchange format's `unit` with it; parse_written_unit reads all of these,
    and also a unit with a period ("t/år"), which the pattern leaves out because it must then
    agree with the listing's frequency, a rule between two fields a schema cannot state."""
    spellings = sorted({*UNIT_ALIASES, *_WOOD_VOLUME}, key=lambda s: (-len(s), s))
    return rf"^(?:{'|'.join(_any_case(s) for s in spellings)})\.?$"
