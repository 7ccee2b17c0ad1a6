"""Process-input entries of the listings that have any (offered capabilities), by row.

Only a capability has process inputs, and a process can take dozens of materials, so the
entries live in a table of their own instead of a column block every listing pays for:
``row_of[slot]`` points at the listing's row, and row 0 (empty) serves everyone else.
Rows hold distinct concept ids in ascending order with -1 padding, as ``c_ids`` rows do.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


class ProcessTable:
    def __init__(self, slot_capacity: int, width: int) -> None:
        self.width = width
        self.row_of = np.zeros(slot_capacity, dtype=np.int32)
        self.size = 1  # rows used; row 0 stays empty
        self._alloc(64)

    def _alloc(self, rows: int) -> None:
        old = getattr(self, "ids", None)
        ids = np.full((rows, self.width), -1, dtype=np.int32)
        w = np.zeros((rows, self.width), dtype=np.float64)
        t = np.zeros((rows, self.width), dtype=np.int8)
        pos = np.full((rows, self.width), -1, dtype=np.int8)
        if old is not None:
            n = old.shape[0]
            ids[:n], w[:n], t[:n], pos[:n] = self.ids, self.w, self.t, self.pos
        self.ids, self.w, self.t, self.pos = ids, w, t, pos

    def grow_slots(self, capacity: int) -> None:
        have = self.row_of.shape[0]
        if capacity > have:
            row_of = np.zeros(capacity, dtype=np.int32)
            row_of[:have] = self.row_of
            self.row_of = row_of

    def add(self, slots: list[int], entries: list[list[tuple[int, float, int]]]) -> None:
        """Give each slot a row holding its (concept id, weight, position) entries (sorted by id)."""
        if not slots:
            return
        need = self.size + len(slots)
        if need > self.ids.shape[0]:
            self._alloc(max(need, self.ids.shape[0] + self.ids.shape[0] // 2))
        for slot, row_entries in zip(slots, entries, strict=True):
            row = self.size
            self.size += 1
            self.row_of[slot] = row
            for j, (cid, weight, pos) in enumerate(row_entries):
                self.ids[row, j], self.w[row, j], self.pos[row, j] = cid, weight, pos

    def rows(self, slots: IntArray) -> npt.NDArray[np.int32]:
        out: npt.NDArray[np.int32] = self.row_of[slots]
        return out
