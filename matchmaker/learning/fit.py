"""Learning the score weights from labelled pairs: pairwise logistic regression.

The engine's score is a weighted mean of component values (``settings.COMPONENTS``), so a
ranking is decided by ``w · x``. For every look-up (one listing and its candidates, some of
them true partners) each (true, other) pair of candidates becomes one example
``x_true - x_other`` that should come out positive: logistic regression without intercept
on those differences is RankNet with a linear model. The coefficients, clipped at zero
(every component is "more is better") and normalised, are the weights.

The regularisation strength is chosen by grouped cross-validation (look-ups of one network
or one component of the pair graph never straddle folds), scored by the MRR the weights
give on the left-out look-ups. scikit-learn does the fitting (``pip install -e '.[learn]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
#: regularisation strengths tried (inverse, as scikit-learn's ``C``)
C_GRID: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0, 100.0)
MAX_OTHERS = 50  # negatives per look-up kept for training (the best-scoring by the current weights)


@dataclass(frozen=True)
class Lookup:
    """One listing's candidates, best first by the current settings: component values (rows)
    and which of them are true partners."""

    group: str  # look-ups of one group stay in one fold
    values: FloatArray  # (candidates, components)
    true: npt.NDArray[np.bool_]  # (candidates,)


def reciprocal_rank(scores: FloatArray, true: npt.NDArray[np.bool_]) -> float:
    """1 / rank of the best-ranked true candidate (ties count against it); 0 when none."""
    if not true.any():
        return 0.0
    best = scores[true].max()
    return 1.0 / (1 + int((scores[~true] >= best).sum()))


def mrr(weights: FloatArray, lookups: Sequence[Lookup]) -> float:
    if not lookups:
        return 0.0
    return float(np.mean([reciprocal_rank(lk.values @ weights, lk.true) for lk in lookups]))


def pairwise_examples(lookups: Sequence[Lookup]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Differences (true - other) labelled 1 and their negations labelled 0 (balanced)."""
    rows: list[FloatArray] = []
    for lk in lookups:
        pos, neg = lk.values[lk.true], lk.values[~lk.true][:MAX_OTHERS]
        if pos.size and neg.size:
            rows.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, lk.values.shape[1]))
    if not rows:
        width = lookups[0].values.shape[1] if lookups else 0
        return np.zeros((0, width)), np.zeros(0, dtype=np.int64)
    diff = np.concatenate(rows)
    x = np.concatenate([diff, -diff])
    y = np.concatenate([np.ones(len(diff), dtype=np.int64), np.zeros(len(diff), dtype=np.int64)])
    return x, y


def fit_weights(lookups: Sequence[Lookup], c: float) -> FloatArray:
    """Non-negative weights summing to 1 that rank true partners first (as far as linear can)."""
    from sklearn.linear_model import LogisticRegression  # the optional [learn] extra

    x, y = pairwise_examples(lookups)
    if len(x) == 0:
        raise ValueError("no look-up has both a true partner and another candidate")
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    model.fit(x, y)
    w = np.clip(model.coef_[0], 0.0, None)
    if w.sum() <= 0:
        raise ValueError("no component helps to rank the true partners first")
    out: FloatArray = w / w.sum()
    return out


@dataclass(frozen=True)
class CrossValidation:
    c: float
    mrr_by_c: dict[float, float]
    folds: int


def cross_validate(
    lookups: Sequence[Lookup], folds: int = 5, grid: Sequence[float] = C_GRID
) -> CrossValidation:
    """Pick ``C`` by grouped k-fold cross-validation on the look-ups' MRR."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray([lk.group for lk in lookups])
    k = max(2, min(folds, len(set(groups.tolist()))))
    splitter = GroupKFold(n_splits=k)
    index = np.arange(len(lookups))
    scores: dict[float, float] = {}
    for c in grid:
        fold_mrr = []
        for train, test in splitter.split(index, groups=groups):
            w = fit_weights([lookups[i] for i in train], c)
            fold_mrr.append(mrr(w, [lookups[i] for i in test]))
        scores[c] = float(np.mean(fold_mrr))
    best = max(grid, key=lambda c: (scores[c], -c))  # ties: the stronger regularisation
    return CrossValidation(best, scores, k)
