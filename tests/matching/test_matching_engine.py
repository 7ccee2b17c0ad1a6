"""The public API end to end: ranking, top_n semantics, incremental updates, guards."""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict

import pytest
from matching_places import HAMAR, KONGSVINGER, SKARNES, TRONDHEIM
from random_registry import random_registry

from matchmaker.matching import MatchIndex, MatchSettings, Reason, Suggestion, Thesaurus
from matchmaker.matching.roles import pair_type_of


def _key(s: Suggestion) -> tuple[int, int]:
    return (s.offer_listing_id, s.need_listing_id)


def _unscaled(s: MatchSettings) -> MatchSettings:
    return s.with_changes(local_scaling_weight=0.0)


def test_suggestions_are_valid_and_deterministically_ordered(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = random_registry(make)
    by_id = {r.listing_id: r for r in recs}
    s = MatchSettings()
    first = MatchIndex.build(recs, s, mini_thesaurus).match_all()
    again = MatchIndex.build(list(reversed(recs)), s, mini_thesaurus).match_all()
    assert first == again
    assert first
    assert [x.sort_key() for x in first] == sorted(x.sort_key() for x in first)
    # the pairs are chosen on raw scores (each >= min_score); they show the scaled ones
    raw = {_key(x): x.score for x in MatchIndex.build(recs, _unscaled(s), mini_thesaurus).match_all()}
    assert set(raw) == {_key(x) for x in first}
    assert min(raw.values()) >= s.min_score
    for x in first:
        a, b = by_id[x.offer_listing_id], by_id[x.need_listing_id]
        assert a.company_id != b.company_id == x.need_company_id
        assert pair_type_of(a, b) == x.pair_type
        assert 0.0 <= x.score <= 1.0
        assert set(x.components) == {"text", "concept", "distance", "kind", "quantity"}
        assert all(0.0 <= v <= 1.0 for v in x.components.values())
        assert x.reasons
        assert x.settings_version == s.version_label(mini_thesaurus.fingerprint())
        assert (x.distance_km is None) == (a.lat is None or b.lat is None)


def test_each_pair_is_in_the_top_n_of_one_of_its_listings(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = random_registry(make, n=120)
    s = MatchSettings(top_n=2)
    got = {_key(x) for x in MatchIndex.build(recs, s, mini_thesaurus).match_all()}
    raw = MatchIndex.build(recs, _unscaled(s), mini_thesaurus)  # top_n on raw scores
    expected: set[tuple[int, int]] = set()
    for r in recs:
        expected.update(_key(x) for x in raw.ranked_for(r.listing_id, limit=2))
    assert got == expected
    per_listing: dict[int, int] = defaultdict(int)
    for a, b in got:
        per_listing[a] += 1
        per_listing[b] += 1
    assert max(per_listing.values()) > 2  # kept for the partner's sake, not only its own


def test_nearer_ranks_first_when_text_is_equal(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1, place=KONGSVINGER),
        make(2, "need", "material", "Trenger sagflis", listing_id=2, place=HAMAR),
        make(3, "need", "material", "Trenger sagflis", listing_id=3, place=SKARNES),
        make(4, "need", "material", "Trenger sagflis", listing_id=4, place=TRONDHEIM),
    ]
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    ranked = [x.need_listing_id for x in idx.ranked_for(1)]
    assert ranked == [3, 2]  # Skarnes (19 km), Hamar (85 km); Trondheim is beyond the radius
    scores = {x.need_listing_id: x for x in idx.match_all()}
    assert scores[3].score > scores[2].score
    assert scores[3].components["text"] == scores[2].components["text"]


def test_missing_location_still_matches_and_says_so(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1, place=None),
        make(2, "need", "material", "Trenger sawdust", listing_id=2),
    ]
    (only,) = MatchIndex.build(recs, MatchSettings(), mini_thesaurus).match_all()
    assert only.distance_km is None
    assert only.components["distance"] == MatchSettings().missing_distance_value
    # missing evidence is said once, last, and is no reason for or against the pair
    assert only.reasons[-1].code == "unknown" and only.reasons[-1].params == {"what": "distance"}
    assert [r.code for r in only.reasons].count("unknown") == 1


def test_units_that_do_not_convert_are_no_reason(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1, quantity=400, unit="m3"),
        make(2, "need", "material", "Trenger sawdust", listing_id=2, quantity=50, unit="t"),
    ]
    (only,) = MatchIndex.build(recs, MatchSettings(), mini_thesaurus).match_all()
    codes = [r.code for r in only.reasons]
    assert "quantity_units" not in codes
    assert only.reasons[-1] == Reason("unknown", {"what": "quantity"})


def test_processing_and_service_pairs(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1, quantity=50, unit="t", frequency="year"),
        make(
            2,
            "offer",
            "capability",
            "Pelletsfabrikk med ledig kapasitet",
            listing_id=2,
            place=SKARNES,
            quantity=100,
            unit="t",
            frequency="year",
        ),
        make(3, "offer", "service", "Transport og frakt", listing_id=3),
        make(4, "need", "service", "Trenger transport av flis", listing_id=4, place=SKARNES),
    ]
    out = {_key(x): x for x in MatchIndex.build(recs, MatchSettings(), mini_thesaurus).match_all()}
    proc = out[(1, 2)]
    assert proc.pair_type == "processing"
    codes = [r.code for r in proc.reasons]
    assert codes[0] == "process_input"
    assert "quantity_capacity" in codes
    assert out[(3, 4)].pair_type == "service"


def test_text_without_concepts_still_matches(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "material", "Brukte europaller, hele", listing_id=1),
        make(2, "need", "material", "Kjøper brukte europaller", listing_id=2, place=SKARNES),
        make(3, "need", "material", "Kontorstoler", listing_id=3),
    ]
    out = MatchIndex.build(recs, MatchSettings(), mini_thesaurus).match_all()
    assert [_key(x) for x in out] == [(1, 2)]
    assert out[0].components["concept"] == MatchSettings().missing_concept_value


def test_match_listing_equals_match_all_for_every_listing(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = random_registry(make, n=150, seed=21)
    idx = MatchIndex.build(recs, MatchSettings(top_n=3), mini_thesaurus)
    everything = idx.match_all()
    by_listing: dict[int, list[Suggestion]] = defaultdict(list)
    for x in everything:
        by_listing[x.offer_listing_id].append(x)
        by_listing[x.need_listing_id].append(x)
    for r in recs:
        assert idx.match_listing(r.listing_id) == by_listing[r.listing_id], r.listing_id


def test_incremental_upsert_and_remove_equal_a_rebuild(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(99)
    recs = random_registry(make, n=100, seed=5)
    s = MatchSettings(top_n=4)
    idx = MatchIndex.build(recs, s, mini_thesaurus)
    current = {r.listing_id: r for r in recs}
    extra = random_registry(make, n=30, seed=6)
    for step in range(60):
        op = rng.random()
        if op < 0.3 and current:
            victim = rng.choice(sorted(current))
            assert idx.remove(victim)
            del current[victim]
        elif op < 0.7 and current:
            old = current[rng.choice(sorted(current))]
            new = dataclasses.replace(
                old,
                title=rng.choice(["Sawdust", "Bark", "Frakt", "betong"]),
                lat=rng.choice([old.lat, HAMAR[0]]),
                lon=rng.choice([old.lon, HAMAR[1]]),
            )
            if new.lat is None or new.lon is None:
                new = dataclasses.replace(new, lat=None, lon=None)
            idx.upsert(new)
            current[new.listing_id] = new
        else:
            r = dataclasses.replace(extra[step % len(extra)], listing_id=1000 + step)
            idx.upsert(r)
            current[r.listing_id] = r
    rebuilt = MatchIndex.build(current.values(), s, mini_thesaurus)
    assert len(idx) == len(rebuilt) == len(current)
    assert idx.match_all() == rebuilt.match_all()
    for lid in sorted(current)[:40]:
        assert idx.match_listing(lid) == rebuilt.match_listing(lid)
    assert not idx.remove(123456)


def test_inactive_listings_never_take_part(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1),
        make(2, "need", "material", "Trenger sagflis", listing_id=2, active=False),
    ]
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    assert idx.match_all() == []
    assert 2 not in idx
    idx.upsert(dataclasses.replace(recs[1], active=True))
    assert [_key(x) for x in idx.match_all()] == [(1, 2)]
    idx.upsert(dataclasses.replace(recs[0], active=False))  # deactivating removes it
    assert idx.match_all() == [] and 1 not in idx
    assert idx.match_listing(1) == []


def test_score_pair_explains_any_two_listings(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis", listing_id=1),
        make(2, "need", "material", "Betong", listing_id=2, place=TRONDHEIM),
        make(3, "offer", "material", "Sagflis", listing_id=3),
    ]
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    far = idx.score_pair(2, 1)  # either order
    assert far is not None and far.offer_listing_id == 1 and far.score == 0.0
    assert idx.score_pair(1, 3) is None  # two offers of goods cannot pair
    assert idx.explain_levels(1, 2)["distance"] == "beyond"


def test_duplicate_ids_in_build_keep_the_last(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Betong", listing_id=1),
        make(2, "need", "material", "Trenger sagflis", listing_id=2),
        make(1, "offer", "by-product", "Sagflis", listing_id=1),
    ]
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    assert len(idx) == 2
    assert [_key(x) for x in idx.match_all()] == [(1, 2)]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_reason_the_engine_emits_can_be_rendered(mini_thesaurus: Thesaurus, make, lang: str) -> None:  # type: ignore[no-untyped-def]
    from matchmaker.matching.explain import TEMPLATES, render

    out = MatchIndex.build(random_registry(make, n=150, seed=8), MatchSettings(), mini_thesaurus).match_all()
    codes = {r.code for x in out for r in x.reasons}
    assert {"distance", "same_concept"} <= codes
    for x in out:
        for r in x.reasons:
            assert r.code in TEMPLATES[lang]
            text = render(r, lang)
            assert text and "{" not in text and text != r.code


def test_iter_all_streams_the_same_suggestions_in_the_same_order(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    idx = MatchIndex.build(random_registry(make, n=120, seed=31), MatchSettings(), mini_thesaurus)
    assert list(idx.iter_all(batch_size=7)) == idx.match_all()


def test_forked_workers_give_identical_results(mini_thesaurus: Thesaurus, make, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matchmaker.matching.engine as engine
    import matchmaker.matching.parallel as parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_LISTINGS", 0)
    monkeypatch.setattr(engine, "SUGGESTION_BATCH", 13)
    recs = random_registry(make, n=200, seed=41)
    single_index = MatchIndex.build(recs, MatchSettings(top_n=3), mini_thesaurus)
    single = single_index.match_all()
    # analysed in the workers, and (as for a national registry) partly by this process
    forked = MatchIndex.build(recs, MatchSettings(top_n=3), mini_thesaurus, processes=2)
    monkeypatch.setattr(parallel, "SHARED_ANALYSIS_MIN_LISTINGS", 0)
    shared = MatchIndex.build(recs, MatchSettings(top_n=3), mini_thesaurus, processes=2)
    for index in (forked, shared):
        assert index.store.features == single_index.store.features
        assert index.store.token_id == single_index.store.token_id
        assert (index.store.c_ids == single_index.store.c_ids).all()
    # small batches so that both workers get some
    monkeypatch.setattr(
        forked.blocking, "iter_all_candidates", _small_batches(forked.blocking.iter_all_candidates)
    )
    assert forked.match_all() == single
    assert list(forked.iter_all(batch_size=11)) == single


def test_compacted_texts_keep_their_values_and_the_match(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    index = MatchIndex.build(random_registry(make, n=80, seed=43), MatchSettings(), mini_thesaurus)
    before, texts = index.match_all(), index.store.full_text[: index.store.size].tolist()
    index.store.kill(3)  # a dead slot keeps its empty text
    index.store.compact_texts()
    after = index.store.full_text[: index.store.size].tolist()
    assert after == [t if slot != 3 else "" for slot, t in enumerate(texts)]
    assert all(f is None or f.full_text is after[slot] for slot, f in enumerate(index.store.features))
    assert any(a is not b for a, b in zip(after, texts, strict=True) if len(a) > 1)  # fresh objects
    fresh = MatchIndex.build(random_registry(make, n=80, seed=43), MatchSettings(), mini_thesaurus)
    fresh.store.compact_texts()
    assert fresh.match_all() == before


def test_the_index_keeps_records_without_their_read_descriptions(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    records = random_registry(make, n=60, seed=44)
    records.append(make(99, "need", "material", "Råstoff", description="flis av gran til fyring"))
    index = MatchIndex.build(records, MatchSettings(), mini_thesaurus)
    described = index.features(records[-1].listing_id)
    assert described.record.description == ""
    assert any(h.concept for h in described.concepts)  # the description was read before it went
    for record in records:
        kept = index.features(record.listing_id).record
        assert kept == dataclasses.replace(record, description="")  # every other field kept
        assert kept.vector is record.vector
    assert records[-1].description == "flis av gran til fyring"  # the caller's record untouched


def test_emptying_concat_and_keep_give_what_concat_and_take_give(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from matchmaker.matching.scored import ScoredPairs

    index = MatchIndex.build(random_registry(make, n=80, seed=47), MatchSettings(), mini_thesaurus)
    parts = index._kept_parts(0, 1)
    assert len(parts) >= 1
    halves = [p.take(np.arange(len(p)) < len(p) // 2) for p in parts] + [
        p.take(np.arange(len(p)) >= len(p) // 2) for p in parts
    ]
    expected = ScoredPairs.concat(halves)
    mask = expected.score > np.median(expected.score)
    got = ScoredPairs.concat_emptying(halves)
    assert halves == []  # the parts are let go of
    same = np.testing.assert_array_equal  # (NaN equal to NaN: distances and optional components)
    for name in ("a", "b", "pt", "score", "km"):
        same(getattr(got, name), getattr(expected, name))
    for k in expected.comps:
        same(got.comps[k], expected.comps[k])
    kept = expected.take(mask)
    got.keep(mask)
    for name in ("a", "b", "pt", "score", "km"):
        same(getattr(got, name), getattr(kept, name))
    for k in kept.comps:
        same(got.comps[k], kept.comps[k])


def test_a_failing_scoring_worker_fails_the_full_match(mini_thesaurus: Thesaurus, make, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matchmaker.matching.parallel as parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_LISTINGS", 0)
    recs = random_registry(make, n=60, seed=5)
    index = MatchIndex.build(recs, MatchSettings(), mini_thesaurus, processes=2)
    original = MatchIndex._kept_parts

    def broken_in_the_worker(self, part, parts):  # type: ignore[no-untyped-def]
        if part == 1:
            raise ValueError("boom")
        return original(self, part, parts)

    monkeypatch.setattr(MatchIndex, "_kept_parts", broken_in_the_worker)
    with pytest.raises(RuntimeError, match="scoring worker 1: ValueError"):
        index.match_all()


def _small_batches(original):  # type: ignore[no-untyped-def]
    def wrapper(max_pairs: int = 1_000_000, part: int = 0, parts: int = 1):  # type: ignore[no-untyped-def]
        return original(50, part, parts)

    return wrapper


def test_listings_analysed_in_workers_keep_their_grade_attributes(real_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    """Packed features keep "states nothing" as the one shared object, and what is stated."""
    from matchmaker.matching.attributes import NO_ATTRIBUTES
    from matchmaker.matching.features import Analyser
    from matchmaker.matching.packing import pack_features
    from matchmaker.matching.store import ListingStore

    records = [make(1, "offer", "energy", "Spillvarme 90 °C"), make(2, "need", "service", "Regnskap og lønn")]
    analyser = Analyser(real_thesaurus, MatchSettings())
    store = ListingStore(real_thesaurus)
    slots = store.add_packed(records, pack_features([analyser.analyse(r) for r in records]))
    hot, plain = (store.features[s] for s in slots)
    assert hot is not None and plain is not None
    assert hot.attributes.temp_high == 90.0 and plain.attributes is NO_ATTRIBUTES
    assert store.grades.stated[slots].tolist() == [True, False]
