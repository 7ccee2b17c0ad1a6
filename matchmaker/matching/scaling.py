"""Local scaling: a pair's score against how well both listings match elsewhere.

A listing that scores well with everyone (oxygen "by pipe to the neighbours", a boiler that
"takes wood fuel and by-products from industry") would head many lists on evidence it shares
with all of them; a listing whose one good match is this partner would not. Ranking by
``score - weight * (mean(best_a, best_b) - centre)``, where ``best_x`` is the mean of
listing x's ``k`` best raw scores, corrects for that (hubness reduction: the "cross-domain
similarity local scaling" of Conneau et al., 2018, on match scores instead of cosines).

Which pairs are suggested is decided on the raw scores (every listing's raw top_n, as the
engine's ranking semantics say); the scaled score orders them and is what a suggestion shows.
Within one listing's list its own term is constant, so only the partners' terms reorder it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matchmaker.matching.settings import MatchSettings

FloatArray = npt.NDArray[np.float64]


def best_means(top_scores: npt.NDArray[np.floating], k: int) -> FloatArray:
    """Per row, the mean of its ``k`` highest finite scores (fewer when it has fewer; NaN
    when it has none). ``top_scores`` holds each listing's best raw scores in any order."""
    rows = np.asarray(top_scores, dtype=np.float64)
    if rows.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    finite = np.isfinite(rows)
    best = -np.sort(np.where(finite, -rows, np.inf), axis=1)[:, :k]  # descending, -inf last
    have = np.isfinite(best)
    count = have.sum(axis=1)
    total = np.where(have, best, 0.0).sum(axis=1)
    out: FloatArray = np.full(rows.shape[0], np.nan)
    np.divide(total, count, out=out, where=count > 0)
    return out


def scaled(raw: FloatArray, best_a: FloatArray, best_b: FloatArray, settings: MatchSettings) -> FloatArray:
    """The scaled scores of pairs (raw score, each side's ``best_means``), within 0..1. A side
    whose best scores are not known (NaN) counts as the centre: no correction from it."""
    if settings.local_scaling_weight == 0.0 or raw.shape[0] == 0:
        return raw
    out: FloatArray = np.clip(raw + _shift(best_a, best_b, settings), 0.0, 1.0)
    return out


def _shift(best_a: FloatArray, best_b: FloatArray, settings: MatchSettings) -> FloatArray:
    """What local scaling adds to a raw score (the one formula; NaN sides count as the centre)."""
    c = settings.local_scaling_centre
    term = (np.where(np.isnan(best_a), c, best_a) + np.where(np.isnan(best_b), c, best_b)) / 2.0 - c
    out: FloatArray = -settings.local_scaling_weight * term
    return out


#: a shift of at least this many points (of 100) is said as a reason for or against the pair
REASON_MIN_POINTS = 5


def shift_points(best_a: FloatArray, best_b: FloatArray, settings: MatchSettings) -> npt.NDArray[np.int64]:
    """What local scaling adds to each pair's score, in whole points of 100 (before the
    score is kept within 0..1): negative when both listings match others better on average."""
    out: npt.NDArray[np.int64] = np.rint(100.0 * _shift(best_a, best_b, settings)).astype(np.int64)
    return out


def reason(points: int) -> tuple[str, dict[str, int]]:
    """The reason (code, params) for what local scaling added: against the pair when both
    listings match others better on average, for it when they have few other good matches."""
    if points < 0:
        return "better_elsewhere", {"points": -points}
    return "few_alternatives", {"points": points}
