"""Public API: ``MatchIndex`` — build, match everything, match one listing, keep current.

Pipeline: ``features`` (normalisation + concepts) -> ``blocking`` (candidate pairs) ->
``compare`` (vectorised component values) -> ``score`` (weighted score, evidence gate,
top-n) -> ``compare``/``explain`` (structured reasons for the suggestions kept).

Ranking semantics (identical in ``match_all`` and ``match_listing``): every listing ranks
its candidates by score (desc), then partner listing id (asc); a pair with
``score >= min_score`` is suggested when it is within the ``top_n`` of *either* of its two
listings. Everything is computed from the current listings only, so an index kept current
with ``upsert``/``remove`` answers ``match_all`` exactly like one rebuilt from the same
listings. ``match_listing`` (the incremental update) is exact for the listing's own top_n
and never misses a pair, but judges partners against their stored best pairs, so a partner
may keep one pair too many until the next full recompute (see ``match_listing``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import numpy.typing as npt

from matchmaker.matching.blocking import BlockingIndex
from matchmaker.matching.compare import (
    CompareContext,
    ConceptComparison,
    DistanceComparison,
    KindComparison,
    Pair,
    QuantityComparison,
    TextComparison,
    matching_entries,
)
from matchmaker.matching.features import (
    Analyser,
    ConceptHit,
    ListingFeatures,
    PackedFeatures,
    ProcessEntry,
    pack_features,
)
from matchmaker.matching.records import ListingRecord, PairType, Reason, Suggestion
from matchmaker.matching.roles import PAIR_TYPE_CODE, PAIR_TYPE_ORDER, orient
from matchmaker.matching.score import (
    COMPONENT_DECIMALS,
    RunningTopN,
    combine_many,
    top_n_mask,
)
from matchmaker.matching.settings import COMPONENTS, MatchSettings
from matchmaker.matching.store import ListingStore
from matchmaker.matching.thesaurus import Thesaurus

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SlotArray = npt.NDArray[np.signedinteger[Any]]  # int64, or int32 once compacted
ValueArray = npt.NDArray[np.floating[Any]]  # float64, or float32 once compacted
PROCESSING = PAIR_TYPE_CODE["processing"]


def _components_dict(values: tuple[float, ...]) -> dict[str, float]:
    """Component name -> value (a dict display when the components are the known five)."""
    if len(values) == 5 and COMPONENTS == _FIVE:
        text, concept, distance, kind, quantity = values
        return {"text": text, "concept": concept, "distance": distance, "kind": kind, "quantity": quantity}
    return dict(zip(COMPONENTS, values, strict=True))


_FIVE = ("text", "concept", "distance", "kind", "quantity")
NO_QUANTITY, UNITS_DIFFER = -1, -2  # quantity reason codes besides a percentage
COMPACT_PAIRS = 2_000_000  # re-filter kept pairs against the rising floors beyond this many
COALESCE_PAIRS = 250_000  # kept pairs per column bundle handed back by a scoring worker


def _refilter(parts: list[ScoredPairs], floor: RunningTopN) -> int:
    """Drop, part by part and in place, pairs below both listings' floors; the pairs left.

    (One part at a time: concatenating first would hold every kept pair twice.)"""
    held = 0
    for i, p in enumerate(parts):
        parts[i] = p = p.take((p.score >= floor.threshold(p.a)) | (p.score >= floor.threshold(p.b)))
        held += len(p)
    return held


def _coalesced(parts: list[ScoredPairs], rows: int) -> list[ScoredPairs]:
    """The same pairs in bundles of about ``rows`` (thousands of small ones pickle slowly),
    emptying ``parts`` as it goes."""
    out: list[ScoredPairs] = []
    group: list[ScoredPairs] = []
    size = 0
    parts.reverse()
    while parts:
        p = parts.pop()
        group.append(p)
        size += len(p)
        if size >= rows or not parts:
            out.append(ScoredPairs.concat(group))
            group, size = [], 0
    return out


def _position_in(values: IntArray, items: IntArray) -> IntArray:
    """Index of each item in ``values`` (distinct), or -1."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    pos = np.searchsorted(sorted_values, items)
    pos = np.minimum(pos, max(sorted_values.size - 1, 0))
    found = sorted_values.size > 0
    hit = (sorted_values[pos] == items) if found else np.zeros(items.shape, dtype=bool)
    out: IntArray = np.where(hit, order[pos] if found else 0, -1).astype(np.int64)
    return out


RANK_ROWS = 500_000  # rows per ranking step over all kept pairs (bounds sort temporaries)


def _owner_ranges(a: SlotArray, b: SlotArray, size: int) -> Iterator[tuple[IntArray, IntArray]]:
    """Split pairs (a, b) by owner slot range so each range has about RANK_ROWS owner rows:
    per range, (indices of pairs whose a is in it, indices of pairs whose b is in it)."""
    parts = max(1, -(-2 * a.shape[0] // RANK_ROWS))
    step = max(1, -(-size // parts))
    for lo in range(0, max(size, 1), step):
        hi = lo + step
        yield np.flatnonzero((a >= lo) & (a < hi)), np.flatnonzero((b >= lo) & (b < hi))


PARALLEL_MIN_LISTINGS = 20_000  # below this a worker process costs more than it saves
SUGGESTION_BATCH = 20_000
_FORKED: MatchIndex | None = None  # the index forked workers score (inherited, not pickled)
_TO_ANALYSE: list[ListingRecord] = []  # the records forked workers analyse (likewise)


def _analysed_part(bounds: tuple[int, int]) -> PackedFeatures:
    """Worker-process entry: the packed features of one slice of ``_TO_ANALYSE``."""
    lo, hi = bounds
    index = _FORKED
    assert index is not None
    with gc_paused():
        analyse = index.analyser.analyse
        return pack_features([analyse(r) for r in _TO_ANALYSE[lo:hi]])


def _send_kept_parts(conn: Connection, part: int, parts: int) -> None:
    """Worker-process entry: one partition's kept pairs, sent bundle by bundle (numpy arrays
    pickle cheaply; one at a time, so no side holds them all twice), then ``None``."""
    index = _FORKED
    assert index is not None
    try:
        with gc_paused():
            bundles = index._kept_parts(part, parts)
            bundles.reverse()
            while bundles:
                conn.send(bundles.pop())
        conn.send(None)
    except Exception as exc:  # reported to the parent, which raises it
        conn.send(RuntimeError(f"scoring worker {part}: {exc!r}"))
    finally:
        conn.close()


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """The objects alive now (the index) frozen out of the garbage collector meanwhile: its
    passes then skip them — in a forked worker a pass would also write to, and so copy,
    every page of the index it shares copy-on-write."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _forked_pool(workers: int) -> Iterator[Any]:
    """A pool of forked workers sharing this process's index copy-on-write."""
    with _gc_frozen(), multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while creating many small acyclic objects.

    Python otherwise runs ever longer full collections as the object count grows, which
    costs about a third of the time of building a large list of suggestions.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
        """Permute in place, one column at a time (at most one column is copied at once)."""
        for name in ("a", "b", "pt", "score", "km"):
            setattr(self, name, getattr(self, name)[order])
        for k in list(self.comps):
            self.comps[k] = self.comps[k][order]

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


class TopEntries:
    """Per slot: up to ``k`` (partner slot, pair type, own side, score) of its best pairs.

    Filled from a full recompute (``match_all``/``iter_all``/``prepare_incremental``) and
    kept up to date by ``match_listing``. The entries are real candidate pairs of their
    owner, so counting how many of them (re-scored now) beat a pair never over-counts: a
    pair within its owner's true top_n is never judged outside it. ``known`` is False for a
    slot that has no entries yet (added since the last recompute, never matched).
    """

    __slots__ = ("k", "partner", "pt", "is_a", "score", "known")

    def __init__(self, k: int) -> None:
        self.k = k
        self.partner = np.full((0, k), -1, dtype=np.int32)
        self.pt = np.zeros((0, k), dtype=np.int8)
        self.is_a = np.zeros((0, k), dtype=bool)
        self.score = np.full((0, k), -np.inf, dtype=np.float32)
        self.known = np.zeros(0, dtype=bool)

    def ensure(self, capacity: int) -> None:
        have = self.known.shape[0]
        if capacity <= have:
            return
        extra = capacity - have
        k = self.k
        self.partner = np.concatenate([self.partner, np.full((extra, k), -1, dtype=np.int32)])
        self.pt = np.concatenate([self.pt, np.zeros((extra, k), dtype=np.int8)])
        self.is_a = np.concatenate([self.is_a, np.zeros((extra, k), dtype=bool)])
        self.score = np.concatenate([self.score, np.full((extra, k), -np.inf, dtype=np.float32)])
        self.known = np.concatenate([self.known, np.zeros(extra, dtype=bool)])

    def reset(self, capacity: int) -> None:
        self.__init__(self.k)  # type: ignore[misc]
        self.ensure(capacity)

    def fill(self, owners: IntArray | None, sp: ScoredPairs, partner_rank: IntArray) -> None:
        """Replace the entries of ``owners`` (None: all) by their best ``k`` pairs among ``sp``."""
        if owners is None:  # every listing (a full recompute): entries were reset
            self.known[:] = True
            for ia, ib in _owner_ranges(sp.a, sp.b, self.known.shape[0]):
                self._fill_rows(sp, ia, ib, partner_rank)
            return
        self._fill_rows(sp, np.arange(len(sp)), np.arange(len(sp)), partner_rank, owners)

    def _fill_rows(
        self,
        sp: ScoredPairs,
        ia: IntArray,
        ib: IntArray,
        partner_rank: IntArray,
        owners: IntArray | None = None,
    ) -> None:
        k = self.k
        owner = np.concatenate([sp.a[ia], sp.b[ib]]).astype(np.int64)
        partner = np.concatenate([sp.b[ia], sp.a[ib]]).astype(np.int64)
        is_a = np.concatenate([np.ones(ia.size, dtype=bool), np.zeros(ib.size, dtype=bool)])
        pt = np.concatenate([sp.pt[ia], sp.pt[ib]])
        score = np.concatenate([sp.score[ia], sp.score[ib]])
        if owners is not None:
            self.partner[owners] = -1
            self.score[owners] = -np.inf
            self.known[owners] = True
            mine = np.isin(owner, owners)
            owner, partner, is_a, pt, score = owner[mine], partner[mine], is_a[mine], pt[mine], score[mine]
        if owner.size == 0:
            return
        order = np.lexsort((partner_rank[partner], -score, owner))
        owner, partner, is_a, pt, score = owner[order], partner[order], is_a[order], pt[order], score[order]
        del order
        starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
        rank = np.arange(owner.size) - np.repeat(starts, np.diff(np.r_[starts, owner.size]))
        top = rank < k
        o, r = owner[top], rank[top]
        self.partner[o, r] = partner[top]
        self.pt[o, r] = pt[top]
        self.is_a[o, r] = is_a[top]
        self.score[o, r] = score[top]

    def offer(
        self,
        owners: IntArray,
        partner: int,
        pt: npt.NDArray[np.int8],
        owner_is_a: npt.NDArray[np.bool_],
        score: FloatArray,
        alive: npt.NDArray[np.bool_],
    ) -> None:
        """Record the pair (owner, partner) with this score in each known owner's entries
        (replacing the partner's old entry, else an empty or dead one, else the worst)."""
        for y, p, ia, sc in zip(
            owners.tolist(), pt.tolist(), owner_is_a.tolist(), score.tolist(), strict=True
        ):
            if not self.known[y]:
                continue
            row = self.partner[y]
            hit = np.flatnonzero(row == partner)
            if hit.size:
                j = int(hit[0])
            else:
                held = np.where((row < 0) | ~alive[np.maximum(row, 0)], -np.inf, self.score[y])
                j = int(np.argmin(held))
                if held[j] >= sc:
                    continue
            row[j] = partner
            self.pt[y, j], self.is_a[y, j], self.score[y, j] = p, ia, sc


class MatchIndex:
    """An in-memory, incrementally maintainable matching index over active listings."""

    def __init__(
        self,
        settings: MatchSettings | None = None,
        thesaurus: Thesaurus | None = None,
        *,
        processes: int = 1,
    ) -> None:
        """``processes > 1`` lets ``match_all``/``iter_all`` score candidate pairs in that many
        forked worker processes (POSIX only; results are identical). Keep the default 1
        inside a web server process; use 2 in a batch job on a 2-core machine."""
        self.processes = max(1, processes)
        self.settings = settings or MatchSettings()
        self.thesaurus = thesaurus if thesaurus is not None else Thesaurus.load()
        self.analyser = Analyser(self.thesaurus, self.settings)
        self.store = ListingStore(self.thesaurus)
        self.blocking = BlockingIndex(self.settings, self.store)
        self._slot_of: dict[int, int] = {}
        self.text_cmp = TextComparison()
        self.concept_cmp = ConceptComparison(self.settings)
        self.distance_cmp = DistanceComparison(self.settings)
        self.kind_cmp = KindComparison()
        self.quantity_cmp = QuantityComparison(self.settings)
        self.workers = 2
        self._version_label = self.settings.version_label()
        # Reasons are immutable values; identical ones (same distance, same kinds, ...) are
        # shared between suggestions instead of being rebuilt millions of times.
        self._reason_cache: dict[object, object] = {}
        # per listing its best pairs at the last full recompute / match_listing (see TopEntries)
        self._top = TopEntries(self.settings.top_n + 1)

    # -- construction and maintenance ---------------------------------------------------
    @classmethod
    def build(
        cls,
        records: Iterable[ListingRecord],
        settings: MatchSettings | None = None,
        thesaurus: Thesaurus | None = None,
        *,
        processes: int = 1,
    ) -> MatchIndex:
        index = cls(settings, thesaurus, processes=processes)
        with gc_paused():
            index._bulk_load(records)
        return index

    def _bulk_load(self, records: Iterable[ListingRecord]) -> None:
        latest: dict[int, ListingRecord] = {}
        for record in records:  # a later record with the same id wins
            latest.pop(record.listing_id, None)
            latest[record.listing_id] = record
        active = [r for r in latest.values() if r.active]
        self.store.reserve(len(active))
        if self._parallel() and len(active) >= PARALLEL_MIN_LISTINGS:
            slots = self._load_analysed_in_workers(active)
        else:
            analyse = self.analyser.analyse
            slots = self.store.add_many([analyse(r) for r in active])
        for r, slot in zip(active, slots, strict=True):
            self._slot_of[r.listing_id] = slot
        self.blocking.bulk_add(slots)

    def _load_analysed_in_workers(self, records: list[ListingRecord]) -> list[int]:
        """Analysis is pure Python per listing: forked workers share it out; the packed
        results arrive in order, so slots are the same as in one process."""
        global _FORKED, _TO_ANALYSE
        parts = self.processes * 4  # several slices each, so the store fills while workers go on
        bounds = [len(records) * i // parts for i in range(parts + 1)]
        _FORKED, _TO_ANALYSE = self, records
        slots: list[int] = []
        try:
            with _forked_pool(self.processes) as pool:
                jobs = [(bounds[i], bounds[i + 1]) for i in range(parts)]
                for (lo, hi), packed in zip(jobs, pool.imap(_analysed_part, jobs), strict=True):
                    slots.extend(self.store.add_packed(records[lo:hi], packed))
        finally:
            _FORKED, _TO_ANALYSE = None, []
        return slots

    def upsert(self, record: ListingRecord) -> None:
        """Add or replace a listing; an inactive record removes it."""
        self.remove(record.listing_id)
        if not record.active:
            return
        slot = self.store.add(self.analyser.analyse(record))
        self._slot_of[record.listing_id] = slot
        self.blocking.add(slot)

    def remove(self, listing_id: int) -> bool:
        slot = self._slot_of.pop(listing_id, None)
        if slot is None:
            return False
        f = self.store.features[slot]
        if f is not None:
            self.blocking.remove(slot, f)
        self.store.kill(slot)
        return True

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self._slot_of

    def features(self, listing_id: int) -> ListingFeatures | None:
        slot = self._slot_of.get(listing_id)
        return None if slot is None else self.store.features[slot]

    # -- scoring --------------------------------------------------------------------------
    def _context(self) -> CompareContext:
        spec: dict[str, float] = dict(
            zip(self.thesaurus.concept_ids, self.store.specificity().tolist(), strict=True)
        )

        def specificity(cid: str) -> float:
            return spec.get(cid, 0.0)

        return CompareContext(self.settings, self.thesaurus, specificity, self.store.token_rarity)

    def _cheap(
        self, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8]
    ) -> tuple[dict[str, FloatArray], FloatArray, FloatArray]:
        """Every component but the fuzzy text part: (components, concept evidence, km).

        ``components["text"]`` holds the rare-shared-word part only — a lower bound of the
        text value.
        """
        st = self.store
        n = a.shape[0]
        concept = np.zeros(n)
        evidence = np.zeros(n)
        spec = st.specificity()
        proc = pt == PROCESSING
        for mask, processing in ((proc, True), (~proc, False)):
            if not mask.any():
                continue
            ia, ib = a[mask], b[mask]
            if processing:
                ids_b, w_b, t_b = st.p_ids[ib], st.p_w[ib], st.p_t[ib]
            else:
                ids_b, w_b, t_b = st.c_ids[ib], st.c_w[ib], st.c_t[ib]
            v, e = self.concept_cmp.values(
                st.c_ids[ia], st.c_w[ia], st.c_t[ia], ids_b, w_b, t_b, processing, spec
            )
            concept[mask], evidence[mask] = v, e
        distance, km = self.distance_cmp.values(st.lat[a], st.lon[a], st.lat[b], st.lon[b])
        kind = self.kind_cmp.values(pt, st.kind[a], st.kind[b])
        quantity = self.quantity_cmp.values(
            st.qty_amount[a],
            st.qty_dim[a],
            st.qty_annual[a],
            st.qty_amount[b],
            st.qty_dim[b],
            st.qty_annual[b],
        )
        rare = self.text_cmp.rare_values(st.t_ids[a], st.t_ids[b], st.rarity())
        comps = {"text": rare, "concept": concept, "distance": distance, "kind": kind, "quantity": quantity}
        return comps, evidence, km

    def _bounds(self, comps: dict[str, FloatArray], evidence: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(lower, upper) bound of the score before the fuzzy text part is known."""
        lower = combine_many(comps, evidence, self.settings)
        upper = combine_many({**comps, "text": np.ones_like(comps["text"])}, evidence, self.settings)
        return lower, upper

    def _finish(
        self,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        comps: dict[str, FloatArray],
        evidence: FloatArray,
        km: FloatArray,
    ) -> ScoredPairs:
        """Add the fuzzy text part and score (pairs as given to ``_cheap``)."""
        st = self.store
        workers = self.workers if a.shape[0] >= 20_000 and self.processes == 1 else 1
        fuzzy = self.text_cmp.fuzzy_values(
            st.full_text[a], st.full_text[b], workers
        )
        comps = {**comps, "text": np.maximum(fuzzy, comps["text"])}
        values: dict[str, ValueArray] = dict(comps)
        return ScoredPairs(a, b, pt, combine_many(comps, evidence, self.settings), km, values)

    def _score(self, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8]) -> ScoredPairs:
        """Vectorised component values and scores for oriented pairs (a supplies b)."""
        if a.shape[0] == 0:
            return ScoredPairs.concat([])
        comps, evidence, km = self._cheap(a, b, pt)
        return self._finish(a, b, pt, comps, evidence, km)

    def _score_pruned(
        self,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        need: Callable[[FloatArray, FloatArray], npt.NDArray[np.bool_]],
    ) -> ScoredPairs:
        """Score only pairs whose bounds ``need(lower, upper)`` says may matter (exact for those)."""
        if a.shape[0] == 0:
            return ScoredPairs.concat([])
        comps, evidence, km = self._cheap(a, b, pt)
        lower, upper = self._bounds(comps, evidence)
        keep = need(lower, upper)
        idx = np.flatnonzero(keep)
        sub = {k: v[idx] for k, v in comps.items()}
        return self._finish(a[idx], b[idx], pt[idx], sub, evidence[idx], km[idx])

    def _select(self, sp: ScoredPairs, owners: IntArray | None = None) -> npt.NDArray[np.bool_]:
        """Pairs within the top_n of either listing (among ``sp``), optionally only for ``owners``."""
        s = self.settings
        ok = sp.score >= s.min_score
        ok &= sp.score > 0
        idx = np.flatnonzero(ok)
        if owners is None and idx.size > 50_000:
            return self._select_all(sp, idx)
        owner = np.concatenate([sp.a[idx], sp.b[idx]])
        score = np.concatenate([sp.score[idx], sp.score[idx]])
        if idx.size > 50_000:  # rank all listing ids once instead of the partners present
            rank = self._id_rank()
            partner = np.concatenate([rank[sp.b[idx]], rank[sp.a[idx]]])
            within = top_n_mask(owner, partner, score, s.top_n, dense=True)
        else:
            lid = self.store.listing_id
            partner = np.concatenate([lid[sp.b[idx]], lid[sp.a[idx]]])
            within = top_n_mask(owner, partner, score, s.top_n)
        if owners is not None:
            within &= np.isin(owner, owners)
        keep = np.zeros(len(sp), dtype=bool)
        m = idx.size
        keep[idx[within[:m] | within[m:]]] = True
        return keep

    def _select_all(self, sp: ScoredPairs, idx: IntArray) -> npt.NDArray[np.bool_]:
        """``_select`` for many pairs: ranked owner range by owner range (every pair of an
        owner falls into its range), so the sort temporaries stay near ``RANK_ROWS`` rows."""
        n = self.settings.top_n
        rank = self._id_rank()
        keep = np.zeros(len(sp), dtype=bool)
        if idx.size == len(sp):  # (as after _kept_candidates) no copies needed
            a, b, score = sp.a, sp.b, sp.score
        else:
            a, b, score = sp.a[idx], sp.b[idx], sp.score[idx]
        for ia, ib in _owner_ranges(a, b, self.store.size):
            owner = np.concatenate([a[ia], b[ib]])
            partner = np.concatenate([rank[b[ia]], rank[a[ib]]])
            within = top_n_mask(owner, partner, np.concatenate([score[ia], score[ib]]), n, dense=True)
            keep[idx[ia[within[: ia.size]]]] = True
            keep[idx[ib[within[ia.size :]]]] = True
        return keep

    def _id_rank(self) -> IntArray:
        """Per slot: the rank of its listing id (ties between listings break by id)."""
        size = self.store.size
        rank = np.zeros(max(size, 1), dtype=np.int64)
        rank[np.argsort(self.store.listing_id[:size], kind="stable")] = np.arange(size)
        return rank

    def match_all(self) -> list[Suggestion]:
        """Every suggestion of the registry (best ``top_n`` per listing, either side).

        Sorted by score (desc), then offer and need listing id. Holds every suggestion in
        memory at once (about 1.5 kB each); for very large registries use ``iter_all``.
        """
        with gc_paused():
            out: list[Suggestion] = []
            for batch in self._batches(SUGGESTION_BATCH):
                out.extend(batch)
            return out

    def iter_all(self, batch_size: int = 20_000) -> Iterator[Suggestion]:
        """The suggestions of ``match_all``, in the same order, created batch by batch.

        Only the compact scored pairs are kept whole (about 80 bytes each); suggestion
        objects exist only while the caller holds them — stream them into storage.
        """
        for batch in self._batches(batch_size):
            yield from batch

    def iter_batches(
        self, batch_size: int = SUGGESTION_BATCH, by_offer: bool = False
    ) -> Iterator[list[Suggestion]]:
        """``match_all``'s suggestions, in the same order, as lists of ``batch_size``; with
        ``by_offer``, ordered by offer listing id, then need listing id instead (storage can
        then merge them with its rows range by range).

        Only the compact scored pairs (about 50 bytes each) are held whole; each list exists
        only while the caller holds it — write it to storage and drop it.
        """
        return self._batches(batch_size, by_offer)

    def _batches(self, batch_size: int, by_offer: bool = False) -> Iterator[list[Suggestion]]:
        """Sorted suggestions in lists of ``batch_size``.

        (Building them in forked workers was tried: copy-on-write faults on the features
        they read and pickling cost more than the Python work saved.)
        """
        with gc_paused():
            sp = self._all_kept()
            lid = self.store.listing_id
            if by_offer:
                sp.reorder(np.lexsort((lid[sp.b], lid[sp.a])))
            else:
                sp.reorder(np.lexsort((lid[sp.b], lid[sp.a], -sp.score)))
        size = max(1, batch_size)
        # The collector runs between batches (the caller allocates too) but need not walk the
        # index's millions of objects each time.
        with _gc_frozen():
            for lo in range(0, len(sp), size):
                with gc_paused():
                    batch = self._suggestions(sp.take(np.arange(lo, min(lo + size, len(sp)))), sort=False)
                yield batch

    def _parallel(self) -> bool:
        return self.processes > 1 and hasattr(os, "fork")

    def _all_kept(self) -> ScoredPairs:
        """Every pair within some listing's top_n (exact), in parallel processes if configured."""
        workers = self.processes
        if self._parallel() and self.store.alive_count >= PARALLEL_MIN_LISTINGS:
            global _FORKED
            _FORKED = self
            try:
                # this process scores the first part itself: one forked copy fewer in memory
                with _gc_frozen(), gc_paused():
                    ctx = multiprocessing.get_context("fork")
                    senders = []
                    for w in range(1, workers):
                        receiver, sender = ctx.Pipe(duplex=False)
                        worker = ctx.Process(target=_send_kept_parts, args=(sender, w, workers), daemon=True)
                        worker.start()
                        sender.close()
                        senders.append((receiver, worker))
                    parts = self._kept_parts(0, workers)
                    for receiver, worker in senders:
                        while (got := receiver.recv()) is not None:
                            if isinstance(got, BaseException):
                                raise got
                            parts.append(got)
                        receiver.close()
                        worker.join()
            finally:
                _FORKED = None
            # a joint floor over all workers' pairs drops, part by part, what no top_n needs
            floor = RunningTopN(self.store.size, self.settings.top_n)
            for p in parts:  # side by side and in slices: the sort temporaries stay small
                for side in (p.a, p.b):
                    for lo in range(0, side.shape[0], RANK_ROWS):
                        floor.update(side[lo : lo + RANK_ROWS].astype(np.int64), p.score[lo : lo + RANK_ROWS])
            _refilter(parts, floor)
            allp = ScoredPairs.concat(parts)
            del parts
        else:
            allp = self._kept_candidates(0, 1)
        allp = allp.take(self._select(allp))
        # every listing's own top_n is among the selected pairs: store its best top_n + 1
        self._top.reset(self.store.capacity)
        self._top.fill(None, allp, self._id_rank())
        return allp

    def prepare_incremental(self) -> None:
        """Score the whole registry once (as ``match_all`` does, without building suggestions)
        so that ``match_listing`` can use every listing's stored cut-off from then on."""
        with gc_paused():
            self._all_kept()

    def _kept_candidates(self, part: int, parts: int) -> ScoredPairs:
        return ScoredPairs.concat(self._kept_parts(part, parts))

    def _kept_parts(self, part: int, parts: int) -> list[ScoredPairs]:
        """Pairs of every ``parts``-th candidate batch (from ``part``) that may be suggested,
        in bundles of about ``COALESCE_PAIRS`` (one array would hold every pair twice while
        it is joined).

        ``floor`` tracks, per listing, the n-th best score seen so far — a lower bound of its
        final n-th best. A pair below the floor of both its listings can never be suggested:
        its fuzzy text is not computed when even its *upper* bound is below, and kept pairs
        are re-filtered as floors rise, so memory stays near top_n pairs per listing.
        """
        s = self.settings
        floor = RunningTopN(self.store.size, s.top_n)
        survivors: list[ScoredPairs] = []
        held, limit = 0, COMPACT_PAIRS
        step = max(1, s.chunk_pairs)
        max_pairs = 1_000_000 if parts == 1 else 400_000
        for ca, cb, cpt in self.blocking.iter_all_candidates(max_pairs, part, parts):
            for lo in range(0, ca.shape[0], step):
                a, b, pt = ca[lo : lo + step], cb[lo : lo + step], cpt[lo : lo + step]
                comps, evidence, km = self._cheap(a, b, pt)
                _, upper = self._bounds(comps, evidence)
                need = (upper >= s.min_score) & (upper > 0)
                need &= (upper >= floor.threshold(a)) | (upper >= floor.threshold(b))
                idx = np.flatnonzero(need)
                if idx.size == 0:
                    continue
                got = self._finish(
                    a[idx], b[idx], pt[idx], {k: v[idx] for k, v in comps.items()}, evidence[idx], km[idx]
                )
                got = got.take((got.score >= s.min_score) & (got.score > 0))
                floor.update(np.concatenate([got.a, got.b]), np.concatenate([got.score, got.score]))
                got = got.take((got.score >= floor.threshold(got.a)) | (got.score >= floor.threshold(got.b)))
                survivors.append(got.compact())
                held += len(got)
                if held > limit:  # floors have risen since: drop what fell below both
                    held = _refilter(survivors, floor)
                    limit = max(COMPACT_PAIRS, held + held // 2)
        _refilter(survivors, floor)
        return _coalesced(survivors, COALESCE_PAIRS)

    def match_listing(self, listing_id: int) -> list[Suggestion]:
        """All suggestions involving one listing, after it changed (incremental update).

        Exact for the listing's own ranking: its own top_n pairs are those of a rebuild.
        For a partner y it adds the pair when the listing is within y's top_n judged
        against y's *stored* best pairs (``TopEntries``: y's best top_n + 1 pairs at the
        last full recompute, updated by every ``match_listing`` since), re-scored now. Those
        are real candidates of y, so no pair a rebuild would suggest is missed; a pair may
        be one too many when y's ranking has gained better pairs (through other changes)
        since — until the next full recompute. Right after ``match_all``/``iter_all``/
        ``prepare_incremental`` (no changes since) the result is exactly ``match_all``'s
        pairs involving the listing. Partners without stored pairs (added since the last
        recompute and never matched) are ranked exactly by re-scoring their candidates.
        """
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return []
        s = self.settings
        top = self._top
        top.ensure(self.store.capacity)
        me = np.asarray([slot], dtype=np.int64)
        a, b, pt = self.blocking.candidates_of(me)
        mine = self._score_pruned(a, b, pt, lambda lo, up: up >= s.min_score)
        mine = mine.take((mine.score >= s.min_score) & (mine.score > 0))
        lid = self.store.listing_id
        partner = np.where(mine.a == slot, mine.b, mine.a)
        top.fill(me, mine, lid)
        if len(mine) == 0:
            return []
        keep_mine = self._select(mine, owners=me)
        undecided = np.flatnonzero(~keep_mine)
        if undecided.size:
            owners, target = partner[undecided], mine.score[undecided]
            stored = top.known[owners]
            if stored.any():
                chosen = self._beats_stored(slot, owners[stored], target[stored])
                keep_mine[undecided[stored][chosen]] = True
            if not stored.all():
                chosen = self._ranks_within_top_n(slot, owners[~stored], target[~stored])
                keep_mine[undecided[~stored][chosen]] = True
        # the partners' stored rankings now hold this listing's current score
        top.offer(partner, slot, mine.pt, mine.b == slot, mine.score, self.store.alive)
        return self._suggestions(mine.take(keep_mine))

    def _beats_stored(self, slot: int, owners: IntArray, target: FloatArray) -> npt.NDArray[np.bool_]:
        """For each owner y: is ``slot`` within y's top_n among y's stored pairs, re-scored now?"""
        top, st = self._top, self.store
        part = top.partner[owners].astype(np.int64)  # (owners, k)
        valid = (part >= 0) & (part != slot)
        valid &= st.alive[np.maximum(part, 0)]
        rows_owner, col = np.nonzero(valid)
        z = part[rows_owner, col]
        y = owners[rows_owner]
        is_a = top.is_a[owners][rows_owner, col]
        ya, yb = np.where(is_a, y, z), np.where(is_a, z, y)
        ypt = top.pt[owners][rows_owner, col]
        return self._count_beaters(slot, owners, target, rows_owner, ya, yb, ypt, z)

    def _ranks_within_top_n(self, slot: int, owners: IntArray, target: FloatArray) -> npt.NDArray[np.bool_]:
        """For each owner y (with score(slot, y) = target): is ``slot`` within y's top_n?

        Exact: ranks against all of y's current candidates."""
        ya, yb, ypt = self.blocking.candidates_of(owners)
        not_me = (ya != slot) & (yb != slot)
        ya, yb, ypt = ya[not_me], yb[not_me], ypt[not_me]
        # one row per (owner, other pair) — a pair between two owners counts for both
        owner_of_a = _position_in(owners, ya)
        owner_of_b = _position_in(owners, yb)
        rows_pair = np.concatenate([np.flatnonzero(owner_of_a >= 0), np.flatnonzero(owner_of_b >= 0)])
        rows_owner = np.concatenate([owner_of_a[owner_of_a >= 0], owner_of_b[owner_of_b >= 0]])
        rows_partner = np.concatenate([yb[owner_of_a >= 0], ya[owner_of_b >= 0]])
        return self._count_beaters(
            slot, owners, target, rows_owner, ya[rows_pair], yb[rows_pair], ypt[rows_pair], rows_partner
        )

    def _count_beaters(
        self,
        slot: int,
        owners: IntArray,
        target: FloatArray,
        rows_owner: IntArray,
        ya: IntArray,
        yb: IntArray,
        ypt: npt.NDArray[np.int8],
        rows_partner: IntArray,
    ) -> npt.NDArray[np.bool_]:
        """Per owner: do fewer than top_n of its rows (pairs ya-yb) beat ``target``?

        Cheap bounds first; the fuzzy text part only for rows the bounds cannot decide."""
        s, n = self.settings, self.settings.top_n
        k = owners.shape[0]
        if rows_owner.size == 0:
            return np.ones(k, dtype=bool)
        lid = self.store.listing_id
        my_id = lid[slot]
        comps, evidence, km = self._cheap(ya, yb, ypt)
        lower, upper = self._bounds(comps, evidence)
        t = target[rows_owner]
        sure = lower > t
        maybe = ~sure & (upper >= t) & (upper >= s.min_score)
        sure_count = np.bincount(rows_owner[sure], minlength=k)
        maybe_count = np.bincount(rows_owner[maybe], minlength=k)
        inside = sure_count + maybe_count < n
        open_owner = ~inside & (sure_count < n)
        exact_rows = np.flatnonzero(maybe & open_owner[rows_owner])
        if exact_rows.size:
            part = self._finish(
                ya[exact_rows],
                yb[exact_rows],
                ypt[exact_rows],
                {c: v[exact_rows] for c, v in comps.items()},
                evidence[exact_rows],
                km[exact_rows],
            )
            sc = np.where(part.score > 0, part.score, -1.0)
            tt = t[exact_rows]
            beats = (sc > tt) | ((sc == tt) & (lid[rows_partner[exact_rows]] < my_id))
            beats &= sc >= s.min_score
            beat_count = sure_count + np.bincount(rows_owner[exact_rows][beats], minlength=k)
            inside |= open_owner & (beat_count < n)
        return inside

    def ranked_for(self, listing_id: int, limit: int | None = None) -> list[Suggestion]:
        """This listing's own ranking of all its candidates with score >= min_score."""
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return []
        s = self.settings
        a, b, pt = self.blocking.candidates_of(np.asarray([slot], dtype=np.int64))
        sp = self._score(a, b, pt)
        sp = sp.take((sp.score >= s.min_score) & (sp.score > 0))
        lid = self.store.listing_id
        partner = np.where(sp.a == slot, lid[sp.b], lid[sp.a])
        order = np.lexsort((partner, -sp.score))
        if limit is not None:
            order = order[:limit]
        return self._suggestions(sp.take(order), sort=False)

    def score_pair(self, listing_a: int, listing_b: int) -> Suggestion | None:
        """Score any two listings (in either order) regardless of blocking and top_n.

        ``None`` when they cannot pair (same company, incompatible directions/kinds).
        """
        sa, sb = self._slot_of.get(listing_a), self._slot_of.get(listing_b)
        if sa is None or sb is None:
            return None
        fa, fb = self.store.features[sa], self.store.features[sb]
        if fa is None or fb is None:
            return None
        oriented = orient(fa.record, fb.record)
        if oriented is None:
            return None
        left = sa if oriented[0] is fa.record else sb
        right = sb if left == sa else sa
        sp = self._score(
            np.asarray([left], dtype=np.int64),
            np.asarray([right], dtype=np.int64),
            np.asarray([PAIR_TYPE_CODE[oriented[2]]], dtype=np.int8),
        )
        return self._suggestions(sp)[0]

    # -- output ---------------------------------------------------------------------------
    def _suggestions(self, sp: ScoredPairs, sort: bool = True) -> list[Suggestion]:
        """Suggestion objects (with reasons) for scored pairs; sorted by score, then ids."""
        st = self.store
        ctx = self._context()
        lid = st.listing_id
        if sort and len(sp):
            order = np.lexsort((lid[sp.b], lid[sp.a], -sp.score))
            sp = sp.take(order)
        rows = zip(
            *(np.round(sp.comps[k].astype(np.float64), COMPONENT_DECIMALS).tolist() for k in COMPONENTS),
            strict=True,
        )
        out: list[Suggestion] = []
        self._build_suggestions(sp, rows, ctx, out)
        return out

    def _build_suggestions(
        self,
        sp: ScoredPairs,
        rows: Iterable[tuple[float, ...]],
        ctx: CompareContext,
        out: list[Suggestion],
    ) -> None:
        """The per-pair Python part: concept matches come pre-picked (vectorised), listing
        shared reasons (distance, kind, quantity) from the cache."""
        features = self.store.features
        version = self._version_label
        best_a, best_b, second_a, second_b = (x.tolist() for x in self._concept_picks(sp))
        concept_reason = self._concept_reason
        text_reasons = self.text_cmp.reasons
        quantity_reason = self._quantity_reason
        distance_reason = self._distance_reason
        typo_reasons = self._typo_reasons_fast
        components = _components_dict
        reason_cache = self._reason_cache
        append = out.append
        for a, b, p, score, km, comp, ba, bb, sa, sb, q in zip(
            sp.a.tolist(),
            sp.b.tolist(),
            sp.pt.tolist(),
            sp.score.tolist(),
            sp.km.tolist(),
            rows,
            best_a,
            best_b,
            second_a,
            second_b,
            self._quantity_codes(sp).tolist(),
            strict=True,
        ):
            fa, fb = features[a], features[b]
            assert fa is not None and fb is not None
            pair_type: PairType = PAIR_TYPE_ORDER[p]
            known_km = None if km != km else km
            # order: concept, text, typo repairs, quantity, distance, kind (as ``_reasons``)
            reasons: list[Reason] = []
            if ba >= 0:
                hb = fb.process_inputs if p == PROCESSING else fb.concepts
                reasons.append(concept_reason(fa.concepts[ba], hb[bb], fa, fb, pair_type, ctx))
                if sa >= 0:
                    reasons.append(concept_reason(fa.concepts[sa], hb[sb], fa, fb, pair_type, ctx))
            text_value = comp[0]
            if text_value >= 0.70:
                reasons.extend(text_reasons(Pair(fa, fb, pair_type), text_value, ctx))
            if fa.corrections or fb.corrections:
                reasons.extend(typo_reasons(fa, fb))
            if q != NO_QUANTITY:
                reasons.append(quantity_reason(q, p, fa.record.unit, fb.record.unit))
            reasons.append(distance_reason(None if known_km is None else round(known_km)))
            ra, rb = fa.record, fb.record
            if ra.kind != rb.kind or p == PROCESSING:
                key = ("kind", pair_type, ra.kind, rb.kind)
                shared = reason_cache.get(key)
                if shared is None:
                    kind_pair = Pair(fa, fb, pair_type)
                    shared = self._shared(key, lambda pair=kind_pair: self.kind_cmp.reasons(pair))
                reasons.extend(shared)  # type: ignore[arg-type]
            append(
                Suggestion(
                    ra.listing_id,
                    rb.listing_id,
                    ra.company_id,
                    rb.company_id,
                    pair_type,
                    score,
                    components(comp),
                    None if known_km is None else round(known_km, 1),
                    tuple(reasons),
                    version,
                )
            )

    def _quantity_codes(self, sp: ScoredPairs) -> IntArray:
        """Per pair what ``QuantityComparison.reasons`` says, vectorised from the stored
        columns: ``NO_QUANTITY`` (a side states none), ``UNITS_DIFFER``, or the percentage
        shown (as the scalar code rounds it)."""
        st = self.store
        a, b = sp.a.astype(np.int64), sp.b.astype(np.int64)
        dim_a, dim_b = st.qty_dim[a], st.qty_dim[b]
        ann_a, ann_b = st.qty_annual[a], st.qty_annual[b]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                ~np.isnan(ann_a) & ~np.isnan(ann_b), ann_a / ann_b, st.qty_amount[a] / st.qty_amount[b]
            )
            pct = np.minimum(100.0, ratio * 100.0)
            shown = np.where(pct >= 10, np.round(pct / 5.0) * 5, np.maximum(1, np.round(pct)))
        shown = np.nan_to_num(shown, nan=1.0)
        out = shown.astype(np.int64)
        out[dim_a != dim_b] = UNITS_DIFFER
        out[(dim_a < 0) | (dim_b < 0)] = NO_QUANTITY
        return out

    def _quantity_reason(self, code: int, pt: int, unit_a: str | None, unit_b: str | None) -> Reason:
        key = (
            ("quantity", code, pt == PROCESSING, unit_a, unit_b)
            if code == UNITS_DIFFER
            else ("quantity", code, pt == PROCESSING)
        )
        hit = self._reason_cache.get(key)
        if hit is None:
            if code == UNITS_DIFFER:
                hit = Reason("quantity_units", {"a": unit_a or "", "b": unit_b or ""})
            else:
                hit = Reason("quantity_capacity" if pt == PROCESSING else "quantity_cover", {"pct": code})
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _concept_picks(self, sp: ScoredPairs) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Per pair, the concept matches ``ConceptComparison.reasons`` explains, vectorised.

        Returns positions in ``concepts`` of the offer and ``concepts`` (``process_inputs``
        for processing) of the receiver: (best a, best b, second a, second b); -1 for none.
        The best match has the largest contribution (ties: the larger concept id); the
        second the largest among those derived from another word (``via``) with at
        least half the best's contribution — as the scalar ``reasons`` picks them.
        """
        st = self.store
        m = len(sp)
        best_a = np.full(m, -1, dtype=np.int64)
        best_b = np.full(m, -1, dtype=np.int64)
        second_a = np.full(m, -1, dtype=np.int64)
        second_b = np.full(m, -1, dtype=np.int64)
        if m == 0:
            return best_a, best_b, second_a, second_b
        spec = st.specificity()
        cc = self.concept_cmp
        proc = sp.pt == PROCESSING
        for mask, processing in ((proc, True), (~proc, False)):
            sel = np.flatnonzero(mask)
            if sel.size == 0:
                continue
            ia_slots, ib_slots = sp.a[sel].astype(np.int64), sp.b[sel].astype(np.int64)
            ids_a, w_a, t_a = st.c_ids[ia_slots], st.c_w[ia_slots], st.c_t[ia_slots]
            pos_a = st.c_pos[ia_slots].ravel()
            if processing:
                ids_b, w_b, t_b = st.p_ids[ib_slots], st.p_w[ib_slots], st.p_t[ib_slots]
                pos_b, factor = st.p_pos[ib_slots].ravel(), cc.proc_factor
            else:
                ids_b, w_b, t_b = st.c_ids[ib_slots], st.c_w[ib_slots], st.c_t[ib_slots]
                pos_b, factor = st.c_pos[ib_slots].ravel(), cc.std_factor
            rows, fa, fb = matching_entries(ids_a, ids_b)
            if rows.size == 0:
                continue
            ca = ids_a.ravel()[fa]
            f = factor[t_a.ravel()[fa], t_b.ravel()[fb]]
            ok = f > 0
            rows, fa, fb, ca, f = rows[ok], fa[ok], fb[ok], ca[ok], f[ok]
            if rows.size == 0:
                continue
            t = w_a.ravel()[fa] * w_b.ravel()[fb] * f * spec[ca]
            via = st.c_via[ia_slots].ravel()[fa]
            # concept ids are sorted by name, so the id breaks ties as the name does
            order = np.lexsort((-ca, -t, rows))
            rows, fa, fb, t, via = rows[order], fa[order], fb[order], t[order], via[order]
            first = np.r_[True, rows[1:] != rows[:-1]]
            head = np.flatnonzero(first)
            group = np.cumsum(first) - 1
            best_t, best_via = t[head][group], via[head][group]
            rest = ~first & (via != best_via) & (t >= 0.5 * best_t)
            rr = np.flatnonzero(rest)
            if rr.size:
                rrows = rows[rr]
                rfirst = np.r_[True, rrows[1:] != rrows[:-1]]
                take = rr[rfirst]
                tgt = sel[rows[take]]
                second_a[tgt], second_b[tgt] = pos_a[fa[take]], pos_b[fb[take]]
            tgt = sel[rows[head]]
            best_a[tgt], best_b[tgt] = pos_a[fa[head]], pos_b[fb[head]]
        return best_a, best_b, second_a, second_b

    def _reasons(
        self, pair: Pair, ctx: CompareContext, text_value: float, km: float | None
    ) -> tuple[Reason, ...]:
        """Structured reasons for a kept pair (component values already known) — the scalar
        reference that ``_build_suggestions`` reproduces with vectorised parts (tested equal).

        Order: concept, text, typo repairs, quantity, distance, kind. Levels that explain
        nothing (no shared concept, unrelated wording, a quantity nobody stated, the
        expected kinds) add no reason.
        """
        fa, fb = pair.offer, pair.receiver
        reasons = list(self.concept_cmp.reasons(pair, ctx))
        if text_value >= 0.70:
            reasons.extend(self.text_cmp.reasons(pair, text_value, ctx))
        if fa.corrections or fb.corrections:
            reasons.extend(self._typo_reasons(fa, fb))
        if fa.quantity is not None and fb.quantity is not None:
            reasons.extend(self.quantity_cmp.reasons(pair))
        reasons.append(self._distance_reason(None if km is None else round(km)))
        if fa.record.kind != fb.record.kind or pair.pair_type == "processing":
            key = ("kind", pair.pair_type, fa.record.kind, fb.record.kind)
            reasons.extend(self._shared(key, lambda: self.kind_cmp.reasons(pair)))
        return tuple(reasons)

    def _concept_reason(
        self,
        ha: ConceptHit,
        hb: ConceptHit | ProcessEntry,
        fa: ListingFeatures,
        fb: ListingFeatures,
        pair_type: PairType,
        ctx: CompareContext,
    ) -> Reason:
        """``ConceptComparison._reason`` for a match, shared between pairs whose reason is the
        same: it depends only on the two entries (and, for a capability's own concept, on
        the receiver — not shared)."""
        key: tuple[object, ...]
        if type(hb) is ConceptHit:
            key = ("concept", ha.concept, ha.type, ha.surface, ha.key, hb.type, hb.surface, hb.key)
        elif type(hb) is ProcessEntry and hb.process:
            key = ("process_input", ha.concept, ha.surface, ha.via, hb.process)
        else:
            return self.concept_cmp._reason((0.0, ha, hb), Pair(fa, fb, pair_type), ctx)
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = self.concept_cmp._reason((0.0, ha, hb), Pair(fa, fb, pair_type), ctx)
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _distance_reason(self, km: int | None) -> Reason:
        hit = self._reason_cache.get(km)
        if hit is None:
            hit = Reason("distance_unknown", {}) if km is None else Reason("distance", {"km": km})
            self._remember(km, hit)
        return hit  # type: ignore[return-value]

    def _shared(self, key: object, make: Callable[[], tuple[Reason, ...]]) -> tuple[Reason, ...]:
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = make()
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _remember(self, key: object, value: object) -> None:
        if len(self._reason_cache) > 200_000:
            self._reason_cache.clear()
        self._reason_cache[key] = value

    @staticmethod
    def _typo_reasons_fast(fa: ListingFeatures, fb: ListingFeatures) -> list[Reason]:
        """``_typo_reasons`` without building the other side's word and concept sets per pair:
        a word is looked up in the space-separated text, a shared term by scanning the few
        entries of both sides (only for concepts whose key contains the repaired word)."""
        out: list[Reason] = []
        seen: set[str] = set()
        for f, other in ((fa, fb), (fb, fa)):
            if not f.corrections:
                continue
            text = f" {other.full_text} "
            for wrong, right in f.corrections:
                if wrong in seen:
                    continue
                if " " in right or f" {right} " not in text:
                    # part of a term (key) of a concept the other side has too?
                    for h in f.concepts:
                        if right in h.key:
                            c = h.concept
                            if any(o.concept == c for o in other.concepts) or any(
                                e.concept == c for e in other.process_inputs
                            ):
                                break
                    else:
                        continue
                seen.add(wrong)
                out.append(Reason("typo", {"from": wrong, "to": right}))
        return out

    @staticmethod
    def _typo_reasons(fa: ListingFeatures, fb: ListingFeatures) -> list[Reason]:
        """Typo repairs that matter for this pair: the repaired word recurs on the other side
        or is part of a term both sides share."""
        out: list[Reason] = []
        seen: set[str] = set()
        for f, other in ((fa, fb), (fb, fa)):
            if not f.corrections:
                continue
            shared = {h.concept for h in other.concepts} | {e.concept for e in other.process_inputs}
            keys = [h.key for h in f.concepts if h.concept in shared]
            other_words = set(other.full_text.split())
            for wrong, right in f.corrections:
                if wrong in seen or not (right in other_words or any(right in k for k in keys)):
                    continue
                seen.add(wrong)
                out.append(Reason("typo", {"from": wrong, "to": right}))
        return out

    def explain_levels(self, listing_a: int, listing_b: int) -> dict[str, str]:
        """Level name of every comparison for a pair (debugging / tests)."""
        sa, sb = self._slot_of.get(listing_a), self._slot_of.get(listing_b)
        if sa is None or sb is None:
            return {}
        fa, fb = self.store.features[sa], self.store.features[sb]
        if fa is None or fb is None:
            return {}
        oriented = orient(fa.record, fb.record)
        if oriented is None:
            return {}
        first = fa if oriented[0] is fa.record else fb
        second = fb if first is fa else fa
        pair = Pair(first, second, oriented[2])
        ctx = self._context()
        return {
            c.name: c.compare(pair, ctx).level.name
            for c in (self.text_cmp, self.concept_cmp, self.distance_cmp, self.kind_cmp, self.quantity_cmp)
        }
