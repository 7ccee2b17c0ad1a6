"""Thesaurus loading, merging, lookups; concept recognition of listings (features)."""

from __future__ import annotations

import json
from pathlib import Path

from matchmaker.matching.features import BROADER1, DIRECT, RELATED, Analyser
from matchmaker.matching.thesaurus import Thesaurus

DATA = Path(__file__).parent / "data"


def test_packaged_thesaurus_loads_and_is_consistent(real_thesaurus: Thesaurus) -> None:
    th = real_thesaurus
    assert len(th.concepts) > 50
    assert th.processes
    for c in th.concepts.values():
        assert c.nb or c.en, c.id
        for b in c.broader:
            assert b in th.concepts, (c.id, b)
    # folded, space-free lookup of both languages
    assert "sawdust" in th.lookup(["sagflis"])
    assert "sawdust" in th.lookup(["sawdust"])
    assert th.lookup(["stalskrap"]) == th.lookup(["stal", "skrap"]) != ()


def test_lookup_ignores_spacing_and_folding(mini_thesaurus: Thesaurus) -> None:
    th = mini_thesaurus
    assert th.lookup(["stal", "skrap"]) == ("steel_scrap",)
    assert th.lookup(["stalskrap"]) == ("steel_scrap",)
    assert th.lookup(["steel", "scrap"]) == ("steel_scrap",)
    assert th.lookup(["nothing"]) == ()


def test_hierarchy_and_names(mini_thesaurus: Thesaurus) -> None:
    th = mini_thesaurus
    assert th.ancestors("spruce_bark") == [("bark", 1), ("wood_residue", 2)]
    assert th.ancestors("spruce_bark", max_depth=1) == [("bark", 1)]
    assert th.related("sawdust") == ("wood_chips",)
    assert th.name("sawdust", "nb") == "sagflis"
    assert th.name("sawdust", "en") == "sawdust"
    assert th.names("steel_scrap") == ("jernskrap", "steel scrap")
    assert th.processes_named_by("pellet_production") == ("pellet_production",)
    assert th.processes_named_by("sawdust") == ()
    assert th.structural_specificity("sawdust") == 1.0
    assert th.structural_specificity("wood_residue") < 1.0


def test_extra_file_merges_on_top(tmp_path: Path) -> None:
    extra = {
        "version": "local-3",
        "stopwords": {"nb": ["fjøs"]},
        "concepts": [
            {"id": "sawdust", "nb": ["kutterspon"], "en": ["wood dust"]},
            {"id": "hemp_hurds", "domain": "agriculture", "nb": ["hampeskjev"], "en": ["hemp hurds"]},
        ],
        "processes": [{"id": "pellet_production", "inputs": ["hemp_hurds"]}],
    }
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    th = Thesaurus.load(DATA / "mini_thesaurus.json", extra=path)
    assert th.version == "test-1+local-3"
    assert th.concepts["sawdust"].nb == ("sagflis", "sagspon", "kutterspon")  # base names stay first
    assert th.name("sawdust", "nb") == "sagflis"
    assert th.lookup(["kutterspon"]) == ("sawdust",)
    assert th.lookup(["hampeskjev"]) == ("hemp_hurds",)
    assert th.concepts["sawdust"].broader == ("wood_residue",)  # not overwritten when absent
    assert set(th.processes["pellet_production"].inputs) == {"sawdust", "wood_chips", "hemp_hurds"}
    assert "fjos" in th.stopwords


def test_fingerprint_changes_with_content(mini_thesaurus: Thesaurus) -> None:
    data = json.loads((DATA / "mini_thesaurus.json").read_text(encoding="utf-8"))
    same = Thesaurus.from_dict(data)
    data["concepts"][0]["nb"].append("kapprester")
    changed = Thesaurus.from_dict(data)
    assert same.fingerprint() == mini_thesaurus.fingerprint()
    assert changed.fingerprint() != mini_thesaurus.fingerprint()


def test_features_direct_broader_related_and_weights(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    f = an.analyse(make(1, "offer", "by-product", "Granbark", "Også litt sagflis."))
    hits = f.concept_map()
    assert hits["spruce_bark"].type == DIRECT and hits["spruce_bark"].weight == 1.0
    assert hits["bark"].type == BROADER1 and hits["bark"].via == "spruce_bark"
    assert hits["sawdust"].type == DIRECT
    assert hits["sawdust"].weight == settings.description_weight  # description counts less
    assert hits["wood_chips"].type == RELATED


def test_compound_head_counts_fully_and_modifier_less(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    f = an.analyse(make(1, "offer", "by-product", "Skogsavfall"))  # skog + s + avfall
    hits = f.concept_map()
    assert hits["waste"].weight == 1.0
    assert hits["forest"].weight == settings.compound_modifier_weight


def test_false_friends_are_ignored_in_the_other_language(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    nb = an.analyse(make(1, "offer", "capability", "Vi tar imot sagflis til pelletsproduksjon"))
    assert "tar" not in nb.direct_concepts  # Norwegian "tar" = "takes"
    en = an.analyse(make(1, "offer", "material", "Tar from the old roofing, available now"))
    assert "tar" in en.direct_concepts


def test_ambiguous_terms_follow_the_domain_of_the_listing(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    wood = an.analyse(make(1, "offer", "by-product", "Flis og bark"))
    assert "wood_chips" in wood.direct_concepts and "tiles" not in wood.direct_concepts
    building = an.analyse(make(1, "offer", "material", "Flis, passer til betong gulv"))
    assert "tiles" in building.direct_concepts and "wood_chips" not in building.direct_concepts
    alone = an.analyse(make(1, "offer", "material", "Flis"))
    assert {"tiles", "wood_chips"} <= set(alone.direct_concepts)
    assert alone.concept_map()["tiles"].weight < 1.0


def test_capabilities_get_process_inputs(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    f = an.analyse(make(1, "offer", "capability", "Pelletsfabrikk med ledig kapasitet"))
    inputs = {e.concept: e.process for e in f.process_inputs}
    assert inputs == {"sawdust": "pellet_production", "wood_chips": "pellet_production"}
    # products of the process are not inputs
    assert "wood_pellets" not in inputs
    # a need naming a use wants that process's inputs; a need's own words stay its concepts
    need = an.analyse(make(1, "need", "material", "Råstoff til pelletsfabrikken"))
    assert {e.concept: e.process for e in need.process_inputs} == inputs
    assert not need.known_title  # it names a use, not a material
    plain = an.analyse(make(1, "need", "material", "Sagflis"))
    assert plain.process_inputs == () and plain.known_title


def test_nouns_after_of_from_qualify_goods_but_not_services(
    mini_thesaurus: Thesaurus, settings, make
) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    goods = an.analyse(make(1, "need", "material", "Trenger bark fra gran")).concept_map()
    assert goods["bark"].weight == 1.0
    assert goods["spruce"].weight == settings.compound_modifier_weight  # "fra gran" only qualifies
    service = an.analyse(make(1, "offer", "service", "Transport av sagflis")).concept_map()
    assert service["sawdust"].weight == 1.0  # what the service works on


def test_terms_in_the_neighbours_languages_are_recognised() -> None:
    """Swedish, Danish and Finnish terms find their concept; names stay Bokmål/English."""
    from matchmaker.matching import MatchSettings
    from matchmaker.matching.features import Analyser
    from matchmaker.matching.records import ListingRecord

    th = Thesaurus.from_dict(
        {
            "concepts": [
                {"id": "surplus_heat", "domain": "energy", "nb": ["overskuddsvarme"], "en": ["surplus heat"],
                 "sv": ["spillvärme"], "da": ["overskudsvarme"], "fi": ["hukkalämpö"]},
            ]
        }
    )
    analyse = Analyser(th, MatchSettings()).analyse
    for i, title in enumerate(["Spillvärme från pappersbruket", "Overskudsvarme", "Hukkalämpö"]):
        f = analyse(ListingRecord(i + 1, 1, "offer", "energy", title))
        assert [h.concept for h in f.concepts] == ["surplus_heat"], title
    assert th.names("surplus_heat") == ("overskuddsvarme", "surplus heat")
    plain = Thesaurus.from_dict({"concepts": [{"id": "surplus_heat", "domain": "energy",
                                               "nb": ["overskuddsvarme"], "en": ["surplus heat"]}]})
    assert plain.fingerprint() != th.fingerprint()
