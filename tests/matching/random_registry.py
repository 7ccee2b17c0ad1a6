"""A small random registry of listings, shared by the engine and speed tests."""

from __future__ import annotations

import random

from matching_places import HAMAR, KONGSVINGER, SKARNES, TRONDHEIM

from matchmaker.matching import ListingRecord

TITLES = [
    "Sagflis",
    "sawdust",
    "Granbark",
    "bark",
    "stålskrap",
    "steel scrap",
    "Pelletsfabrikk",
    "Støperi",
    "transport av flis",
    "Frakt",
    "potetskrell",
    "Biogassanlegg",
    "betong",
    "hampeskjev",
    "spillvarme",
]
KINDS = [
    ("offer", "by-product"),
    ("offer", "material"),
    ("need", "material"),
    ("need", "by-product"),
    ("offer", "capability"),
    ("need", "service"),
    ("offer", "service"),
    ("offer", "energy"),
    ("need", "energy"),
]
PLACES = [KONGSVINGER, SKARNES, HAMAR, TRONDHEIM, None]


def random_registry(make, n: int = 90, seed: int = 7) -> list[ListingRecord]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        d, k = rng.choice(KINDS)
        q = rng.choice([None, 5.0, 40.0, 300.0])
        out.append(
            make(
                rng.randint(1, 30),
                d,
                k,
                rng.choice(TITLES),
                rng.choice(["", "ren og tørr", "fra sagbruket"]),
                listing_id=i,
                place=rng.choice(PLACES),
                quantity=q,
                unit="t" if q else None,
                frequency=rng.choice(["year", "month", None]),
            )
        )
    return out
