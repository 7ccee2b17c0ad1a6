"""Semantic comparison: how close the two listings' texts are in meaning.

The cosine of the listings' sentence vectors (multilingual-e5-small: Norwegian, Swedish,
Danish, Finnish and English alike), mapped linearly from ``semantic_low`` .. ``semantic_high``
to 0..1. It carries the pairs whose words the thesaurus does not know ("feedstock for our
digester" ~ "expired food from the shop"). Missing (NaN) when either listing has no vector:
the score then leaves the component out.
"""

from __future__ import annotations

import math

import numpy as np

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
)
from matchmaker.matching.records import Reason
from matchmaker.matching.settings import MatchSettings

#: a semantic value this high is worth a reason when nothing else explains the pair
SEMANTIC_REASON_MIN = 0.5


class SemanticComparison:
    name = "semantic"
    levels = (
        Level("close", 3, "very close in meaning (value >= 0.8)"),
        Level("similar", 2, "similar in meaning (>= 0.5)"),
        Level("loose", 1, "somewhat related (> 0)"),
        Level("unrelated", 0, "not related in meaning"),
        Level("missing", -1, "a listing has no sentence vector"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings

    def values(self, cosine: FloatArray) -> FloatArray:
        """Component values from cosines (NaN stays NaN: unknown)."""
        s = self.settings
        out: FloatArray = np.clip((cosine - s.semantic_low) / (s.semantic_high - s.semantic_low), 0.0, 1.0)
        return out

    def level_for(self, value: float) -> Level:
        if value != value:
            return level_named(self.levels, "missing")
        for threshold, name in ((0.8, "close"), (SEMANTIC_REASON_MIN, "similar")):
            if value >= threshold:
                return level_named(self.levels, name)
        return level_named(self.levels, "loose" if value > 0 else "unrelated")

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        a, b = pair.offer.record.vector, pair.receiver.record.vector
        if a is None or b is None:
            return ComparisonResult(self.name, self.level_for(math.nan), math.nan)
        va, vb = (np.frombuffer(v, dtype="<f2").astype(np.float32) for v in (a, b))
        value = float(self.values(np.asarray([float(va @ vb)]))[0])
        return ComparisonResult(self.name, self.level_for(value), value, self.reasons(value), evidence=value)

    @staticmethod
    def reasons(value: float) -> tuple[Reason, ...]:
        if value != value or value < SEMANTIC_REASON_MIN:
            return ()
        return (Reason("semantic", {"pct": round(value * 100)}),)
