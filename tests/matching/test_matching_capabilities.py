"""What a capability takes and makes: its processes' inputs, the materials its title names
(those first), and the needs for what it makes (product pairs)."""

from __future__ import annotations

from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Thesaurus


def test_a_makers_capability_meets_a_need_for_what_it_makes() -> None:
    """Product pairs: "we make corrugated boxes" -> "need boxes for our cheese"; a maker is
    never offered to another maker's capability, and goods on offer still come first."""
    maker = ListingRecord(listing_id=1, company_id=1, direction="offer", kind="capability",
                          title="Corrugated boxes made to order", lat=60.8, lon=11.1)
    stock = ListingRecord(listing_id=2, company_id=2, direction="offer", kind="material",
                          title="Esker i bølgepapp, restparti", lat=60.8, lon=11.1)
    need = ListingRecord(listing_id=3, company_id=3, direction="need", kind="material",
                         title="Esker i bølgepapp til ost", lat=60.8, lon=11.2)
    other_maker = ListingRecord(listing_id=4, company_id=4, direction="offer", kind="capability",
                                title="Bølgepappesker etter mål", lat=60.8, lon=11.2)
    index = MatchIndex.build([maker, stock, need, other_maker], MatchSettings(), Thesaurus.load())
    ranked = index.ranked_for(3)
    pairs = [(s.offer_listing_id, s.pair_type) for s in ranked]
    assert pairs[0] == (2, "supply") and set(pairs[1:]) == {(1, "product"), (4, "product")}
    assert all(s.need_listing_id != 4 for s in index.ranked_for(1))


def test_a_material_a_capability_names_in_its_title_is_an_input_though_its_text_names_its_maker() -> None:
    """An insect farm "fed on stale bread" that takes by-products "from bakeries" takes bread:
    a process named in passing (the bakery) does not make its product no input."""
    farm = ListingRecord(listing_id=1, company_id=1, direction="offer", kind="capability",
                         title="Insektoppdrett – larver fôret med gammelt brød",
                         description="Vi tar imot biprodukter fra bakerier.", lat=60.8, lon=11.1)
    bread = ListingRecord(listing_id=2, company_id=2, direction="offer", kind="by-product",
                          title="Gammelt brød, 200 kg i uka", lat=60.8, lon=11.1)
    index = MatchIndex.build([farm, bread], MatchSettings(), Thesaurus.load())
    found = index.score_pair(2, 1)
    assert found is not None and found.pair_type == "processing"
    assert found.components["concept"] >= 0.5, found.components  # 0.21 when bread was no input


def test_a_capability_naming_what_it_takes_takes_that_before_its_processes_other_inputs() -> None:
    """"Slag drying and grinding" takes slag: bark, which grinding also takes, comes after it
    (it came first, on the process's inputs alone); a capability that names no material
    ("Grinding and drying") keeps every input of its processes at full weight."""
    def listing(lid: int, kind: str, title: str) -> ListingRecord:
        return ListingRecord(listing_id=lid, company_id=lid, direction="offer", kind=kind, title=title,
                             lat=60.8, lon=11.1)

    records = [listing(1, "capability", "Slag drying and grinding"),
               listing(2, "by-product", "Granulated blast furnace slag"),
               listing(3, "by-product", "Bark from the debarking drum"),
               listing(4, "capability", "Grinding and drying")]
    settings = MatchSettings()
    assert settings.unnamed_input_weight < 1.0
    index = MatchIndex.build(records, settings, Thesaurus.load())
    assert [s.offer_listing_id for s in index.ranked_for(1)] == [2, 3]
    every_input = MatchIndex.build(records, settings.with_changes(unnamed_input_weight=1.0), Thesaurus.load())
    bark_for_slag, bark_for_any = index.score_pair(3, 1), index.score_pair(3, 4)
    assert bark_for_slag is not None and bark_for_any is not None
    assert bark_for_slag.components["concept"] < bark_for_any.components["concept"]
    assert bark_for_any.components == every_input.score_pair(3, 4).components  # type: ignore[union-attr]
