"""Step 3: every comparison, level by level (missing values included); batch == single."""

from __future__ import annotations

import random

import numpy as np
import pytest
import reference
from matching_places import HAMAR, KONGSVINGER, SKARNES, TRONDHEIM

from matchmaker.matching import MatchIndex, MatchSettings, Thesaurus
from matchmaker.matching.compare import (
    CompareContext,
    ConceptComparison,
    DistanceComparison,
    KindComparison,
    Pair,
    QuantityComparison,
    TextComparison,
)
from matchmaker.matching.features import Analyser
from matchmaker.matching.roles import PAIR_TYPE_CODE, orient
from matchmaker.matching.scoring import PROCESSING


@pytest.fixture
def ctx(mini_thesaurus: Thesaurus, settings: MatchSettings) -> CompareContext:
    return CompareContext(settings, mini_thesaurus, specificity=lambda _c: 1.0, rarity=lambda _w: 0.9)


@pytest.fixture
def pair(mini_thesaurus: Thesaurus, settings: MatchSettings, make):  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)

    def _pair(a, b) -> Pair:  # type: ignore[no-untyped-def]
        oriented = orient(a, b)
        assert oriented is not None, "test pair cannot pair"
        return Pair(an.analyse(oriented[0]), an.analyse(oriented[1]), oriented[2])

    return _pair


def _levels_are_ordered(levels) -> None:  # type: ignore[no-untyped-def]
    ranks = [lv.rank for lv in levels]
    assert ranks == sorted(ranks, reverse=True)
    assert all(lv.description for lv in levels)


@pytest.mark.parametrize(
    "cmp",
    [
        TextComparison(),
        ConceptComparison(MatchSettings()),
        DistanceComparison(MatchSettings()),
        KindComparison(),
        QuantityComparison(MatchSettings()),
    ],
)
def test_every_comparison_declares_ordered_levels(cmp) -> None:  # type: ignore[no-untyped-def]
    _levels_are_ordered(cmp.levels)
    names = [lv.name for lv in cmp.levels]
    assert len(names) == len(set(names))


# -- text -------------------------------------------------------------------------------


def test_text_levels(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    t = TextComparison()
    same = t.compare(
        pair(
            make(1, "offer", "material", "Europaller brukte"),
            make(2, "need", "material", "brukte europaller"),
        ),
        ctx,
    )
    assert same.level.name == "exact" and same.value == 1.0
    assert same.reasons and same.reasons[0].code in ("fuzzy_text", "shared_word")
    close = t.compare(
        pair(
            make(1, "offer", "material", "europaller brukte hele"),
            make(2, "need", "material", "europaller brukket"),
        ),
        ctx,
    )
    assert close.level.rank >= 1
    unrelated = t.compare(
        pair(make(1, "offer", "material", "kontorstoler"), make(2, "need", "material", "gjødsel")), ctx
    )
    assert unrelated.level.name in ("none", "low")
    assert unrelated.reasons == ()
    missing = t.compare(
        pair(make(1, "offer", "material", "!!!"), make(2, "need", "material", "gjødsel")), ctx
    )
    assert missing.level.name == "missing" and missing.value == 0.0


def test_text_rare_shared_word_beats_different_wording(pair, make, mini_thesaurus, settings) -> None:  # type: ignore[no-untyped-def]
    t = TextComparison()
    p = pair(
        make(1, "offer", "by-product", "Hampeskjev fra fiberprosessering, renset"),
        make(2, "need", "material", "Trenger hampeskjev til vegger i bolig"),
    )
    weak = t.compare(p, CompareContext(settings, mini_thesaurus, lambda _c: 1.0, lambda _w: 0.0))
    strong = t.compare(p, CompareContext(settings, mini_thesaurus, lambda _c: 1.0, lambda _w: 0.95))
    assert strong.value == pytest.approx(0.95)
    assert strong.value > weak.value
    assert strong.reasons[0].code == "shared_word"
    assert strong.reasons[0].params["word"] == "hampeskjev"


# -- concepts ---------------------------------------------------------------------------


def test_concept_same_and_synonym(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    c = ConceptComparison(MatchSettings())
    same = c.compare(
        pair(make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "sagflis")), ctx
    )
    assert same.level.name == "same_concept"
    assert same.reasons[0].code == "same_concept"
    syn = c.compare(
        pair(make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "sawdust")), ctx
    )
    assert syn.level.name == "same_concept"
    assert syn.reasons[0].code == "synonym"
    assert syn.reasons[0].params["a"] == "sagflis" and syn.reasons[0].params["b"] == "sawdust"
    assert syn.value > 0.9


def test_concept_broader_narrower_and_siblings(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    c = ConceptComparison(MatchSettings())
    narrower = c.compare(
        pair(make(1, "offer", "by-product", "granbark"), make(2, "need", "material", "bark")), ctx
    )
    assert narrower.level.name == "broader"
    assert narrower.reasons[0].code == "narrower"
    assert narrower.reasons[0].params == {**narrower.reasons[0].params, "a": "granbark", "b": "bark"}
    siblings = c.compare(
        pair(make(1, "offer", "by-product", "bark"), make(2, "need", "material", "sagspon")), ctx
    )
    assert siblings.level.name in ("broader", "related")
    same = c.compare(
        pair(make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "sagflis")), ctx
    )
    assert same.value > narrower.value > siblings.value > 0


def test_concept_process_input(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    c = ConceptComparison(MatchSettings())
    p = pair(
        make(1, "offer", "by-product", "Sagflis"),
        make(2, "offer", "capability", "Pelletsfabrikk, ledig kapasitet"),
    )
    assert p.pair_type == "processing"
    r = c.compare(p, ctx)
    assert r.level.name == "process_input"
    assert r.reasons[0].code == "process_input"
    assert r.reasons[0].params["process_en"] == "pellet production"
    assert r.reasons[0].params["material_en"] == "sawdust"
    wrong = c.compare(
        pair(make(1, "offer", "by-product", "Betong"), make(2, "offer", "capability", "Pelletsfabrikk")), ctx
    )
    assert wrong.level.name == "none" and wrong.value == 0.0


def test_concept_none_and_missing(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    c = ConceptComparison(MatchSettings())
    none = c.compare(
        pair(make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "betong")), ctx
    )
    assert none.level.name == "none" and none.value == 0.0 and none.evidence == 0.0
    missing = c.compare(
        pair(make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "kontorstoler")), ctx
    )
    assert missing.level.name == "missing"
    assert missing.value == MatchSettings().missing_concept_value
    assert missing.evidence == 0.0  # a missing value is neutral, never evidence


# -- distance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place_b", "level"),
    [(KONGSVINGER, "very_near"), (SKARNES, "near"), (HAMAR, "far"), (TRONDHEIM, "beyond"), (None, "missing")],
)
def test_distance_levels(pair, make, ctx, place_b, level) -> None:  # type: ignore[no-untyped-def]
    d = DistanceComparison(MatchSettings())
    r = d.compare(
        pair(
            make(1, "offer", "by-product", "sagflis"), make(2, "need", "material", "sagflis", place=place_b)
        ),
        ctx,
    )
    assert r.level.name == level
    if level == "missing":
        assert r.value == MatchSettings().missing_distance_value
        assert r.reasons[0].code == "distance_unknown"
    else:
        assert r.reasons[0].code == "distance"
        assert 0.0 < r.value <= 1.0


def test_distance_decays_by_half(ctx) -> None:  # type: ignore[no-untyped-def]
    s = MatchSettings()
    d = DistanceComparison(s)
    assert d.value_for(0.0) == 1.0
    assert d.value_for(s.distance_half_decay_km) == pytest.approx(0.5)
    assert d.value_for(2 * s.distance_half_decay_km) == pytest.approx(0.25)
    assert d.value_for(10) > d.value_for(20) > d.value_for(100)


# -- kind -------------------------------------------------------------------------------


def test_kind_levels(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    k = KindComparison()
    same = k.compare(pair(make(1, "offer", "by-product", "x"), make(2, "need", "by-product", "x")), ctx)
    assert same.level.name == "same" and same.value == 1.0 and same.reasons == ()
    compatible = k.compare(pair(make(1, "offer", "by-product", "x"), make(2, "need", "material", "x")), ctx)
    assert compatible.level.name == "compatible" and compatible.reasons[0].code == "kind"
    weak = k.compare(pair(make(1, "offer", "energy", "x"), make(2, "need", "material", "x")), ctx)
    assert weak.level.name == "weak" and weak.value < compatible.value < same.value


# -- quantity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offer", "need", "level", "pct"),
    [
        ((10, "t", None), (8000, "kg", None), "covers", 100),
        ((800, "kg", None), (1, "t", None), "mostly", 80),
        ((2, "m3", None), (10000, "l", None), "partly", 20),
        ((500, "kWh", None), (1, "GWh", None), "marginal", None),
        ((10, "t", "month"), (200, "t", "year"), "mostly", 60),  # 120 of 200 per year
        ((1, "MWh", "week"), (52, "MWh", "year"), "covers", 100),
    ],
)
def test_quantity_levels(pair, make, ctx, offer, need, level, pct) -> None:  # type: ignore[no-untyped-def]
    q = QuantityComparison(MatchSettings())
    a = make(1, "offer", "by-product", "x", quantity=offer[0], unit=offer[1], frequency=offer[2])
    b = make(2, "need", "material", "x", quantity=need[0], unit=need[1], frequency=need[2])
    r = q.compare(pair(a, b), ctx)
    assert r.level.name == level
    if pct is not None:
        assert r.reasons[0].code == "quantity_cover"
        assert r.reasons[0].params["pct"] == pct


def test_quantity_units_differ_and_missing(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    s = MatchSettings()
    q = QuantityComparison(s)
    differ = q.compare(
        pair(
            make(1, "offer", "by-product", "x", quantity=5, unit="t"),
            make(2, "need", "material", "x", quantity=5, unit="m3"),
        ),
        ctx,
    )
    assert differ.level.name == "units_differ" and differ.value == s.unit_mismatch_value
    assert differ.reasons[0].code == "quantity_units"
    missing = q.compare(
        pair(make(1, "offer", "by-product", "x", quantity=5, unit="t"), make(2, "need", "material", "x")), ctx
    )
    assert (
        missing.level.name == "missing"
        and missing.value == s.missing_quantity_value
        and missing.reasons == ()
    )


def test_quantity_capacity_wording_for_processing(pair, make, ctx) -> None:  # type: ignore[no-untyped-def]
    q = QuantityComparison(MatchSettings())
    r = q.compare(
        pair(
            make(1, "offer", "by-product", "sagflis", quantity=50, unit="t"),
            make(2, "offer", "capability", "pelletsfabrikk", quantity=100, unit="t"),
        ),
        ctx,
    )
    assert r.reasons[0].code == "quantity_capacity" and r.reasons[0].params["pct"] == 50
    assert r.value == pytest.approx(0.5**0.5)  # the value is softer than the share


# -- batch == single ----------------------------------------------------------------------


def test_vectorised_values_equal_the_scalar_reference(mini_thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    titles = [
        "sagflis",
        "sawdust",
        "granbark",
        "bark og flis",
        "stålskrap",
        "steel scrap",
        "betong",
        "potetskrell",
        "pelletsfabrikk",
        "støperi",
        "transport av flis",
        "kontorstoler",
        "spillvarme",
    ]
    places = [KONGSVINGER, SKARNES, HAMAR, None]
    kinds = [
        ("offer", "by-product"),
        ("offer", "material"),
        ("need", "material"),
        ("offer", "capability"),
        ("need", "service"),
        ("offer", "energy"),
        ("need", "energy"),
    ]
    units = [(None, None), (5, "t"), (800, "kg"), (3, "m3"), (2, "MWh")]
    records = []
    for i in range(60):
        d, k = rng.choice(kinds)
        q, u = rng.choice(units)
        records.append(
            make(
                i % 17,
                d,
                k,
                rng.choice(titles),
                rng.choice(titles),
                place=rng.choice(places),
                quantity=q,
                unit=u,
                frequency=rng.choice([None, "year", "month"]),
            )
        )
    idx = MatchIndex.build(records, MatchSettings(), mini_thesaurus)
    ctx = idx.scorer.context()
    checked = 0
    for a in records:
        for b in records:
            oriented = orient(a, b)
            if oriented is None or oriented[0] is not a:
                continue
            sa, sb = idx._slot_of[a.listing_id], idx._slot_of[b.listing_id]
            pt = np.asarray([PAIR_TYPE_CODE[oriented[2]]], dtype=np.int8)
            batch = idx.scorer.score(np.asarray([sa]), np.asarray([sb]), pt)
            p = Pair(idx.store.features[sa], idx.store.features[sb], oriented[2])
            for cmp in (idx.text_cmp, idx.concept_cmp, idx.distance_cmp, idx.kind_cmp, idx.quantity_cmp):
                single = cmp.compare(p, ctx)
                assert batch.comps[cmp.name][0] == pytest.approx(single.value, abs=1e-9), (
                    cmp.name,
                    a.title,
                    b.title,
                )
            checked += 1
    assert checked > 100
    assert PAIR_TYPE_CODE["processing"] == PROCESSING


def test_store_quantity_columns_equal_the_scalar_reference(mini_thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    quantities = [(None, None, None), (5, "t", "year"), (800, "kg", "month"), (3, "m3", None),
                  (2, "MWh", "week"), (7, "t", None), (4, "parsec", "year")]
    records = [
        make(i, "offer", "by-product", "sagflis", quantity=q, unit=u, frequency=f)
        for i, (q, u, f) in enumerate(quantities)
    ]
    idx = MatchIndex.build(records, MatchSettings(), mini_thesaurus)
    st = idx.store
    for r in records:
        slot = idx._slot_of[r.listing_id]
        got = (st.qty_amount[slot], st.qty_dim[slot], st.qty_annual[slot])
        np.testing.assert_equal(got, reference.quantity_columns(r.quantity, r.unit, r.frequency))
