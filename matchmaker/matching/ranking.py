"""Ranking the whole registry: which scored pairs are within the top_n of either listing.

``kept_parts`` scores the candidate pairs batch by batch and drops, as it goes, pairs that
can no longer reach either listing's top_n; ``select`` then picks the suggested pairs
exactly. The order is the one of ``score.rank_order`` (score desc, then partner id).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from matchmaker.matching.blocking import BlockingIndex
from matchmaker.matching.score import RunningTopN, suggestible, top_n_mask
from matchmaker.matching.scored import FloatArray, IntArray, ScoredPairs, SlotArray
from matchmaker.matching.scoring import Scorer
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.store import ListingStore

RANK_ROWS = 500_000  # rows per ranking step over all kept pairs (bounds sort temporaries)
COMPACT_PAIRS = 2_000_000  # re-filter kept pairs against the rising floors beyond this many
COALESCE_PAIRS = 250_000  # kept pairs per column bundle handed back by a scoring worker
ORDER_WINDOW = 400_000  # pairs whose cheap components are held to finish them best first
DENSE_RANK_PAIRS = 50_000  # from this many pairs, rank all listing ids once (not the partners present)


def kept_parts(scorer: Scorer, blocking: BlockingIndex, part: int, parts: int) -> list[ScoredPairs]:
    """Pairs of every ``parts``-th candidate batch (from ``part``) that may be suggested,
    in bundles of about ``COALESCE_PAIRS`` (one array would hold every pair twice while
    it is joined).

    ``floor`` tracks, per listing, the n-th best score seen so far — a lower bound of its
    final n-th best. A pair below the floor of both its listings can never be suggested:
    its fuzzy text is not computed when even its *upper* bound is below, and kept pairs
    are re-filtered as floors rise, so memory stays near top_n pairs per listing.
    Within a batch (``ORDER_WINDOW`` pairs at a time) the pairs with the highest upper bound
    are finished first: the floors rise sooner, so more of the rest skip the fuzzy text (an
    eighth fewer at 10k companies).
    """
    s = scorer.settings
    floor = RunningTopN(scorer.store.size, s.top_n)
    survivors: list[ScoredPairs] = []
    held, limit = 0, COMPACT_PAIRS
    step = max(1, s.chunk_pairs)
    max_pairs = 1_000_000 if parts == 1 else 400_000
    for batch in blocking.iter_all_candidates(max_pairs, part, parts):
        for w in range(0, batch[0].shape[0], ORDER_WINDOW):
            ca, cb, cpt = (x[w : w + ORDER_WINDOW] for x in batch)
            comps, evidence, km = _cheap_in_chunks(scorer, ca, cb, cpt, step)
            _, upper = scorer.bounds(comps, evidence)
            order = np.argsort(-upper, kind="stable")
            for lo in range(0, order.shape[0], step):
                rows = order[lo : lo + step]
                bound = upper[rows]
                need = suggestible(bound, s)
                need &= (bound >= floor.threshold(ca[rows])) | (bound >= floor.threshold(cb[rows]))
                idx = np.sort(rows[need])  # in batch order again: pairs of one listing together
                if idx.size == 0:
                    continue
                got = scorer.finish_rows(idx, ca, cb, cpt, comps, evidence, km)
                got = got.take(suggestible(got.score, s))
                floor.update(np.concatenate([got.a, got.b]), np.concatenate([got.score, got.score]))
                got = got.take((got.score >= floor.threshold(got.a)) | (got.score >= floor.threshold(got.b)))
                survivors.append(got.compact())
                held += len(got)
                if held > limit:  # floors have risen since: drop what fell below both
                    held = refilter(survivors, floor)
                    limit = max(COMPACT_PAIRS, held + held // 2)
    refilter(survivors, floor)
    return coalesced(survivors, COALESCE_PAIRS)


def _cheap_in_chunks(
    scorer: Scorer, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8], step: int
) -> tuple[dict[str, FloatArray], FloatArray, FloatArray]:
    """``scorer.cheap`` of a batch, ``step`` pairs at a time (its temporaries stay small)."""
    got = [
        scorer.cheap(a[lo : lo + step], b[lo : lo + step], pt[lo : lo + step])
        for lo in range(0, a.shape[0], step)
    ]
    if len(got) == 1:
        return got[0]
    comps = {k: np.concatenate([g[0][k] for g in got]) for k in got[0][0]}
    return comps, np.concatenate([g[1] for g in got]), np.concatenate([g[2] for g in got])


def joined(parts: list[ScoredPairs], size: int, top_n: int) -> ScoredPairs:
    """Several workers' kept pairs as one bundle, less what a joint floor over all of them
    says no top_n needs (each worker's floor saw only its own batches)."""
    floor = RunningTopN(size, top_n)
    for p in parts:  # side by side and in slices: the sort temporaries stay small
        for side in (p.a, p.b):
            for lo in range(0, side.shape[0], RANK_ROWS):
                floor.update(side[lo : lo + RANK_ROWS].astype(np.int64), p.score[lo : lo + RANK_ROWS])
    refilter(parts, floor)
    return ScoredPairs.concat_emptying(parts)


def refilter(parts: list[ScoredPairs], floor: RunningTopN) -> int:
    """Drop, part by part and in place, pairs below both listings' floors; the pairs left.

    (One part at a time: concatenating first would hold every kept pair twice.)"""
    held = 0
    for i, p in enumerate(parts):
        parts[i] = p = p.take((p.score >= floor.threshold(p.a)) | (p.score >= floor.threshold(p.b)))
        held += len(p)
    return held


def coalesced(parts: list[ScoredPairs], rows: int) -> list[ScoredPairs]:
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


def select(
    sp: ScoredPairs, store: ListingStore, settings: MatchSettings, owners: IntArray | None = None
) -> npt.NDArray[np.bool_]:
    """Pairs within the top_n of either listing (among ``sp``), optionally only for ``owners``."""
    idx = np.flatnonzero(suggestible(sp.score, settings))
    if owners is None and idx.size > DENSE_RANK_PAIRS:
        return select_all(sp, idx, store, settings.top_n)
    owner = np.concatenate([sp.a[idx], sp.b[idx]])
    score = np.concatenate([sp.score[idx], sp.score[idx]])
    if idx.size > DENSE_RANK_PAIRS:
        rank = id_rank(store)
        partner = np.concatenate([rank[sp.b[idx]], rank[sp.a[idx]]])
        within = top_n_mask(owner, partner, score, settings.top_n, dense=True)
    else:
        lid = store.listing_id
        partner = np.concatenate([lid[sp.b[idx]], lid[sp.a[idx]]])
        within = top_n_mask(owner, partner, score, settings.top_n)
    if owners is not None:
        within &= np.isin(owner, owners)
    keep = np.zeros(len(sp), dtype=bool)
    m = idx.size
    keep[idx[within[:m] | within[m:]]] = True
    return keep


def select_all(sp: ScoredPairs, idx: IntArray, store: ListingStore, n: int) -> npt.NDArray[np.bool_]:
    """``select`` for many pairs (``idx``: the suggestible ones): ranked owner range by owner
    range (every pair of an owner falls into its range), so the sort temporaries stay near
    ``RANK_ROWS`` rows."""
    rank = id_rank(store)
    keep = np.zeros(len(sp), dtype=bool)
    if idx.size == len(sp):  # (as after kept_parts) no copies needed
        a, b, score = sp.a, sp.b, sp.score
    else:
        a, b, score = sp.a[idx], sp.b[idx], sp.score[idx]
    for ia, ib in owner_ranges(a, b, store.size):
        owner = np.concatenate([a[ia], b[ib]])
        partner = np.concatenate([rank[b[ia]], rank[a[ib]]])
        within = top_n_mask(owner, partner, np.concatenate([score[ia], score[ib]]), n, dense=True)
        keep[idx[ia[within[: ia.size]]]] = True
        keep[idx[ib[within[ia.size :]]]] = True
    return keep


def id_rank(store: ListingStore) -> IntArray:
    """Per slot: the rank of its listing id (ties between listings break by id)."""
    size = store.size
    rank = np.zeros(max(size, 1), dtype=np.int64)
    rank[np.argsort(store.listing_id[:size], kind="stable")] = np.arange(size)
    return rank


def owner_ranges(a: SlotArray, b: SlotArray, size: int) -> Iterator[tuple[IntArray, IntArray]]:
    """Split pairs (a, b) by owner slot range so each range has about RANK_ROWS owner rows:
    per range, (indices of pairs whose a is in it, indices of pairs whose b is in it)."""
    parts = max(1, -(-2 * a.shape[0] // RANK_ROWS))
    step = max(1, -(-size // parts))
    for lo in range(0, max(size, 1), step):
        hi = lo + step
        yield np.flatnonzero((a >= lo) & (a < hi)), np.flatnonzero((b >= lo) & (b < hi))
