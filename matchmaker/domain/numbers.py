"""Numbers as people type them: "12,5", "40 000", "1 200,5", "1.200,5", "12.5". Pure: no Flask."""

from __future__ import annotations

import re

# spaces a number may be grouped with: plain, no-break and narrow no-break (Babel writes
# "40 000" with U+00A0), thin, and the apostrophe some keyboards use
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009']")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{3})+$")


def normalise_number(text: str, comma_groups: bool = False) -> str:
    """The text with a decimal point and no grouping, for Decimal() to read (or refuse).

    Where both "," and "." occur, the later one is the decimal sign. A lone comma is the
    decimal sign ("12,5"), unless `comma_groups` (English readers) and it sits between
    groups of three digits ("1,200"). Anything else is left for the caller to refuse.
    """
    s = _GROUPING.sub("", text.strip())
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        return s.replace(grouping, "").replace(decimal, ".")
    mark = "," if "," in s else "." if "." in s else ""
    if mark and s.count(mark) > 1 and _THOUSANDS.match(s):
        return s.replace(mark, "")  # "1.200.000" or "1,200,000": groups only
    if mark == ",":
        if comma_groups and _THOUSANDS.match(s):
            return s.replace(",", "")
        return s.replace(",", ".")
    return s
