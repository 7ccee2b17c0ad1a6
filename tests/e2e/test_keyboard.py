"""Keyboard use, in a real Chromium: a skip link first, a visible focus ring on every stop, and
Tab leads through the whole page and out again (no trap, the map included)."""

import pytest

from tests.conftest import PASSWORD, make_company
from tests.e2e.conftest import chromium


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _tab(driver) -> None:  # noqa: ANN001
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).send_keys(Keys.TAB).perform()


def _focused(driver) -> dict:  # noqa: ANN001
    return driver.execute_script("""
        const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
        return {tag: e.tagName, id: e.id, text: (e.textContent || e.name || '').trim().slice(0, 40),
                outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
                visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0};""")


def _tab_through(driver) -> list[dict]:  # noqa: ANN001
    """Every stop from the top of the page until focus leaves it (or 200 stops: a trap)."""
    driver.execute_script("document.activeElement && document.activeElement.blur();")
    stops = []
    for _ in range(200):
        _tab(driver)
        stop = _focused(driver)
        if stop["tag"] == "BODY" or (stops and stop == stops[0]):
            return stops
        stops.append(stop)
    raise AssertionError(f"focus never leaves the page: {stops[-5:]}")


def _focusable_count(driver) -> int:  # noqa: ANN001
    return driver.execute_script("""
        return [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
          .filter(e => e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden'
                       && e.getClientRects().length).length;""")


def test_the_skip_link_comes_first_and_leads_to_the_content(app, live_server, browser):
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server + "/login")
    _tab(browser)
    first = _focused(browser)
    assert first["visible"] and first["text"] in ("Hopp til innholdet", "Skip to content")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert _focused(browser)["id"] == "main"
    _tab(browser)
    assert browser.execute_script("return document.querySelector('main').contains("
                                  "document.activeElement);")


def test_every_stop_shows_focus_and_tab_reaches_the_end(app, live_server, browser):
    browser.get(live_server + "/register")
    stops = _tab_through(browser)
    assert len(stops) == _focusable_count(browser)
    assert [s for s in stops if s["outline"] < 2] == []


def test_the_map_is_no_keyboard_trap(app, live_server, browser, session):
    make_company(session, "Granli Sag AS", "a@granli.example")
    browser.get(live_server + "/login")
    browser.find_element("name", "email").send_keys("a@granli.example")
    browser.find_element("name", "password").send_keys(PASSWORD)
    browser.find_element("css selector", "main form button[type=submit]").click()
    browser.get(live_server + "/map")
    stops = _tab_through(browser)
    assert len(stops) >= _focusable_count(browser) - 1  # a marker may sit under a cluster
    assert [s for s in stops if s["outline"] < 2] == []
