"""Energy carriers and grades: numbers and grade words read from text, compared by level."""

from __future__ import annotations

import pytest

from matchmaker.matching.attributes import (
    BOOST_MARGIN_C,
    HIGH_PRESSURE_BAR,
    LOW_PRESSURE_BAR,
    compare_grades,
    parse_attributes,
)


@pytest.mark.parametrize(
    ("title", "description", "low", "high"),
    [
        ("Spillvarme, varmtvann 90 °C", "", 90.0, 90.0),
        ("Overskuddsvarme", "Returvann 40–60 grader fra kjøling", 40.0, 60.0),
        ("Spillvärme 35 grader", "", 35.0, 35.0),
        ("Hot water 80 C, 2 MW", "", 80.0, 80.0),
        ("Lavtemperatur varme", "ca. 25,5 ℃", 25.5, 25.5),
        ("Sagflis", "tørr, 400 m3 i året", None, None),
    ],
)
def test_temperatures_are_read_in_several_languages(
    title: str, description: str, low: float | None, high: float | None
) -> None:
    a = parse_attributes(title, description, "offer")
    assert (a.temp_low, a.temp_high) == (low, high)


def test_pressures_from_numbers_units_and_grade_words() -> None:
    assert parse_attributes("Damp 12 bar(g)", "", "offer").pressure_bar == 12.0
    assert parse_attributes("Steam 800 kPa", "", "offer").pressure_bar == 8.0
    assert parse_attributes("Damp 4-6 bar", "", "offer").pressure_bar == 6.0  # delivers up to 6
    assert parse_attributes("Damp 4-6 bar", "", "need").pressure_bar == 4.0  # needs at least 4
    assert parse_attributes("Høytrykksdamp", "", "offer").pressure_bar == HIGH_PRESSURE_BAR
    assert parse_attributes("LP steam from the turbine", "", "offer").pressure_bar == LOW_PRESSURE_BAR
    assert parse_attributes("Lågtrycksånga", "", "offer").pressure_bar == LOW_PRESSURE_BAR


def test_purity_only_where_a_percentage_is_about_purity() -> None:
    assert parse_attributes("CO2, 99,9 % ren", "", "offer").purity_pct == 99.9
    assert parse_attributes("Flis", "fuktighet 35 %", "offer").purity_pct is None
    food = parse_attributes("CO2 i næringsmiddelkvalitet", "", "need")
    assert food.food_grade and not food.flue_gas
    assert parse_attributes("Røykgass med CO2 fra kjelen", "", "offer").flue_gas


def test_hot_enough_water_fits_and_too_cold_water_falls_short() -> None:
    need = parse_attributes("Varme til veksthus", "trenger minst 30 °C", "need")
    assert compare_grades(parse_attributes("Varmtvann 90 °C", "", "offer"), need).level == "fits"
    hot_need = parse_attributes("Prosessvarme 70 °C", "", "need")
    short = compare_grades(parse_attributes("Kjølevann 25 °C", "", "offer"), hot_need)
    assert (short.level, short.what, short.offer_value, short.need_value) == (
        "falls_short",
        "temperature",
        25.0,
        70.0,
    )
    near = compare_grades(parse_attributes("Spillvarme 60 °C", "", "offer"), hot_need)
    assert near.level == "boost" and BOOST_MARGIN_C >= 70.0 - 60.0


def test_a_cooling_need_is_served_by_cold_not_by_heat() -> None:
    need = parse_attributes("Kjølevann", "maks 15 °C", "need")
    assert need.cooling
    assert compare_grades(parse_attributes("Kaldt sjøvann 8 °C", "", "offer"), need).level == "fits"
    assert compare_grades(parse_attributes("Returvann 35 °C", "", "offer"), need).level == "falls_short"


def test_pressure_purity_and_food_grade() -> None:
    need = parse_attributes("Steam for the dryer, 10 bar", "", "need")
    assert compare_grades(parse_attributes("LP steam 3 bar", "", "offer"), need).level == "falls_short"
    assert compare_grades(parse_attributes("HP damp 16 bar", "", "offer"), need).level == "fits"
    co2 = parse_attributes("CO₂ for carbonating drinks, food grade", "", "need")
    flue = compare_grades(parse_attributes("Flue gas, 12 % CO2", "", "offer"), co2)
    assert (flue.level, flue.what) == ("falls_short", "food_grade")
    assert compare_grades(parse_attributes("Flytende CO2, matgrad", "", "offer"), co2).level == "fits"


def test_nothing_comparable_is_missing_not_a_mismatch() -> None:
    wood = compare_grades(parse_attributes("Sagflis", "", "offer"), parse_attributes("Flis", "", "need"))
    assert wood.level == "missing"
    heat = parse_attributes("Varmtvann 80 °C", "", "offer")
    assert compare_grades(heat, parse_attributes("Varme", "", "need")).level == "missing"


def test_treated_material_falls_short_of_an_untreated_requirement() -> None:
    need = parse_attributes("Returtre klasse A", "rent, ubehandlet", "need")
    assert need.untreated and not need.treated
    treated = parse_attributes("Impregnert kapp (CU-behandlet)", "", "offer")
    assert treated.treated
    short = compare_grades(treated, need)
    assert (short.level, short.what) == ("falls_short", "treatment")
    assert compare_grades(parse_attributes("Ubehandlet kapp av gran", "", "offer"), need).level == "fits"
    assert parse_attributes("Sagflis", "tørr", "offer").empty


def test_different_kinds_of_one_family_fall_short(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Spruce is not birch: a shared modifier ("kammertørket") must not outweigh that."""
    from matchmaker.matching import MatchIndex, MatchSettings, explain
    from matchmaker.matching.records import ListingRecord

    offer = ListingRecord(1, 1, "offer", "material", "Sidebord av gran, kammertørket", lat=60.19, lon=12.0)
    birch = ListingRecord(2, 2, "need", "material", "Heltre bjørk, kammertørket", lat=60.2, lon=12.0)
    spruce = ListingRecord(3, 3, "need", "material", "Kammertørket gran til snekkeri", lat=60.2, lon=12.0)
    index = MatchIndex.build([offer, birch, spruce], MatchSettings(), real_thesaurus)
    wrong, right = index.score_pair(1, 2), index.score_pair(1, 3)
    assert wrong is not None and right is not None
    assert wrong.components["grade"] == 0.0 and right.components["grade"] == 1.0
    assert right.score > wrong.score
    assert "gran er ikke bjørk" in explain(wrong, "nb") and "spruce is not birch" in explain(wrong, "en")


def test_cod_is_not_salmon(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Fish species are kinds of one family, as wood species are: a cod buyer's best offer is
    the cod, not the salmon next door, though both are "heads and frames"."""
    from matchmaker.matching import MatchIndex, MatchSettings
    from matchmaker.matching.records import ListingRecord

    need = ListingRecord(1, 1, "need", "material", "Hoder og rygger av torsk ønskes", lat=68.2, lon=14.5)
    salmon = ListingRecord(2, 2, "offer", "by-product", "Laks: hoder, rygger og slo", lat=68.2, lon=14.5)
    cod = ListingRecord(3, 3, "offer", "by-product", "Hoder og rygger av torsk og hyse", lat=68.3, lon=14.6)
    index = MatchIndex.build([need, salmon, cod], MatchSettings(), real_thesaurus)
    wrong, right = index.score_pair(2, 1), index.score_pair(3, 1)
    assert right is not None and right.components["grade"] == 1.0
    assert wrong is None or (wrong.components["grade"] == 0.0 and wrong.score < right.score)


def test_a_shared_form_is_not_the_same_kind(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Straw and silage both come in round bales: that is no reason, and no grade that fits."""
    from matchmaker.matching import MatchIndex, MatchSettings, explain
    from matchmaker.matching.records import ListingRecord

    straw = ListingRecord(1, 1, "offer", "by-product", "Halm i rundball", lat=60.2, lon=12.0)
    silage = ListingRecord(2, 2, "need", "material", "Surfôr i rundball", lat=60.2, lon=12.0)
    found = MatchIndex.build([straw, silage], MatchSettings(), real_thesaurus).score_pair(1, 2)
    assert found is None or ("grade" not in found.components and "bales" not in explain(found, "en"))


def test_temperatures_of_a_process_are_no_grade(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Meat and bone meal sterilised at 133 °C / 3 bar is not a 133 °C carrier, and a kiln's
    1450 °C flame asks nothing of its fuel; warm water's temperature is its grade."""
    from matchmaker.matching import MatchIndex, MatchSettings
    from matchmaker.matching.records import ListingRecord

    mbm = ListingRecord(1, 1, "offer", "by-product", "Kjøttbeinmel kat. 1",
                        "Trykksterilisert ved 133 °C / 3 bar, brennverdi 18 MJ/kg.", lat=60.19, lon=12.0)
    kiln = ListingRecord(2, 2, "offer", "capability", "Vi tar imot alternativt brensel til sementovnen",
                         "Flammetemperatur over 1450 °C, trykk 5 bar i brenneren.", lat=60.2, lon=12.0)
    water = ListingRecord(3, 3, "offer", "by-product", "Varmt sjøvann fra kjøling, 30–35 °C",
                          lat=60.2, lon=12.0)
    tank = ListingRecord(4, 4, "need", "energy", "Varme til fisketankene, minst 70 °C", lat=60.2, lon=12.0)
    index = MatchIndex.build([mbm, kiln, water, tank], MatchSettings(), real_thesaurus)
    fuel = index.score_pair(1, 2)
    assert fuel is not None and fuel.components.get("grade") is None  # nothing comparable: no level
    warm = index.score_pair(3, 4)
    assert warm is not None and warm.components["grade"] == 0.0  # 35 °C cannot serve 70 °C


def test_grade_reasons_read_well(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    from matchmaker.matching import MatchIndex, MatchSettings, explain
    from matchmaker.matching.records import ListingRecord

    heat = ListingRecord(1, 1, "offer", "energy", "Spillvarme, varmtvann 90 °C", lat=60.19, lon=12.0)
    need = ListingRecord(2, 2, "need", "energy", "Varme til veksthuset, minst 30 °C", lat=60.2, lon=12.0)
    found = MatchIndex.build([heat, need], MatchSettings(), real_thesaurus).score_pair(1, 2)
    assert found is not None
    assert "90 °C dekker behovet på 30 °C" in explain(found, "nb")
    assert "90 °C covers the 30 °C needed" in explain(found, "en")


def test_every_grade_word_gets_past_the_cheap_first_look() -> None:
    """The first look is made from the same word lists as the regexes, so no word is lost."""
    from matchmaker.matching import attributes as a

    for words, flag in ((a.FOOD_GRADE_WORDS, "food_grade"), (a.FLUE_GAS_WORDS, "flue_gas"),
                        (a.UNTREATED_WORDS, "untreated")):
        for word in words:
            for written in (word, word.replace(" ", "-"), word.replace(" ", "")):
                assert getattr(parse_attributes(f"Tilbud: {written}", "", "need"), flag), written
    for word in a.TREATED_WORDS:
        assert parse_attributes(word, "", "offer").treated, word
    for word in a.COOLING_WORDS:
        assert parse_attributes(f"{word}ing", "", "need").cooling, word


def test_feed_grade_falls_short_of_food_or_malting_quality(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """A brewery asking for malting barley is not served by feed barley; malting barley is."""
    from matchmaker.matching import MatchIndex, MatchSettings, explain
    from matchmaker.matching.records import ListingRecord

    need = ListingRecord(1, 1, "need", "material", "Lokalt maltbygg", "Bygg av maltekvalitet",
                         lat=60.19, lon=12.0)
    feed = ListingRecord(2, 2, "offer", "material", "Fôrbygg og havre", lat=60.2, lon=12.0)
    malt = ListingRecord(3, 3, "offer", "material", "Maltbygg fra Odalen", lat=60.2, lon=12.0)
    index = MatchIndex.build([need, feed, malt], MatchSettings(), real_thesaurus)
    wrong, right = index.score_pair(2, 1), index.score_pair(3, 1)
    assert wrong is not None and right is not None
    assert wrong.components["grade"] == 0.0 and right.score > wrong.score
    assert "fôrkvalitet" in explain(wrong, "nb") and "feed grade" in explain(wrong, "en")
    assert parse_attributes("Fôrhvete", "", "offer").feed_grade
    assert not parse_attributes("Hvete", "", "offer").feed_grade


def test_a_product_is_not_its_own_raw_material(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """Flour is made from grain, pellets from shavings: offered for a need of the raw
    material they fall short, with the reason; the raw material itself is unaffected, and
    pellets still serve a need for fuel pellets."""
    from matchmaker.matching import MatchIndex, MatchSettings, explain
    from matchmaker.matching.records import ListingRecord

    grain = ListingRecord(1, 1, "need", "material", "Korn til mølla", lat=60.19, lon=12.0)
    flour = ListingRecord(2, 2, "offer", "material", "Steinmalt rugmel", lat=60.2, lon=12.0)
    shavings = ListingRecord(3, 3, "need", "material", "Høvelspon til pelletsproduksjon", lat=60.2, lon=12.0)
    pellets = ListingRecord(4, 4, "offer", "material", "Trepellets 6 mm", lat=60.2, lon=12.0)
    spon = ListingRecord(5, 5, "offer", "by-product", "Tørr høvelspon", lat=60.2, lon=12.0)
    fuel = ListingRecord(6, 6, "need", "material", "Trepellets til fyring", lat=60.2, lon=12.0)
    index = MatchIndex.build([grain, flour, shavings, pellets, spon, fuel], MatchSettings(), real_thesaurus)
    made = index.score_pair(2, 1)
    assert made is not None and made.components["grade"] == 0.0
    assert "mel lages av korn" in explain(made, "nb")
    assert "flour is made from grain" in explain(made, "en")
    downstream, raw = index.score_pair(4, 3), index.score_pair(5, 3)
    assert raw is not None and raw.components.get("grade") is None
    assert downstream is None or (downstream.components["grade"] == 0.0 and downstream.score < raw.score)
    same = index.score_pair(4, 6)
    assert same is not None and same.components.get("grade") is None


def test_vectorised_grades_equal_the_scalar_comparison(real_thesaurus) -> None:  # type: ignore[no-untyped-def]
    """``GradeFit`` over many pairs at once gives the level ``compare_grades`` gives one pair."""
    import itertools

    import numpy as np

    from matchmaker.matching import MatchIndex, MatchSettings
    from matchmaker.matching.compare.grade import GradeFit
    from matchmaker.matching.records import ListingRecord
    from matchmaker.matching.roles import orient

    offers = ["Steinmalt rugmel", "Fôrbygg og havre", "Trepellets 6 mm", "Tørr høvelspon", "Maltbygg",
              "Varmtvann 90 °C", "Flue gas, 12 % CO2", "Impregnert kapp av gran", "Biorest fra biogass",
              "Kasserte grønnsaker", "Sidebord av bjørk"]
    needs = ["Korn til mølla", "Lokalt maltbygg", "Høvelspon til pelletsproduksjon", "Trepellets til fyring",
             "Varme, minst 70 °C", "CO2, matgrad", "Ubehandlet gran", "Husdyrgjødsel", "Lokale grønnsaker",
             "Matkorn: hvete"]
    records = [ListingRecord(i, i, "offer", "material", t, lat=60.2, lon=12.0)
               for i, t in enumerate(offers, 1)]
    records += [ListingRecord(i, i, "need", "material", t, lat=60.2, lon=12.0)
                for i, t in enumerate(needs, len(offers) + 1)]
    index = MatchIndex.build(records, MatchSettings(), real_thesaurus)
    grade, columns = GradeFit(MatchSettings()), index.store.grades
    levels = {"falls_short": 0.0, "boost": MatchSettings().grade_boost_value, "fits": 1.0}
    seen = set()
    for a, b in itertools.permutations(records, 2):
        if orient(a, b) is None or a.direction != "offer":
            continue
        fa, fb = index.features(a.listing_id), index.features(b.listing_id)
        assert fa is not None and fb is not None
        one = compare_grades(fa.attributes, fb.attributes)
        sa, sb = index._slot_of[a.listing_id], index._slot_of[b.listing_id]
        many = grade.values(columns, np.asarray([sa]), np.asarray([sb]))[0]
        want = levels.get(one.level, float("nan"))
        assert (many == want) or (np.isnan(many) and np.isnan(want)), (a.title, b.title, one)
        seen.add(one.what)
    assert {"made_from", "feed_grade", "temperature", "kind"} <= seen, seen
