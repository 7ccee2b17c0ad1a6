"""Pages that fit on a screen, in a real Chromium: the queue's select-all, and no sideways
scrolling at 390 px even when a company writes one very long word."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_company
from tests.e2e.conftest import chromium
from tests.review_support import add_listing, add_suggestion

LONG_WORD = "Sagflisogbarkoggrotogkutterflisfraallesagbrukenesomliggerivinger" * 2


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture
def cluster(session, coordinator):
    a = make_company(session, f"Granli {LONG_WORD} AS", "a@granli.example",
                     description=f"Se https://example.no/{LONG_WORD}")
    b = make_company(session, "Vinger Pellets AS", "b@vinger.example")
    offer = add_listing(session, a, "offer", "by-product", f"Sagflis {LONG_WORD}",
                        description=LONG_WORD)
    for title in ("Sawdust for pellets", "Flis til fyring", "Bark til jord"):
        add_suggestion(session, offer, add_listing(session, b, "need", "by-product", title))
    return a, b


def _login(driver, base: str, email: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url)


def test_select_all_ticks_every_match_on_the_page(browser, live_server, cluster):
    from selenium.webdriver.common.by import By

    _login(browser, live_server, "koordinator@example.no")
    browser.get(live_server + "/coordinator/matches")
    everything = browser.find_element(By.CSS_SELECTOR, "input[data-select-all=ids]")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=ids]")
    assert len(boxes) == 3 and not any(box.is_selected() for box in boxes)
    everything.click()
    assert all(box.is_selected() for box in boxes)
    boxes[0].click()
    assert not everything.is_selected()
    assert browser.execute_script("return arguments[0].indeterminate", everything)
    boxes[0].click()
    assert everything.is_selected()


def test_no_page_scrolls_sideways_on_a_phone_even_with_a_very_long_word(browser, live_server,
                                                                        cluster):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    a, _b = cluster
    wide = """const d = document.documentElement, m = document.querySelector('main');
              return [d.scrollWidth - d.clientWidth, m.scrollWidth - m.clientWidth];"""
    for email, paths in (
            ("b@vinger.example", ("/partners", "/directory", f"/companies/{a}")),
            ("koordinator@example.no", ("/coordinator/", "/coordinator/matches", "/directory"))):
        browser.delete_all_cookies()
        _login(browser, live_server, email)
        for path in paths:
            browser.get(live_server + path)
            assert LONG_WORD[:40] in browser.page_source, path
            assert browser.execute_script(wide) == [0, 0], path
