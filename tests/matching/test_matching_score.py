"""Step 4: the score is bounded, gated by evidence, monotonic; ranking helpers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matchmaker.matching.score import RunningTopN, combine, combine_many, passes_gate, top_n_mask
from matchmaker.matching.settings import COMPONENTS, MatchSettings, Weights


def _values(rng: random.Random) -> dict[str, float]:
    return {c: rng.random() for c in COMPONENTS}


def test_scores_stay_within_0_and_1() -> None:
    rng = random.Random(1)
    s = MatchSettings()
    for _ in range(2000):
        v = _values(rng)
        score = combine(v, rng.random(), s)
        assert 0.0 <= score <= 1.0
    assert combine(dict.fromkeys(COMPONENTS, 1.0), 1.0, s) == 1.0
    assert combine(dict.fromkeys(COMPONENTS, 0.0), 0.0, s) == 0.0
    # out-of-range inputs are clipped, not propagated
    assert combine(dict.fromkeys(COMPONENTS, 7.0), 1.0, s) == 1.0


def test_evidence_gate() -> None:
    s = MatchSettings()
    near_and_right_kind = {"text": 0.2, "concept": 0.25, "distance": 1.0, "kind": 1.0, "quantity": 1.0}
    assert not passes_gate(0.0, 0.2, s)
    assert combine(near_and_right_kind, 0.0, s) == 0.0  # closeness alone is no suggestion
    assert combine(near_and_right_kind, s.min_concept_evidence, s) > 0.0
    assert combine({**near_and_right_kind, "text": s.min_text_evidence}, 0.0, s) > 0.0


def test_score_is_monotonic_in_every_component() -> None:
    rng = random.Random(2)
    s = MatchSettings()
    for _ in range(300):
        v = _values(rng)
        base = combine(v, 1.0, s)
        for c in COMPONENTS:
            better = combine({**v, c: min(1.0, v[c] + 0.1)}, 1.0, s)
            assert better >= base


def test_weights_are_normalised() -> None:
    v = {"text": 1.0, "concept": 0.0, "distance": 0.0, "kind": 0.0, "quantity": 0.0}
    a = combine(v, 1.0, MatchSettings(weights=Weights(1, 1, 1, 1, 1)))
    b = combine(v, 1.0, MatchSettings(weights=Weights(2, 2, 2, 2, 2)))
    assert a == b == pytest.approx(0.2)


def test_batch_combine_equals_single() -> None:
    rng = random.Random(3)
    s = MatchSettings()
    rows = [_values(rng) for _ in range(500)]
    ev = np.array([rng.random() for _ in rows])
    batch = combine_many({c: np.array([r[c] for r in rows]) for c in COMPONENTS}, ev, s)
    single = [combine(r, e, s) for r, e in zip(rows, ev.tolist(), strict=True)]
    assert batch.tolist() == single


def test_top_n_mask_orders_by_score_then_partner_id() -> None:
    owner = np.array([1, 1, 1, 1, 2, 2], dtype=np.int64)
    partner = np.array([40, 30, 20, 10, 10, 20], dtype=np.int64)
    score = np.array([0.5, 0.9, 0.5, 0.1, 0.3, 0.3])
    mask = top_n_mask(owner, partner, score, 2)
    # owner 1: 0.9 (30), then the 0.5 tie goes to partner 20; owner 2: both
    assert mask.tolist() == [False, True, True, False, True, True]
    assert top_n_mask(owner, partner, score, 1).tolist() == [False, True, False, False, True, False]


def test_running_top_n_is_a_lower_bound_of_the_final_nth_best() -> None:
    rng = np.random.default_rng(4)
    owner = rng.integers(0, 30, 3000)
    score = np.round(rng.random(3000), 6)
    r = RunningTopN(30, 5)
    for lo in range(0, 3000, 250):
        r.update(owner[lo : lo + 250], score[lo : lo + 250])
    for o in range(30):
        mine = np.sort(score[owner == o])[::-1]
        expected = mine[4] if mine.size >= 5 else -np.inf
        # held as the largest float32 at most the n-th best: still a lower bound, and close
        got = float(r.threshold(np.array([o]))[0])
        assert got <= expected and (expected == -np.inf or expected - got < 1e-7)
        assert got == -np.inf or float(np.nextafter(np.float32(got), np.float32(np.inf))) > expected


def test_strength_says_what_kind_of_evidence_carried_a_pair() -> None:
    from matchmaker.matching.score import strength

    s = MatchSettings()
    assert strength({"concept": 0.8, "text": 0.3}, s) == "strong"
    assert strength({"concept": 0.1, "text": 0.9}, s) == "strong"
    assert strength({"concept": 0.4, "text": 0.3}, s) == "medium"
    assert strength({"concept": 0.0, "text": 0.4, "semantic": 0.7}, s) == "weak"  # meaning alone


def test_compacted_pairs_keep_their_components_as_output() -> None:
    """Kept pairs hold components as 2-byte codes; read back they are the output values."""
    from matchmaker.matching.scored import ScoredPairs, component_values

    rng = np.random.default_rng(5)
    n = 10_000
    comps = {c: rng.random(n) for c in COMPONENTS}
    comps["semantic"][::3] = np.nan  # unknown stays unknown
    comps["grade"][:4] = (0.0, 1.0, 0.99995, 0.00004)  # the ends, and rounding at both
    pairs = ScoredPairs(np.arange(n), np.arange(n)[::-1], np.zeros(n, dtype=np.int8), rng.random(n),
                        rng.random(n) * 50, comps)
    compact = pairs.compact()
    for c in COMPONENTS:
        assert compact.comps[c].itemsize == 2
        np.testing.assert_array_equal(component_values(compact.comps[c]), np.round(comps[c], 4))
        np.testing.assert_array_equal(component_values(pairs.comps[c]), np.round(comps[c], 4))
    assert component_values(compact.comps["grade"][:4]).tolist() == [0.0, 1.0, 1.0, 0.0]
    np.testing.assert_array_equal(compact.score, pairs.score)  # the score is not rounded
