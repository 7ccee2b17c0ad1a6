"""Suggestions with their reasons, for pairs already scored and kept.

The Python work per pair is kept small: the concept matches to explain and the quantity
percentages are picked vectorised, and reasons that do not depend on the pair (the same
distance, the same kinds, the same concept match) are shared between suggestions. The
one-pair reference these reproduce lives in the tests (``tests/matching/reference.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt

from matchmaker.matching import scaling
from matchmaker.matching.attributes import NO_ATTRIBUTES, compare_grades
from matchmaker.matching.compare import (
    NO_QUANTITY,
    SECOND_REASON_SHARE,
    SEMANTIC_REASON_MIN,
    TEXT_REASON_MIN,
    UNITS_DIFFER,
    CompareContext,
    Pair,
    SemanticComparison,
    matching_entries,
)
from matchmaker.matching.compare.grade import GradeFit
from matchmaker.matching.compare.kind import compared_kind
from matchmaker.matching.features import ConceptHit, ListingFeatures, ProcessEntry
from matchmaker.matching.records import PairType, Reason, Suggestion
from matchmaker.matching.roles import PAIR_TYPE_ORDER
from matchmaker.matching.score import output_order
from matchmaker.matching.scored import FloatArray, IntArray, ScoredPairs, component_values
from matchmaker.matching.scoring import PROCESSING, Scorer
from matchmaker.matching.settings import COMPONENTS

REASON_CACHE_SIZE = 200_000  # shared reasons kept before the cache starts afresh


SEMANTIC_AT = COMPONENTS.index("semantic")


def unknown_reason(what: list[str]) -> Reason:
    """What could not be judged for a pair, said once ("distance", "quantity")."""
    return Reason("unknown", {"what": ",".join(what)})


_SEVEN = ("text", "concept", "distance", "kind", "quantity", "semantic", "grade")


def _components_dict(values: tuple[float, ...]) -> dict[str, float]:
    """Component name -> value; a component unknown for the pair (NaN) is left out. (A
    literal dict for the known seven: a full recompute makes millions of these.)"""
    if COMPONENTS != _SEVEN:
        return {name: v for name, v in zip(COMPONENTS, values, strict=True) if v == v}
    text, concept, distance, kind, quantity, semantic, grade = values
    out = {"text": text, "concept": concept, "distance": distance, "kind": kind, "quantity": quantity}
    if semantic == semantic:
        out["semantic"] = semantic
    if grade == grade:
        out["grade"] = grade
    return out


class SuggestionBuilder:
    """Builds ``Suggestion`` objects for scored pairs, sharing identical reasons."""

    def __init__(self, scorer: Scorer, version_label: str) -> None:
        self.scorer, self.store, self.version_label = scorer, scorer.store, version_label
        # per slot the mean of its best raw scores, as the last local scaling used them (set
        # by ``MatchIndex._scale`` just before the suggestions of those pairs are built)
        self.best_means: FloatArray | None = None
        # Reasons are immutable values; identical ones (same distance, same kinds, ...) are
        # shared between suggestions instead of being rebuilt millions of times.
        self._reason_cache: dict[object, object] = {}
        # what cannot be judged, by (quantity unknown, distance unknown)
        self._unknown = {
            (True, False): unknown_reason(["quantity"]),
            (False, True): unknown_reason(["distance"]),
            (True, True): unknown_reason(["quantity", "distance"]),
        }

    def suggestions(self, sp: ScoredPairs, sort: bool = True) -> list[Suggestion]:
        """Suggestion objects (with reasons) for scored pairs; sorted by score, then ids."""
        st = self.store
        ctx = self.scorer.context()
        lid = st.listing_id
        if sort and len(sp):
            order = output_order(sp.score, lid[sp.a], lid[sp.b])
            sp = sp.take(order)
        rows = zip(
            *(component_values(sp.comps[k]).tolist() for k in COMPONENTS),
            strict=True,
        )
        out: list[Suggestion] = []
        self._build(sp, rows, ctx, out)
        return out

    def _build(
        self,
        sp: ScoredPairs,
        rows: Iterable[tuple[float, ...]],
        ctx: CompareContext,
        out: list[Suggestion],
    ) -> None:
        """The per-pair Python part: concept matches come pre-picked (vectorised), listing
        shared reasons (distance, kind, quantity) from the cache."""
        features = self.store.features
        version = self.version_label
        best_a, best_b, second_a, second_b, from_inputs = (x.tolist() for x in self._concept_picks(sp))
        concept_reason = self._concept_reason
        text_reasons = self.scorer.text_cmp.reasons
        quantity_reason = self._quantity_reason
        distance_reason = self._distance_reason
        unknown_reasons = self._unknown
        new_suggestion = tuple.__new__  # a named tuple's own constructor adds a Python call
        grade_reasons = GradeFit.reasons
        nothing_stated = NO_ATTRIBUTES
        names = self.scorer.thesaurus.names
        semantic_reasons = SemanticComparison.reasons
        components = _components_dict
        reason_cache = self._reason_cache
        append = out.append
        # whole km for the distance reason, as round() gives it (half to even), vectorised
        km_whole = np.rint(np.nan_to_num(sp.km)).astype(np.int64).tolist()
        for a, b, p, score, km, km_int, comp, ba, bb, sa, sb, q, inputs, shift in zip(
            sp.a.tolist(),
            sp.b.tolist(),
            sp.pt.tolist(),
            sp.score.tolist(),
            sp.km.tolist(),
            km_whole,
            rows,
            best_a,
            best_b,
            second_a,
            second_b,
            self._quantity_codes(sp).tolist(),
            from_inputs,
            self._shifts(sp),
            strict=True,
        ):
            fa, fb = features[a], features[b]
            if fa is None or fb is None:  # kept pairs are of analysed listings only
                raise RuntimeError(f"pair of unanalysed listings {a}, {b}")
            pair_type: PairType = PAIR_TYPE_ORDER[p]
            known_km = None if km != km else km
            # order: concept, text, typo repairs, quantity, grade, meaning, distance, kind (as
            # the reference), local scaling, and last what cannot be judged, said once
            reasons: list[Reason] = []
            if ba >= 0:
                hb = fb.process_inputs if inputs else fb.concepts
                reasons.append(concept_reason(fa.concepts[ba], hb[bb], fa, fb, pair_type, ctx))
                if sa >= 0:
                    reasons.append(concept_reason(fa.concepts[sa], hb[sb], fa, fb, pair_type, ctx))
            text_value = comp[0]
            if text_value >= TEXT_REASON_MIN:
                reasons.extend(text_reasons(Pair(fa, fb, pair_type), text_value, ctx))
            if fa.corrections or fb.corrections:
                reasons.extend(typo_reasons(fa, fb))
            if q != NO_QUANTITY and q != UNITS_DIFFER:
                reasons.append(quantity_reason(q, p, fa.record.unit, fb.record.unit))
            if fa.attributes is not nothing_stated and fb.attributes is not nothing_stated:
                reasons.extend(grade_reasons(compare_grades(fa.attributes, fb.attributes), names))
            if ba < 0 and comp[SEMANTIC_AT] >= SEMANTIC_REASON_MIN:  # no known concept explains it
                reasons.extend(semantic_reasons(comp[SEMANTIC_AT]))
            if known_km is not None:
                near = reason_cache.get(km_int)
                reasons.append(distance_reason(km_int) if near is None else near)  # type: ignore[arg-type]
            ra, rb = fa.record, fb.record
            ka, kb = compared_kind(fa), compared_kind(fb)
            if ka != kb or p == PROCESSING:
                key = ("kind", pair_type, ka, kb)
                shared = reason_cache.get(key)
                if shared is None:
                    kind_pair = Pair(fa, fb, pair_type)
                    shared = self._shared(key, lambda pair=kind_pair: self.scorer.kind_cmp.reasons(pair))
                reasons.extend(shared)  # type: ignore[arg-type]
            if shift:
                reasons.append(self._scaling_reason(shift))
            if q == UNITS_DIFFER or known_km is None:
                reasons.append(unknown_reasons[q == UNITS_DIFFER, known_km is None])
            append(
                new_suggestion(
                    Suggestion,
                    (
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
                    ),
                )
            )

    def _shifts(self, sp: ScoredPairs) -> list[int]:
        """Per pair the points local scaling added, where they are worth a reason (else 0)."""
        best = self.best_means
        if best is None or self.scorer.settings.local_scaling_weight == 0.0:
            return [0] * len(sp)
        points = scaling.shift_points(best[sp.a], best[sp.b], self.scorer.settings)
        points[np.abs(points) < scaling.REASON_MIN_POINTS] = 0
        return points.tolist()  # type: ignore[no-any-return]

    def _scaling_reason(self, points: int) -> Reason:
        key = ("scaling", points)
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = Reason(*scaling.reason(points))
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _quantity_codes(self, sp: ScoredPairs) -> IntArray:
        """Per pair the quantity reason code (``QuantityComparison.reason_codes``)."""
        st = self.store
        a, b = sp.a.astype(np.int64), sp.b.astype(np.int64)
        return self.scorer.quantity_cmp.reason_codes(
            st.qty_amount[a], st.qty_dim[a], st.qty_annual[a],
            st.qty_amount[b], st.qty_dim[b], st.qty_annual[b],
        )

    def _quantity_reason(self, code: int, pt: int, unit_a: str | None, unit_b: str | None) -> Reason:
        key = ("quantity", code, pt == PROCESSING)
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = Reason("quantity_capacity" if pt == PROCESSING else "quantity_cover", {"pct": code})
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _concept_picks(
        self, sp: ScoredPairs
    ) -> tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Per pair, the concept matches ``ConceptComparison.reasons`` explains, vectorised.

        Returns positions in ``concepts`` of the offer and in ``concepts`` or
        ``process_inputs`` of the receiver: (best a, best b, second a, second b; -1 for
        none) and whether the receiver side is ``process_inputs`` (processing pairs, and a
        need whose named use fits better than its words — as ``contributions`` decides).
        The best match has the largest contribution (ties: the larger concept id); the
        second the largest among those derived from another word (``via``) with at
        least half the best's contribution — as the scalar ``reasons`` picks them.
        """
        m = len(sp)
        picks = np.full((4, m), -1, dtype=np.int64)
        inputs = np.zeros(m, dtype=bool)
        if m == 0:
            return picks[0], picks[1], picks[2], picks[3], inputs
        proc = sp.pt == PROCESSING
        sel = np.flatnonzero(proc)
        got, _ = self._picks(sp, sel, True)
        picks[:, sel], inputs[sel] = got, True
        sel = np.flatnonzero(~proc)
        got, shared_value = self._picks(sp, sel, False)
        picks[:, sel] = got
        use = sel[self.store.processes.rows(sp.b[sel].astype(np.int64)) > 0]
        if use.size:
            got, use_value = self._picks(sp, use, True)
            better = use_value > shared_value[np.searchsorted(sel, use)]
            picks[:, use[better]], inputs[use[better]] = got[:, better], True
        return picks[0], picks[1], picks[2], picks[3], inputs

    def _picks(
        self, sp: ScoredPairs, sel: IntArray, inputs: bool
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Picks (4 x len(sel)) of the pairs at ``sel`` against the receiver's concepts or
        process inputs, and each pair's combined (noisy-OR) concept value there."""
        st = self.store
        picks = np.full((4, sel.size), -1, dtype=np.int64)
        value = np.zeros(sel.size)
        if sel.size == 0:
            return picks, value
        spec = st.specificity()
        cc = self.scorer.concept_cmp
        ia_slots, ib_slots = sp.a[sel].astype(np.int64), sp.b[sel].astype(np.int64)
        ids_a, w_a, t_a = st.c_ids[ia_slots], st.c_w[ia_slots], st.c_t[ia_slots]
        pos_a = st.c_pos[ia_slots].ravel()
        if inputs:
            table = st.processes
            prow = table.rows(ib_slots)
            ids_b, w_b, t_b = table.ids[prow], table.w[prow], table.t[prow]
            pos_b, factor = table.pos[prow].ravel(), cc.proc_factor
        else:
            ids_b, w_b, t_b = st.c_ids[ib_slots], st.c_w[ib_slots], st.c_t[ib_slots]
            pos_b, factor = st.c_pos[ib_slots].ravel(), cc.std_factor
        rows, fa, fb = matching_entries(ids_a, ids_b)
        if rows.size == 0:
            return picks, value
        ca = ids_a.ravel()[fa]
        f = factor[t_a.ravel()[fa], t_b.ravel()[fb]]
        ok = f > 0
        rows, fa, fb, ca, f = rows[ok], fa[ok], fb[ok], ca[ok], f[ok]
        if rows.size == 0:
            return picks, value
        t = w_a.ravel()[fa] * w_b.ravel()[fb] * f * spec[ca]
        logs = np.log1p(-np.minimum(t, 0.999999))
        value = 1.0 - np.exp(np.bincount(rows, weights=logs, minlength=sel.size))
        via = st.c_via[ia_slots].ravel()[fa]
        # concept ids are sorted by name, so the id breaks ties as the name does
        order = np.lexsort((-ca, -t, rows))
        rows, fa, fb, t, via = rows[order], fa[order], fb[order], t[order], via[order]
        first = np.r_[True, rows[1:] != rows[:-1]]
        head = np.flatnonzero(first)
        group = np.cumsum(first) - 1
        best_t, best_via = t[head][group], via[head][group]
        rest = ~first & (via != best_via) & (t >= SECOND_REASON_SHARE * best_t)
        rr = np.flatnonzero(rest)
        if rr.size:
            rrows = rows[rr]
            rfirst = np.r_[True, rrows[1:] != rrows[:-1]]
            take = rr[rfirst]
            picks[2, rows[take]], picks[3, rows[take]] = pos_a[fa[take]], pos_b[fb[take]]
        picks[0, rows[head]], picks[1, rows[head]] = pos_a[fa[head]], pos_b[fb[head]]
        return picks, value

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
            return self.scorer.concept_cmp.reason((0.0, ha, hb), Pair(fa, fb, pair_type), ctx)
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = self.scorer.concept_cmp.reason((0.0, ha, hb), Pair(fa, fb, pair_type), ctx)
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _distance_reason(self, km: int) -> Reason:
        hit = self._reason_cache.get(km)
        if hit is None:
            hit = Reason("distance", {"km": km})
            self._remember(km, hit)
        return hit  # type: ignore[return-value]

    def _shared(self, key: object, make: Callable[[], tuple[Reason, ...]]) -> tuple[Reason, ...]:
        hit = self._reason_cache.get(key)
        if hit is None:
            hit = make()
            self._remember(key, hit)
        return hit  # type: ignore[return-value]

    def _remember(self, key: object, value: object) -> None:
        if len(self._reason_cache) > REASON_CACHE_SIZE:
            self._reason_cache.clear()
        self._reason_cache[key] = value


def typo_reasons(fa: ListingFeatures, fb: ListingFeatures) -> list[Reason]:
    """Typo repairs that matter for the pair: the repaired word recurs on the other side or
    is part of a term both share. Without building the other side's word and concept sets
    per pair: a word is looked up in the space-separated text, a shared term by scanning
    the few entries of both sides (only for concepts whose key contains the repaired word)."""
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
