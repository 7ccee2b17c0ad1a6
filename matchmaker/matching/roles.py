"""Which listings can pair with which (pair types and their two sides).

* supply:     offered material / by-product / energy  ->  needed material / by-product / energy
* processing: offered material / by-product          ->  OFFERED capability (a process taking it)
* service:    offered capability / service            ->  needed capability / service
* product:    offered capability (what it makes)      ->  needed material / by-product / energy
              ("we make corrugated boxes" -> "need boxes for our cheese")

The *left* side supplies (always an offer); the *right* side receives.
"""

from __future__ import annotations

from typing import Literal

from matchmaker.matching.records import ListingRecord, PairType

Side = Literal["left", "right"]

_RULES: dict[PairType, tuple[tuple[str, frozenset[str]], tuple[str, frozenset[str]]]] = {
    "supply": (
        ("offer", frozenset({"material", "by-product", "energy"})),
        ("need", frozenset({"material", "by-product", "energy"})),
    ),
    "processing": (
        ("offer", frozenset({"material", "by-product"})),
        ("offer", frozenset({"capability"})),
    ),
    "service": (
        ("offer", frozenset({"capability", "service"})),
        ("need", frozenset({"capability", "service"})),
    ),
    "product": (
        ("offer", frozenset({"capability"})),
        ("need", frozenset({"material", "by-product", "energy"})),
    ),
}

PAIR_TYPE_ORDER: tuple[PairType, ...] = ("supply", "processing", "service", "product")
PAIR_TYPE_CODE: dict[str, int] = {p: i for i, p in enumerate(PAIR_TYPE_ORDER)}


def takes_side(direction: str, kind: str, pair_type: PairType, side: Side) -> bool:
    rule = _RULES[pair_type][0 if side == "left" else 1]
    return direction == rule[0] and kind in rule[1]


def roles(record: ListingRecord) -> list[tuple[PairType, Side]]:
    """Every (pair type, side) a listing can take part in (none when inactive)."""
    if not record.active:
        return []
    out: list[tuple[PairType, Side]] = []
    sides: tuple[Side, Side] = ("left", "right")
    for pt in PAIR_TYPE_ORDER:
        for side in sides:
            if takes_side(record.direction, record.kind, pt, side):
                out.append((pt, side))
    return out


def pair_type_of(left: ListingRecord, right: ListingRecord) -> PairType | None:
    """The pair type in which ``left`` supplies ``right``, or ``None`` if they cannot pair.

    Never pairs a company with itself or an inactive listing.
    """
    if left.company_id == right.company_id or not left.active or not right.active:
        return None
    for pt in PAIR_TYPE_ORDER:
        if takes_side(left.direction, left.kind, pt, "left") and takes_side(
            right.direction, right.kind, pt, "right"
        ):
            return pt
    return None


def orient(a: ListingRecord, b: ListingRecord) -> tuple[ListingRecord, ListingRecord, PairType] | None:
    """(supplier, receiver, pair type) for two listings in either order, or ``None``."""
    pt = pair_type_of(a, b)
    if pt is not None:
        return a, b, pt
    pt = pair_type_of(b, a)
    if pt is not None:
        return b, a, pt
    return None
