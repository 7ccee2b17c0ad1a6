"""Public API: ``MatchIndex`` — build, match everything, match one listing, keep current.

Pipeline: ``features`` (normalisation + concepts) -> ``blocking`` (candidate pairs) ->
``compare`` (vectorised component values) -> ``score`` (weighted score, evidence gate,
top-n) -> ``compare``/``explain`` (structured reasons for the suggestions kept).

Ranking semantics (identical in ``match_all`` and ``match_listing``): every listing ranks
its candidates by score (desc), then partner listing id (asc); a pair with
``score >= min_score`` is suggested when it is within the ``top_n`` of *either* of its two
listings. Everything is computed from the current listings only, so an index kept current
with ``upsert``/``remove`` answers exactly like one rebuilt from the same listings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
)
from matchmaker.matching.features import Analyser, ListingFeatures
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
PROCESSING = PAIR_TYPE_CODE["processing"]


class ScoredPairs:
    """Column bundle of scored pairs (left slot, right slot, pair type, components, score)."""

    __slots__ = ("a", "b", "pt", "score", "km", "comps")

    def __init__(
        self,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        score: FloatArray,
        km: FloatArray,
        comps: dict[str, FloatArray],
    ) -> None:
        self.a, self.b, self.pt, self.score, self.km, self.comps = a, b, pt, score, km, comps

    def __len__(self) -> int:
        return int(self.a.shape[0])

    def take(self, idx: npt.NDArray[np.int64] | npt.NDArray[np.bool_]) -> ScoredPairs:
        return ScoredPairs(
            self.a[idx], self.b[idx], self.pt[idx], self.score[idx], self.km[idx],
            {k: v[idx] for k, v in self.comps.items()},
        )

    @staticmethod
    def concat(parts: list[ScoredPairs]) -> ScoredPairs:
        if not parts:
            z = np.zeros(0)
            return ScoredPairs(
                np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8),
                z, z, {k: z for k in COMPONENTS},
            )
        return ScoredPairs(
            np.concatenate([p.a for p in parts]),
            np.concatenate([p.b for p in parts]),
            np.concatenate([p.pt for p in parts]),
            np.concatenate([p.score for p in parts]),
            np.concatenate([p.km for p in parts]),
            {k: np.concatenate([p.comps[k] for p in parts]) for k in COMPONENTS},
        )


class MatchIndex:
    """An in-memory, incrementally maintainable matching index over active listings."""

    def __init__(self, settings: MatchSettings | None = None, thesaurus: Thesaurus | None = None) -> None:
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

    # -- construction and maintenance ---------------------------------------------------
    @classmethod
    def build(
        cls,
        records: Iterable[ListingRecord],
        settings: MatchSettings | None = None,
        thesaurus: Thesaurus | None = None,
    ) -> MatchIndex:
        index = cls(settings, thesaurus)
        slots: list[int] = []
        for record in records:
            if not record.active:
                continue
            old = index._slot_of.get(record.listing_id)
            if old is not None:  # a later record with the same id wins
                index.store.kill(old)
                slots.remove(old)
            slot = index.store.add(index.analyser.analyse(record))
            index._slot_of[record.listing_id] = slot
            slots.append(slot)
        index.blocking.bulk_add(slots)
        return index

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
        spec = self.store.specificity()
        index = self.thesaurus.concept_index

        def specificity(cid: str) -> float:
            i = index.get(cid)
            return float(spec[i]) if i is not None else 0.0

        return CompareContext(self.settings, self.thesaurus, specificity)

    def _score(self, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8]) -> ScoredPairs:
        """Vectorised component values and scores for oriented pairs (a supplies b)."""
        st = self.store
        n = a.shape[0]
        if n == 0:
            return ScoredPairs.concat([])
        text = self.text_cmp.values([st.full_text[i] for i in a.tolist()], [st.full_text[i] for i in b.tolist()], self.workers)
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
            v, e = self.concept_cmp.values(st.c_ids[ia], st.c_w[ia], st.c_t[ia], ids_b, w_b, t_b, processing, spec)
            concept[mask], evidence[mask] = v, e
        distance, km = self.distance_cmp.values(st.lat[a], st.lon[a], st.lat[b], st.lon[b])
        kind = self.kind_cmp.values(pt, st.kind[a], st.kind[b])
        quantity = self.quantity_cmp.values(
            st.qty_amount[a], st.qty_dim[a], st.qty_annual[a], st.qty_amount[b], st.qty_dim[b], st.qty_annual[b]
        )
        comps = {"text": text, "concept": concept, "distance": distance, "kind": kind, "quantity": quantity}
        score = combine_many(comps, evidence, self.settings)
        return ScoredPairs(a, b, pt, score, km, comps)

    def _score_batched(self, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8]) -> Iterator[ScoredPairs]:
        step = max(1, self.settings.chunk_pairs)
        for lo in range(0, a.shape[0], step):
            yield self._score(a[lo : lo + step], b[lo : lo + step], pt[lo : lo + step])

    # -- ranking --------------------------------------------------------------------------
    def _select(self, sp: ScoredPairs, owners: IntArray | None = None) -> npt.NDArray[np.bool_]:
        """Pairs within the top_n of either listing (among ``sp``), optionally only for ``owners``."""
        s = self.settings
        ok = sp.score >= s.min_score
        ok &= sp.score > 0
        idx = np.flatnonzero(ok)
        lid = self.store.listing_id
        owner = np.concatenate([sp.a[idx], sp.b[idx]])
        partner = np.concatenate([lid[sp.b[idx]], lid[sp.a[idx]]])
        score = np.concatenate([sp.score[idx], sp.score[idx]])
        within = top_n_mask(owner, partner, score, s.top_n)
        if owners is not None:
            within &= np.isin(owner, owners)
        keep = np.zeros(len(sp), dtype=bool)
        m = idx.size
        keep[idx[within[:m] | within[m:]]] = True
        return keep

    def match_all(self) -> list[Suggestion]:
        """Every suggestion of the registry (best ``top_n`` per listing, either side)."""
        sp = self._all_kept()
        return self._suggestions(sp)

    def _all_kept(self) -> ScoredPairs:
        s = self.settings
        running = RunningTopN(self.store.capacity, s.top_n)
        survivors: list[ScoredPairs] = []
        for a, b, pt in self.blocking.iter_all_candidates():
            for part in self._score_batched(a, b, pt):
                ok = part.score >= s.min_score
                ok &= part.score > 0
                part = part.take(ok)
                if len(part) == 0:
                    continue
                running.update(np.concatenate([part.a, part.b]), np.concatenate([part.score, part.score]))
                keep = (part.score >= running.threshold(part.a)) | (part.score >= running.threshold(part.b))
                survivors.append(part.take(keep))
        allp = ScoredPairs.concat(survivors)
        return allp.take(self._select(allp))

    def match_listing(self, listing_id: int) -> list[Suggestion]:
        """All suggestions involving one listing (the same ones ``match_all`` has for it)."""
        slot = self._slot_of.get(listing_id)
        if slot is None:
            return []
        s = self.settings
        me = np.asarray([slot], dtype=np.int64)
        a, b, pt = self.blocking.candidates_of(me)
        mine = self._score(a, b, pt)
        mine = mine.take((mine.score >= s.min_score) & (mine.score > 0))
        if len(mine) == 0:
            return []
        keep_mine = self._select(mine, owners=me)
        # partners whose own top_n might include this listing
        partner = np.where(mine.a == slot, mine.b, mine.a)
        undecided = partner[~keep_mine]
        if undecided.size:
            ya, yb, ypt = self.blocking.candidates_of(undecided)
            theirs = ScoredPairs.concat(list(self._score_batched(ya, yb, ypt)))
            theirs = theirs.take((theirs.score >= s.min_score) & (theirs.score > 0))
            keep_theirs = self._select(theirs, owners=undecided)
            involves = (theirs.a == slot) | (theirs.b == slot)
            chosen = theirs.take(keep_theirs & involves)
            chosen_partner = np.where(chosen.a == slot, chosen.b, chosen.a)
            keep_mine |= np.isin(partner, chosen_partner)
        return self._suggestions(mine.take(keep_mine))

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
        st = self.store
        ctx = self._context()
        out: list[Suggestion] = []
        comps = {k: np.round(v, COMPONENT_DECIMALS).tolist() for k, v in sp.comps.items()}
        scores = sp.score.tolist()
        kms = sp.km.tolist()
        for i, (a, b, p) in enumerate(zip(sp.a.tolist(), sp.b.tolist(), sp.pt.tolist(), strict=True)):
            fa, fb = st.features[a], st.features[b]
            assert fa is not None and fb is not None
            pair_type: PairType = PAIR_TYPE_ORDER[p]
            km = kms[i]
            out.append(
                Suggestion(
                    offer_listing_id=fa.record.listing_id,
                    need_listing_id=fb.record.listing_id,
                    offer_company_id=fa.record.company_id,
                    need_company_id=fb.record.company_id,
                    pair_type=pair_type,
                    score=scores[i],
                    components={k: comps[k][i] for k in COMPONENTS},
                    distance_km=None if km != km else round(km, 1),
                    reasons=self._reasons(Pair(fa, fb, pair_type), ctx),
                    settings_version=self._version_label,
                )
            )
        if sort:
            out.sort(key=Suggestion.sort_key)
        return out

    def _reasons(self, pair: Pair, ctx: CompareContext) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        reasons.extend(self.concept_cmp.compare(pair, ctx).reasons)
        reasons.extend(self.text_cmp.compare(pair, ctx).reasons)
        seen: set[str] = set()
        for f, other in ((pair.offer, pair.receiver), (pair.receiver, pair.offer)):
            if not f.corrections:
                continue
            # only repairs that matter for this pair: the word recurs on the other side or
            # is part of a term both sides share
            shared = {h.concept for h in other.concepts} | {e.concept for e in other.process_inputs}
            keys = [h.key for h in f.concepts if h.concept in shared]
            words = set(other.full_text.split())
            for wrong, right in f.corrections:
                if wrong in seen or not (right in words or any(right in k for k in keys)):
                    continue
                seen.add(wrong)
                reasons.append(Reason("typo", {"from": wrong, "to": right}))
        reasons.extend(self.quantity_cmp.compare(pair, ctx).reasons)
        reasons.extend(self.distance_cmp.compare(pair, ctx).reasons)
        reasons.extend(self.kind_cmp.compare(pair, ctx).reasons)
        return tuple(reasons)

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
