"""The quick start's promise, in a real Chromium: a company registers, logs in, adds a listing,
sees a suggested partner; the coordinator introduces the pair and the mail arrives over SMTP."""

import pytest

from tests.conftest import PASSWORD, make_company
from tests.e2e.conftest import chromium
from tests.smtp_server import SmtpServer, point_mail_at


@pytest.fixture
def smtp_server():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _fill(driver, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for name, value in values.items():
        element = driver.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def _click_and_wait(driver, button) -> None:
    """Click, then wait for the next page: the old page's <main> goes stale.

    Chromium may report a node of the page being replaced as "not belonging to the document"
    instead of stale: that, too, means the old page is gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old_main = driver.find_element(By.TAG_NAME, "main")
    button.click()

    def gone(_driver) -> bool:  # noqa: ANN001
        try:
            old_main.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(driver, 10).until(gone)


def _submit(driver) -> None:
    from selenium.webdriver.common.by import By

    _click_and_wait(driver, driver.find_element(By.CSS_SELECTOR,
                                                "main form button[type=submit]"))


def test_register_add_listing_get_introduced(app, live_server, browser, session, smtp_server):
    from selenium.webdriver.common.by import By

    point_mail_at(app, smtp_server.port)
    # A pellet plant is already a member and needs sawdust.
    buyer = make_company(session, "Vinger Pellets AS", "b@vinger.example", city="Kirkenær",
                         lat=60.46, lon=12.06)
    from sqlmodel import select

    from matchmaker.models import Listing, User
    from matchmaker.services.listings import create_listing

    buyer_user = session.exec(select(User).where(User.email == "b@vinger.example")).one()
    create_listing(session, buyer_user, {
        "direction": "need", "kind": "by-product", "title": "Sawdust for pellet production",
        "quantity": 500.0, "unit": "m3", "frequency": "year", "visibility": "public",
        "active": True}, app.extensions["matchmaker_matcher"])
    assert session.exec(select(Listing)).one().company_id == buyer

    # A sawmill registers in the browser (CSRF on, as for any user) and adds its sawdust.
    browser.get(live_server + "/register")
    _fill(browser, {"company_name": "Granli Sag AS", "postcode": "2210", "city": "Granli",
                    "name": "Torstein", "email": "post@granli.example",
                    "password": "et-langt-passord", "password2": "et-langt-passord"})
    _submit(browser)
    assert "/company/edit" in browser.current_url
    browser.get(live_server + "/listings/new?direction=offer")
    _fill(browser, {"kind": "by-product", "title": "Sagflis fra gran og furu",
                    "quantity": "400", "unit": "m3", "frequency": "year"})
    _submit(browser)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Sagflis fra gran og furu" in page
    assert "venter på koordinatorens godkjenning" in page  # a new member waits for approval
    assert "Vinger Pellets AS" not in page
    _click_and_wait(browser, browser.find_element(
        By.XPATH, "//form[contains(@action,'/logout')]//button"))

    # The coordinator approves the sawmill (its sawdust is matched at once), then introduces
    # the pair; both companies get mail.
    from matchmaker.domain.vocab import Role
    from matchmaker.services.accounts import create_user

    create_user(session, email="koordinator@example.no", password=PASSWORD,
                role=Role.COORDINATOR, name="Kari")
    browser.get(live_server + "/login")
    _fill(browser, {"email": "koordinator@example.no", "password": PASSWORD})
    _submit(browser)
    browser.get(live_server + "/coordinator/members")
    _click_and_wait(browser, browser.find_element(
        By.XPATH, "//form[contains(@action,'/approve')]//button"))
    browser.get(live_server + "/coordinator/matches")
    assert "Granli Sag AS" in browser.find_element(By.TAG_NAME, "main").text
    from matchmaker.models import Suggestion

    match_id = session.exec(select(Suggestion.id)).one()
    browser.get(f"{live_server}/coordinator/matches/{match_id}")
    _click_and_wait(browser, browser.find_element(
        By.XPATH, "//form[contains(@action,'/transition')][.//input[@value='introduced']]//button"))
    assert "Introdusert" in browser.find_element(By.TAG_NAME, "main").text
    smtp_server.wait_for(3)
    recipients = {to for message in smtp_server.messages for to in message["To"].split(", ")}
    assert {"post@granli.example", "b@vinger.example"} <= recipients
