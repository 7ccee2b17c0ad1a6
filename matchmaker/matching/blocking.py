"""Step 2 — candidate generation (blocking) without comparing all pairs.

Two listings are *candidates* when they can pair (see ``roles``), belong to different
companies, share at least one blocking key, and are close enough for that key:

* keys are thesaurus concepts (direct, and broader ones meeting direct ones) — for a
  processing capability the *inputs* of its processes — and the listing's normalised words
  that are not part of a recognised term;
* each key has its own radius: ``radius_km`` while the key has at most ``key_budget``
  postings, shrinking with ``sqrt(key_budget / postings)`` for very common keys (never below
  ``min_radius_fraction * radius_km``), so a dense registry does not explode into all-pairs
  while rare keys still reach the whole radius;
* word keys held by more than ``stop_key_fraction`` of a side are ignored altogether;
* listings without a location pair with anything via keys of at most
  ``missing_location_max_df`` postings.

The relation is symmetric and depends only on the current listings, so asking from either
side (``match_all`` from suppliers, ``match_listing`` from any listing) gives the same pairs.
Each posting list is kept sorted by latitude; a join is a vectorised ``searchsorted`` over
a latitude band followed by an exact haversine filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from matchmaker.matching.blocking_keys import (
    SEMANTIC_KEYS,
    SIDES,
    Bucket,
    blocking_keys,
    partner_keys,
    roles_of,
)
from matchmaker.matching.features import ListingFeatures
from matchmaker.matching.geo import haversine_many, lat_window_deg
from matchmaker.matching.roles import PAIR_TYPE_CODE, PAIR_TYPE_ORDER
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.store import ListingStore

IntArray = npt.NDArray[np.int64]


class BlockingIndex:
    """Inverted index (pair type, side, key) -> Bucket, plus the join that yields pairs."""

    def __init__(self, settings: MatchSettings, store: ListingStore) -> None:
        self.settings = settings
        self.store = store
        # buckets[pt][side][key]
        self.buckets: list[list[dict[str, Bucket]]] = [[{}, {}] for _ in PAIR_TYPE_ORDER]
        self.side_size = np.zeros((len(PAIR_TYPE_ORDER), 2), dtype=np.int64)
        #: pair every listing by meaning too (not only the unread ones): decided when the
        #: index is first filled, by its size; a rebuild decides again
        self.by_meaning = True
        self._filled = False

    # -- maintenance -------------------------------------------------------------------
    def bulk_add(self, slots: list[int]) -> None:
        """Add many listings at once (sorted bulk construction)."""
        store = self.store
        if not self._filled:
            self.by_meaning = len(slots) <= self.settings.meaning_for_all_max_listings
        self._filled = True
        staged: list[list[dict[str, list[int]]]] = [[{}, {}] for _ in PAIR_TYPE_ORDER]
        sizes = [[0, 0] for _ in PAIR_TYPE_ORDER]
        processing = PAIR_TYPE_CODE["processing"]
        for slot in slots:
            f = store.features[slot]
            if f is None:
                continue
            general: list[str] | None = None  # the keys of every role but processing/right
            for pt, si in roles_of(f):
                sizes[pt][si] += 1
                table = staged[pt][si]
                if pt == processing and si == 1:
                    keys = blocking_keys(f, "processing", "right", self.by_meaning)
                else:
                    if general is None:
                        general = blocking_keys(f, PAIR_TYPE_ORDER[pt], SIDES[si], self.by_meaning)
                    keys = general
                for key in keys:
                    lst = table.get(key)
                    if lst is None:
                        table[key] = [slot]
                    else:
                        lst.append(slot)
        self.side_size += np.asarray(sizes, dtype=np.int64)
        lat = store.lat
        for pt in range(len(PAIR_TYPE_ORDER)):
            for si in range(2):
                target = self.buckets[pt][si]
                for key, lst in staged[pt][si].items():
                    new = np.asarray(lst, dtype=np.int64)
                    old = target.get(key)
                    if old is not None:
                        new = np.concatenate([old.all_slots(), new])
                    lats = lat[new]
                    located = ~np.isnan(lats)
                    loc = new[located]
                    order = np.lexsort((loc, lats[located]))
                    target[key] = Bucket(lats[located][order], loc[order], np.sort(new[~located]))

    def add(self, slot: int) -> None:
        f = self.store.features[slot]
        if f is None:
            return
        lat = float(self.store.lat[slot])
        for pt, si in roles_of(f):
            self.side_size[pt, si] += 1
            table = self.buckets[pt][si]
            for key in blocking_keys(f, PAIR_TYPE_ORDER[pt], SIDES[si], self.by_meaning):
                b = table.get(key)
                if b is None:
                    b = table[key] = Bucket()
                b.add(slot, lat)

    def remove(self, slot: int, f: ListingFeatures) -> None:
        for pt, si in roles_of(f):
            self.side_size[pt, si] -= 1
            table = self.buckets[pt][si]
            for key in blocking_keys(f, PAIR_TYPE_ORDER[pt], SIDES[si], self.by_meaning):
                b = table.get(key)
                if b is None:
                    continue
                b.remove(slot)
                if len(b) == 0:
                    del table[key]

    # -- key statistics ----------------------------------------------------------------
    def _side_len(self, pt: int, si: int, key: str) -> int:
        b = self.buckets[pt][si].get(key)
        return 0 if b is None else len(b)

    def key_df(self, pt: int, key: str) -> int:
        """Postings of the key's family on both sides (concept: title, broader, description)."""
        if key[0] in "cbd":
            fam = key[2:]
            return sum(self._side_len(pt, si, p + fam) for si in range(2) for p in ("c:", "b:", "d:"))
        return self._side_len(pt, 0, key) + self._side_len(pt, 1, key)

    def partners(self, pt: int, key: str) -> tuple[str, ...]:
        """Partner keys this key joins with now (description keys only while uncommon)."""
        partners = partner_keys(key)
        if key[0] in "cd" and self.key_df(pt, key) > self.settings.description_key_max_df:
            partners = tuple(p for p in partners if p[0] != "d") if key[0] == "c" else ()
        return partners

    def is_stop_key(self, pt: int, key: str) -> bool:
        """Words held by a large share of a side are not used for blocking (concepts always are)."""
        if not key.startswith("w:"):
            return False
        s = self.settings
        for si in range(2):
            n = self._side_len(pt, si, key)
            if n >= s.stop_key_min_df and n > s.stop_key_fraction * max(1, int(self.side_size[pt, si])):
                return True
        return False

    def key_radius(self, pt: int, key: str) -> float:
        s = self.settings
        if key in SEMANTIC_KEYS:  # few unread listings: each looks through its whole radius
            return s.radius_km
        df = self.key_df(pt, key)
        if df <= s.key_budget:
            return s.radius_km
        return s.radius_km * max(s.min_radius_fraction, math.sqrt(s.key_budget / df))

    def joins_unlocated(self, pt: int, key: str) -> bool:
        """Located<->unlocated pairs only through uncommon keys (and by meaning)."""
        return key in SEMANTIC_KEYS or self.key_df(pt, key) <= self.settings.missing_location_max_df

    # -- joins -------------------------------------------------------------------------
    def _join_located(self, q_slots: IntArray, bucket: Bucket, radius: float) -> tuple[IntArray, IntArray]:
        """Pairs (query slot, bucket slot) of located listings within ``radius``."""
        store = self.store
        if q_slots.size == 0 or bucket.slots.size == 0:
            return _EMPTY_PAIR
        q_lat = store.lat[q_slots]
        delta = lat_window_deg(radius)
        start = np.searchsorted(bucket.lats, q_lat - delta, side="left")
        end = np.searchsorted(bucket.lats, q_lat + delta, side="right")
        counts = end - start
        total = int(counts.sum())
        if total == 0:
            return _EMPTY_PAIR
        qi = np.repeat(np.arange(q_slots.size), counts)
        offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        a = q_slots[qi]
        b = bucket.slots[start[qi] + offs]
        ok = store.company_id[a] != store.company_id[b]
        a, b = a[ok], b[ok]
        d = haversine_many(store.lat[a], store.lon[a], store.lat[b], store.lon[b])
        ok = d <= radius
        return a[ok], b[ok]

    def _join_cross(self, q_slots: IntArray, o_slots: IntArray) -> tuple[IntArray, IntArray]:
        if q_slots.size == 0 or o_slots.size == 0:
            return _EMPTY_PAIR
        a = np.repeat(q_slots, o_slots.size)
        b = np.tile(o_slots, q_slots.size)
        ok = self.store.company_id[a] != self.store.company_id[b]
        return a[ok], b[ok]

    def join(self, pt: int, key: str, q_slots: IntArray, q_side: int) -> tuple[IntArray, IntArray]:
        """Candidate pairs (query slot, other slot) for queries holding ``key`` on ``q_side``."""
        if self.is_stop_key(pt, key):
            return _EMPTY_PAIR
        others = [b for k in self.partners(pt, key) if (b := self.buckets[pt][1 - q_side].get(k)) is not None]
        if not others:
            return _EMPTY_PAIR
        radius = self.key_radius(pt, key)
        semantic = key in SEMANTIC_KEYS
        with_unlocated = self.joins_unlocated(pt, key)
        store = self.store
        located = ~np.isnan(store.lat[q_slots])
        parts: list[tuple[IntArray, IntArray]] = []
        for other in others:
            parts.append(self._join_located(q_slots[located], other, radius))
            if with_unlocated:
                parts.append(self._join_cross(q_slots[~located], other.all_slots()))
                parts.append(self._join_cross(q_slots[located], other.unloc))
        qa = np.concatenate([p[0] for p in parts])
        qb = np.concatenate([p[1] for p in parts])
        if semantic:
            close = store.vectors.cosine(qa, qb) >= self.settings.semantic_candidate_min
            qa, qb = qa[close], qb[close]
        return qa, qb

    def candidates_of(self, slots: IntArray) -> tuple[IntArray, IntArray, npt.NDArray[np.int8]]:
        """All candidate pairs of the given listings, oriented (left, right, pair type), unique."""
        store = self.store
        groups: dict[tuple[int, int, str], list[int]] = {}
        for slot in slots.tolist():
            f = store.features[slot]
            if f is None:
                continue
            for pt, si in roles_of(f):
                for key in blocking_keys(f, PAIR_TYPE_ORDER[pt], SIDES[si], self.by_meaning):
                    groups.setdefault((pt, si, key), []).append(slot)
        lefts: list[IntArray] = []
        rights: list[IntArray] = []
        pts: list[npt.NDArray[np.int8]] = []
        for (pt, si, key), q in groups.items():
            qa, qb = self.join(pt, key, np.asarray(q, dtype=np.int64), si)
            if qa.size == 0:
                continue
            left, right = (qa, qb) if si == 0 else (qb, qa)
            lefts.append(left)
            rights.append(right)
            pts.append(np.full(left.size, pt, dtype=np.int8))
        return _unique_pairs(lefts, rights, pts, store.capacity)

    def iter_all_candidates(
        self, max_pairs: int = 1_000_000, part: int = 0, parts: int = 1
    ) -> Iterator[tuple[IntArray, IntArray, npt.NDArray[np.int8]]]:
        """Every candidate pair exactly once, in batches partitioned by left slot range.

        With ``parts > 1`` only every ``parts``-th batch (from ``part``) is produced, so
        worker processes can share the work without repeating each other's joins.
        """
        batch_no = -1
        store = self.store
        for pt in range(len(PAIR_TYPE_ORDER)):
            left_table = self.buckets[pt][0]
            right_table = self.buckets[pt][1]
            keys = sorted(
                k
                for k in left_table
                if not self.is_stop_key(pt, k) and any(p in right_table for p in self.partners(pt, k))
            )
            if not keys:
                continue
            # estimate pairs per left slot to cut the left side into slot ranges
            load = np.zeros(store.size + 1, dtype=np.int64)
            for key in keys:
                lb = left_table[key]
                radius = self.key_radius(pt, key)
                with_unlocated = self.joins_unlocated(pt, key)
                for p in self.partners(pt, key):
                    rb = right_table.get(p)
                    if rb is None:
                        continue
                    if lb.slots.size and rb.slots.size:
                        delta = lat_window_deg(radius)
                        cnt = np.searchsorted(rb.lats, lb.lats + delta, side="right") - np.searchsorted(
                            rb.lats, lb.lats - delta, side="left"
                        )
                        np.add.at(load, lb.slots, cnt)
                    if with_unlocated:
                        np.add.at(load, lb.unloc, len(rb))
                        np.add.at(load, lb.slots, rb.unloc.size)
            cum = np.cumsum(load)
            total = int(cum[-1]) if cum.size else 0
            n_chunks = max(1, math.ceil(total / max_pairs))
            bounds = [0]
            for c in range(1, n_chunks):
                bounds.append(int(np.searchsorted(cum, c * total / n_chunks)))
            bounds.append(store.size + 1)
            bounds = sorted(set(bounds))
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=False):
                batch_no += 1
                if batch_no % parts != part:
                    continue
                lefts: list[IntArray] = []
                rights: list[IntArray] = []
                for key in keys:
                    q = left_table[key].all_slots()
                    if n_chunks > 1:
                        q = q[(q >= lo) & (q < hi)]
                    if q.size == 0:
                        continue
                    qa, qb = self.join(pt, key, q, 0)
                    if qa.size:
                        lefts.append(qa)
                        rights.append(qb)
                if lefts:
                    pts = [np.full(x.size, pt, dtype=np.int8) for x in lefts]
                    yield _unique_pairs(lefts, rights, pts, store.capacity)


_EMPTY_PAIR: tuple[IntArray, IntArray] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


def _unique_pairs(
    lefts: list[IntArray], rights: list[IntArray], pts: list[npt.NDArray[np.int8]], capacity: int
) -> tuple[IntArray, IntArray, npt.NDArray[np.int8]]:
    if not lefts:
        return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))
    a = np.concatenate(lefts)
    b = np.concatenate(rights)
    p = np.concatenate(pts)
    code = a * np.int64(capacity) + b
    _, first = np.unique(code, return_index=True)
    return a[first], b[first], p[first]
