"""Precision rules: weak concepts (thesaurus role modifier/generic), coordinated modifiers,
negation and left-branching compounds."""

from __future__ import annotations

import pytest

from matchmaker.matching import MatchIndex, MatchSettings
from matchmaker.matching.features import Analyser
from matchmaker.matching.normalise import Normaliser
from matchmaker.matching.thesaurus import Thesaurus

THESAURUS = {
    "version": "t",
    "concepts": [
        {"id": "wood_material", "domain": "wood", "role": "generic", "nb": ["trevirke"], "en": ["wood"]},
        {
            "id": "softwood",
            "domain": "wood",
            "role": "modifier",
            "nb": ["bartre"],
            "en": ["softwood"],
            "broader": "wood_material",
        },
        {
            "id": "spruce",
            "domain": "wood",
            "role": "modifier",
            "nb": ["gran"],
            "en": ["spruce"],
            "broader": "softwood",
        },
        {
            "id": "pine",
            "domain": "wood",
            "role": "modifier",
            "nb": ["furu"],
            "en": ["pine"],
            "broader": "softwood",
        },
        {"id": "sawdust", "domain": "wood", "nb": ["sagflis"], "en": ["sawdust"], "broader": "wood_material"},
        {
            "id": "lumber",
            "domain": "wood",
            "nb": ["skurlast", "plate"],
            "en": ["sawn timber", "lumber"],
            "broader": "wood_material",
        },
        {"id": "particleboard", "domain": "wood", "nb": ["sponplate"], "en": ["chipboard"]},
        {"id": "offcuts", "domain": "wood", "role": "generic", "nb": ["kapp"], "en": ["offcuts"]},
        {"id": "metal_offcuts", "domain": "metal", "nb": ["platekapp"], "en": ["plate offcuts"]},
        {"id": "shavings", "domain": "wood", "nb": ["spon"], "en": ["shavings"]},
        {"id": "pellets", "domain": "energy", "nb": ["pellets"], "en": ["pellets"]},
        {"id": "treated_wood", "domain": "wood", "nb": ["impregnert"], "en": ["treated wood"]},
    ],
}


@pytest.fixture(scope="module")
def th() -> Thesaurus:
    return Thesaurus.from_dict(THESAURUS)


def test_roles_are_loaded_and_validated(th: Thesaurus) -> None:
    assert th.is_weak("spruce") and th.is_weak("wood_material") and not th.is_weak("sawdust")
    assert th.concepts["spruce"].role == "modifier"
    with pytest.raises(ValueError):
        Thesaurus.from_dict({"concepts": [{"id": "x", "domain": "d", "nb": ["x"], "role": "odd"}]})


def test_a_coordinated_modifier_is_a_modifier_too(th: Thesaurus) -> None:
    n = Normaliser(th.vocabulary, th.stopwords)
    toks, _ = n.tokens("Sagflis fra gran og furu", 0.5)
    assert [(t.norm, t.weight) for t in toks] == [("sagflis", 1.0), ("gran", 0.5), ("furu", 0.5)]
    toks, _ = n.tokens("Sagflis og skurlast", 0.5)  # no preposition: both are heads
    assert [t.weight for t in toks] == [1.0, 1.0]


def test_negated_words_are_dropped(th: Thesaurus) -> None:
    n = Normaliser(th.vocabulary, th.stopwords)
    toks, _ = n.tokens("Kapp fra plater, ikke egnet til pellets eller spon", 0.5)
    assert [t.norm for t in toks] == ["kapp", "plate"]
    toks, _ = n.tokens("Spon, ikke impregnert", 0.5)
    assert [t.norm for t in toks] == ["spon"]


def test_a_modifier_binds_to_a_known_word_in_the_head(th: Thesaurus) -> None:
    n = Normaliser(th.vocabulary, th.stopwords)
    assert n.split_compound("sponplatekapp") == ("sponplate", "kapp")


def test_weak_concepts_count_little_next_to_a_head(th: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    s = MatchSettings()
    an = Analyser(th, s)
    f = an.analyse(make(1, "offer", "by-product", "Sagflis fra gran og furu"))
    cm = f.concept_map()
    assert cm["sawdust"].weight == 1.0
    assert cm["spruce"].weight == pytest.approx(0.5 * s.weak_concept_weight)
    assert cm["pine"].weight == pytest.approx(0.5 * s.weak_concept_weight)
    assert "gran" not in f.full_text.split() and "sagflis" in f.title_text
    alone = an.analyse(make(2, "need", "material", "Gran")).concept_map()
    assert alone["spruce"].weight == 1.0  # nothing else named: the species is the head


def test_species_alone_do_not_make_a_pair(th: Thesaurus, make) -> None:  # type: ignore[no-untyped-def]
    records = [
        make(1, "offer", "by-product", "Sagflis fra gran og furu"),
        make(2, "need", "material", "Spruce and pine sawn timber"),
        make(3, "need", "by-product", "Sawdust"),
    ]
    index = MatchIndex.build(records, MatchSettings(), th)
    pairs = {(s.offer_listing_id, s.need_listing_id) for s in index.match_all()}
    assert (1, 3) in pairs
    assert (1, 2) not in pairs


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Fjernvarme til nye kunder på Flisa", ["flisa"]),
        ("Rail freight slots to Oslo and Sweden", ["oslo", "sweden"]),
        ("Steel Scrap For Melting", []),  # Title Case: capitals say nothing
        ("Plastavkapp og feilstøp (PP/PE)", []),  # acronyms are kept
        ("Sagflis. Flis levert i bulk", []),  # a sentence starts with a capital
    ],
)
def test_proper_nouns_are_not_read_as_materials(th: Thesaurus, text: str, places: list[str]) -> None:
    n = Normaliser(th.vocabulary, th.stopwords)
    seen: list[str] = []
    toks, _ = n.tokens(text, 0.5, seen=seen)
    kept = {t.surface for t in toks}
    assert all(p not in kept for p in places)
    assert all(p in seen for p in places)  # still seen (language detection)
