"""Grade comparison: can the offer's temperature, pressure, purity and treatment serve the need?

Reads what ``attributes.parse_attributes`` found in each listing's text (kept by slot in
``GradeColumns``) and compares many pairs at once, exactly as the scalar
``attributes.compare_grades`` does for one: the worst finding decides; ``missing`` (NaN,
left out of the score) when the two listings state nothing comparable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import numpy.typing as npt

from matchmaker.matching.attributes import BOOST_MARGIN_C, Attributes, GradeComparison, compare_grades
from matchmaker.matching.compare.base import (
    CompareContext,
    ComparisonResult,
    FloatArray,
    Level,
    Pair,
    level_named,
    matching_entries,
)
from matchmaker.matching.listing_attributes import MAX_GOODS, MAX_KINDS, MAX_PRODUCTS, MAX_WANTS
from matchmaker.matching.records import Reason
from matchmaker.matching.settings import MatchSettings

IntArray = npt.NDArray[np.int64]
FOOD, FLUE, COOLING, TREATED, UNTREATED, FEED = 1, 2, 4, 8, 16, 32
FALLS_SHORT, BOOST, FITS, NONE = 0, 1, 2, 3  # finding levels, worst first
LEVEL_NAMES = {FALLS_SHORT: "falls_short", BOOST: "boost", FITS: "fits"}


KINDS_WIDTH, PRODUCTS_WIDTH, GOODS_WIDTH, WANTS_WIDTH = MAX_KINDS, MAX_PRODUCTS, MAX_GOODS, MAX_WANTS
_ID_COLUMNS = {"kind_ids": KINDS_WIDTH, "family_ids": KINDS_WIDTH, "product_ids": PRODUCTS_WIDTH,
               "goods_ids": GOODS_WIDTH, "want_ids": WANTS_WIDTH}


class GradeColumns:
    """Per slot what its text states (NaN / no flag where nothing), the kinds its title
    names with their families, and its goods or wants (concept indexes, ascending, -1
    padded); ``made_from`` pairs of the thesaurus as sorted (product, source) codes."""

    def __init__(
        self, capacity: int, concept_index: Mapping[str, int], made_from: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.concept_index = concept_index
        for name, width in _ID_COLUMNS.items():
            setattr(self, name, np.full((capacity, width), -1, dtype=np.int32))
        self._span = np.int64(len(concept_index) + 1)
        self.made_from_codes = np.unique(np.asarray(
            [concept_index[p] * self._span + concept_index[s] for p, s in made_from
             if p in concept_index and s in concept_index], dtype=np.int64))
        self.temp_low = np.full(capacity, np.nan)
        self.temp_high = np.full(capacity, np.nan)
        self.pressure = np.full(capacity, np.nan)
        self.purity = np.full(capacity, np.nan)
        self.flags = np.zeros(capacity, dtype=np.int8)
        self.stated = np.zeros(capacity, dtype=bool)  # the listing states anything at all

    def grow(self, capacity: int) -> None:
        have = self.flags.shape[0]
        if capacity <= have:
            return
        for name in ("temp_low", "temp_high", "pressure", "purity"):
            old = getattr(self, name)
            new = np.full(capacity, np.nan)
            new[:have] = old
            setattr(self, name, new)
        flags = np.zeros(capacity, dtype=np.int8)
        flags[:have] = self.flags
        self.flags = flags
        stated = np.zeros(capacity, dtype=bool)
        stated[:have] = self.stated
        self.stated = stated
        for name, width in _ID_COLUMNS.items():
            new_ids = np.full((capacity, width), -1, dtype=np.int32)
            new_ids[:have] = getattr(self, name)
            setattr(self, name, new_ids)

    def put(self, slot: int, a: Attributes) -> None:
        nan = math.nan
        self.stated[slot] = True
        self.temp_low[slot] = nan if a.temp_low is None else a.temp_low
        self.temp_high[slot] = nan if a.temp_high is None else a.temp_high
        self.pressure[slot] = nan if a.pressure_bar is None else a.pressure_bar
        self.purity[slot] = nan if a.purity_pct is None else a.purity_pct
        products = tuple(dict.fromkeys(p for p, _ in a.made_from))
        for name, cids in (("kind_ids", a.kinds), ("family_ids", a.families), ("product_ids", products),
                           ("goods_ids", a.goods), ("want_ids", a.wants)):
            ids = sorted({self.concept_index[c] for c in cids if c in self.concept_index})
            getattr(self, name)[slot] = -1
            getattr(self, name)[slot, : len(ids)] = ids[: _ID_COLUMNS[name]]
        self.flags[slot] = (
            FOOD * a.food_grade + FLUE * a.flue_gas + COOLING * a.cooling + TREATED * a.treated
            + UNTREATED * a.untreated + FEED * a.feed_grade
        )

    def made_from_wanted(self, a: IntArray, b: IntArray) -> npt.NDArray[np.bool_]:
        """Pairs whose offer is made from what the need wants and is none of it."""
        out = np.zeros(a.shape[0], dtype=bool)
        rows = np.flatnonzero((self.product_ids[a, 0] >= 0) & (self.want_ids[b, 0] >= 0))
        if rows.size == 0 or self.made_from_codes.size == 0:
            return out
        prod, want = self.product_ids[a[rows]], self.want_ids[b[rows]]
        codes = prod[:, :, None].astype(np.int64) * self._span + want[:, None, :]
        valid = (prod[:, :, None] >= 0) & (want[:, None, :] >= 0)
        pos = np.searchsorted(self.made_from_codes, codes)
        np.minimum(pos, self.made_from_codes.size - 1, out=pos)
        made = ((self.made_from_codes[pos] == codes) & valid).any(axis=(1, 2))
        is_wanted = np.zeros(rows.size, dtype=bool)
        is_wanted[matching_entries(self.goods_ids[a[rows]], want)[0]] = True
        out[rows] = made & ~is_wanted
        return out


class GradeFit:
    """The comparison (levels, vectorised values, one-pair compare, reasons)."""

    name = "grade"
    levels = (
        Level("fits", 2, "every requirement both sides state is met"),
        Level("boost", 1, f"up to {BOOST_MARGIN_C:g} °C too cold: a heat pump can lift it"),
        Level("falls_short", 0, "too cold, too low a pressure or purity, flue gas, feed grade or treated "
              "material, another kind, or a product made from what is wanted"),
        Level("missing", -1, "nothing comparable stated on both sides"),
    )

    def __init__(self, settings: MatchSettings) -> None:
        self.settings = settings
        self._value = np.asarray([0.0, settings.grade_boost_value, 1.0, np.nan])

    def findings(self, g: GradeColumns, a: IntArray, b: IntArray) -> npt.NDArray[np.int8]:
        """The worst finding per pair (FALLS_SHORT .. FITS, or NONE)."""
        out = np.full(a.shape[0], NONE, dtype=np.int8)
        both = np.flatnonzero(g.stated[a] & g.stated[b])  # most listings state nothing
        if both.size:
            out[both] = self._findings(g, a[both], b[both])
        return out

    @staticmethod
    def _findings(g: GradeColumns, a: IntArray, b: IntArray) -> npt.NDArray[np.int8]:
        level = np.full(a.shape[0], NONE, dtype=np.int8)
        fa, fb = g.flags[a], g.flags[b]

        def worst(mask: npt.NDArray[np.bool_], found: npt.NDArray[np.int8] | int) -> None:
            np.minimum(level, np.where(mask, found, NONE).astype(np.int8), out=level)

        cooling = (fb & COOLING) > 0
        o = np.where(cooling, g.temp_low[a], g.temp_high[a])
        n = np.where(cooling, g.temp_high[b], g.temp_low[b])
        with np.errstate(invalid="ignore"):
            gap = np.where(cooling, o - n, n - o)
            temp = np.isfinite(g.temp_low[a]) & np.isfinite(g.temp_low[b])
            boost = np.where((gap <= BOOST_MARGIN_C) & ~cooling, BOOST, FALLS_SHORT)
            worst(temp, np.where(gap <= 0, FITS, boost))
            pressure = np.isfinite(g.pressure[a]) & np.isfinite(g.pressure[b])
            worst(pressure, np.where(g.pressure[a] >= g.pressure[b], FITS, FALLS_SHORT))
            food = (fb & FOOD) > 0
            worst(food & ((fa & FOOD) > 0), FITS)
            worst(food & ((fa & FOOD) == 0) & ((fa & FLUE) > 0), FALLS_SHORT)
            worst(food & ((fa & FOOD) == 0) & ((fa & FLUE) == 0) & ((fa & FEED) > 0), FALLS_SHORT)
            purity = np.isfinite(g.purity[a]) & np.isfinite(g.purity[b])
            worst(purity, np.where(g.purity[a] >= g.purity[b], FITS, FALLS_SHORT))
            worst(~purity & (g.purity[b] >= 95.0) & ((fa & FLUE) > 0), FALLS_SHORT)
        untreated = (fb & UNTREATED) > 0
        worst(untreated & ((fa & TREATED) > 0), FALLS_SHORT)
        worst(untreated & ((fa & TREATED) == 0) & ((fa & UNTREATED) > 0), FITS)
        ka, kb = g.kind_ids[a], g.kind_ids[b]
        both = (ka[:, 0] >= 0) & (kb[:, 0] >= 0)
        if both.any():  # kinds of one family: the same kind fits, another falls short
            family = np.zeros(a.shape[0], dtype=bool)
            family[matching_entries(g.family_ids[a], g.family_ids[b])[0]] = True
            same = np.zeros(a.shape[0], dtype=bool)
            same[matching_entries(ka, kb)[0]] = True
            worst(both & family & same, FITS)
            worst(both & family & ~same, FALLS_SHORT)
        worst(g.made_from_wanted(a, b), FALLS_SHORT)
        return level

    def values(self, g: GradeColumns, a: IntArray, b: IntArray) -> FloatArray:
        out: FloatArray = self._value[self.findings(g, a, b)]
        return out

    def compare(self, pair: Pair, ctx: CompareContext) -> ComparisonResult:
        found = compare_grades(pair.offer.attributes, pair.receiver.attributes)
        names = ctx.thesaurus.names
        code = {"falls_short": FALLS_SHORT, "boost": BOOST, "fits": FITS}.get(found.level, NONE)
        value = float(self._value[code])
        level = level_named(self.levels, found.level)
        return ComparisonResult(self.name, level, value, self.reasons(found, names))

    @staticmethod
    def reasons(
        found: GradeComparison, names: Callable[[str], tuple[str, str]] | None = None
    ) -> tuple[Reason, ...]:
        """The finding as a reason; ``names`` gives a kind's (Bokmål, English) names."""
        if found.level == "missing":
            return ()
        params: dict[str, str | float] = {"what": found.what, "level": found.level}
        if found.what in ("kind", "made_from") and names is not None:
            for side, cid in zip(("offer", "need"), found.kinds, strict=True):
                params[f"{side}_nb"], params[f"{side}_en"] = names(cid)
        if found.offer_value == found.offer_value:
            params["offer"] = round(found.offer_value, 1)
        if found.need_value == found.need_value:
            params["need"] = round(found.need_value, 1)
        return (Reason(f"grade_{found.level}_{found.what}", params),)
