"""Step 4 — scoring: combine component values into one score in 0..1, and rank.

``score = sum(w_c * value_c) / sum(w_c)`` over the components text, concept, distance,
kind and quantity (all in 0..1, so the score is too). A pair is only a suggestion when
there is real evidence that the two listings are about the same thing: a concept value of
at least ``min_concept_evidence`` or a text value of at least ``min_text_evidence``
(closeness and kind alone never make a suggestion) — otherwise its score is 0.
Scores are rounded to 6 decimals so that batch and single-pair computations rank alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from matchmaker.matching.settings import COMPONENTS, OPTIONAL_COMPONENTS, MatchSettings

FloatArray = npt.NDArray[np.float64]
SCORE_DECIMALS = 6
COMPONENT_DECIMALS = 4


def passes_gate(
    concept_evidence: float, text_value: float, settings: MatchSettings, semantic_value: float = math.nan
) -> bool:
    return (
        concept_evidence >= settings.min_concept_evidence
        or text_value >= settings.min_text_evidence
        or semantic_value >= settings.min_semantic_evidence
    )


def combine(values: Mapping[str, float], concept_evidence: float, settings: MatchSettings) -> float:
    """Score of one pair from its component values (0 when it fails the evidence gate).

    An optional component that is NaN (unknown for this pair) is left out, weight and all."""
    if not passes_gate(concept_evidence, values["text"], settings, values.get("semantic", math.nan)):
        return 0.0
    w = settings.weights.as_dict()
    total = weight = 0.0
    for name in COMPONENTS:
        v = values.get(name, math.nan)
        if name in OPTIONAL_COMPONENTS and v != v:
            continue
        total = total + w[name] * min(1.0, max(0.0, v))
        weight = weight + w[name]
    if weight <= 0:
        return 0.0
    if values.get("grade", math.nan) == 0.0:  # the offer's grade cannot serve the need
        total = total * settings.falls_short_factor
    return float(np.round(total / weight, SCORE_DECIMALS))


def combine_many(
    values: Mapping[str, FloatArray], concept_evidence: FloatArray, settings: MatchSettings
) -> FloatArray:
    """Vectorised ``combine`` (the same arithmetic in the same order)."""
    w = settings.weights.as_dict()
    total: FloatArray = np.zeros_like(values["text"], dtype=np.float64)
    weight: FloatArray = np.zeros_like(total)
    unknown = np.full_like(total, np.nan)
    for name in COMPONENTS:
        v = values.get(name, unknown)
        if name in OPTIONAL_COMPONENTS:
            known = ~np.isnan(v)
            total = total + w[name] * np.clip(np.where(known, v, 0.0), 0.0, 1.0)
            weight = weight + w[name] * known
        else:
            total = total + w[name] * np.clip(v, 0.0, 1.0)
            weight = weight + w[name]
    total = np.where(values.get("grade", unknown) == 0.0, total * settings.falls_short_factor, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(weight > 0, np.round(total / np.where(weight > 0, weight, 1.0), SCORE_DECIMALS), 0.0)
    gate = (
        (concept_evidence >= settings.min_concept_evidence)
        | (values["text"] >= settings.min_text_evidence)
        | (np.nan_to_num(values.get("semantic", unknown), nan=-1.0) >= settings.min_semantic_evidence)
    )
    out: FloatArray = np.where(gate, score, 0.0)
    return out


def suggestible(score: FloatArray, settings: MatchSettings) -> npt.NDArray[np.bool_]:
    """Pairs whose score may be suggested at all (a gated-out pair scores 0)."""
    out: npt.NDArray[np.bool_] = (score >= settings.min_score) & (score > 0)
    return out


# Every ranking orders a listing's pairs by score (desc), then partner listing id (asc), so
# equal scores rank the same everywhere; ``top_n_mask`` packs the same order into one key.
def rank_order(
    score: FloatArray, partner_id: npt.NDArray[np.int64], owner: npt.NDArray[np.int64] | None = None
) -> npt.NDArray[np.int64]:
    """Row order of the ranking (grouped by ``owner`` first, when given)."""
    keys = (partner_id, -score) if owner is None else (partner_id, -score, owner)
    out: npt.NDArray[np.int64] = np.lexsort(keys)
    return out


def outranks(
    score: FloatArray, partner_id: npt.NDArray[np.int64], than_score: FloatArray, than_id: object
) -> npt.NDArray[np.bool_]:
    """Do these (score, partner id) rank before (``than_score``, ``than_id``)?"""
    out: npt.NDArray[np.bool_] = (score > than_score) | ((score == than_score) & (partner_id < than_id))
    return out


def output_order(
    score: FloatArray, offer_id: npt.NDArray[np.int64], need_id: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Order of a list of suggestions: score (desc), then offer listing id, then need listing id."""
    out: npt.NDArray[np.int64] = np.lexsort((need_id, offer_id, -score))
    return out


def _score_ints(score: FloatArray) -> npt.NDArray[np.int64]:
    """Scores (0..1, 6 decimals) as exact integers 0..1_000_000."""
    out: npt.NDArray[np.int64] = np.rint(np.clip(score, 0.0, 1.0) * 10**SCORE_DECIMALS).astype(np.int64)
    return out


def _dense_rank(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    uniq, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def top_n_mask(
    owner: npt.NDArray[np.int64],
    partner_id: npt.NDArray[np.int64],
    score: FloatArray,
    n: int,
    dense: bool = False,
) -> npt.NDArray[np.bool_]:
    """True for rows within the best ``n`` of their owner (score desc, then partner id asc).

    ``dense=True`` promises small non-negative owner and partner values (slot numbers,
    ranks), which saves ranking them first.
    """
    m = owner.shape[0]
    if m == 0:
        return np.zeros(0, dtype=bool)
    # one int64 sort key: owner | inverted score | partner rank
    o = owner.astype(np.int64) if dense else _dense_rank(owner)
    p = partner_id.astype(np.int64) if dense else _dense_rank(partner_id)
    bits_p = max(1, int(p.max()).bit_length())
    bits_o = max(1, int(o.max()).bit_length())
    inv = np.int64(10**SCORE_DECIMALS) - _score_ints(score)
    if bits_o + 20 + bits_p <= 62:
        key = (o << np.int64(20 + bits_p)) | (inv << np.int64(bits_p)) | p
        order = np.argsort(key, kind="stable")
    else:  # astronomically many rows: fall back to a three-key sort
        order = np.lexsort((p, inv, o))
    sorted_owner = o[order]
    starts = np.r_[0, np.flatnonzero(sorted_owner[1:] != sorted_owner[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, m]))
    rank = np.arange(m) - group_start
    mask = np.zeros(m, dtype=bool)
    mask[order[rank < n]] = True
    return mask


class RunningTopN:
    """Per-owner n-th best score seen so far (a lower bound of the final n-th best).

    Used to discard, batch by batch, pairs that can no longer reach either listing's top n.
    Held as float32, each rounded down (a lower bound stays one): half the memory, 20 MB a
    process at 500,000 listings.
    """

    def __init__(self, capacity: int, n: int) -> None:
        self.n = n
        self.best = np.full((max(capacity, 1), n), -np.inf, dtype=np.float32)

    def update(self, owner: npt.NDArray[np.int64], score: FloatArray) -> None:
        if owner.size == 0:
            return
        n = self.n
        # keep at most n candidates per owner from the batch (argsort on one int64 key)
        key = (owner.astype(np.int64) << np.int64(21)) | (np.int64(10**SCORE_DECIMALS) - _score_ints(score))
        order = np.argsort(key)
        so = owner[order]
        starts = np.r_[0, np.flatnonzero(so[1:] != so[:-1]) + 1]
        group_start = np.repeat(starts, np.diff(np.r_[starts, so.size]))
        rank = np.arange(so.size) - group_start
        top = rank < n
        so, ss, rank = so[top], score[order][top], rank[top]
        uniq = so[np.r_[0, np.flatnonzero(so[1:] != so[:-1]) + 1]] if so.size else so
        batch = np.full((uniq.size, n), -np.inf, dtype=np.float32)
        batch[np.searchsorted(uniq, so), rank] = _rounded_down(ss)
        merged = np.concatenate([self.best[uniq], batch], axis=1)
        merged = -np.sort(-merged, axis=1)[:, :n]
        self.best[uniq] = merged

    def threshold(self, owner: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        out: npt.NDArray[np.float32] = self.best[owner, self.n - 1]
        return out


def _rounded_down(score: FloatArray) -> npt.NDArray[np.float32]:
    """The largest float32 at most ``score``, each."""
    near = score.astype(np.float32)
    return np.where(near > score, np.nextafter(near, np.float32(-np.inf)), near)


#: how strong the evidence of a suggested pair is, for people: a concept this close or words
#: this alike make it strong; a pair that only closeness in meaning let through is weak
STRONG_CONCEPT, STRONG_TEXT = 0.6, 0.85


def strength(components: Mapping[str, float], settings: MatchSettings) -> str:
    """"strong", "medium" or "weak" from a suggestion's stored component values."""
    concept, text = components.get("concept", 0.0), components.get("text", 0.0)
    if concept >= STRONG_CONCEPT or text >= STRONG_TEXT:
        return "strong"
    if concept >= settings.min_concept_evidence or text >= settings.min_text_evidence:
        return "medium"
    return "weak"
