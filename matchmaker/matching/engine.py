"""Public API: ``MatchIndex`` — build, match everything, match one listing, keep current.

Pipeline: ``features`` (normalisation + concepts) -> ``blocking`` (candidate pairs) ->
``scoring`` (vectorised ``compare`` values, ``score``) -> ``ranking`` (top_n of either
listing; ``incremental`` for one listing) -> ``reasons`` (suggestions with structured
reasons; rendered by ``explain``). ``parallel`` runs the heavy steps in forked workers.

Ranking semantics (identical in ``match_all`` and ``match_listing``): every listing ranks
its candidates by raw score (desc), then partner listing id (asc); a pair with raw
``score >= min_score`` is suggested when it is within the ``top_n`` of *either* of its two
listings. The suggestions then carry locally scaled scores (``scaling``), which order them.
Everything is computed from the current listings only, so an index kept current with
``upsert``/``remove`` answers ``match_all`` exactly like one rebuilt from the same
listings. ``match_listing`` (the incremental update) is exact for the listing's own top_n
and never misses a pair, but judges partners against their stored best pairs, so a partner
may keep one pair too many until the next full recompute (see ``incremental``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matchmaker.matching import incremental, parallel, ranking, scaling
from matchmaker.matching.blocking import BlockingIndex
from matchmaker.matching.compare import Pair
from matchmaker.matching.features import Analyser, ListingFeatures
from matchmaker.matching.parallel import gc_frozen, gc_paused
from matchmaker.matching.reasons import SuggestionBuilder
from matchmaker.matching.records import ListingRecord, PairBatch, Suggestion
from matchmaker.matching.roles import PAIR_TYPE_CODE, orient
from matchmaker.matching.score import output_order, rank_order, suggestible
from matchmaker.matching.scored import ScoredPairs
from matchmaker.matching.scoring import Scorer
from matchmaker.matching.settings import COMPONENTS, MatchSettings
from matchmaker.matching.store import ListingStore
from matchmaker.matching.thesaurus import Thesaurus

SUGGESTION_BATCH = 20_000  # suggestions built (and held by the caller) at a time


class CandidateTable(NamedTuple):
    """A listing's candidates: partner listing ids, component values (columns in
    ``settings.COMPONENTS`` order, NaN where unknown) and scores (0 when gated out)."""

    partner: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    score: npt.NDArray[np.float64]

    @staticmethod
    def empty() -> CandidateTable:
        return CandidateTable(
            np.zeros(0, dtype=np.int64), np.zeros((0, len(COMPONENTS))), np.zeros(0, dtype=np.float64)
        )


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
        self.scorer = Scorer(self.settings, self.thesaurus, self.store, self.processes)
        self.text_cmp, self.concept_cmp = self.scorer.text_cmp, self.scorer.concept_cmp
        self.distance_cmp, self.kind_cmp = self.scorer.distance_cmp, self.scorer.kind_cmp
        self.quantity_cmp = self.scorer.quantity_cmp
        self.semantic_cmp, self.grade_cmp = self.scorer.semantic_cmp, self.scorer.grade_cmp
        label = self.settings.version_label(self.thesaurus.fingerprint())
        self.builder = SuggestionBuilder(self.scorer, label)
        # per listing its best pairs at the last full recompute / match_listing
        self._top = incremental.TopEntries(self.settings.top_n + 1)

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
        if parallel.worth_forking(self.processes, len(active)):
            slots = parallel.analyse_in_workers(self, active)
        else:
            analyse = self.analyser.analyse
            slots = self.store.add_many([analyse(r) for r in active])
        for r, slot in zip(active, slots, strict=True):
            self._slot_of[r.listing_id] = slot
        self.blocking.bulk_add(slots)

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

    # -- the whole registry ---------------------------------------------------------------
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

    def iter_all(self, batch_size: int = SUGGESTION_BATCH) -> Iterator[Suggestion]:
        """The suggestions of ``match_all``, in the same order, created batch by batch.

        Only the compact scored pairs are kept whole (about 40 bytes each); suggestion
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

        Only the compact scored pairs (about 40 bytes each) are held whole; each list exists
        only while the caller holds it — write it to storage and drop it.
        """
        return self._batches(batch_size, by_offer)

    def prepare_incremental(self) -> None:
        """Score the whole registry once (as ``match_all`` does, without building suggestions)
        so that ``match_listing`` can use every listing's stored cut-off from then on."""
        with gc_paused():
            self._all_kept()

    def iter_pair_batches(
        self, batch_size: int = SUGGESTION_BATCH, by_offer: bool = False
    ) -> Iterator[PairBatch]:
        """``iter_batches``'s pairs, in the same order and batches, as ``PairBatch``es: their
        ids, scores and distances, with the suggestion objects made only for the rows the
        caller asks for (storage asks for the new and changed pairs only)."""
        lid = self.store.listing_id
        version = self.builder.version_label
        for part in self._slices(batch_size, by_offer):
            with gc_paused():
                batch = PairBatch(
                    lid[part.a].tolist(),
                    lid[part.b].tolist(),
                    part.score.tolist(),
                    [None if km != km else round(km, 1) for km in part.km.tolist()],  # as in a Suggestion
                    [version] * len(part),
                    lambda rows, part=part: self._suggestions_of(part, rows),
                )
            yield batch

    def _suggestions_of(self, part: ScoredPairs, rows: list[int]) -> list[Suggestion]:
        with gc_paused():
            return self.builder.suggestions(part.take(np.asarray(rows, dtype=np.int64)), sort=False)

    def _batches(self, batch_size: int, by_offer: bool = False) -> Iterator[list[Suggestion]]:
        """Sorted suggestions in lists of ``batch_size``.

        (Building them in forked workers was tried: copy-on-write faults on the features
        they read and pickling cost more than the Python work saved.)
        """
        for part in self._slices(batch_size, by_offer):
            with gc_paused():
                batch = self.builder.suggestions(part, sort=False)
            yield batch

    def _slices(self, batch_size: int, by_offer: bool) -> Iterator[ScoredPairs]:
        """The kept pairs in output order (or by offer, then need listing id), ``batch_size``
        at a time."""
        sp = self._ordered_kept(by_offer)
        size = max(1, batch_size)
        # The collector runs between batches (the caller allocates too) but need not walk the
        # index's millions of objects each time.
        with gc_frozen():
            for lo in range(0, len(sp), size):
                yield sp.take(np.arange(lo, min(lo + size, len(sp))))

    def _ordered_kept(self, by_offer: bool) -> ScoredPairs:
        """Every kept pair, in output order or by offer then need listing id."""
        with gc_paused():
            sp = self._all_kept()
            lid = self.store.listing_id
            if by_offer:
                sp.reorder(np.lexsort((lid[sp.b], lid[sp.a])))
            else:
                sp.reorder(output_order(sp.score, lid[sp.a], lid[sp.b]))
        return sp

    def _all_kept(self) -> ScoredPairs:
        """Every pair within some listing's top_n (exact), in parallel processes if configured."""
        if parallel.worth_forking(self.processes, self.store.alive_count):
            allp = ranking.joined(parallel.kept_in_workers(self), self.store.size, self.settings.top_n)
        else:
            allp = ScoredPairs.concat_emptying(self._kept_parts(0, 1))
        allp.keep(ranking.select(allp, self.store, self.settings))
        # every listing's own top_n is among the selected pairs: store its best top_n + 1
        self._top.reset(self.store.capacity)
        self._top.fill(None, allp, ranking.id_rank(self.store))
        self._scale(allp)
        return allp

    def _scale(self, sp: ScoredPairs) -> None:
        """Chosen on raw scores, the pairs now carry their locally scaled ones (``scaling``),
        from every listing's best raw pairs as they are stored now."""
        if self.settings.local_scaling_weight == 0.0 or len(sp) == 0:
            return
        top = self._top
        top.ensure(self.store.capacity)
        # the slots involved only (one listing's update touches a few dozen), in slices
        slots = np.arange(self.store.capacity) if len(sp) >= self.store.capacity else np.unique(
            np.concatenate([sp.a, sp.b]))
        # (a listing's top_n best are sure to be stored; its (top_n + 1)-th may not be)
        k = min(self.settings.local_scaling_k, self.settings.top_n)
        best = np.full(self.store.capacity, np.nan)
        for lo in range(0, slots.shape[0], ranking.RANK_ROWS // 8):
            part = slots[lo : lo + ranking.RANK_ROWS // 8]
            best[part] = scaling.best_means(top.score[part], k)
        best[~top.known] = np.nan  # added since the last recompute, never matched: no correction
        for lo in range(0, len(sp), ranking.RANK_ROWS):  # (bounded temporaries at 100k companies)
            rows = slice(lo, lo + ranking.RANK_ROWS)
            a, b = sp.a[rows], sp.b[rows]
            sp.score[rows] = scaling.scaled(sp.score[rows], best[a], best[b], self.settings)
        self.builder.best_means = best  # (the reasons say what the scaling added)

    def _kept_parts(self, part: int, parts: int) -> list[ScoredPairs]:
        """The pairs of candidate partition ``part`` of ``parts`` that may be suggested (what a
        scoring worker computes)."""
        return ranking.kept_parts(self.scorer, self.blocking, part, parts)

    # -- one listing, one pair ------------------------------------------------------------
    def match_listing(self, listing_id: int) -> list[Suggestion]:
        """All suggestions involving one listing, after it changed (incremental update).

        Exact for the listing's own ranking; for a partner it judges against the partner's
        stored best pairs, so a pair may be one too many until the next full recompute —
        see ``incremental``. Right after ``match_all``/``iter_all``/``prepare_incremental``
        (no changes since) the result is exactly ``match_all``'s pairs involving the listing.
        """
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return []
        kept = incremental.listing_pairs(slot, self._top, self.scorer, self.blocking)
        self._scale(kept)
        return self.builder.suggestions(kept) if len(kept) else []

    def ranked_for(self, listing_id: int, limit: int | None = None) -> list[Suggestion]:
        """This listing's own ranking of all its candidates with score >= min_score."""
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return []
        self._top.ensure(self.store.capacity)
        if self.settings.local_scaling_weight and not self._top.known[self.store.alive].all():
            self.prepare_incremental()  # every listing's best pairs, for the scaled scores
        a, b, pt = self.blocking.candidates_of(np.asarray([slot], dtype=np.int64))
        sp = self.scorer.score(a, b, pt)
        sp = sp.take(suggestible(sp.score, self.settings))
        self._scale(sp)
        lid = self.store.listing_id
        order = rank_order(sp.score, np.where(sp.a == slot, lid[sp.b], lid[sp.a]))
        if limit is not None:
            order = order[:limit]
        return self.builder.suggestions(sp.take(order), sort=False)

    def candidates(self, listing_id: int) -> CandidateTable:
        """Every candidate of a listing with its component values and score, whatever the
        score (for learning weights: the losers teach as much as the winners)."""
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return CandidateTable.empty()
        a, b, pt = self.blocking.candidates_of(np.asarray([slot], dtype=np.int64))
        sp = self.scorer.score(a, b, pt)
        lid = self.store.listing_id
        partner = np.where(sp.a == slot, lid[sp.b], lid[sp.a])
        values = np.column_stack([np.asarray(sp.comps[c], dtype=np.float64) for c in COMPONENTS])
        return CandidateTable(partner, values.reshape(len(sp), len(COMPONENTS)), sp.score)

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
        sp = self.scorer.score(
            np.asarray([left], dtype=np.int64),
            np.asarray([right], dtype=np.int64),
            np.asarray([PAIR_TYPE_CODE[oriented[2]]], dtype=np.int8),
        )
        self._scale(sp)
        return self.builder.suggestions(sp)[0]

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
        ctx = self.scorer.context()
        return {
            c.name: c.compare(pair, ctx).level.name
            for c in (self.text_cmp, self.concept_cmp, self.distance_cmp, self.kind_cmp, self.quantity_cmp)
        }
