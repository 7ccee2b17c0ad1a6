"""Incremental updates: one listing's pairs after it changed, without a full recompute.

Exact for the listing's own ranking: its own top_n pairs are those of a rebuild. For a
partner y the pair is kept when the listing is within y's top_n judged against y's *stored*
best pairs (``TopEntries``: y's best top_n + 1 pairs at the last full recompute, updated by
every ``match_listing`` since), re-scored now. Those are real candidates of y, so no pair a
rebuild would suggest is missed; a pair may be one too many when y's ranking has gained
better pairs (through other changes) since — until the next full recompute. Partners
without stored pairs (added since the last recompute and never matched) are ranked exactly
by re-scoring their candidates.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matchmaker.matching.blocking import BlockingIndex
from matchmaker.matching.ranking import owner_ranges, select
from matchmaker.matching.score import outranks, rank_order, suggestible
from matchmaker.matching.scored import FloatArray, IntArray, ScoredPairs
from matchmaker.matching.scoring import Scorer


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
            for ia, ib in owner_ranges(sp.a, sp.b, self.known.shape[0]):
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
        order = rank_order(score, partner_rank[partner], owner)
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


def listing_pairs(slot: int, top: TopEntries, scorer: Scorer, blocking: BlockingIndex) -> ScoredPairs:
    """The pairs of the listing at ``slot`` to suggest now (see the module docstring); its
    and its partners' stored best pairs are updated on the way."""
    s, st = scorer.settings, scorer.store
    top.ensure(st.capacity)
    me = np.asarray([slot], dtype=np.int64)
    a, b, pt = blocking.candidates_of(me)
    mine = scorer.score_pruned(a, b, pt, lambda lo, up: up >= s.min_score)
    mine = mine.take(suggestible(mine.score, s))
    partner = np.where(mine.a == slot, mine.b, mine.a)
    top.fill(me, mine, st.listing_id)
    if len(mine) == 0:
        return mine
    keep_mine = select(mine, st, s, owners=me)
    undecided = np.flatnonzero(~keep_mine)
    if undecided.size:
        owners, target = partner[undecided], mine.score[undecided]
        stored = top.known[owners]
        if stored.any():
            chosen = _beats_stored(slot, owners[stored], target[stored], top, scorer)
            keep_mine[undecided[stored][chosen]] = True
        if not stored.all():
            chosen = _ranks_within_top_n(slot, owners[~stored], target[~stored], scorer, blocking)
            keep_mine[undecided[~stored][chosen]] = True
    # the partners' stored rankings now hold this listing's current score
    top.offer(partner, slot, mine.pt, mine.b == slot, mine.score, st.alive)
    return mine.take(keep_mine)


def _beats_stored(
    slot: int, owners: IntArray, target: FloatArray, top: TopEntries, scorer: Scorer
) -> npt.NDArray[np.bool_]:
    """For each owner y: is ``slot`` within y's top_n among y's stored pairs, re-scored now?"""
    part = top.partner[owners].astype(np.int64)  # (owners, k)
    valid = (part >= 0) & (part != slot)
    valid &= scorer.store.alive[np.maximum(part, 0)]
    rows_owner, col = np.nonzero(valid)
    z = part[rows_owner, col]
    y = owners[rows_owner]
    is_a = top.is_a[owners][rows_owner, col]
    ya, yb = np.where(is_a, y, z), np.where(is_a, z, y)
    ypt = top.pt[owners][rows_owner, col]
    return _count_beaters(slot, owners, target, rows_owner, ya, yb, ypt, z, scorer)


def _ranks_within_top_n(
    slot: int, owners: IntArray, target: FloatArray, scorer: Scorer, blocking: BlockingIndex
) -> npt.NDArray[np.bool_]:
    """For each owner y (with score(slot, y) = target): is ``slot`` within y's top_n?

    Exact: ranks against all of y's current candidates."""
    ya, yb, ypt = blocking.candidates_of(owners)
    not_me = (ya != slot) & (yb != slot)
    ya, yb, ypt = ya[not_me], yb[not_me], ypt[not_me]
    # one row per (owner, other pair) — a pair between two owners counts for both
    owner_of_a = _position_in(owners, ya)
    owner_of_b = _position_in(owners, yb)
    rows_pair = np.concatenate([np.flatnonzero(owner_of_a >= 0), np.flatnonzero(owner_of_b >= 0)])
    rows_owner = np.concatenate([owner_of_a[owner_of_a >= 0], owner_of_b[owner_of_b >= 0]])
    rows_partner = np.concatenate([yb[owner_of_a >= 0], ya[owner_of_b >= 0]])
    return _count_beaters(
        slot, owners, target, rows_owner, ya[rows_pair], yb[rows_pair], ypt[rows_pair], rows_partner, scorer
    )


def _count_beaters(
    slot: int,
    owners: IntArray,
    target: FloatArray,
    rows_owner: IntArray,
    ya: IntArray,
    yb: IntArray,
    ypt: npt.NDArray[np.int8],
    rows_partner: IntArray,
    scorer: Scorer,
) -> npt.NDArray[np.bool_]:
    """Per owner: do fewer than top_n of its rows (pairs ya-yb) beat ``target``?

    Cheap bounds first; the fuzzy text part only for rows the bounds cannot decide."""
    s, n = scorer.settings, scorer.settings.top_n
    k = owners.shape[0]
    if rows_owner.size == 0:
        return np.ones(k, dtype=bool)
    lid = scorer.store.listing_id
    comps, evidence, km = scorer.cheap(ya, yb, ypt)
    lower, upper = scorer.bounds(comps, evidence)
    t = target[rows_owner]
    sure = lower > t
    maybe = ~sure & (upper >= t) & (upper >= s.min_score)
    sure_count = np.bincount(rows_owner[sure], minlength=k)
    maybe_count = np.bincount(rows_owner[maybe], minlength=k)
    inside = sure_count + maybe_count < n
    open_owner = ~inside & (sure_count < n)
    exact_rows = np.flatnonzero(maybe & open_owner[rows_owner])
    if exact_rows.size:
        part = scorer.finish_rows(exact_rows, ya, yb, ypt, comps, evidence, km)
        beats = outranks(part.score, lid[rows_partner[exact_rows]], t[exact_rows], lid[slot])
        beats &= suggestible(part.score, s)
        beat_count = sure_count + np.bincount(rows_owner[exact_rows][beats], minlength=k)
        inside |= open_owner & (beat_count < n)
    return inside


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
