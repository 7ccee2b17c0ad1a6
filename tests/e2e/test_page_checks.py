"""The browser checks of the journeys fail where they should: on a made-up page with an
unlabelled field and faint text, one too wide for a phone, and one many screens long."""

import pytest

from tests.e2e import page_checks as checks
from tests.e2e.conftest import chromium


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    yield driver
    driver.quit()


def _page(driver, body: str) -> None:  # noqa: ANN001
    from urllib.parse import quote

    driver.get("data:text/html;charset=utf-8," + quote(
        '<!doctype html><html lang="nb"><head><title>Prøve</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><main><h1>Prøve</h1>{body}</main></body></html>"))


def test_a_clean_page_passes_every_check(browser):
    _page(browser, '<label for="q">Søk</label><input id="q"><p>Kort side.</p>')
    assert checks.axe_violations(browser) == []
    assert checks.one_h1(browser) == []
    assert checks.horizontal_overflow(browser) == 0
    assert checks.screens(browser) <= checks.MAX_SCREENS_PHONE


def test_axe_finds_an_unlabelled_field_and_faint_text(browser):
    _page(browser, '<input name="q"><p style="color:#bbb;background:#fff">Nesten usynlig</p>')
    found = " ".join(checks.axe_violations(browser))
    assert "label" in found
    assert "color-contrast" in found


def test_a_wide_element_scrolls_sideways(browser):
    _page(browser, '<p>Langtord' + "x" * 200 + "</p>")
    assert checks.horizontal_overflow(browser) > 0


def test_a_long_page_counts_its_screens(browser):
    _page(browser, "<p>Linje</p>" * 400)
    assert checks.screens(browser) > checks.MAX_SCREENS_PHONE


def test_a_page_has_one_title_heading(browser):
    _page(browser, "<h1>Enda en tittel</h1>")
    assert checks.one_h1(browser) == ["2 <h1> elements (one expected)"]
    browser.execute_script("document.querySelectorAll('h1').forEach(h => h.remove());")
    assert checks.one_h1(browser) == ["0 <h1> elements (one expected)"]
    assert any("page-has-heading-one" in line for line in checks.axe_violations(browser))
