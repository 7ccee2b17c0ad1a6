"""Step 1: folding, words, stop words, compounds, inflection, typos, quantities."""

from __future__ import annotations

import pytest

from matchmaker.matching.features import Analyser
from matchmaker.matching.folding import DEFAULT_STOPWORDS, detect_language, fold, fold_token, words
from matchmaker.matching.normalise import Normaliser, normalise_text
from matchmaker.matching.quantities import normalise_quantity
from matchmaker.matching.thesaurus import Thesaurus


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (("stålskrap", "staalskrap", "stalskrap", "STÅLSKRAP"), "stalskrap"),
        (("grønn", "groenn", "gronn"), "gronn"),
        (("bjørk", "bjoerk", "bjork"), "bjork"),
        (("lærvarer", "laervarer"), "laervarer"),
        (("tørr", "torr", "toerr"), "torr"),
        (("idé", "ide"), "ide"),
    ],
)
def test_fold_makes_norwegian_letters_and_their_ascii_spellings_equal(
    variants: tuple[str, ...], expected: str
) -> None:
    assert {fold_token(v) for v in variants} == {expected}


def test_fold_drops_numbers_and_punctuation() -> None:
    assert fold("Sagflis, tørr – ca. 400 m3/år!") == "sagflis torr ca m ar"
    assert words("CO2-gjødsling 50t") == ["co2", "gjødsling", "t"]  # a gas formula keeps its digits


def test_gas_formulas_are_words_and_co_processing_names_no_carbon_dioxide(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    from matchmaker.matching import MatchSettings
    from matchmaker.matching.features import Analyser
    from matchmaker.matching.records import ListingRecord

    assert words("CO₂ og N2, H2S; H2O og CaSO4") == ["co2", "og", "n2", "h2s", "h", "o", "og", "caso"]
    analyser = Analyser(real_thesaurus, MatchSettings())

    def concepts(title: str) -> set[str]:
        found = analyser.analyse(ListingRecord(1, 1, "offer", "capability", title))
        return {h.concept for h in found.concepts}

    assert "co2" not in concepts("We co-fire SLF at the main burner")
    assert "co2" not in concepts("Co-processing av avfall i sementovnen")
    assert "co2" in concepts("Fanget CO₂ fra røykgass")


def _norm(th: Thesaurus) -> Normaliser:
    return Normaliser(th.vocabulary, th.stopwords)


def test_stop_words_are_removed_but_terms_survive(mini_thesaurus: Thesaurus) -> None:
    n = _norm(mini_thesaurus)
    assert normalise_text(n, "Vi selger sagflis og bark til dere").tokens == ("sagflis", "bark")
    assert normalise_text(n, "We offer sawdust and the bark").tokens == ("sawdust", "bark")
    # built-in stop words never hide a thesaurus word
    assert "tar" in mini_thesaurus.vocabulary
    assert "tar" not in mini_thesaurus.stopwords
    assert "og" in DEFAULT_STOPWORDS


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("granbark", ("gran", "bark")),
        ("stålskrap", ("stal", "skrap")),
        ("staalskrap", ("stal", "skrap")),
        ("skogsavfall", ("skog", "avfall")),  # linking s
        ("metallskrap", ("metall", "skrap")),
        ("barkavfall", ("bark", "avfall")),
    ],
)
def test_compounds_split_into_known_words(word: str, parts: tuple[str, ...]) -> None:
    th = Thesaurus.from_dict(
        {
            "concepts": [
                {"id": c, "domain": "x", "nb": [c]}
                for c in ("gran", "bark", "stål", "skrap", "skog", "avfall", "metall")
            ]
        }
    )
    n = _norm(th)
    analysis = n.analyse_token(fold_token(word))
    assert analysis.how == "compound"
    assert analysis.parts == parts


def test_compound_split_needs_known_parts_of_three_letters(mini_thesaurus: Thesaurus) -> None:
    n = _norm(mini_thesaurus)
    # a known compound is kept whole
    assert n.analyse_token("granbark").parts == ("granbark",)
    # parts must be vocabulary words: "xyzbark" has an unknown modifier, so only the
    # head-split fallback (unknown modifier + known head) applies
    head = n.analyse_token("xyzbark")
    assert head.parts == ("xyz", "bark")
    assert n.split_compound("xyzbark") is None
    # parts shorter than 3 letters are not allowed
    assert n.split_compound("abbark") is None


def test_an_unknown_modifier_needs_a_head_of_four_letters() -> None:
    n = Normaliser(["ilt", "bark"], ())
    # Finnish "naapurilta" (from a neighbour) is not "naapur" + Danish "ilt" (oxygen) + an ending
    assert n.split_head("naapurilta") is None
    assert n.analyse_token("naapurilta").parts == ("naapurilta",)
    assert n.split_head("xyzbarken") == ("xyz", "bark")


def test_inflected_forms_map_to_vocabulary_words(mini_thesaurus: Thesaurus) -> None:
    n = _norm(mini_thesaurus)
    assert n.analyse_token("barken").parts == ("bark",)
    assert n.analyse_token("betongen").parts == ("betong",)
    assert n.analyse_token("barken").how == "inflected"


def test_typos_are_repaired_against_the_vocabulary(mini_thesaurus: Thesaurus) -> None:
    n = _norm(mini_thesaurus)
    fixed = n.analyse_token("sagfils")
    assert fixed.how == "typo"
    assert fixed.parts == ("sagflis",)
    assert n.analyse_token("potetskrel").parts == ("potetskrell",)
    # short words and far-off words are left alone
    assert n.analyse_token("flos").how == "unknown"
    assert n.analyse_token("kontorrekvisita").how == "unknown"
    # the first letter must agree (a real word starting differently is not "repaired")
    assert n.correct_typo("hagflis") is None


def test_typo_correction_respects_the_cutoff(mini_thesaurus: Thesaurus) -> None:
    strict = Normaliser(mini_thesaurus.vocabulary, mini_thesaurus.stopwords, typo_cutoff=99)
    assert strict.correct_typo("sagfils") is None
    loose = Normaliser(mini_thesaurus.vocabulary, mini_thesaurus.stopwords, typo_cutoff=80)
    assert loose.correct_typo("sagfils") == "sagflis"


def test_tokens_report_corrections_with_the_written_word(mini_thesaurus: Thesaurus) -> None:
    out = normalise_text(_norm(mini_thesaurus), "Sagfils, tørr")
    assert out.tokens == ("sagflis", "torr")
    assert out.corrections == (("sagfils", "sagflis"),)


def test_language_detection() -> None:
    nb = {fold_token(w) for w in ("og", "til", "fra", "med")}
    en = {fold_token(w) for w in ("and", "the", "from", "with")}
    assert detect_language(["sagflis", "og", "bark", "til", "salg"], frozenset(nb), frozenset(en)) == "nb"
    assert detect_language(["sawdust", "and", "the", "bark"], frozenset(nb), frozenset(en)) == "en"
    assert detect_language(["sawdust"], frozenset(nb), frozenset(en)) is None


@pytest.mark.parametrize(
    ("qty", "unit", "freq", "dimension", "amount", "annual"),
    [
        (2, "t", "year", "mass", 2000.0, 2000.0),
        (500, "kg", "month", "mass", 500.0, 6000.0),
        (3, "m3", None, "volume", 3000.0, None),
        (250, "l", "week", "volume", 250.0, 13000.0),
        (1, "GWh", "year", "energy", 1_000_000.0, 1_000_000.0),
        (2, "MWh", "once", "energy", 2000.0, None),
        (40, "kWh", "continuous", "energy", 40.0, None),
        (12, "tonn", "year", "mass", 12000.0, 12000.0),
    ],
)
def test_quantities_convert_to_base_units(
    qty: float, unit: str, freq: str | None, dimension: str, amount: float, annual: float | None
) -> None:
    q = normalise_quantity(qty, unit, freq)
    assert q is not None
    assert q.dimension == dimension
    assert q.amount == pytest.approx(amount)
    assert q.annual() == (pytest.approx(annual) if annual is not None else None)


@pytest.mark.parametrize(
    ("qty", "unit"), [(None, "t"), (5, None), (5, "furlongs"), (0, "t"), (-3, "kg"), (float("nan"), "t")]
)
def test_unusable_quantities_are_missing(qty: float | None, unit: str | None) -> None:
    assert normalise_quantity(qty, unit) is None


def test_analyser_recognises_synonyms_across_languages(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    nb = an.analyse(make(1, "offer", "by-product", "Sagflis til salgs"))
    en = an.analyse(make(2, "need", "material", "We need sawdust"))
    assert "sawdust" in nb.direct_concepts
    assert "sawdust" in en.direct_concepts


def test_analyser_multiword_terms_and_spacing(mini_thesaurus: Thesaurus, settings, make) -> None:  # type: ignore[no-untyped-def]
    an = Analyser(mini_thesaurus, settings)
    for title in ("stål skrap", "stålskrap", "staal-skrap", "steel scrap", "Scrap iron"):
        f = an.analyse(make(1, "offer", "by-product", title))
        assert f.direct_concepts == ("steel_scrap",), title
    spaced = an.analyse(make(1, "offer", "by-product", "sag flis"))
    assert spaced.direct_concepts == ("sawdust",)
