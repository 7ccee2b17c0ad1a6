"""What a finished page must not show in a real browser: sideways scrolling, more than a few
screens of length, and accessibility violations (axe-core). Raw codes and English left in the
Bokmål pages are found by tests/ui_text.py, which the Flask-client page walk shares."""

from __future__ import annotations

import json
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
