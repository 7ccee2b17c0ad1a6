"""``ScoredPairs``: scored pairs as columns, the unit every later step passes around."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from matchmaker.matching.score import COMPONENT_DECIMALS
from matchmaker.matching.settings import COMPONENTS

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SlotArray = npt.NDArray[np.signedinteger[Any]]  # int64, or int32 once compacted
ValueArray = npt.NDArray[Any]  # float64, or COMPONENT_CODE once compacted (``component_values`` reads both)
_EMPTY: npt.NDArray[Any] = np.zeros(0)

#: compacted, a component value (0..1, rounded to COMPONENT_DECIMALS as it is output) is kept
#: as a whole number of 10^-COMPONENT_DECIMALS: 2 bytes instead of 8; UNKNOWN_CODE is NaN
COMPONENT_CODE = np.uint16
COMPONENT_SCALE = 10**COMPONENT_DECIMALS
UNKNOWN_CODE = np.iinfo(COMPONENT_CODE).max


def component_codes(values: ValueArray) -> npt.NDArray[np.uint16]:
    """Component values as the compacted codes (within 0..6.5534: components are 0..1)."""
    highest = (UNKNOWN_CODE - 1) / COMPONENT_SCALE
    codes = np.rint(np.clip(np.nan_to_num(values, nan=0.0), 0.0, highest) * COMPONENT_SCALE)
    out = codes.astype(COMPONENT_CODE)
    out[np.isnan(values)] = UNKNOWN_CODE
    return out


def component_values(values: ValueArray) -> FloatArray:
    """Component values as output (float64, rounded to COMPONENT_DECIMALS), from either form:
    ``np.round(v, d)`` is ``rint(v * 10^d) / 10^d``, so both give the same floats."""
    if values.dtype == COMPONENT_CODE:
        out: FloatArray = values / COMPONENT_SCALE
        out[values == UNKNOWN_CODE] = np.nan
        return out
    rounded: FloatArray = np.round(values.astype(np.float64), COMPONENT_DECIMALS)
    return rounded


class ScoredPairs:
    """Column bundle of scored pairs (left slot, right slot, pair type, components, score)."""

    __slots__ = ("a", "b", "pt", "score", "km", "comps")

    def __init__(
        self,
        a: SlotArray,
        b: SlotArray,
        pt: npt.NDArray[np.int8],
        score: FloatArray,
        km: FloatArray,
        comps: dict[str, ValueArray],
    ) -> None:
        self.a, self.b, self.pt, self.score, self.km, self.comps = a, b, pt, score, km, comps

    def compact(self) -> ScoredPairs:
        """The same pairs in less memory (int32 slots; components as ``component_codes``:
        millions of kept pairs at 100k companies, 14 bytes a pair less than float32)."""
        return ScoredPairs(
            self.a.astype(np.int32),
            self.b.astype(np.int32),
            self.pt,
            self.score,
            self.km,
            {k: component_codes(v) for k, v in self.comps.items()},
        )

    def __len__(self) -> int:
        return int(self.a.shape[0])

    def reorder(self, order: npt.NDArray[np.int64]) -> None:
        """Permute in place (``keep`` of a permutation)."""
        self.keep(order)

    def take(self, idx: npt.NDArray[np.int64] | npt.NDArray[np.bool_]) -> ScoredPairs:
        return ScoredPairs(
            self.a[idx],
            self.b[idx],
            self.pt[idx],
            self.score[idx],
            self.km[idx],
            {k: v[idx] for k, v in self.comps.items()},
        )

    @staticmethod
    def concat(parts: list[ScoredPairs]) -> ScoredPairs:
        if not parts:
            z = np.zeros(0)
            return ScoredPairs(
                np.zeros(0, dtype=np.int64),
                np.zeros(0, dtype=np.int64),
                np.zeros(0, dtype=np.int8),
                z,
                z,
                {k: z for k in COMPONENTS},
            )
        return ScoredPairs(
            np.concatenate([p.a for p in parts]),
            np.concatenate([p.b for p in parts]),
            np.concatenate([p.pt for p in parts]),
            np.concatenate([p.score for p in parts]),
            np.concatenate([p.km for p in parts]),
            {k: np.concatenate([p.comps[k] for p in parts]) for k in COMPONENTS},
        )

    @staticmethod
    def concat_emptying(parts: list[ScoredPairs]) -> ScoredPairs:
        """``concat``, letting go of each column of the parts once it is joined (and of the
        parts), so the whole is held about once instead of twice: all of a national
        registry's kept pairs are half a gigabyte."""
        if not parts:
            return ScoredPairs.concat([])
        columns: dict[str, Any] = {}
        for name in ("a", "b", "pt", "score", "km"):
            columns[name] = np.concatenate([getattr(p, name) for p in parts])
            for p in parts:
                setattr(p, name, _EMPTY)
        comps = {}
        for k in COMPONENTS:
            comps[k] = np.concatenate([p.comps.pop(k) for p in parts])
        parts.clear()
        return ScoredPairs(columns["a"], columns["b"], columns["pt"], columns["score"], columns["km"], comps)

    def keep(self, idx: npt.NDArray[np.int64] | npt.NDArray[np.bool_]) -> None:
        """``take`` in place, one column at a time (at most one column is copied at once)."""
        for name in ("a", "b", "pt", "score", "km"):
            setattr(self, name, getattr(self, name)[idx])
        for k in list(self.comps):
            self.comps[k] = self.comps[k][idx]
