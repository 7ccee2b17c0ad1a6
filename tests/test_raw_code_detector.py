"""The raw-code detector the page walk and the browser journeys share (tests/ui_text.py): codes
found, prose and members' own words left alone."""

import pytest

from tests.ui_text import page_problems


@pytest.mark.parametrize(("html", "language", "code"), [
    ("<p>Svar: not_relevant (wrong_quality)</p>", "nb", "not_relevant"),
    ("<td>in_dialogue</td>", "en", "in_dialogue"),
    ("<li>400 pcs per year</li>", "en", "pcs"),
    ("<p>text 0.39 · concept 0.91</p>", "en", "text 0.39"),
    ("<option>Sagflis (offer, material)</option>", "en", "(offer, material)"),
    ("<span>Tilbud ⇄ Tilbud</span>", "nb", "Tilbud ⇄ Tilbud"),
    ("<td>by-product</td>", "nb", "by-product"),
    ("<td>offer: interested</td>", "nb", "offer: interested"),
    ("<button>Log in</button>", "nb", "Log in"),  # English left in the Bokmål page
])
def test_finds_raw_codes(html, language, code):
    assert any(code in problem for problem in page_problems(html, language))


@pytest.mark.parametrize(("html", "language"), [
    ("<p>Biprodukt / reststrøm · 40 000 m³ per år · Svar: Ikke relevant (feil kvalitet)</p>", "nb"),
    ("<p>By-product / residual stream · 12 pallets per year · Answer: Not relevant</p>", "en"),
    ("<p>Tilbud ⇄ Behov · 86 av 100 – sterk match</p>", "nb"),
    ("<p>Kontakt: kari_nordmann@granli.example, materialer og energiflis</p>", "nb"),
    ("<p>Add what you offer and need: other members’ listings appear once you are approved.</p>", "en"),
    # a member's own words, in whatever language they wrote them
    ("<h3>Low-grade sawn timber for pallets</h3><p>Storage space for pallets, 500 m2</p>", "nb"),
    ("<script>var status = 'not_relevant';</script><p>Forslag</p>", "nb"),
])
def test_leaves_prose_alone(html, language):
    assert page_problems(html, language) == []
