"""Step 3 — comparisons. Each compares one aspect of a (supplier, receiver) pair.

Every comparison declares ORDERED LEVELS (highest rank = strongest agreement; the
``missing`` level, rank -1, is used when either side lacks the information) and has

* ``compare(pair) -> ComparisonResult``: one pair, with its level, value in 0..1 and
  structured reasons — the reference implementation, used for explanations;
* ``values(...) -> ndarray``: the same values for many pairs at once (numpy / rapidfuzz),
  used by the engine. Tests check both agree.

One module per comparison: ``text``, ``concept``, ``distance``, ``kind``, ``quantity``,
``semantic``;
``base`` holds what they share.
"""

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    Level,
    Pair,
    matching_entries,
)
from matchmaker.matching.compare.concept import SECOND_REASON_SHARE, ConceptComparison
from matchmaker.matching.compare.distance import DistanceComparison
from matchmaker.matching.compare.kind import KIND_CODE, KindComparison
from matchmaker.matching.compare.quantity import (
    DIMENSION_CODE,
    NO_QUANTITY,
    UNITS_DIFFER,
    QuantityComparison,
    shown_percent,
)
from matchmaker.matching.compare.semantic import SEMANTIC_REASON_MIN, SemanticComparison
from matchmaker.matching.compare.text import TEXT_REASON_MIN, TextComparison

__all__ = [
    "DIMENSION_CODE",
    "KIND_CODE",
    "NO_QUANTITY",
    "SECOND_REASON_SHARE",
    "SEMANTIC_REASON_MIN",
    "TEXT_REASON_MIN",
    "UNITS_DIFFER",
    "CompareContext",
    "ComparisonResult",
    "ConceptComparison",
    "DistanceComparison",
    "KindComparison",
    "Level",
    "Pair",
    "QuantityComparison",
    "SemanticComparison",
    "TextComparison",
    "matching_entries",
    "shown_percent",
]
