"""Distance comparison: great-circle distance between the two companies."""

from __future__ import annotations

import numpy as np

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
)
from matchmaker.matching.geo import haversine_km, haversine_many
from matchmaker.matching.records import Reason
from matchmaker.matching.settings import MatchSettings


class DistanceComparison:
    """Great-circle distance, decaying by half every ``distance_half_decay_km``."""

    name = "distance"
    levels = (
        Level("very_near", 4, "<= 10 km"),
        Level("near", 3, "<= 30 km"),
        Level("regional", 2, "<= 75 km"),
        Level("far", 1, "within the search radius"),
        Level("beyond", 0, "outside the search radius"),
        Level("missing", -1, "a company has no known location"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings

    def level_for(self, km: float | None) -> Level:
        if km is None:
            return level_named(self.levels, "missing")
        for limit, name in ((10.0, "very_near"), (30.0, "near"), (75.0, "regional")):
            if km <= limit:
                return level_named(self.levels, name)
        return level_named(self.levels, "far" if km <= self.settings.radius_km else "beyond")

    def value_for(self, km: float | None) -> float:
        if km is None:
            return self.settings.missing_distance_value
        return float(0.5 ** (km / self.settings.distance_half_decay_km))

    def km(self, pair: Pair) -> float | None:
        a, b = pair.offer.record, pair.receiver.record
        if not (a.has_location and b.has_location):
            return None
        return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        km = self.km(pair)
        return ComparisonResult(self.name, self.level_for(km), self.value_for(km), self.reasons(km))

    @staticmethod
    def reasons(km: float | None) -> tuple[Reason, ...]:
        if km is None:
            return (Reason("distance_unknown", {}),)
        return (Reason("distance", {"km": round(km)}),)

    def values(
        self, lat_a: FloatArray, lon_a: FloatArray, lat_b: FloatArray, lon_b: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """(value, km with NaN for unknown)."""
        km = haversine_many(lat_a, lon_a, lat_b, lon_b)
        value = np.where(
            np.isnan(km),
            self.settings.missing_distance_value,
            np.power(0.5, km / self.settings.distance_half_decay_km),
        )
        return value, km
