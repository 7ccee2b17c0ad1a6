"""The raw-code detector the browser journeys use: codes found, prose left alone."""

import pytest

from tests.e2e.page_checks import raw_codes


@pytest.mark.parametrize(("text", "language", "code"), [
    ("Svar: not_relevant (wrong_quality)", "nb", "not_relevant"),
    ("Status: in_dialogue", "en", "in_dialogue"),
    ("400 pcs per year", "en", "pcs"),
    ("40 000 m3 per år", "nb", "m3"),
    ("text 0.39 · concept 0.91", "en", "text 0.39"),
    ("Sagflis (offer, material)", "en", "(offer, material)"),
    ("Tilbud ⇄ Tilbud", "nb", "Tilbud ⇄ Tilbud"),
    ("Type: by-product", "nb", "by-product"),
    ("offer: interested", "nb", "offer"),
    ("12 pallets", "nb", "pallets"),
])
def test_finds_raw_codes(text, language, code):
    assert code in raw_codes(text, language)


@pytest.mark.parametrize(("text", "language"), [
    ("Biprodukt / reststrøm · 40 000 m³ per år · Svar: Ikke relevant (feil kvalitet)", "nb"),
    ("By-product / residual stream · 12 pallets per year · Answer: Not relevant", "en"),
    ("Tilbud ⇄ Behov · 86 av 100 – sterk match", "nb"),
    ("Kontakt: kari_nordmann@granli.example, materialer og energiflis", "nb"),
])
def test_leaves_prose_alone(text, language):
    assert raw_codes(text, language) == []
