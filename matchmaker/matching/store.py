"""Columnar, growable per-listing storage used by the engine (numpy arrays by slot).

A slot is an internal row number. Slots are never reused (a removed listing leaves a dead
row; ``upsert`` appends a new one), so stale references can never point at another
listing. A rebuild compacts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from matchmaker.matching.attributes import NO_ATTRIBUTES
from matchmaker.matching.compare import DIMENSION_CODE, KIND_CODE
from matchmaker.matching.compare.grade import GradeColumns
from matchmaker.matching.compare.kind import compared_kind
from matchmaker.matching.features import (
    DIRECT,
    MAX_CONCEPT_ENTRIES,
    MAX_PROCESS_ENTRIES,
    MAX_TITLE_TOKENS,
    ConceptHit,
    ListingFeatures,
    ProcessEntry,
)
from matchmaker.matching.packing import PackedFeatures
from matchmaker.matching.process_table import ProcessTable
from matchmaker.matching.quantities import Quantity
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.thesaurus import Thesaurus
from matchmaker.matching.vectors import VectorColumn

DIRECTION_CODE = {"offer": 0, "need": 1}


def _share_parts(f: ListingFeatures, pool: dict[object, object]) -> None:
    """Replace the listing's concept hits, process entries and title words by equal ones
    already stored (values unchanged; ``ListingFeatures`` is frozen, so set in place).

    Hits and entries (named tuples) are pooled under themselves: equal to the plain tuples
    ``add_packed`` pools them under."""
    get = pool.setdefault
    setattr_ = object.__setattr__
    if f.concepts:
        setattr_(
            f,
            "concepts",
            tuple([get(h, h) for h in f.concepts]),
        )
    if f.process_inputs:
        setattr_(
            f,
            "process_inputs",
            tuple([get(e, e) for e in f.process_inputs]),
        )
    if f.title_tokens:
        setattr_(f, "title_tokens", tuple([get(t, t) for t in f.title_tokens]))
    if f.free_tokens:
        setattr_(f, "free_tokens", tuple([get(t, t) for t in f.free_tokens]))


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
        self.processes = ProcessTable(cap, MAX_PROCESS_ENTRIES)  # capabilities' process inputs
        # for explanations: position of each entry in ``features.concepts`` / ``.process_inputs``
        # and the concept index of the concept hit's ``via`` (the word it was derived from)
        self.c_pos = np.full((cap, MAX_CONCEPT_ENTRIES), -1, dtype=np.int8)
        self.c_via = np.full((cap, MAX_CONCEPT_ENTRIES), -1, dtype=np.int32)
        self.t_ids = np.full((cap, MAX_TITLE_TOKENS), -1, dtype=np.int32)
        self.token_id: dict[str, int] = {}
        self.token_df = np.zeros(1024, dtype=np.int64)
        self._rarity: npt.NDArray[np.float64] | None = None
        # normalised title + description by slot ("" when dead); an object array, so that the
        # texts of a batch of pairs are gathered with one take
        self.full_text: npt.NDArray[np.object_] = np.full(cap, "", dtype=object)
        # grade stated: temperature, kinds, goods and wants, …
        self.grades = GradeColumns(cap, thesaurus.concept_index, thesaurus.made_from_pairs())
        self.vectors = VectorColumn()  # sentence vectors, where the records bring them
        self.vectors.grow(cap)
        self.features: list[ListingFeatures | None] = []
        # equal concept hits / process entries / title words are shared between listings
        # (hundreds of MB at 500k listings: most listings name common concepts alike)
        self._pool: dict[object, object] = {}
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
        # an eighth more (not double): at 500k listings a row costs ~400 bytes in every column
        new = max(need, cap + max(cap // 8, 1024))
        for name in (
            "listing_id",
            "company_id",
            "direction",
            "kind",
            "lat",
            "lon",
            "alive",
            "qty_amount",
            "qty_dim",
            "qty_annual",
            "c_ids",
            "c_w",
            "c_t",
            "c_pos",
            "c_via",
            "t_ids",
            "full_text",
        ):
            old = getattr(self, name)
            shape = (new, *old.shape[1:])
            fill: float | int | bool
            if name in ("lat", "lon", "qty_amount", "qty_annual"):
                fill = math.nan
            elif name in ("qty_dim", "c_ids", "t_ids", "c_pos", "c_via"):
                fill = -1
            elif name == "full_text":
                fill = ""
            else:
                fill = 0
            arr = np.full(shape, fill, dtype=old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)
        self.vectors.grow(new)
        self.grades.grow(new)
        self.processes.grow_slots(new)

    def reserve(self, n: int) -> None:
        """Room for ``n`` more listings, exactly (a bulk load knows its size)."""
        self._grow(self.size + n)

    def add(self, f: ListingFeatures) -> int:
        return self.add_many([f])[0]

    def add_packed(self, records: Sequence[ListingRecord], packed: PackedFeatures) -> list[int]:
        """Append listings analysed elsewhere (``pack_features`` of ``records``' features, in
        the same order): equal hits and entries become the shared objects ``add_many`` keeps."""
        hit_rows, entry_rows, quantity_rows, rows = packed
        pool = self._pool
        get = pool.get
        hits = [get(t) or pool.setdefault(t, ConceptHit(*t)) for t in hit_rows]
        entries = [get(t) or pool.setdefault(t, ProcessEntry(*t)) for t in entry_rows]
        quantities = [Quantity(*t) for t in quantity_rows]
        word = pool.setdefault
        feats = []
        for record, row in zip(records, rows, strict=True):
            (title_text, full_text, hit_ids, entry_ids, free, corrections, quantity, title_words, known,
             attributes, fuel) = row
            feats.append(
                ListingFeatures(
                    record,
                    title_text,
                    full_text,
                    tuple([hits[i] for i in hit_ids]),
                    tuple([entries[i] for i in entry_ids]),
                    tuple([word(w, w) for w in free]),
                    corrections,
                    None if quantity < 0 else quantities[quantity],
                    tuple([word(w, w) for w in title_words]),
                    known,
                    NO_ATTRIBUTES if attributes is None else attributes,
                    fuel,
                )
            )
        return self.add_many(feats, shared=True)

    def add_many(self, feats: Sequence[ListingFeatures], shared: bool = False) -> list[int]:
        """Append listings (column-wise, so a bulk load costs few numpy calls). ``shared``:
        their parts are the pooled objects already (``add_packed``)."""
        n = len(feats)
        start = self.size
        self._grow(start + n)
        index = self.thesaurus.concept_index
        token_id = self.token_id
        scalars: list[tuple[int, int, int, int, float, float, float, int, float]] = []
        c_rows: list[int] = []
        c_cols: list[int] = []
        c_vals: list[tuple[int, float, int, int, int]] = []
        p_slots: list[int] = []
        p_entries: list[list[tuple[int, float, int]]] = []
        t_rows: list[int] = []
        t_cols: list[int] = []
        t_vals: list[int] = []
        direct: list[int] = []
        tokens: list[int] = []
        texts: list[str] = []
        vec_slots: list[int] = []
        vec_bytes: list[bytes] = []
        nan = math.nan
        pool = self._pool
        for k, f in enumerate(feats):
            slot = start + k
            if not shared:
                _share_parts(f, pool)
            r = f.record
            if r.description:  # analysed: what the index keeps of a record needs it no more
                r = r.without_description()
                object.__setattr__(f, "record", r)  # (frozen, as in _share_parts)
            located = r.has_location
            # = the tests' reference quantity_columns(r.quantity, r.unit, r.frequency), from the
            # features' quantity (normalise_quantity of the same three) instead of normalising again
            q = f.quantity
            if q is None:
                amount, dim, annual = nan, -1, nan
            else:
                per_year = q.annual()
                amount, dim, annual = (
                    q.amount,
                    DIMENSION_CODE[q.dimension],
                    nan if per_year is None else per_year,
                )
            scalars.append(
                (
                    r.listing_id,
                    r.company_id,
                    DIRECTION_CODE[r.direction],
                    KIND_CODE[compared_kind(f)],
                    float(r.lat) if located else nan,  # type: ignore[arg-type]
                    float(r.lon) if located else nan,  # type: ignore[arg-type]
                    amount,
                    dim,
                    annual,
                )
            )
            # entry rows are kept sorted by id (compare.matching_entries relies on it)
            entries = sorted(
                (index[h.concept], h.weight, h.type, pos, index.get(h.via, -1))
                for pos, h in enumerate(f.concepts)
            )
            for i, entry in enumerate(entries):
                c_rows.append(slot)
                c_cols.append(i)
                c_vals.append(entry)
                if entry[2] == DIRECT:
                    direct.append(entry[0])
            if f.process_inputs:
                p_slots.append(slot)
                p_entries.append(
                    sorted(
                        (index[e.concept], e.weight, pos)
                        for pos, e in enumerate(f.process_inputs)
                        if e.concept in index
                    )
                )
            for tok in set(f.full_text.split()):
                tid = token_id.get(tok)
                if tid is None:
                    tid = token_id[tok] = len(token_id)
                tokens.append(tid)
            for i, tid in enumerate(sorted(token_id[tok] for tok in f.title_words())):
                t_rows.append(slot)
                t_cols.append(i)
                t_vals.append(tid)
            texts.append(f.full_text)
            if not f.attributes.empty:
                self.grades.put(slot, f.attributes)
            if r.vector is not None:
                vec_slots.append(slot)
                vec_bytes.append(r.vector)
            self.features.append(f)
        if n:
            sl = slice(start, start + n)
            cols = list(zip(*scalars, strict=True))
            self.listing_id[sl], self.company_id[sl], self.direction[sl], self.kind[sl] = cols[:4]
            self.lat[sl], self.lon[sl] = cols[4], cols[5]
            self.qty_amount[sl], self.qty_dim[sl], self.qty_annual[sl] = cols[6], cols[7], cols[8]
            self.alive[sl] = True
            self.full_text[sl] = texts
        if c_vals:
            ids, ws, ts, ps, vs = zip(*c_vals, strict=True)
            self.c_ids[c_rows, c_cols], self.c_w[c_rows, c_cols], self.c_t[c_rows, c_cols] = ids, ws, ts
            self.c_pos[c_rows, c_cols], self.c_via[c_rows, c_cols] = ps, vs
        self.processes.add(p_slots, p_entries)
        if t_vals:
            self.t_ids[t_rows, t_cols] = t_vals
        self.vectors.put(vec_slots, vec_bytes)
        np.add.at(self.concept_df, np.asarray(direct, dtype=np.int64), 1)
        if len(token_id) > self.token_df.shape[0]:
            grown = np.zeros(max(len(token_id), 2 * self.token_df.shape[0]), dtype=np.int64)
            grown[: self.token_df.shape[0]] = self.token_df
            self.token_df = grown
        np.add.at(self.token_df, np.asarray(tokens, dtype=np.int64), 1)
        self.size += n
        self.alive_count += n
        self._spec = None
        self._rarity = None
        return list(range(start, start + n))

    def kill(self, slot: int) -> None:
        if not self.alive[slot]:
            return
        f = self.features[slot]
        if f is not None:
            index = self.thesaurus.concept_index
            for h in f.concepts:
                if h.type == DIRECT:
                    self.concept_df[index[h.concept]] -= 1
            for tok in set(f.full_text.split()):
                self.token_df[self.token_id[tok]] -= 1
        self.alive[slot] = False
        self.vectors.clear(slot)
        self.features[slot] = None
        self.full_text[slot] = ""
        self.alive_count -= 1
        self._spec = None
        self._rarity = None

    def compact_texts(self) -> None:
        """Give the listings' texts fresh memory, side by side (same values).

        Scoring reads every text (reference counts are written), and a forked scorer copies
        each page it writes to: texts made one by one during analysis share their pages with
        other objects, so reading them copied about 0.7 KB a listing in each process; fresh
        and side by side, about their own size. The listings' features take the same
        objects (frozen, so set in place as in ``_share_parts``)."""
        n = self.size
        fresh = [text.encode().decode() for text in self.full_text[:n].tolist()]
        self.full_text[:n] = fresh
        setattr_ = object.__setattr__
        for f, text in zip(self.features, fresh, strict=True):
            if f is not None:
                setattr_(f, "full_text", text)

    def specificity(self) -> npt.NDArray[np.float64]:
        """IDF-like specificity per concept index: structural x (0.5 + 0.5 x idf).

        ``idf`` is 1 for a concept at most one listing in a thousand names, falling with
        log frequency (a tenth of all listings: 1/3).
        """
        if self._spec is None:
            n = max(self.alive_count, 1)
            denom = max(math.log(min(n + 1.0, 1000.0)), math.log(2.0))
            idf = np.log((n + 1.0) / (self.concept_df + 1.0)) / denom
            self._spec = self._struct * (0.5 + 0.5 * np.clip(idf, 0.0, 1.0))
        return self._spec

    def rarity(self) -> npt.NDArray[np.float64]:
        """Per token id: 1.0 for a word only one listing uses, falling towards 0 for common ones."""
        if self._rarity is None:
            n = max(self.alive_count, 1)
            denom = max(math.log((n + 1.0) / 2.0), math.log(2.0))
            df = self.token_df[: max(len(self.token_id), 1)]
            self._rarity = np.clip(np.log((n + 1.0) / (df + 1.0)) / denom, 0.0, 1.0)
        return self._rarity

    def token_rarity(self, token: str) -> float:
        tid = self.token_id.get(token)
        return 1.0 if tid is None else float(self.rarity()[tid])
