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
ValueArray = npt.NDArray[np.floating[Any]]  # float64, or float32 once compacted
_EMPTY: npt.NDArray[Any] = np.zeros(0)


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
        """The same pairs in less memory (int32 slots; components rounded as output, float32)."""
        return ScoredPairs(
            self.a.astype(np.int32),
            self.b.astype(np.int32),
            self.pt,
            self.score,
            self.km,
            {k: np.round(v, COMPONENT_DECIMALS).astype(np.float32) for k, v in self.comps.items()},
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
