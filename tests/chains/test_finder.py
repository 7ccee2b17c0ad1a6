"""The chain finder on a hand-made registry whose chains are known (pure: no Flask, no DB).

    1 sawmill   sawdust (11) ─s1 processing .8, 10 km→ 2 pellet plant, capability (21)
    2 pellets   capability (21) ─s2 product .7, 20 km→ 3 greenhouse, need fuel (31)
    2 pellets   pellets (22) ─s3 supply .6, 5 km→ 4 heating plant, need pellets (41)
    4 heating   ash (42) ─s4 processing .9, 15 km→ 5 compost works, capability (51)
    5 compost   compost (52) ─s5 supply .75, 12 km→ 6 nursery, need soil (61)
    4 heating   ash (42) ─s6 supply .65, 8 km→ 7 farm, need ash (71)
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from matchmaker.chains.finder import BRANCH, Chain, ChainGraph, Link, chains_to, find_chains, rank


def link(sid: int, offer: int, need: int, pair_type: str, score: float, km: float | None,
         offer_kind: str = "by-product", need_kind: str = "material", **fields) -> Link:
    return Link(suggestion_id=sid, offer_listing_id=offer, need_listing_id=need,
                offer_company_id=offer // 10, need_company_id=need // 10, pair_type=pair_type,
                score=score, distance_km=km, offer_kind=offer_kind, need_kind=need_kind, **fields)


S1 = link(1, 11, 21, "processing", 0.8, 10, need_kind="capability")
S2 = link(2, 21, 31, "product", 0.7, 20, offer_kind="capability")
S3 = link(3, 22, 41, "supply", 0.6, 5, offer_kind="material")
S4 = link(4, 42, 51, "processing", 0.9, 15, need_kind="capability")
S5 = link(5, 52, 61, "supply", 0.75, 12, offer_kind="material")
S6 = link(6, 42, 71, "supply", 0.65, 8)
REGISTRY = [S1, S2, S3, S4, S5, S6]
KNOWN = {(1, 2), (1, 3), (1, 3, 6), (1, 3, 4, 5), (4, 5), (3, 6), (3, 4, 5)}  # pellets start too


def ids(chains: list[Chain]) -> set[tuple[int, ...]]:
    return {c.suggestion_ids for c in chains}


def without(*gone: int) -> list[Link]:
    return [x for x in REGISTRY if x.suggestion_id not in gone]


def changed(sid: int, **fields) -> list[Link]:
    return [replace(x, **fields) if x.suggestion_id == sid else x for x in REGISTRY]


def test_finds_the_known_chains_of_two_three_and_four_links():
    chains = find_chains(REGISTRY)
    assert ids(chains) == KNOWN
    four = next(c for c in chains if len(c.links) == 4)
    assert four.companies == (1, 2, 4, 5, 6)
    assert four.weakest == 0.6 and four.total_km == 10 + 5 + 15 + 12


def test_ranked_by_weakest_link_then_total_distance():
    chains = find_chains(REGISTRY)
    assert [c.suggestion_ids for c in chains] == [(4, 5), (1, 2), (3, 6), (1, 3), (1, 3, 6),
                                              (3, 4, 5), (1, 3, 4, 5)]
    # weakest .6 each: (3, 6) 13 km, (1, 3) 15, (1, 3, 6) 23, (3, 4, 5) 32, (1, 3, 4, 5) 42
    same_weakest = [c.total_km for c in chains if c.weakest == 0.6]
    assert same_weakest == sorted(same_weakest)


def test_unknown_distance_counts_as_nothing_and_ties_break_on_ids():
    a = Chain.of((replace(S4, distance_km=None), S5))
    assert a.total_km == 12
    b = Chain.of((S1, S2))
    c = Chain.of((replace(S1, suggestion_id=9), S2))
    assert rank([c, b]) == [b, c]


@pytest.mark.parametrize("registry, lost", [
    (without(2), {(1, 2)}),  # out of range: the engine stored no pair
    (changed(2, status="rejected"), {(1, 2)}),
    (changed(2, status="no_deal"), {(1, 2)}),
    (changed(2, active=False), {(1, 2)}),  # a listing was deactivated
    (changed(2, pair_type="service"), {(1, 2)}),  # services do not carry goods
    (changed(2, score=0.2), {(1, 2)}),  # below the engine's threshold
    (changed(3, status="rejected"), {(1, 3), (1, 3, 6), (1, 3, 4, 5), (3, 6), (3, 4, 5)}),
    (changed(5, active=False), {(4, 5), (1, 3, 4, 5), (3, 4, 5)}),
])
def test_no_chain_through_a_missing_or_unusable_link(registry, lost):
    assert ids(find_chains(registry)) == KNOWN - lost


def test_deferred_and_introduced_links_are_used():
    registry = [replace(x, status="deferred" if x.suggestion_id == 2 else "introduced")
                for x in REGISTRY]
    assert ids(find_chains(registry)) == KNOWN


def test_no_company_appears_twice():
    back = link(7, 52, 13, "supply", 0.95, 3, offer_kind="material")  # compost back to the sawmill
    chains = find_chains([*REGISTRY, back])
    assert all(len(set(c.companies)) == len(c.companies) for c in chains)
    assert (1, 3, 4, 7) not in ids(chains)  # sawmill → … → sawmill
    assert (4, 7) in ids(chains)  # heating → compost → sawmill is fine


def test_starts_only_from_raw_materials_and_by_products_and_ends_at_a_need():
    energy = link(8, 82, 21, "processing", 0.9, 1, offer_kind="energy", need_kind="capability")
    chains = find_chains([*REGISTRY, energy])
    assert not any(c.links[0].offer_kind == "energy" for c in chains)
    # sawdust → pellet plant's capability alone is one link, and it ends at a processor
    assert all(c.links[-1].pair_type in {"supply", "product"} for c in chains)
    assert all(2 <= len(c.links) <= 4 for c in chains)


def test_reverse_search_from_a_need():
    assert ids(chains_to(REGISTRY, [61])) == {(4, 5), (3, 4, 5), (1, 3, 4, 5)}
    assert ids(chains_to(REGISTRY, [31])) == {(1, 2)}
    assert chains_to(REGISTRY, [41]) == [c for c in find_chains(REGISTRY)
                                         if c.suggestion_ids == (1, 3)]
    assert chains_to(REGISTRY, [999]) == []


def test_follows_only_the_best_links_of_each_company():
    # the heating plant's ash finds many takers; only the BRANCH best are followed
    many = [link(100 + i, 42, 900 + 10 * i, "supply", 0.5 + i / 100, 1) for i in range(BRANCH + 3)]
    graph = ChainGraph([*REGISTRY, *many])
    followed = {c.links[-1].suggestion_id for c in graph.forward([11]) if len(c.links) == 3
                and c.links[-1].suggestion_id >= 100}
    assert len(followed) <= BRANCH
    assert min(followed, default=999) >= 100 + 3  # the weakest ones were left out


def test_a_missing_start_or_an_isolated_offer_has_no_chain():
    lonely = link(9, 92, 93, "supply", 0.9, 1)  # company 9 → 9: never pairs with itself
    graph = ChainGraph([*REGISTRY, lonely])
    assert graph.forward([92]) == [] and graph.forward([12345]) == []
