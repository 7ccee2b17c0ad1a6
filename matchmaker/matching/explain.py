"""Step 5 — explanation: render structured ``Reason``s as Norwegian Bokmål or English text.

Pure: one dict of templates per language, ``str.format`` with the reason's params. Concept
names come with the reason (``name_nb``/``name_en``, the first term of each language), so
rendering needs no thesaurus. Unknown codes fall back to the code itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from matchmaker.matching.records import ParamValue, Reason, Suggestion

LANGUAGES: tuple[str, ...] = ("nb", "en")

TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "nb": {
        "synonym": "‘{a}’ = ‘{b}’ (synonym)",
        "same_concept": "begge nevner ‘{term}’",
        "narrower": "‘{a}’ er en type ‘{b}’",
        "broader_concept": "‘{a}’ og ‘{b}’ er begge {name_nb}",
        "related_concept": "‘{a}’ henger sammen med ‘{b}’",
        "process_input": "{material_nb} er råstoff for {process_nb}",
        "fuzzy_text": "lignende tekst: ‘{a}’ ~ ‘{b}’ ({pct} %)",
        "shared_word": "begge bruker det uvanlige ordet ‘{word}’",
        "typo": "tolket ‘{from}’ som ‘{to}’",
        "distance": "{km} km unna",
        "distance_unknown": "avstand ukjent (mangler posisjon)",
        "quantity_cover": "dekker ca. {pct} % av behovet",
        "quantity_capacity": "utgjør ca. {pct} % av oppgitt kapasitet",
        "quantity_units": "mengder i ulike enheter ({a} / {b}) kan ikke sammenlignes",
        "quantity_unknown": "mengde ikke oppgitt",
        "kind": "type: {offer} → {need}",
        "concept_none": "ingen felles begreper",
        "concept_missing": "ingen kjente begreper i teksten",
        "semantic": "beskrivelsene ligner i innhold ({pct} %)",
        "grade_fits_temperature": "{offer} °C dekker behovet på {need} °C",
        "grade_boost_temperature": "{offer} °C er litt under behovet på {need} °C (varmepumpe kan løfte)",
        "grade_falls_short_temperature": "{offer} °C er for kaldt for behovet på {need} °C",
        "grade_fits_pressure": "{offer} bar dekker behovet på {need} bar",
        "grade_falls_short_pressure": "{offer} bar er under behovet på {need} bar",
        "grade_fits_purity": "renhet {offer} % dekker kravet på {need} %",
        "grade_falls_short_purity": "renheten er under kravet på {need} %",
        "grade_fits_food_grade": "leveres i næringsmiddelkvalitet, som behovet krever",
        "grade_falls_short_food_grade": "behovet krever næringsmiddelkvalitet; tilbudet er røykgass",
        "grade_fits_treatment": "ubehandlet, som behovet krever",
        "grade_falls_short_treatment": "behandlet materiale; behovet krever ubehandlet",
        "grade_fits_kind": "samme slag: {offer_nb}",
        "grade_falls_short_kind": "{offer_nb} er ikke {need_nb}",
        "grade_falls_short_feed_grade": "fôrkvalitet; behovet krever mat- eller maltekvalitet",
        "grade_falls_short_made_from": "{offer_nb} lages av {need_nb}: et produkt, ikke råvaren",
        "better_elsewhere": "partene passer i snitt bedre med andre (−{points} poeng)",
        "few_alternatives": "partene har få andre gode treff (+{points} poeng)",
        "unknown": "kan ikke vurderes: {what}",
    },
    "en": {
        "synonym": "‘{a}’ = ‘{b}’ (synonym)",
        "same_concept": "both mention ‘{term}’",
        "narrower": "‘{a}’ is a kind of ‘{b}’",
        "broader_concept": "‘{a}’ and ‘{b}’ are both {name_en}",
        "related_concept": "‘{a}’ is related to ‘{b}’",
        "process_input": "{material_en} is an input to {process_en}",
        "fuzzy_text": "similar wording: ‘{a}’ ~ ‘{b}’ ({pct} %)",
        "shared_word": "both use the uncommon word ‘{word}’",
        "typo": "read ‘{from}’ as ‘{to}’",
        "distance": "{km} km apart",
        "distance_unknown": "distance unknown (location missing)",
        "quantity_cover": "covers ~{pct} % of the stated need",
        "quantity_capacity": "fills ~{pct} % of the stated capacity",
        "quantity_units": "quantities in different units ({a} / {b}) cannot be compared",
        "quantity_unknown": "quantity not stated",
        "kind": "kind: {offer} → {need}",
        "concept_none": "no shared concepts",
        "concept_missing": "no known concepts in the text",
        "semantic": "the descriptions are close in meaning ({pct} %)",
        "grade_fits_temperature": "{offer} °C covers the {need} °C needed",
        "grade_boost_temperature": "{offer} °C is a little below the {need} °C needed (a heat pump helps)",
        "grade_falls_short_temperature": "{offer} °C is too cold for the {need} °C needed",
        "grade_fits_pressure": "{offer} bar covers the {need} bar needed",
        "grade_falls_short_pressure": "{offer} bar is below the {need} bar needed",
        "grade_fits_purity": "purity {offer} % meets the {need} % required",
        "grade_falls_short_purity": "the purity is below the {need} % required",
        "grade_fits_food_grade": "food grade, as the need requires",
        "grade_falls_short_food_grade": "the need requires food grade; the offer is flue gas",
        "grade_fits_treatment": "untreated, as the need requires",
        "grade_falls_short_treatment": "treated material; the need requires untreated",
        "grade_fits_kind": "the same kind: {offer_en}",
        "grade_falls_short_kind": "{offer_en} is not {need_en}",
        "grade_falls_short_feed_grade": "feed grade; the need asks for food or malting quality",
        "grade_falls_short_made_from": "{offer_en} is made from {need_en}: a product, not the raw material",
        "better_elsewhere": "on average, both match others better (−{points} points)",
        "few_alternatives": "both have few other good matches (+{points} points)",
        "unknown": "cannot be judged: {what}",
    },
}

#: what an "unknown" reason lists, as words
UNKNOWN_WORDS: Mapping[str, Mapping[str, str]] = {
    "nb": {"distance": "avstand (posisjon mangler)", "quantity": "mengde (enhetene kan ikke regnes om)"},
    "en": {"distance": "distance (location missing)", "quantity": "quantity (the units do not convert)"},
}

#: listing kinds as words, for the "kind" reason
KIND_WORDS: Mapping[str, Mapping[str, str]] = {
    "nb": {
        "material": "materiale",
        "by-product": "biprodukt",
        "capability": "kapasitet",
        "service": "tjeneste",
        "energy": "energi",
        "fuel": "brensel",
    },
    "en": {
        "material": "material",
        "by-product": "by-product",
        "capability": "capability",
        "service": "service",
        "energy": "energy",
        "fuel": "fuel",
    },
}


def _fmt(value: ParamValue) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def render(reason: Reason, lang: str = "nb") -> str:
    """One reason as text in ``lang`` ("nb" or "en"; anything else falls back to "nb")."""
    templates = TEMPLATES.get(lang, TEMPLATES["nb"])
    template = templates.get(reason.code)
    if template is None:
        return reason.code
    params = {k: _fmt(v) for k, v in reason.params.items()}
    if reason.code == "unknown":
        words = UNKNOWN_WORDS.get(lang, UNKNOWN_WORDS["nb"])
        params["what"] = ", ".join(words.get(w, w) for w in params.get("what", "").split(",") if w)
    if reason.code == "kind":
        words = KIND_WORDS.get(lang, KIND_WORDS["nb"])
        params["offer"] = words.get(params.get("offer", ""), params.get("offer", ""))
        params["need"] = words.get(params.get("need", ""), params.get("need", ""))
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return reason.code


def render_all(reasons: Iterable[Reason], lang: str = "nb") -> list[str]:
    return [render(r, lang) for r in reasons]


def explain(suggestion: Suggestion, lang: str = "nb") -> str:
    """All reasons of a suggestion as one line ("; "-separated)."""
    return "; ".join(render_all(suggestion.reasons, lang))
