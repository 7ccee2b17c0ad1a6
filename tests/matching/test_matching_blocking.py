"""Step 2: candidate generation finds the obvious pairs and never the impossible ones."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from matching_places import HAMAR, KONGSVINGER, SKARNES, TRONDHEIM

from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Thesaurus
from matchmaker.matching.blocking_keys import blocking_keys, partner_keys
from matchmaker.matching.roles import orient, pair_type_of, roles


def _pairs(idx: MatchIndex) -> set[tuple[int, int]]:
    lid = idx.store.listing_id
    out: set[tuple[int, int]] = set()
    for a, b, _pt in idx.blocking.iter_all_candidates():
        out.update(zip(lid[a].tolist(), lid[b].tolist(), strict=True))
    return out


def test_roles_follow_the_product_rules(make) -> None:  # type: ignore[no-untyped-def]
    offer_bp = make(1, "offer", "by-product", "x")
    need_mat = make(2, "need", "material", "x")
    cap = make(3, "offer", "capability", "x")
    need_svc = make(4, "need", "service", "x")
    offer_mat = make(5, "offer", "material", "x")
    assert pair_type_of(offer_bp, need_mat) == "supply"
    assert pair_type_of(offer_bp, cap) == "processing"
    assert pair_type_of(cap, need_svc) == "service"
    assert pair_type_of(need_mat, offer_bp) is None  # direction matters
    assert pair_type_of(offer_mat, offer_bp) is None  # two offers of goods never pair
    assert pair_type_of(need_mat, need_svc) is None
    same_company = make(1, "need", "material", "x")
    assert pair_type_of(offer_bp, same_company) is None
    inactive = make(9, "need", "material", "x", active=False)
    assert pair_type_of(offer_bp, inactive) is None
    assert roles(inactive) == []
    assert orient(need_mat, offer_bp) == (offer_bp, need_mat, "supply")


def test_obvious_pairs_are_found(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Sagflis, tørr", listing_id=1),
        make(2, "need", "material", "Trenger sawdust til strø", listing_id=2, place=SKARNES),
        make(3, "offer", "capability", "Pelletsfabrikk med ledig kapasitet", listing_id=3, place=HAMAR),
        make(4, "need", "service", "Trenger transport av flis", listing_id=4),
        make(5, "offer", "service", "Frakt og transport", listing_id=5, place=SKARNES),
        make(6, "offer", "by-product", "Granbark", listing_id=6),
        make(7, "need", "material", "Bark til jordblanding", listing_id=7, place=HAMAR),
        make(8, "offer", "material", "Hampeskjev fra fiberprosessering", listing_id=8),
        make(9, "need", "material", "Kjøper hampeskjev", listing_id=9, place=SKARNES),
    ]
    pairs = _pairs(MatchIndex.build(recs, MatchSettings(), mini_thesaurus))
    assert (1, 2) in pairs  # synonym across languages
    assert (1, 3) in pairs  # processing: sawdust is an input of pellet production
    assert (5, 4) in pairs  # service
    assert (6, 7) in pairs  # granbark is a kind of bark
    assert (8, 9) in pairs  # no concept at all: shared word


def test_blocking_never_pairs_same_company_incompatible_kinds_or_far_away(
    mini_thesaurus: Thesaurus, make
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    titles = ["sagflis", "sawdust", "bark", "stålskrap", "betong", "pelletsfabrikk", "transport", "flis"]
    kinds = [
        ("offer", "by-product"),
        ("offer", "material"),
        ("need", "material"),
        ("offer", "capability"),
        ("need", "service"),
        ("offer", "service"),
        ("need", "capability"),
        ("offer", "energy"),
        ("need", "energy"),
    ]
    places = [KONGSVINGER, SKARNES, HAMAR, TRONDHEIM]
    recs: list[ListingRecord] = []
    for i in range(1, 121):
        d, k = rng.choice(kinds)
        recs.append(
            make(rng.randint(1, 25), d, k, rng.choice(titles), listing_id=i, place=rng.choice(places))
        )
    by_id = {r.listing_id: r for r in recs}
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    pairs = _pairs(idx)
    assert pairs
    for a, b in pairs:
        ra, rb = by_id[a], by_id[b]
        assert ra.company_id != rb.company_id
        assert pair_type_of(ra, rb) is not None
        assert (ra.lat == TRONDHEIM[0]) == (rb.lat == TRONDHEIM[0])  # Trondheim is beyond the radius


def test_blocking_does_not_miss_compatible_pairs_that_share_a_concept(
    mini_thesaurus: Thesaurus, make
) -> None:  # type: ignore[no-untyped-def]
    titles = ["Sagflis", "Sawdust", "Sagspon i storsekk", "saw dust"]
    recs = [
        make(i, "offer" if i % 2 else "need", "by-product" if i % 2 else "material", t, listing_id=i, place=p)
        for i, (t, p) in enumerate(itertools.product(titles, [KONGSVINGER, SKARNES, HAMAR]), start=1)
    ]
    pairs = _pairs(MatchIndex.build(recs, MatchSettings(), mini_thesaurus))
    expected = {(a.listing_id, b.listing_id) for a in recs for b in recs if pair_type_of(a, b) is not None}
    assert expected and expected <= pairs


def test_missing_location_still_pairs_via_specific_keys(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(1, "offer", "by-product", "Potetskrell", listing_id=1, place=None),
        make(2, "offer", "capability", "Biogassanlegg", listing_id=2, place=TRONDHEIM),
    ]
    assert (1, 2) in _pairs(MatchIndex.build(recs, MatchSettings(), mini_thesaurus))


def test_candidates_are_the_same_asked_from_either_side(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    titles = ["sagflis", "sawdust", "bark", "granbark", "stålskrap", "pelletsfabrikk", "støperi", "transport"]
    kinds = [
        ("offer", "by-product"),
        ("need", "material"),
        ("offer", "capability"),
        ("need", "service"),
        ("offer", "service"),
    ]
    recs = [
        make(
            i % 9,
            *rng.choice(kinds),
            rng.choice(titles),
            listing_id=i,
            place=rng.choice([KONGSVINGER, SKARNES, HAMAR, None]),
        )
        for i in range(1, 80)
    ]
    idx = MatchIndex.build(recs, MatchSettings(), mini_thesaurus)
    everything = _pairs(idx)
    lid = idx.store.listing_id
    for r in recs:
        slot = idx._slot_of[r.listing_id]
        a, b, _ = idx.blocking.candidates_of(np.asarray([slot]))
        mine = set(zip(lid[a].tolist(), lid[b].tolist(), strict=True))
        assert mine == {p for p in everything if r.listing_id in p}


def test_common_keys_get_a_smaller_radius(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    s = MatchSettings(key_budget=4)
    recs = [
        make(i, "offer" if i % 2 else "need", "by-product" if i % 2 else "material", "sagflis", listing_id=i)
        for i in range(1, 21)
    ]
    idx = MatchIndex.build(recs, s, mini_thesaurus)
    r = idx.blocking.key_radius(0, "c:sawdust")
    assert s.radius_km * s.min_radius_fraction <= r < s.radius_km
    assert idx.blocking.key_radius(0, "c:no_such_concept") == s.radius_km


@pytest.mark.parametrize(
    ("key", "partners"),
    [
        ("c:bark", ("c:bark", "b:bark", "d:bark")),
        ("b:bark", ("c:bark",)),
        ("d:bark", ("c:bark", "d:bark")),
        ("w:hamp", ("w:hamp",)),
    ],
)
def test_partner_keys(key: str, partners: tuple[str, ...]) -> None:
    assert partner_keys(key) == partners


def test_description_only_concepts_block_only_while_uncommon(
    mini_thesaurus: Thesaurus, settings, make
) -> None:  # type: ignore[no-untyped-def]
    from matchmaker.matching.features import Analyser

    f = Analyser(mini_thesaurus, settings).analyse(
        make(1, "offer", "by-product", "Sagflis", "Leveres med transport")
    )
    keys = blocking_keys(f, "supply", "left")
    assert "c:sawdust" in keys and "b:wood_residue" in keys
    assert "c:transport" not in keys and "d:transport" in keys
    recs = [make(i, "offer", "by-product", "Sagflis", "Leveres med transport", listing_id=i) for i in (1, 3)]
    recs += [make(2, "need", "material", "Trenger betong", "Helst med transport", listing_id=2)]
    loose = _pairs(MatchIndex.build(recs, settings, mini_thesaurus))
    strict = _pairs(MatchIndex.build(recs, settings.with_changes(description_key_max_df=2), mini_thesaurus))
    assert (1, 2) in loose and (3, 2) in loose
    assert (1, 2) not in strict and (3, 2) not in strict
