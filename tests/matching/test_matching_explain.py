"""Step 5: reasons rendered in Norwegian Bokmål and English."""

from __future__ import annotations

import pytest

from matchmaker.matching import MatchIndex, MatchSettings, Reason, Thesaurus, explain, render
from matchmaker.matching.explain import TEMPLATES


@pytest.mark.parametrize(
    ("reason", "nb", "en"),
    [
        (
            Reason("synonym", {"a": "sagflis", "b": "sawdust"}),
            "‘sagflis’ = ‘sawdust’ (synonym)",
            "‘sagflis’ = ‘sawdust’ (synonym)",
        ),
        (Reason("distance", {"km": 14}), "14 km unna", "14 km apart"),
        (Reason("distance", {"km": 14.0}), "14 km unna", "14 km apart"),
        (
            Reason("distance_unknown", {}),
            "avstand ukjent (mangler posisjon)",
            "distance unknown (location missing)",
        ),
        (
            Reason("quantity_cover", {"pct": 80}),
            "dekker ca. 80 % av behovet",
            "covers ~80 % of the stated need",
        ),
        (
            Reason("typo", {"from": "sagfils", "to": "sagflis"}),
            "tolket ‘sagfils’ som ‘sagflis’",
            "read ‘sagfils’ as ‘sagflis’",
        ),
        (
            Reason(
                "process_input",
                {
                    "material": "sagflis",
                    "material_nb": "sagflis",
                    "material_en": "sawdust",
                    "process": "pellet_production",
                    "process_nb": "pelletsproduksjon",
                    "process_en": "pellet production",
                },
            ),
            "sagflis er råstoff for pelletsproduksjon",
            "sawdust is an input to pellet production",
        ),
        (
            Reason(
                "broader_concept",
                {"a": "sagflis", "b": "bark", "name_nb": "treavfall", "name_en": "wood residue"},
            ),
            "‘sagflis’ og ‘bark’ er begge treavfall",
            "‘sagflis’ and ‘bark’ are both wood residue",
        ),
        (
            Reason("kind", {"offer": "by-product", "need": "material"}),
            "type: biprodukt → materiale",
            "kind: by-product → material",
        ),
        (
            Reason("shared_word", {"word": "hampeskjev"}),
            "begge bruker det uvanlige ordet ‘hampeskjev’",
            "both use the uncommon word ‘hampeskjev’",
        ),
    ],
)
def test_render_in_both_languages(reason: Reason, nb: str, en: str) -> None:
    assert render(reason, "nb") == nb
    assert render(reason, "en") == en


def test_unknown_codes_and_languages_fall_back() -> None:
    assert render(Reason("no_such_code", {}), "en") == "no_such_code"
    assert render(Reason("distance", {"km": 3}), "de") == "3 km unna"  # Bokmål is the default
    assert render(Reason("distance", {}), "en") == "distance"  # missing parameter: the code


def test_both_languages_have_the_same_codes() -> None:
    assert set(TEMPLATES["nb"]) == set(TEMPLATES["en"])


def test_explain_a_real_suggestion(mini_thesaurus: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    recs = [
        make(
            1,
            "offer",
            "by-product",
            "Sagflis, ca 100 t/år",
            quantity=80,
            unit="t",
            frequency="year",
            listing_id=1,
        ),
        make(
            2,
            "need",
            "material",
            "Need sawdust for animal bedding",
            quantity=100,
            unit="t",
            frequency="year",
            listing_id=2,
            place=(60.254, 11.683),
        ),
    ]
    (s,) = MatchIndex.build(recs, MatchSettings(), mini_thesaurus).match_all()
    nb, en = explain(s, "nb"), explain(s, "en")
    assert "‘sagflis’ = ‘sawdust’ (synonym)" in nb and "‘sagflis’ = ‘sawdust’ (synonym)" in en
    assert "dekker ca. 80 % av behovet" in nb and "covers ~80 % of the stated need" in en
    assert "19 km unna" in nb and "19 km apart" in en
