"""Fuel is goods: an energy listing whose title names a fuel and no carrier compares with
goods, not heat."""

from __future__ import annotations

import pytest

from matchmaker.matching import MatchIndex, MatchSettings, explain
from matchmaker.matching.features import Analyser
from matchmaker.matching.records import ListingRecord


def _at(lid: int, direction: str, kind: str, title: str, description: str = "") -> ListingRecord:
    return ListingRecord(lid, lid, direction, kind, title, description, lat=62.4, lon=17.3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("direction", "title", "fuel"),
    [
        ("need", "Bränsle till barkpannan", True),
        ("need", "Polttoainetta monipolttoainekattiloille", True),
        ("need", "Flis og biobrensle til varmesentralen", True),
        ("offer", "Energiflis G30, tørket", True),
        ("need", "Pipeline fuel gas for steam boilers", False),  # a gas is a carrier
        ("offer", "Overskuddsvarme fra biokjel sommerstid", False),  # heat, not the boiler's fuel
        ("need", "Varme til veksthuset", False),
    ],
)
def test_which_energy_listings_are_about_fuel(real_thesaurus, direction: str, title: str, fuel: bool) -> None:  # type: ignore[no-untyped-def]
    features = Analyser(real_thesaurus, MatchSettings()).analyse(_at(1, direction, "energy", title))
    assert features.fuel is fuel


@pytest.fixture(scope="module")
def boilers(real_thesaurus) -> MatchIndex:  # type: ignore[no-untyped-def]
    records = [
        _at(1, "offer", "by-product", "Impregnert kapp (CU-behandlet)"),
        _at(2, "need", "energy", "Biobrensel til kjelen, flis og bark"),
        _at(3, "need", "energy", "Avfallsbrensel (RDF) til sementovnen"),
        _at(4, "offer", "by-product", "Kapp og bark, rent og ubehandlet tre"),
        _at(5, "need", "energy", "Bränsle till barkpannan"),
        _at(6, "offer", "material", "25 000 ton industripellets 8 mm"),
        _at(7, "offer", "energy", "Hetvatten från rökgaskondensering, 90 °C"),
    ]
    return MatchIndex.build(records, MatchSettings(), real_thesaurus)


def test_a_need_for_fuel_takes_goods_before_heat(boilers: MatchIndex, real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Pellets can be burnt in the bark boiler; 90 °C water cannot."""
    fuel, warm = boilers.score_pair(6, 5), boilers.score_pair(7, 5)
    assert fuel is not None and fuel.components["kind"] == 0.9 and fuel.score > 0
    assert warm is not None and warm.components["kind"] == 0.6 and warm.score < fuel.score
    assert "energi → brensel" in explain(warm, "nb")
    assert "energy → fuel" in explain(warm, "en")
    assert [s.offer_listing_id for s in boilers.ranked_for(5)][:1] == [6]
    # a fuel offered as energy still serves a heat need (burnt, it gives heat)
    chips = _at(8, "offer", "energy", "Energiflis G30")
    greenhouse = _at(9, "need", "energy", "Varme til veksthuset")
    pair = MatchIndex.build([chips, greenhouse], MatchSettings(), real_thesaurus).score_pair(8, 9)
    assert pair is not None and pair.components["kind"] == 1.0


def test_treated_wood_falls_short_of_a_need_for_fuel_but_not_of_waste_fuel(boilers: MatchIndex) -> None:
    """CU-treated offcuts are hazardous waste: a biofuel boiler cannot take them, a kiln that
    burns refuse-derived fuel can; clean wood stated as such fits the boiler."""
    wrong, fits = boilers.score_pair(1, 2), boilers.score_pair(4, 2)
    assert wrong is not None and wrong.components["grade"] == 0.0
    assert "the need requires untreated" in explain(wrong, "en")
    assert fits is not None and fits.components["grade"] == 1.0 and wrong.score < fits.score
    waste = boilers.score_pair(1, 3)
    assert waste is not None and "grade" not in waste.components
