"""The profile form in a real Chromium: a postcode fills a blank place and municipality as the
member types it (app.js asks /postcode/<code>), and the coordinates wait folded away."""

import pytest
from sqlmodel import select

from matchmaker.models import Company
from tests.conftest import PASSWORD, make_company
from tests.e2e.conftest import chromium
from tests.e2e.test_browser import _fill, _submit


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def test_the_postcode_fills_place_and_municipality(live_server, browser, session):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    make_company(session, "Nystart AS", "post@nystart.example", city="", municipality="",
                 lat=None, lon=None)
    browser.get(live_server + "/login")
    _fill(browser, {"email": "post@nystart.example", "password": PASSWORD})
    _submit(browser)
    browser.get(live_server + "/company/edit")
    assert not browser.find_element(By.NAME, "lat").is_displayed()  # inside a closed <details>
    browser.find_element(By.NAME, "postcode").send_keys("2100")
    browser.find_element(By.NAME, "address").click()  # leaving the field is a change
    WebDriverWait(browser, 5).until(
        lambda driver: driver.find_element(By.NAME, "municipality").get_attribute("value"))
    assert browser.find_element(By.NAME, "city").get_attribute("value") == "Skarnes"
    assert browser.find_element(By.NAME, "municipality").get_attribute("value") == "Sør-Odal"
    _fill(browser, {"contact_person": "Nina"})
    _submit(browser)
    company = session.exec(select(Company).where(Company.name == "Nystart AS")).one()
    session.refresh(company)
    assert (company.city, company.municipality) == ("Skarnes", "Sør-Odal") and company.has_location
    assert "Skarnes, Sør-Odal, Innlandet" in browser.find_element(By.TAG_NAME, "main").text
