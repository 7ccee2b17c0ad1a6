"""Columnar, growable per-listing storage used by the engine (numpy arrays by slot).

A slot is an internal row number. Slots are never reused (a removed listing leaves a dead
row; ``upsert`` appends a new one), so stale references can never point at another
listing. A rebuild compacts.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from matchmaker.matching.compare import KIND_CODE, quantity_columns
from matchmaker.matching.features import (
    DIRECT,
    MAX_CONCEPT_ENTRIES,
    MAX_PROCESS_ENTRIES,
    ListingFeatures,
)
from matchmaker.matching.thesaurus import Thesaurus

DIRECTION_CODE = {"offer": 0, "need": 1}


class ListingStore:
    def __init__(self, thesaurus: Thesaurus, capacity: int = 1024) -> None:
        self.thesaurus = thesaurus
        self.size = 0  # slots used (alive or dead)
        self.alive_count = 0
        cap = max(16, capacity)
        self.listing_id = np.zeros(cap, dtype=np.int64)
        self.company_id = np.zeros(cap, dtype=np.int64)
        self.direction = np.zeros(cap, dtype=np.int8)
        self.kind = np.zeros(cap, dtype=np.int8)
        self.lat = np.full(cap, np.nan)
        self.lon = np.full(cap, np.nan)
        self.alive = np.zeros(cap, dtype=bool)
        self.qty_amount = np.full(cap, np.nan)
        self.qty_dim = np.full(cap, -1, dtype=np.int8)
        self.qty_annual = np.full(cap, np.nan)
        self.c_ids = np.full((cap, MAX_CONCEPT_ENTRIES), -1, dtype=np.int32)
        self.c_w = np.zeros((cap, MAX_CONCEPT_ENTRIES), dtype=np.float64)
        self.c_t = np.zeros((cap, MAX_CONCEPT_ENTRIES), dtype=np.int8)
        self.p_ids = np.full((cap, MAX_PROCESS_ENTRIES), -1, dtype=np.int32)
        self.p_w = np.zeros((cap, MAX_PROCESS_ENTRIES), dtype=np.float64)
        self.p_t = np.zeros((cap, MAX_PROCESS_ENTRIES), dtype=np.int8)
        self.full_text: list[str] = []
        self.features: list[ListingFeatures | None] = []
        self.concept_df = np.zeros(len(thesaurus.concept_ids), dtype=np.int64)
        self._spec: npt.NDArray[np.float64] | None = None
        self._struct = np.array(
            [thesaurus.structural_specificity(c) for c in thesaurus.concept_ids], dtype=np.float64
        )

    @property
    def capacity(self) -> int:
        return int(self.listing_id.shape[0])

    def _grow(self, need: int) -> None:
        cap = self.capacity
        if need <= cap:
            return
        new = max(need, cap * 2)
        for name in (
            "listing_id", "company_id", "direction", "kind", "lat", "lon", "alive",
            "qty_amount", "qty_dim", "qty_annual", "c_ids", "c_w", "c_t", "p_ids", "p_w", "p_t",
        ):
            old = getattr(self, name)
            shape = (new, *old.shape[1:])
            fill: float | int | bool
            if name in ("lat", "lon", "qty_amount", "qty_annual"):
                fill = math.nan
            elif name in ("qty_dim", "c_ids", "p_ids"):
                fill = -1
            else:
                fill = 0
            arr = np.full(shape, fill, dtype=old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)

    def add(self, f: ListingFeatures) -> int:
        slot = self.size
        self._grow(slot + 1)
        r = f.record
        self.listing_id[slot] = r.listing_id
        self.company_id[slot] = r.company_id
        self.direction[slot] = DIRECTION_CODE[r.direction]
        self.kind[slot] = KIND_CODE[r.kind]
        if r.has_location:
            self.lat[slot] = float(r.lat)  # type: ignore[arg-type]
            self.lon[slot] = float(r.lon)  # type: ignore[arg-type]
        amount, dim, annual = quantity_columns(r.quantity, r.unit, r.frequency)
        self.qty_amount[slot], self.qty_dim[slot], self.qty_annual[slot] = amount, dim, annual
        index = self.thesaurus.concept_index
        for i, h in enumerate(f.concepts):
            self.c_ids[slot, i] = index[h.concept]
            self.c_w[slot, i] = h.weight
            self.c_t[slot, i] = h.type
            if h.type == DIRECT:
                self.concept_df[index[h.concept]] += 1
        j = 0
        for e in f.process_inputs:
            if e.concept in index:
                self.p_ids[slot, j] = index[e.concept]
                self.p_w[slot, j] = e.weight
                j += 1
        self.alive[slot] = True
        self.full_text.append(f.full_text)
        self.features.append(f)
        self.size += 1
        self.alive_count += 1
        self._spec = None
        return slot

    def kill(self, slot: int) -> None:
        if not self.alive[slot]:
            return
        f = self.features[slot]
        if f is not None:
            index = self.thesaurus.concept_index
            for h in f.concepts:
                if h.type == DIRECT:
                    self.concept_df[index[h.concept]] -= 1
        self.alive[slot] = False
        self.features[slot] = None
        self.full_text[slot] = ""
        self.alive_count -= 1
        self._spec = None

    def specificity(self) -> npt.NDArray[np.float64]:
        """IDF-like specificity per concept index: structural x (0.75 + 0.25 x idf)."""
        if self._spec is None:
            n = max(self.alive_count, 1)
            idf = np.log((n + 1.0) / (self.concept_df + 1.0)) / math.log(n + 1.0)
            self._spec = self._struct * (0.75 + 0.25 * np.clip(idf, 0.0, 1.0))
        return self._spec
