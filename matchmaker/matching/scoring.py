"""Scoring of candidate pairs: every comparison's values for many pairs at once, the
weighted score, and the bounds that let callers skip the costly fuzzy text part."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from matchmaker.matching.compare import (
    CompareContext,
    ConceptComparison,
    DistanceComparison,
    KindComparison,
    QuantityComparison,
    SemanticComparison,
    TextComparison,
)
from matchmaker.matching.compare.grade import GradeFit
from matchmaker.matching.roles import PAIR_TYPE_CODE
from matchmaker.matching.score import combine_many
from matchmaker.matching.scored import FloatArray, IntArray, ScoredPairs, ValueArray
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.store import ListingStore
from matchmaker.matching.thesaurus import Thesaurus

PROCESSING = PAIR_TYPE_CODE["processing"]
THREADED_TEXT_PAIRS = 20_000  # from this many pairs the fuzzy text part is worth threads


class Scorer:
    """The five comparisons over the store's columns, for oriented pairs (a supplies b)."""

    def __init__(
        self, settings: MatchSettings, thesaurus: Thesaurus, store: ListingStore, processes: int
    ) -> None:
        self.settings, self.thesaurus, self.store = settings, thesaurus, store
        self.processes = processes
        self.text_threads = 2  # rapidfuzz threads for one big batch (only without worker processes)
        self.text_cmp = TextComparison()
        self.concept_cmp = ConceptComparison(settings)
        self.distance_cmp = DistanceComparison(settings)
        self.kind_cmp = KindComparison()
        self.quantity_cmp = QuantityComparison(settings)
        self.semantic_cmp = SemanticComparison(settings)
        self.grade_cmp = GradeFit(settings)

    def context(self) -> CompareContext:
        """What the one-pair ``compare``/``reason`` methods need of the current registry."""
        spec: dict[str, float] = dict(
            zip(self.thesaurus.concept_ids, self.store.specificity().tolist(), strict=True)
        )

        def specificity(cid: str) -> float:
            return spec.get(cid, 0.0)

        return CompareContext(self.settings, self.thesaurus, specificity, self.store.token_rarity)

    def cheap(
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
                rows = st.processes.rows(ib)
                ids_b, w_b, t_b = st.processes.ids[rows], st.processes.w[rows], st.processes.t[rows]
            else:
                ids_b, w_b, t_b = st.c_ids[ib], st.c_w[ib], st.c_t[ib]
            v, e = self.concept_cmp.values(
                st.c_ids[ia], st.c_w[ia], st.c_t[ia], ids_b, w_b, t_b, processing, spec
            )
            if not processing:  # a need naming its use: the better of its words and that use
                v, e = self._with_purpose(ia, ib, v, e, spec)
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
        semantic = self.semantic_cmp.values(st.vectors.cosine(a, b))
        grade = self.grade_cmp.values(st.grades, a, b)
        comps = {
            "text": rare,
            "concept": concept,
            "distance": distance,
            "kind": kind,
            "quantity": quantity,
            "semantic": semantic,
            "grade": grade,
        }
        return comps, evidence, km

    def _with_purpose(
        self, ia: IntArray, ib: IntArray, value: FloatArray, evidence: FloatArray, spec: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        st, table = self.store, self.store.processes
        rows = table.rows(ib)
        sel = np.flatnonzero(rows > 0)
        if sel.size == 0:
            return value, evidence
        a, r = ia[sel], rows[sel]
        v, e = self.concept_cmp.values(
            st.c_ids[a], st.c_w[a], st.c_t[a], table.ids[r], table.w[r], table.t[r], True, spec
        )
        value, evidence = value.copy(), evidence.copy()
        value[sel] = np.maximum(value[sel], np.where(e > 0, v, value[sel]))
        evidence[sel] = np.maximum(evidence[sel], e)
        return value, evidence

    def bounds(self, comps: dict[str, FloatArray], evidence: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(lower, upper) bound of the score before the fuzzy text part is known."""
        lower = combine_many(comps, evidence, self.settings)
        upper = combine_many({**comps, "text": np.ones_like(comps["text"])}, evidence, self.settings)
        return lower, upper

    def finish(
        self,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        comps: dict[str, FloatArray],
        evidence: FloatArray,
        km: FloatArray,
    ) -> ScoredPairs:
        """Add the fuzzy text part and score (pairs as given to ``cheap``)."""
        st = self.store
        threads = self.text_threads if a.shape[0] >= THREADED_TEXT_PAIRS and self.processes == 1 else 1
        # as lists: rapidfuzz reads a list faster than an object array (an eighth less time)
        fuzzy = self.text_cmp.fuzzy_values(st.full_text[a].tolist(), st.full_text[b].tolist(), threads)
        comps = {**comps, "text": np.maximum(fuzzy, comps["text"])}
        values: dict[str, ValueArray] = dict(comps)
        return ScoredPairs(a, b, pt, combine_many(comps, evidence, self.settings), km, values)

    def finish_rows(
        self,
        rows: IntArray,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        comps: dict[str, FloatArray],
        evidence: FloatArray,
        km: FloatArray,
    ) -> ScoredPairs:
        """``finish`` for the pairs at ``rows`` of what ``cheap`` scored."""
        sub = {k: v[rows] for k, v in comps.items()}
        return self.finish(a[rows], b[rows], pt[rows], sub, evidence[rows], km[rows])

    def score(self, a: IntArray, b: IntArray, pt: npt.NDArray[np.int8]) -> ScoredPairs:
        """Vectorised component values and scores for oriented pairs (a supplies b)."""
        if a.shape[0] == 0:
            return ScoredPairs.concat([])
        comps, evidence, km = self.cheap(a, b, pt)
        return self.finish(a, b, pt, comps, evidence, km)

    def score_pruned(
        self,
        a: IntArray,
        b: IntArray,
        pt: npt.NDArray[np.int8],
        need: Callable[[FloatArray, FloatArray], npt.NDArray[np.bool_]],
    ) -> ScoredPairs:
        """Score only pairs whose bounds ``need(lower, upper)`` says may matter (exact for those)."""
        if a.shape[0] == 0:
            return ScoredPairs.concat([])
        comps, evidence, km = self.cheap(a, b, pt)
        lower, upper = self.bounds(comps, evidence)
        return self.finish_rows(np.flatnonzero(need(lower, upper)), a, b, pt, comps, evidence, km)
