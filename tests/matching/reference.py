"""One-pair reference versions of what the engine computes vectorised or with shortcuts.

They exist only to be compared against the engine (``test_matching_speed``,
``test_matching_compare``): plain, obviously-right code for a single pair.
"""

from __future__ import annotations

import math

from matchmaker.matching import MatchIndex
from matchmaker.matching.attributes import compare_grades
from matchmaker.matching.compare import (
    DIMENSION_CODE,
    SECOND_REASON_SHARE,
    TEXT_REASON_MIN,
    CompareContext,
    ConceptComparison,
    DistanceComparison,
    Pair,
)
from matchmaker.matching.compare.grade import GradeFit
from matchmaker.matching.compare.kind import compared_kind
from matchmaker.matching.features import ListingFeatures
from matchmaker.matching.quantities import normalise_quantity
from matchmaker.matching.reasons import unknown_reason
from matchmaker.matching.records import Reason


def reasons(
    index: MatchIndex, pair: Pair, ctx: CompareContext, text_value: float, km: float | None
) -> tuple[Reason, ...]:
    """Structured reasons for a kept pair (component values already known) — what
    ``reasons.SuggestionBuilder`` reproduces with vectorised parts and shared reasons.

    Order: concept, text, typo repairs, quantity, grade, meaning, distance, kind, and last
    what cannot be judged (units that do not convert, a missing location), said once.
    Levels that explain nothing (no shared concept, unrelated wording, a quantity nobody
    stated, the expected kinds) add no reason.
    """
    fa, fb = pair.offer, pair.receiver
    unknown: list[str] = []
    concept = list(concept_reasons(index.concept_cmp, pair, ctx))
    out = list(concept)
    if text_value >= TEXT_REASON_MIN:
        out.extend(index.text_cmp.reasons(pair, text_value, ctx))
    if fa.corrections or fb.corrections:
        out.extend(typo_reasons(fa, fb))
    if fa.quantity is not None and fb.quantity is not None:
        quantity = index.quantity_cmp.reasons(pair)
        if quantity and quantity[0].code == "quantity_units":
            unknown.append("quantity")
        else:
            out.extend(quantity)
    out.extend(GradeFit.reasons(compare_grades(fa.attributes, fb.attributes), index.thesaurus.names))
    if not concept:
        out.extend(index.semantic_cmp.compare(pair, ctx).reasons)
    if km is None:
        unknown.append("distance")
    else:
        out.extend(DistanceComparison.reasons(km))
    if compared_kind(fa) != compared_kind(fb) or pair.pair_type == "processing":
        out.extend(index.kind_cmp.reasons(pair))
    if unknown:
        out.append(unknown_reason(unknown))
    return tuple(out)


def concept_reasons(cmp: ConceptComparison, pair: Pair, ctx: CompareContext) -> tuple[Reason, ...]:
    """The best one or two concept matches, as reasons (the value comes from ``values``)."""
    contribs, missing = cmp.contributions(pair, ctx)
    if missing or not contribs:
        return ()
    best = max(contribs, key=lambda c: (c[0], c[1].concept))
    out = [cmp.reason(best, pair, ctx)]
    if len(contribs) > 1:
        rest = [c for c in contribs if c[1].via != best[1].via and c[0] >= SECOND_REASON_SHARE * best[0]]
        if rest:
            out.append(cmp.reason(max(rest, key=lambda c: (c[0], c[1].concept)), pair, ctx))
    return tuple(out)


def typo_reasons(fa: ListingFeatures, fb: ListingFeatures) -> list[Reason]:
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


def quantity_columns(
    amount: float | None, unit: str | None, frequency: str | None
) -> tuple[float, int, float]:
    """(amount in base unit or NaN, dimension code or -1, annual amount or NaN), as the
    store keeps them per listing."""
    q = normalise_quantity(amount, unit, frequency)
    if q is None:
        return math.nan, -1, math.nan
    annual = q.annual()
    return q.amount, DIMENSION_CODE[q.dimension], math.nan if annual is None else annual
