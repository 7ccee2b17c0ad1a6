"""Listing sentence vectors by slot, and the cosine of many pairs at once.

Vectors arrive as bytes (float16, little-endian, L2-normalised; see
``matchmaker.embedding``). The matrix is allocated only when the first vector arrives, so a
registry without vectors costs nothing here. Pairs are gathered in slices, so a batch of
100,000 pairs never holds more than a few megabytes of temporaries.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SLICE = 8_192  # pairs whose rows are gathered at a time


class VectorColumn:
    def __init__(self) -> None:
        self.matrix: npt.NDArray[np.float16] | None = None
        self.present = np.zeros(0, dtype=bool)

    @property
    def dim(self) -> int:
        return 0 if self.matrix is None else int(self.matrix.shape[1])

    def grow(self, capacity: int) -> None:
        have = self.present.shape[0]
        if capacity <= have:
            return
        present = np.zeros(capacity, dtype=bool)
        present[:have] = self.present
        self.present = present
        if self.matrix is not None:
            matrix = np.zeros((capacity, self.matrix.shape[1]), dtype=np.float16)
            matrix[:have] = self.matrix[:have]
            self.matrix = matrix

    def put(self, slots: list[int], vectors: list[bytes]) -> None:
        if not slots:
            return
        rows = np.stack([np.frombuffer(v, dtype="<f2") for v in vectors])
        if self.matrix is None:
            self.matrix = np.zeros((self.present.shape[0], rows.shape[1]), dtype=np.float16)
        if rows.shape[1] != self.matrix.shape[1]:
            raise ValueError(f"vectors of {rows.shape[1]} dimensions in an index of {self.matrix.shape[1]}")
        self.matrix[slots] = rows
        self.present[slots] = True

    def clear(self, slot: int) -> None:
        self.present[slot] = False

    def cosine(self, a: IntArray, b: IntArray) -> FloatArray:
        """Cosine of each pair (a[i], b[i]); NaN where either has no vector."""
        out = np.full(a.shape[0], np.nan)
        if self.matrix is None or a.shape[0] == 0:
            return out
        both = np.flatnonzero(self.present[a] & self.present[b])
        m = self.matrix
        for lo in range(0, both.size, SLICE):
            rows = both[lo : lo + SLICE]
            va = m[a[rows]].astype(np.float32)
            vb = m[b[rows]].astype(np.float32)
            out[rows] = np.einsum("ij,ij->i", va, vb)
        return out
