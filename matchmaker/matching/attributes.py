"""Structured attributes read from a listing's text: temperature, pressure, purity.

Energy carriers and grades decide whether a pair can work at all: 90 °C water serves a
30 °C need, 25 °C water cannot serve a 70 °C one; 3 bar steam cannot feed a 12 bar
process; flue gas is not food-grade CO₂. ``parse_attributes`` reads the numbers and grade
words (Norwegian, Swedish, Danish, Finnish, English) from title and description;
``compare_grades`` compares a supplier's with a receiver's, with ordered levels like the
other comparisons and a reason per level.

A heat need requires at least the lowest temperature it states, and an offer can deliver
up to the highest it states; a cooling need ("kjølevann, maks 15 °C") allows at most the
highest it states and is served by an offer's lowest. Pressures and purities: an offer
delivers its highest, a need requires its lowest. Pure: no numpy, no engine imports.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

NUMBER = r"(\d+(?:[.,]\d+)?)"
RANGE = NUMBER + r"(?:\s*(?:-|–|—|til|to|till|bis)\s*" + NUMBER + r")?"
_TEMPERATURE = re.compile(
    RANGE + r"\s*(?:°\s*c\b|°|℃|grader\b|graders\b|grad\b|grader celsius|deg(?:rees)?\s*c?\b|c\b)",
    re.IGNORECASE,
)
_PRESSURE = re.compile(RANGE + r"\s*(bar\s*\(?[ag]\)?|barg\b|bara\b|bar\b|kpa\b|mpa\b)", re.IGNORECASE)
_PURITY = re.compile(NUMBER + r"\s*%", re.IGNORECASE)
#: words near a percentage that make it a purity ("99,5 % ren", "purity 99.9 %")
_PURITY_WORDS = re.compile(
    r"\b(ren|rent|renhet|renhetsgrad|pure|purity|renhed|puhtaus|puhdas)\b", re.IGNORECASE
)


#: words (or word starts) that state a grade; a space stands for a space, a hyphen or nothing
#: ("food grade", "food-grade", "foodgrade"). Each regex below is made from its list, and the
#: cheap first look from all of them, so neither can know a word the other does not.
FOOD_GRADE_WORDS = (
    "food grade", "matgrad", "næringsmiddelkvalitet", "naeringsmiddelkvalitet", "livsmedelskvalitet",
    "livsmedelsgrad", "fødevarekvalitet", "fodevarekvalitet", "elintarvikelaatu", "beverage grade",
    "drikkevarekvalitet", "e 290",
    # grain for people, not animals: milling, baking and malting quality
    "matkvalitet", "matkorn", "mathvete", "bakekvalitet", "brødkorn", "brødhvete", "maltekvalitet",
    "maltkvalitet", "maltbygg", "maltekorn", "maltbyg", "maltkorn", "mallasohra", "malting",
    "milling quality", "milling wheat", "food quality", "brewing barley", "brödsäd", "brodsad",
    "livsmedelsspannmål", "leipävilja", "leipavilja",
)
#: grain (or other goods) of feed grade: it cannot serve a need for food or malting quality
FEED_GRADE_WORDS = (
    "fôrkvalitet", "forkvalitet", "fôrkorn", "forkorn", "fôrbygg", "forbygg", "fôrhavre", "forhavre",
    "fôrhvete", "forhvete", "feed grade", "feed quality", "feed grain", "feed barley", "feed wheat",
    "feed oats", "foderkvalitet", "fodersäd", "fodersad", "foderspannmål", "foderspannmal", "foderkorn",
    "foderbyg", "rehuvilja", "rehuohra", "rehulaatu",
)
FLUE_GAS_WORDS = (
    "flue gas", "exhaust", "røykgass", "roykgass", "røkgass", "rökgas", "rokgas", "røggas", "roggas",
    "savukaasu", "avgass", "pipegass",
)
COOLING_WORDS = ("cool", "chill", "kjøl", "kjol", "kyl", "køl", "jäähd", "jaahd", "frys", "freez")
#: wood or material that has been treated (impregnated, painted, coated) ...
TREATED_WORDS = (
    "impregner", "impregnat", "cu-behandl", "trykkimpregn", "kreosot", "creosot", "treated",
    "tryckimpregn", "painted", "malt tre", "malet træ", "lakkert", "coated", "belagt",
)
#: ... and a requirement of clean, untreated material
UNTREATED_WORDS = (
    "ubehandl", "untreated", "obehandl", "clean wood", "rent tre", "rent virke", "kun rent", "ren flis",
    "käsittelemätön", "kasittelematon", "not treated", "ikke impregn", "ikke behandl", "no treated",
    "free of treated",
)
#: pressure words (numbers aside) start with one of these, or are "HP"/"LP" (``_NUMBER_UNIT``)
PRESSURE_TRIGGERS = ("trykk", "tryck", "tryk", "paine", "pressure")


def _words_regex(stems: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w).replace(r"\ ", r"[\s-]?") for w in stems), re.IGNORECASE)


_FOOD_GRADE = _words_regex(FOOD_GRADE_WORDS)
_FEED_GRADE = _words_regex(FEED_GRADE_WORDS)
_FLUE_GAS = _words_regex(FLUE_GAS_WORDS)
_COOLING = _words_regex(COOLING_WORDS)
_TREATED = _words_regex(TREATED_WORDS)
_UNTREATED = _words_regex(UNTREATED_WORDS)
_HIGH_PRESSURE_WORDS = re.compile(
    r"\bhp[\s-]?(?:steam|damp|ånga|anga)|høytrykk|hoytrykk|högtryck|hogtryck|højtryk|hojtryk|"
    r"korkeapaine|high[\s-]?pressure",
    re.IGNORECASE,
)
_LOW_PRESSURE_WORDS = re.compile(
    r"\blp[\s-]?(?:steam|damp|ånga|anga)|lavtrykk|lågtryck|lagtryck|lavtryk|matalapaine|low[\s-]?pressure",
    re.IGNORECASE,
)
#: a cheap first look (one regex of every word above, then one small regex for numbers with
#: units; a tenth of the time of a hundred ``in`` tests): a text with none states no attribute
#: (on the lower-cased text: a case-blind regex of many words is several times slower)
_ANY_WORD = re.compile("|".join(
    re.escape(w.lower()).replace(r"\ ", r"[\s-]?")
    for w in (*FOOD_GRADE_WORDS, *FEED_GRADE_WORDS, *FLUE_GAS_WORDS, *COOLING_WORDS, *TREATED_WORDS,
              *UNTREATED_WORDS, *PRESSURE_TRIGGERS)
))
_NUMBER_UNIT = re.compile(r"\d\s*(?:°|℃|grad|deg|c\b|bar|kpa|mpa|%)|\b(?:hp|lp)\b")
#: what a pressure word stands for when no number is given (bar, gauge)
HIGH_PRESSURE_BAR, LOW_PRESSURE_BAR = 20.0, 3.0
#: a temperature this much below the need can still serve it with a heat pump
BOOST_MARGIN_C = 15.0
#: temperatures outside this range are not a carrier's temperature (e.g. "-18 °C storage")
PLAUSIBLE_C = (-60.0, 1600.0)
#: a listing's temperatures and pressures are its carrier's grade only when it is energy or
#: names one of these (or a narrower concept): heat, cold, water, gases. Elsewhere they
#: describe a process ("sterilised at 133 °C / 3 bar", "flame above 1450 °C"), not a grade.
CARRIER_ROOTS = ("heat", "cooling", "water", "off_gas", "co2", "industrial_gases", "biogas",
                 "fuel_gas", "fossil_gas", "hydrogen")
#: what is burnt: an energy listing whose title names one of these (or a narrower concept) and
#: no carrier is about fuel as goods — pellets, bark, oil — not about heat (``compare.kind``);
#: gases are carriers and stay energy
FUEL_ROOTS = ("fuel", "biofuel", "fossil_fuel", "refuse_derived_fuel")
#: fuels made of waste: a need for them takes treated wood; a need for other fuel does not
WASTE_FUEL_ROOTS = ("refuse_derived_fuel",)

Direction = Literal["offer", "need"]


@dataclass(frozen=True, slots=True)
class Attributes:
    """What one listing states; ``None``/False where it states nothing."""

    temp_low: float | None = None  # lowest and highest temperature stated (°C)
    temp_high: float | None = None
    pressure_bar: float | None = None  # offer: the most it delivers; need: the least it needs
    purity_pct: float | None = None
    food_grade: bool = False  # food, milling or malting quality (stated or required)
    feed_grade: bool = False
    flue_gas: bool = False
    cooling: bool = False  # the title is about cold (a cooling need wants *low* temperature)
    treated: bool = False  # impregnated, painted or coated material
    untreated: bool = False  # states (an offer) or requires (a need) clean, untreated material
    # the kinds the title names of what it is about (species, origin: "gran", "bjørk", "sau"),
    # as thesaurus concepts, and the family each belongs to (its topmost broader concept)
    kinds: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    # value-chain direction: an offer's goods with what each is made from, as (product,
    # source) concept pairs ("flour" from "grain"), and the concepts it *is* (the goods and
    # their broader concepts); a need's wanted concepts (title, broader, named use's inputs)
    made_from: tuple[tuple[str, str], ...] = ()
    goods: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self is NO_ATTRIBUTES  # parse_attributes returns that one object for "nothing"


NO_ATTRIBUTES = Attributes()


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _values(pattern: re.Pattern[str], text: str) -> list[float]:
    out: list[float] = []
    for m in pattern.finditer(text):
        out.append(_num(m.group(1)))
        if m.group(2):
            out.append(_num(m.group(2)))
    return out


def _bar(value: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith("kpa"):
        return value / 100.0
    if unit.startswith("mpa"):
        return value * 10.0
    return value


def parse_attributes(title: str, description: str, direction: Direction) -> Attributes:
    """Attributes stated in a listing (offer: upper ends; need: lower ends)."""
    text = f"{title}\n{description}"
    low = text.lower()
    if not _ANY_WORD.search(low) and not _NUMBER_UNIT.search(low):
        return NO_ATTRIBUTES
    pick = max if direction == "offer" else min
    temps = [t for t in _values(_TEMPERATURE, text) if PLAUSIBLE_C[0] <= t <= PLAUSIBLE_C[1]]
    pressures: list[float] = []
    for m in _PRESSURE.finditer(text):
        unit = m.group(3)
        pressures.append(_bar(_num(m.group(1)), unit))
        if m.group(2):
            pressures.append(_bar(_num(m.group(2)), unit))
    if not pressures:
        if _HIGH_PRESSURE_WORDS.search(text):
            pressures.append(HIGH_PRESSURE_BAR)
        elif _LOW_PRESSURE_WORDS.search(text):
            pressures.append(LOW_PRESSURE_BAR)
    purity: float | None = None
    for m in _PURITY.finditer(text):
        window = text[max(0, m.start() - 30) : m.end() + 30]
        value = _num(m.group(1))
        if _PURITY_WORDS.search(window) and 50.0 <= value <= 100.0:
            purity = value if purity is None else pick(purity, value)
    found = Attributes(
        temp_low=min(temps) if temps else None,
        temp_high=max(temps) if temps else None,
        pressure_bar=pick(pressures) if pressures else None,
        purity_pct=purity,
        food_grade=bool(_FOOD_GRADE.search(text)),
        feed_grade=bool(_FEED_GRADE.search(text)),
        flue_gas=bool(_FLUE_GAS.search(text)),
        cooling=bool(_COOLING.search(title)),
        treated=bool(_TREATED.search(text)) and not bool(_UNTREATED.search(text)),
        untreated=bool(_UNTREATED.search(text)),
    )
    return NO_ATTRIBUTES if found == NO_ATTRIBUTES else found


GradeLevel = Literal["fits", "boost", "falls_short", "missing"]


@dataclass(frozen=True, slots=True)
class GradeComparison:
    """Level of the grade comparison, and what decided it (for the reason)."""

    level: GradeLevel
    # "temperature" | "pressure" | "purity" | "food_grade" | "feed_grade" | "treatment" | "kind" | "made_from"
    what: str = ""
    offer_value: float = math.nan
    need_value: float = math.nan
    kinds: tuple[str, str] = ("", "")  # "kind": the offer's and the need's; "made_from": product, source


GRADE_MISSING = GradeComparison("missing")


def compare_grades(offer: Attributes, need: Attributes) -> GradeComparison:
    """Can the offer's grade serve the need's? The worst finding decides.

    * ``falls_short``: too cold by more than ``BOOST_MARGIN_C``, lower pressure than
      required, lower purity than required, flue gas or feed grade offered for a food-grade
      need, treated material offered where untreated is required, another kind of one
      family, or a product made from what the need wants (flour for a grain need, pellets
      for a shavings need: a product is not its own raw material);
    * ``boost``: up to ``BOOST_MARGIN_C`` too cold (a heat pump can lift it);
    * ``fits``: every requirement both sides state is met;
    * ``missing``: nothing comparable is stated on both sides.
    A cooling need compares temperature the other way round (colder serves).
    """
    findings: list[GradeComparison] = []
    if offer.temp_low is not None and need.temp_low is not None:
        if need.cooling:
            o, n = offer.temp_low, need.temp_high
            gap = o - n
        else:
            o, n = offer.temp_high, need.temp_low
            gap = n - o
        if o is None or n is None:  # the caller only passes stated temperatures
            raise ValueError("temperature comparison without both temperatures")
        if gap <= 0:
            findings.append(GradeComparison("fits", "temperature", o, n))
        elif gap <= BOOST_MARGIN_C and not need.cooling:
            findings.append(GradeComparison("boost", "temperature", o, n))
        else:
            findings.append(GradeComparison("falls_short", "temperature", o, n))
    if offer.pressure_bar is not None and need.pressure_bar is not None:
        o, n = offer.pressure_bar, need.pressure_bar
        findings.append(GradeComparison("fits" if o >= n else "falls_short", "pressure", o, n))
    if need.food_grade:
        if offer.food_grade:
            findings.append(GradeComparison("fits", "food_grade"))
        elif offer.flue_gas:
            findings.append(GradeComparison("falls_short", "food_grade"))
        elif offer.feed_grade:
            findings.append(GradeComparison("falls_short", "feed_grade"))
    if need.purity_pct is not None and offer.purity_pct is not None:
        o, n = offer.purity_pct, need.purity_pct
        findings.append(GradeComparison("fits" if o >= n else "falls_short", "purity", o, n))
    elif need.purity_pct is not None and need.purity_pct >= 95.0 and offer.flue_gas:
        findings.append(GradeComparison("falls_short", "purity", math.nan, need.purity_pct))
    if offer.kinds and need.kinds and set(offer.families) & set(need.families):
        if set(offer.kinds) & set(need.kinds):
            findings.append(GradeComparison("fits", "kind", kinds=(offer.kinds[0], offer.kinds[0])))
        else:  # spruce offered where birch is needed: a shared modifier does not make it fit
            findings.append(GradeComparison("falls_short", "kind", kinds=(offer.kinds[0], need.kinds[0])))
    if need.untreated and offer.treated:
        findings.append(GradeComparison("falls_short", "treatment"))
    elif need.untreated and offer.untreated:
        findings.append(GradeComparison("fits", "treatment"))
    if offer.made_from and need.wants and set(offer.goods).isdisjoint(need.wants):
        source = next((pair for w in need.wants for pair in offer.made_from if pair[1] == w), None)
        if source is not None:
            findings.append(GradeComparison("falls_short", "made_from", kinds=source))
    if not findings:
        return GRADE_MISSING
    order = {"falls_short": 0, "boost": 1, "fits": 2}
    return min(findings, key=lambda f: order[f.level])
