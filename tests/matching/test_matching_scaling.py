"""Local scaling: a supplier that matches everyone well yields first place to one whose
best match this is, on equal raw evidence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matching_places import KONGSVINGER, SKARNES

from matchmaker.matching import MatchIndex, MatchSettings, Thesaurus
from matchmaker.matching.explain import render
from matchmaker.matching.scaling import best_means, scaled


def test_best_means_take_the_k_best_finite_scores() -> None:
    rows = np.array([[0.5, 0.9, -np.inf, 0.7], [-np.inf] * 4, [0.4, -np.inf, -np.inf, -np.inf]])
    got = best_means(rows, 2)
    assert got[0] == pytest.approx(0.8)
    assert math.isnan(got[1])  # nothing known: no correction
    assert got[2] == pytest.approx(0.4)  # fewer than k: the mean of what there is


def test_scaled_scores_stay_within_0_and_1_and_an_unknown_side_is_neutral() -> None:
    s = MatchSettings()
    raw = np.array([0.5, 0.98, 0.05])
    out = scaled(raw, np.array([np.nan, 0.4, 0.95]), np.array([np.nan, 0.4, 0.95]), s)
    assert out[0] == pytest.approx(0.5)
    assert out[1] == 1.0 and out[2] == 0.0
    assert scaled(raw, raw, raw, s.with_changes(local_scaling_weight=0.0)) is raw


def _registry(make):  # type: ignore[no-untyped-def]
    """Two sawdust suppliers beside each other; the first (lower id) is also the best match of
    three buyers in town, which belong to the second supplier's company (no pair with it)."""
    return [
        make(1, "offer", "by-product", "Sagflis", listing_id=1),
        make(2, "offer", "by-product", "Sagflis", listing_id=2),
        make(3, "need", "material", "Trenger sagflis", listing_id=3, place=SKARNES),
        *(make(2, "need", "material", "Trenger sagflis", listing_id=i, place=KONGSVINGER) for i in (4, 5, 6)),
    ]


def test_a_supplier_whose_best_match_this_is_ranks_first(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = _registry(make)
    plain = MatchIndex.build(recs, MatchSettings(local_scaling_weight=0.0), mini_thesaurus)
    raw = plain.ranked_for(3)
    assert [x.offer_listing_id for x in raw] == [1, 2] and raw[0].score == raw[1].score  # a tie
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    ranked = idx.ranked_for(3)
    assert [x.offer_listing_id for x in ranked] == [2, 1]
    assert ranked[0].score > ranked[1].score
    # the suggestions carry the scaled scores, in the same order, and the same pairs as unscaled
    stored = {(x.offer_listing_id, x.need_listing_id): x.score for x in idx.match_all()}
    assert stored[(2, 3)] > stored[(1, 3)]
    assert set(stored) == {(x.offer_listing_id, x.need_listing_id) for x in plain.match_all()}
    # the buyers in town were only ever offered supplier 1: their own lists are unchanged
    assert [x.offer_listing_id for x in idx.ranked_for(4)] == [1]
    # what the scaling added is a reason, in points, for or against the pair
    shift = {}
    for x in raw:
        scaled_pair = next(y for y in ranked if y.offer_listing_id == x.offer_listing_id)
        shift[x.offer_listing_id] = round(100 * (scaled_pair.score - x.score))
        (said,) = [r for r in scaled_pair.reasons if r.code in ("better_elsewhere", "few_alternatives")]
        assert said.code == ("better_elsewhere" if shift[x.offer_listing_id] < 0 else "few_alternatives")
        assert said.params["points"] == abs(shift[x.offer_listing_id])
        assert f"{abs(shift[x.offer_listing_id])} poeng" in render(said, "nb")
    assert shift[1] < shift[2]


def test_an_incremental_update_scales_as_the_recompute_did(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = _registry(make)
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    everything = idx.match_all()
    for r in recs:
        assert idx.match_listing(r.listing_id) == [x for x in everything if x.involves(r.listing_id)]
