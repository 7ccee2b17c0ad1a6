"""Kind comparison: how naturally the two listing kinds fit the pair type."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matchmaker.matching.compare.base import CompareContext, ComparisonResult, FloatArray, Level, Pair
from matchmaker.matching.features import ListingFeatures
from matchmaker.matching.records import KINDS, Reason
from matchmaker.matching.roles import PAIR_TYPE_CODE, PAIR_TYPE_ORDER

#: the kinds listings are compared as: a listing's own kind, or "fuel" for an energy listing
#: whose title names a fuel and no carrier (``ListingFeatures.fuel``): fuel is goods that is
#: burnt, so pellets and bark fit a need for fuel, and heat does not
COMPARED_KINDS: tuple[str, ...] = (*KINDS, "fuel")
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(COMPARED_KINDS)}


def compared_kind(f: ListingFeatures) -> str:
    return "fuel" if f.fuel else f.record.kind


def _kind_table() -> tuple[FloatArray, npt.NDArray[np.int8]]:
    n_p, n_k = len(PAIR_TYPE_ORDER), len(COMPARED_KINDS)
    values = np.zeros((n_p, n_k, n_k), dtype=np.float64)
    ranks = np.full((n_p, n_k, n_k), -1, dtype=np.int8)

    def put(pt: str, a: str, b: str, value: float, rank: int) -> None:
        values[PAIR_TYPE_CODE[pt], KIND_CODE[a], KIND_CODE[b]] = value
        ranks[PAIR_TYPE_CODE[pt], KIND_CODE[a], KIND_CODE[b]] = rank

    goods = ("material", "by-product")
    for a in goods:
        for b in goods:
            put("supply", a, b, 1.0 if a == b else 0.9, 2 if a == b else 1)
        put("supply", a, "energy", 0.6, 0)
        put("supply", "energy", a, 0.6, 0)
    put("supply", "energy", "energy", 1.0, 2)
    for a in goods:  # fuel is goods: a by-product is as good for it as for a material need
        put("supply", a, "fuel", 0.9, 1)
        put("supply", "fuel", a, 0.9, 1)
    put("supply", "fuel", "fuel", 1.0, 2)
    put("supply", "fuel", "energy", 1.0, 2)  # burnt, a fuel gives the heat a need asks for
    put("supply", "energy", "fuel", 0.6, 0)  # heat cannot be burnt
    put("processing", "by-product", "capability", 1.0, 2)
    put("processing", "material", "capability", 0.9, 1)
    for a in ("capability", "service"):
        for b in ("capability", "service"):
            put("service", a, b, 1.0 if a == b else 0.85, 2 if a == b else 1)
    # a maker for a need of goods: a good fit, but goods already on offer fit better
    put("product", "capability", "material", 0.6, 1)
    put("product", "capability", "by-product", 0.6, 1)
    put("product", "capability", "energy", 0.6, 1)
    put("product", "capability", "fuel", 0.6, 1)
    return values, ranks


class KindComparison:
    """How naturally the two listing kinds fit the pair type."""

    name = "kind"
    levels = (
        Level("same", 2, "the kinds fit exactly (e.g. by-product -> material need of that kind)"),
        Level("compatible", 1, "compatible kinds (material <-> by-product, capability <-> service)"),
        Level("weak", 0, "a loose fit (goods <-> energy, heat -> a need for fuel)"),
    )

    def __init__(self) -> None:
        self.table, self.ranks = _kind_table()
        self._py: dict[tuple[str, str, str], tuple[float, int]] = {
            (pt, a, b): (
                float(self.table[i, KIND_CODE[a], KIND_CODE[b]]),
                int(self.ranks[i, KIND_CODE[a], KIND_CODE[b]]),
            )
            for i, pt in enumerate(PAIR_TYPE_ORDER)
            for a in COMPARED_KINDS
            for b in COMPARED_KINDS
        }

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        value, rank = self._py[(pair.pair_type, compared_kind(pair.offer), compared_kind(pair.receiver))]
        level = {2: self.levels[0], 1: self.levels[1]}.get(rank, self.levels[2])
        return ComparisonResult(self.name, level, value, self.reasons(pair))

    def reasons(self, pair: Pair) -> tuple[Reason, ...]:
        a, b = compared_kind(pair.offer), compared_kind(pair.receiver)
        if self._py[(pair.pair_type, a, b)][1] >= 2:
            return ()
        return (Reason("kind", {"offer": a, "need": b}),)

    def values(
        self, pair_type: npt.NDArray[np.int8], kind_a: npt.NDArray[np.int8], kind_b: npt.NDArray[np.int8]
    ) -> FloatArray:
        out: FloatArray = self.table[pair_type, kind_a, kind_b]
        return out
