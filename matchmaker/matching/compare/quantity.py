"""Quantity comparison: the share of the receiver's stated quantity the offer covers."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
)
from matchmaker.matching.quantities import DIMENSIONS
from matchmaker.matching.records import Reason
from matchmaker.matching.settings import MatchSettings

DIMENSION_CODE: dict[str, int] = {d: i for i, d in enumerate(DIMENSIONS)}
NO_QUANTITY, UNITS_DIFFER = -1, -2  # reason codes besides a percentage (see ``reason_codes``)


def shown_percent(pct: FloatArray) -> FloatArray:
    """The percentage a reason shows: from 10 % up in steps of 5, below as a whole number
    of at least 1 (a precise "37 %" would claim more accuracy than stated quantities have)."""
    out: FloatArray = np.where(pct >= 10, np.round(pct / 5.0) * 5, np.maximum(1, np.round(pct)))
    return out


class QuantityComparison:
    """Share of the receiver's stated quantity (need, or process capacity) the offer covers."""

    name = "quantity"
    levels = (
        Level("covers", 4, "the offer covers the whole stated quantity"),
        Level("mostly", 3, "covers at least half"),
        Level("partly", 2, "covers at least a tenth"),
        Level("marginal", 1, "covers less than a tenth"),
        Level("units_differ", 0, "units cannot be converted (e.g. t vs m3)"),
        Level("missing", -1, "a side states no quantity"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings

    def ratio(self, pair: Pair) -> tuple[str, float | None]:
        qa, qb = pair.offer.quantity, pair.receiver.quantity
        if qa is None or qb is None:
            return "missing", None
        if qa.dimension != qb.dimension:
            return "units_differ", None
        ya, yb = qa.annual(), qb.annual()
        if ya is not None and yb is not None:
            return "ok", ya / yb
        return "ok", qa.amount / qb.amount

    def value_for(self, status: str, ratio: float | None) -> float:
        if status == "missing" or ratio is None:
            return (
                self.settings.missing_quantity_value
                if status == "missing"
                else self.settings.unit_mismatch_value
            )
        return 1.0 if ratio >= 1.0 else math.sqrt(ratio)

    def reasons(self, pair: Pair) -> tuple[Reason, ...]:
        status, ratio = self.ratio(pair)
        if status == "missing":
            return ()
        if status == "units_differ" or ratio is None:
            return (
                Reason(
                    "quantity_units",
                    {"a": pair.offer.record.unit or "", "b": pair.receiver.record.unit or ""},
                ),
            )
        pct = min(100.0, ratio * 100.0)
        return (
            Reason(
                "quantity_capacity" if pair.pair_type == "processing" else "quantity_cover",
                {"pct": int(shown_percent(np.float64(pct)))},
            ),
        )

    @staticmethod
    def reason_codes(
        amount_a: FloatArray,
        dim_a: npt.NDArray[np.int8],
        annual_a: FloatArray,
        amount_b: FloatArray,
        dim_b: npt.NDArray[np.int8],
        annual_b: FloatArray,
    ) -> npt.NDArray[np.int64]:
        """Per pair what ``reasons`` says, vectorised over the store's columns (as ``values``):
        ``NO_QUANTITY`` (a side states none), ``UNITS_DIFFER``, or the percentage shown."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                ~np.isnan(annual_a) & ~np.isnan(annual_b), annual_a / annual_b, amount_a / amount_b
            )
            shown = shown_percent(np.minimum(100.0, ratio * 100.0))
        out = np.nan_to_num(shown, nan=1.0).astype(np.int64)
        out[dim_a != dim_b] = UNITS_DIFFER
        out[(dim_a < 0) | (dim_b < 0)] = NO_QUANTITY
        return out

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        status, ratio = self.ratio(pair)
        value = self.value_for(status, ratio)
        if status == "missing":
            return ComparisonResult(self.name, level_named(self.levels, "missing"), value)
        if status == "units_differ" or ratio is None:
            reason = Reason(
                "quantity_units", {"a": pair.offer.record.unit or "", "b": pair.receiver.record.unit or ""}
            )
            return ComparisonResult(self.name, level_named(self.levels, "units_differ"), value, (reason,))
        name = (
            "covers"
            if ratio >= 1.0
            else "mostly"
            if ratio >= 0.5
            else "partly"
            if ratio >= 0.1
            else "marginal"
        )
        return ComparisonResult(self.name, level_named(self.levels, name), value, self.reasons(pair))

    def values(
        self,
        amount_a: FloatArray,
        dim_a: npt.NDArray[np.int8],
        annual_a: FloatArray,
        amount_b: FloatArray,
        dim_b: npt.NDArray[np.int8],
        annual_b: FloatArray,
    ) -> FloatArray:
        s = self.settings
        both = (dim_a >= 0) & (dim_b >= 0)
        same = both & (dim_a == dim_b)
        use_annual = same & ~np.isnan(annual_a) & ~np.isnan(annual_b)
        ra = np.where(use_annual, annual_a, amount_a)
        rb = np.where(use_annual, annual_b, amount_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(same, ra / np.where(same, rb, 1.0), 1.0)
        value = np.where(ratio >= 1.0, 1.0, np.sqrt(np.clip(ratio, 0.0, 1.0)))
        value = np.where(same, value, s.unit_mismatch_value)
        out: FloatArray = np.where(both, value, s.missing_quantity_value)
        return out
