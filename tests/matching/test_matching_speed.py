"""Engine speed paths keep their promises: incremental ``match_listing`` semantics."""

from __future__ import annotations

import dataclasses
import random

import reference
from random_registry import PLACES, TITLES, random_registry

from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Suggestion, Thesaurus

SCALING = {"better_elsewhere", "few_alternatives"}


def _key(s: Suggestion) -> tuple[int, int]:
    return (s.offer_listing_id, s.need_listing_id)


def _changed(rng: random.Random, old: ListingRecord) -> ListingRecord:
    place = rng.choice(PLACES)
    return dataclasses.replace(
        old,
        title=rng.choice(TITLES),
        description=rng.choice(["", "tørr", "fra sagbruket", "ren"]),
        quantity=rng.choice([None, 5.0, 300.0]),
        lat=None if place is None else place[0],
        lon=None if place is None else place[1],
    )


def test_incremental_match_listing_is_exact_for_the_listing_and_misses_nothing(
    mini_thesaurus: Thesaurus,
    make,  # type: ignore[no-untyped-def]
) -> None:
    rng = random.Random(3)
    # which pairs are suggested is decided on raw scores; scaled ones also depend on the
    # partners' best pairs, which a full recompute knows exactly (test_match_listing_after_prepare...)
    s = MatchSettings(top_n=3, local_scaling_weight=0.0)
    current = {r.listing_id: r for r in random_registry(make, 140, seed=11)}
    idx = MatchIndex.build(current.values(), s, mini_thesaurus)
    idx.match_all()  # stores every listing's cut-off
    extras = 0
    for step in range(40):
        if step % 7 == 6:
            victim = rng.choice(sorted(current))
            idx.remove(victim)
            del current[victim]
            continue
        lid = rng.choice(sorted(current))
        current[lid] = _changed(rng, current[lid])
        idx.upsert(current[lid])
        got = {_key(x): x for x in idx.match_listing(lid)}
        rebuilt = MatchIndex.build(current.values(), s, mini_thesaurus)
        want = {_key(x): x for x in rebuilt.match_listing(lid)}
        # the changed listing's own top_n is exactly a rebuild's
        for x in rebuilt.ranked_for(lid, limit=s.top_n):
            assert got[_key(x)] == x
        # no pair a rebuild suggests is missed, and every pair is scored as a rebuild would
        for key, x in want.items():
            assert got.get(key) == x, (step, key)
        for key, x in got.items():
            if key not in want:
                extras += 1
                assert rebuilt.score_pair(*key) == x
                assert x.score >= s.min_score
    # a partner's list may keep a pair too many until the next full recompute
    assert extras <= 40
    assert idx.match_all() == MatchIndex.build(current.values(), s, mini_thesaurus).match_all()


def test_match_listing_after_prepare_equals_match_all(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = random_registry(make, 120, seed=4)
    idx = MatchIndex.build(recs, MatchSettings(top_n=2), mini_thesaurus)
    idx.prepare_incremental()
    everything = MatchIndex.build(recs, MatchSettings(top_n=2), mini_thesaurus).match_all()
    for r in recs:
        mine = [x for x in everything if x.involves(r.listing_id)]
        assert idx.match_listing(r.listing_id) == mine, r.listing_id


def test_partners_added_since_the_recompute_are_ranked_exactly(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = random_registry(make, 100, seed=8)
    s = MatchSettings(top_n=2, local_scaling_weight=0.0)  # (raw scores: see the test above)
    idx = MatchIndex.build(recs[:60], s, mini_thesaurus)
    idx.match_all()
    for r in recs[60:]:  # added, never matched: no stored cut-off
        idx.upsert(r)
    rebuilt = MatchIndex.build(recs, s, mini_thesaurus)
    for r in recs[60:]:
        want = {_key(x): x for x in rebuilt.match_listing(r.listing_id)}
        got = {_key(x): x for x in idx.match_listing(r.listing_id)}
        assert all(got.get(k) == x for k, x in want.items())


def test_vectorised_reasons_equal_the_scalar_reference(real_thesaurus: Thesaurus) -> None:
    from bench.synth import generate
    from matchmaker.matching.compare import Pair

    recs = list(generate(200, seed=5, thesaurus=real_thesaurus))
    idx = MatchIndex.build(recs, MatchSettings(), real_thesaurus)
    out = idx.match_all()
    ctx = idx.scorer.context()
    codes: set[str] = set()
    for x in out:
        fa, fb = idx.features(x.offer_listing_id), idx.features(x.need_listing_id)
        assert fa is not None and fb is not None
        want = reference.reasons(idx, Pair(fa, fb, x.pair_type), ctx, x.components["text"], x.distance_km)
        # the distance reason rounds the unrounded km; compare it separately (and local
        # scaling's, which depends on the whole registry: test_matching_scaling.py)
        assert [r for r in x.reasons if not r.code.startswith("distance") and r.code not in SCALING] == [
            r for r in want if not r.code.startswith("distance")
        ]
        assert sum(r.code.startswith("distance") for r in x.reasons) == (x.distance_km is not None)
        codes |= {r.code for r in x.reasons}
    assert {"typo", "process_input", "same_concept", "fuzzy_text", "kind"} <= codes, codes


def test_ranking_owner_range_by_owner_range_changes_nothing(
    mini_thesaurus: Thesaurus,
    make,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import numpy as np

    from matchmaker.matching import ranking
    from matchmaker.matching.score import suggestible
    from matchmaker.matching.scored import ScoredPairs

    recs = random_registry(make, 150, seed=12)
    s = MatchSettings(top_n=3)
    whole = MatchIndex.build(recs, s, mini_thesaurus)
    everything = whole.match_all()
    monkeypatch.setattr(ranking, "RANK_ROWS", 40)  # many small owner ranges
    idx = MatchIndex.build(recs, s, mini_thesaurus)
    sp = ScoredPairs.concat(ranking.kept_parts(idx.scorer, idx.blocking, 0, 1))
    ok = np.flatnonzero(suggestible(sp.score, s))
    assert len(list(ranking.owner_ranges(sp.a, sp.b, idx.store.size))) > 3
    np.testing.assert_array_equal(
        ranking.select_all(sp, ok, idx.store, s.top_n),
        ranking.select(sp.take(np.arange(len(sp))), idx.store, s, owners=None),
    )
    assert idx.match_all() == everything
    assert list(idx.iter_batches(batch_size=9)) == [
        everything[i : i + 9] for i in range(0, len(everything), 9)
    ]
    for r in recs:  # the stored best pairs were filled range by range too
        assert idx.match_listing(r.listing_id) == [x for x in everything if x.involves(r.listing_id)]
