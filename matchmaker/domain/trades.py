"""Trades for the cluster map: a company's NACE code folded into a few groups a legend can show.

Pure. NACE divisions (the first two digits) name the trade; a handful of groups keeps the map
readable, and wood and recycling get their own because the cluster's streams run through them.
"""

from __future__ import annotations

import re

TRADES: tuple[str, ...] = ("agriculture", "forestry_wood", "food", "industry", "energy",
                           "recycling", "construction", "transport", "services", "other")

_DIVISIONS: dict[str, range | tuple[int, ...]] = {
    "agriculture": (1, 3),
    "forestry_wood": (2, 16, 17, 31),
    "food": range(10, 13),
    "energy": (35,),
    "recycling": range(36, 40),
    "construction": (*range(5, 10), *range(41, 44)),
    "transport": range(49, 54),
    "industry": range(13, 34),  # after the more specific manufacturing groups above
}
_NACE = re.compile(r"^\s*(\d{2})(?:\.?(\d{1,3}))?")


def trade_of(nace_code: str) -> str:
    """The trade group of a NACE code such as '16.100' or '1610'; 'other' when unknown."""
    match = _NACE.match(nace_code or "")
    if match is None:
        return "other"
    division = int(match.group(1))
    if division == 46 and (match.group(2) or "").startswith("77"):
        return "recycling"  # wholesale of waste and scrap
    for trade, divisions in _DIVISIONS.items():
        if division in divisions:
            return trade
    return "services" if 45 <= division <= 99 else "other"
