"""Pairwise weight learning finds the component that separates true partners."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from matchmaker.learning.fit import Lookup, cross_validate, fit_weights, mrr, reciprocal_rank  # noqa: E402


def _lookups(n: int = 60, seed: int = 7) -> list[Lookup]:
    """Component 0 tells the truth, component 1 is noise, component 2 favours the wrong ones."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        values = rng.random((8, 3))
        true = np.zeros(8, dtype=bool)
        true[0] = True
        values[0, 0] = 0.6 + 0.4 * values[0, 0]
        values[1:, 0] *= 0.7
        values[0, 2] *= 0.5
        out.append(Lookup(f"g{i % 6}", values, true))
    return out


def test_reciprocal_rank_counts_ties_against_the_true_partner() -> None:
    true = np.asarray([False, True, False])
    assert reciprocal_rank(np.asarray([0.9, 0.5, 0.1]), true) == 0.5
    assert reciprocal_rank(np.asarray([0.5, 0.5, 0.1]), true) == 0.5
    assert reciprocal_rank(np.asarray([0.1, 0.5, 0.1]), true) == 1.0
    assert reciprocal_rank(np.asarray([0.1, 0.5]), np.asarray([False, False])) == 0.0


def test_learned_weights_favour_the_telling_component_and_beat_equal_weights() -> None:
    lookups = _lookups()
    w = fit_weights(lookups, c=1.0)
    assert w.shape == (3,) and w.min() >= 0 and abs(w.sum() - 1) < 1e-9
    assert w[0] > 0.6 and w[2] < 0.1
    assert mrr(w, lookups) > mrr(np.full(3, 1 / 3), lookups) + 0.1


def test_cross_validation_keeps_groups_apart_and_reports_every_c() -> None:
    cv = cross_validate(_lookups(), folds=3, grid=(0.1, 10.0))
    assert cv.folds == 3 and set(cv.mrr_by_c) == {0.1, 10.0}
    assert cv.c in (0.1, 10.0) and cv.mrr_by_c[cv.c] > 0.8


def test_nothing_to_learn_from_is_an_error() -> None:
    lone = Lookup("g", np.asarray([[0.5, 0.5]]), np.asarray([True]))
    with pytest.raises(ValueError):
        fit_weights([lone], c=1.0)


def test_level_search_takes_what_raises_the_tuning_mrr_and_keeps_ties() -> None:
    from matchmaker.learning.levels import search_levels
    from matchmaker.matching import MatchSettings

    def tuning_mrr(s: MatchSettings) -> float:  # peaks at broader 0.8; related does not matter
        return 0.8 - abs(s.broader_weight - 0.8) - abs(s.unit_mismatch_value - 0.3) / 10

    base = MatchSettings()
    grid = {"broader_weight": (0.4, 0.6, 0.8), "related_weight": (0.2, 0.6),
            "unit_mismatch_value": (0.3, 0.6)}
    found = search_levels(base.with_changes(broader_weight=0.6, unit_mismatch_value=0.45), tuning_mrr, grid)
    assert found.settings.broader_weight == 0.8 and found.settings.unit_mismatch_value == 0.3
    assert found.settings.related_weight == base.related_weight  # a tie keeps the current value
    assert found.changed == {"broader_weight": (0.6, 0.8), "unit_mismatch_value": (0.45, 0.3)}
    assert found.mrr > found.start_mrr and found.tried >= 6
