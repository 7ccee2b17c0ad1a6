"""The decision form in a real Chromium: choosing "reject" turns the button into a danger
button, the note into a required reason, and the browser asks before anything is closed."""

import pytest

from matchmaker.models import Suggestion
from tests.conftest import PASSWORD
from tests.e2e.conftest import chromium
from tests.e2e.test_browser import _fill, _submit
from tests.review_support import fresh, make_pair


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def test_reject_is_a_danger_action_that_asks_first(live_server, browser, session, two_companies,
                                                   coordinator):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    pair = make_pair(session, two_companies)
    browser.get(live_server + "/login")
    _fill(browser, {"email": "koordinator@example.no", "password": PASSWORD})
    _submit(browser)
    browser.get(f"{live_server}/coordinator/matches/{pair.suggestion.id}")
    button = browser.find_element(By.CSS_SELECTOR, "[data-decision-submit]")
    assert button.text == "Introduser bedriftene" and "primary" in button.get_attribute("class")

    browser.find_element(By.CSS_SELECTOR, "input[name=to][value=rejected]").click()
    assert button.text == "Avvis" and "danger" in button.get_attribute("class")
    note = browser.find_element(By.ID, "decision-note")
    assert note.get_attribute("required") is not None
    assert browser.find_element(By.CSS_SELECTOR, "label[for=decision-note]").text == \
        "Begrunnelse (påkrevd)"

    note.send_keys("Feil kvalitet")
    button.click()
    WebDriverWait(browser, 5).until(lambda driver: driver.switch_to.alert)
    browser.switch_to.alert.dismiss()  # changed my mind: nothing happens
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"

    old_main = browser.find_element(By.TAG_NAME, "main")
    button.click()
    WebDriverWait(browser, 5).until(lambda driver: driver.switch_to.alert)
    browser.switch_to.alert.accept()
    WebDriverWait(browser, 10).until(lambda driver: not _alive(old_main))
    assert fresh(session, Suggestion, pair.suggestion.id).status == "rejected"


def _alive(element) -> bool:  # noqa: ANN001
    try:
        element.is_enabled()
    except Exception:  # noqa: BLE001 -- stale or detached: the next page came
        return False
    return True

