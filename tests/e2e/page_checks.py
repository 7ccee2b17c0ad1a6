"""What a finished page must not show in a real browser: raw codes in its visible text, sideways
scrolling, more than a few screens of length, and accessibility violations (axe-core).

The raw-code detector is plain text in, codes out, so a Flask-client page walk can share it."""

from __future__ import annotations

import json
import re
from pathlib import Path

# A page longer than this many viewport heights is a page to page, fold or split.
MAX_SCREENS_LAPTOP = 5
MAX_SCREENS_PHONE = 8

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA: the level the issue asks for.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# And from axe's best practices, what the keyboard and screen-reader use needs: one main
# landmark and all content in landmarks, a level-one heading, no skipped heading levels, no
# empty column header.
AXE_EXTRA_RULES = ("landmark-one-main", "landmark-unique", "region", "page-has-heading-one",
                   "heading-order", "empty-table-header")
# Every impact fails, minor included: the WCAG-tagged rules are few, and a page that passes
# them all is cheap to keep that way, while a "moderate" miss (e.g. a missing lang) is real.
AXE_FAILING_IMPACTS = frozenset({"minor", "moderate", "serious", "critical"})

# Codes that are never prose in either language: snake_case values (not_relevant, in_dialogue,
# wrong_quality, any_interested), unit codes where people write symbols or words (pcs, m3),
# the engine's score components with their raw numbers ("text 0.39 · concept 0.91"), a listing
# as (direction, kind) and a pair type written as one direction twice ("Tilbud ⇄ Tilbud").
_RAW_ANYWHERE = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b"
    r"|\b(?:pcs|m3|m2|lm3|fm3|kwh|mwh)\b"
    r"|\b(?:text|concept|distance|kind|quantity|semantic|grade) \d\.\d\d\b"
    r"|\((?:offer|need), [a-z-]+\)"
    r"|\b(\w+) ⇄ \1\b"
)
# The vocabularies' English values, raw in the Norwegian page (lower case: a label starts with
# a capital or is Norwegian).
_RAW_IN_NB = re.compile(
    r"\b(?:offer|need|by-product|capability|material|energy|interested|suggested|deferred"
    r"|rejected|introduced|agreement|answer|transition|pallets|per year|per month|per week"
    r"|continuous|once|coordinator|member|manual|engine|strong|weak)\b"
)
_EMAIL = re.compile(r"\S+@\S+")


def raw_codes(text: str, language: str) -> list[str]:
    """The raw codes in a page's visible text, in order, each once."""
    text = _EMAIL.sub(" ", text)  # an address may hold underscores
    found = [m.group(0) for m in _RAW_ANYWHERE.finditer(text)]
    if language == "nb":
        found += [m.group(0) for m in _RAW_IN_NB.finditer(text)]
    return list(dict.fromkeys(found))


def visible_text(driver) -> str:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def horizontal_overflow(driver) -> int:  # noqa: ANN001
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return int(driver.execute_script(
        "const e = document.documentElement; return Math.max(0, e.scrollWidth - e.clientWidth);"))


def screens(driver) -> float:  # noqa: ANN001
    """The page's length in viewport heights."""
    return float(driver.execute_script(
        "return document.documentElement.scrollHeight / window.innerHeight;"))


def _axe_source() -> str:
    """axe-core as the PyPI package selenium-axe-python ships it (MPL-2.0): no CDN, offline."""
    import selenium_axe_python

    return (Path(selenium_axe_python.__file__).parent / "axe-core" / "axe.min.js").read_text(
        encoding="utf-8")


def one_h1(driver) -> list[str]:  # noqa: ANN001
    """A page has one title heading: more than one leaves a screen reader guessing."""
    count = int(driver.execute_script("return document.querySelectorAll('h1').length;"))
    return [] if count == 1 else [f"{count} <h1> elements (one expected)"]


def axe_violations(driver) -> list[str]:  # noqa: ANN001
    """The page's WCAG 2.1 A/AA violations, one readable line per rule and element."""
    # WebDriver's scripts run outside the page's Content-Security-Policy.
    driver.execute_script(_axe_source())
    options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)},
               "rules": {rule: {"enabled": True} for rule in AXE_EXTRA_RULES},
               "resultTypes": ["violations"]}
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {json.dumps(options)}).then(done, e => done({{error: String(e)}}));")
    if "error" in result:
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return [f"{v['id']} ({v['impact']}): {' '.join(map(str, node['target']))} — "
            f"{node.get('failureSummary', '').splitlines()[-1].strip() if node.get('failureSummary') else ''}"
            for v in result["violations"] if v["impact"] in AXE_FAILING_IMPACTS
            for node in v["nodes"]]
