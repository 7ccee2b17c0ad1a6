"""The naive baseline: every receiver against every supplier, scored pair by pair.

geopy's ellipsoidal ``geodesic`` distance and rapidfuzz ``token_set_ratio`` on the raw
lower-cased title + description, per pair, no index, no thesaurus. Used by
``bench_engine.py`` (speed) and ``evaluate.py`` (quality).
"""

from __future__ import annotations

from collections.abc import Sequence

from geopy.distance import geodesic  # type: ignore[import-untyped]
from rapidfuzz import fuzz

from matchmaker.matching.records import ListingRecord
from matchmaker.matching.roles import pair_type_of

RADIUS_KM = 150.0
HALF_DECAY_KM = 40.0


def naive_pair_score(a: ListingRecord, b: ListingRecord) -> tuple[float, float | None] | None:
    """(score, km) for supplier ``a`` and receiver ``b``; None beyond the radius."""
    km: float | None = None
    if a.has_location and b.has_location:
        km = geodesic((a.lat, a.lon), (b.lat, b.lon)).km
        if km > RADIUS_KM:
            return None
    text = (
        fuzz.token_set_ratio(f"{a.title} {a.description}".lower(), f"{b.title} {b.description}".lower())
        / 100.0
    )
    closeness = 0.5 if km is None else 0.5 ** (km / HALF_DECAY_KM)
    return 0.8 * text + 0.2 * closeness, km


def naive_all_pairs(records: Sequence[ListingRecord]) -> list[tuple[int, int, float]]:
    """(supplier id, receiver id, score) for every compatible pair within the radius."""
    out: list[tuple[int, int, float]] = []
    active = [r for r in records if r.active]
    for b in active:
        for a in active:
            if a.listing_id == b.listing_id or pair_type_of(a, b) is None:
                continue
            scored = naive_pair_score(a, b)
            if scored is not None:
                out.append((a.listing_id, b.listing_id, scored[0]))
    return out
