"""The cluster map in a real Chromium with no way out: every host but 127.0.0.1 goes to a dead
proxy or fails to resolve, and the performance log shows that no request even tried to leave."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, make_company
from tests.e2e.conftest import chromium
from tests.review_support import add_listing, add_suggestion

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Demo-like companies (from seed_data/demo_cluster.json): name, email, city, municipality,
# lat, lon, NACE code.
COMPANIES = [
    ("Granli Sag AS", "post@granli-sag.example", "Granli", "Kongsvinger", 60.187, 12.018, "16.100"),
    ("Vinger Pellets AS", "post@vinger-pellets.example", "Kirkenær", "Grue", 60.461, 12.06,
     "16.290"),
    ("Odal Biogass AS", "post@odal-biogass.example", "Skarnes", "Sør-Odal", 60.256, 11.68,
     "35.210"),
    ("Eidskog Støperi AS", "post@eidskog-stoperi.example", "Magnor", "Eidskog", 59.954, 12.21,
     "24.510"),
    ('<img src=x onerror=alert(1)> & "Meieri"', "post@meieri.example", "Flisa", "Åsnes", 60.61,
     12.01, "10.510"),
]


@pytest.fixture
def offline_browser():
    # the network is gone: names do not resolve, and whatever has an address goes to a proxy
    # that is not there (loopback bypasses proxies by default)
    driver = chromium("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                      "--proxy-server=http://127.0.0.1:9", logging=True)
    yield driver
    driver.quit()


@pytest.fixture
def demo_map(session):
    """Five companies and links in each drawn status, one company name trying to be HTML."""
    ids = [make_company(session, name, email, city=city, municipality=municipality, lat=lat,
                        lon=lon, nace_code=nace)
           for name, email, city, municipality, lat, lon, nace in COMPANIES]
    sawdust = add_listing(session, ids[0], "offer", "by-product", "Sagflis fra gran")
    for receiver, status in ((1, "suggested"), (2, "introduced"), (4, "agreement")):
        need = add_listing(session, ids[receiver], "need", "by-product", f"Sagflis ({status})")
        add_suggestion(session, sawdust, need, status=status)
    heat = add_listing(session, ids[3], "offer", "energy", "Spillvarme")
    add_suggestion(session, heat, add_listing(session, ids[2], "need", "energy", "Varme"))
    return ids


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_the_map_loads_offline_with_markers_and_nothing_leaves_127_0_0_1(
        app, live_server, offline_browser, session, coordinator, demo_map):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver = offline_browser
    driver.get(live_server + "/login")
    driver.find_element(By.NAME, "email").send_keys(coordinator.email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url)

    # every live status (the coordinator's default shows only the pairs people acted on)
    driver.get(live_server + "/map?f=1&status=suggested&status=introduced&status=agreement"
               + "".join(f"&kind={k}" for k in ("material", "by-product", "energy")))
    wait = WebDriverWait(driver, 15)
    wait.until(expected_conditions.visibility_of_element_located(
        (By.CSS_SELECTOR, ".leaflet-marker-icon")))
    markers = [m for m in driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon")
               if m.is_displayed()]
    assert markers
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "path.map-link")) == 4)
    assert driver.find_elements(By.CSS_SELECTOR, "path.map-link.status-agreement")
    assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip.map-place")  # place names
    assert not driver.find_elements(By.CSS_SELECTOR, ".leaflet-tile")  # no tiles configured
    assert driver.find_element(By.ID, "cluster-map-status").text == ""

    # the company whose name is HTML shows as text, and nothing ran
    assert not driver.find_elements(By.CSS_SELECTOR, "#cluster-map img[src=x]")
    evil = driver.find_element(By.CSS_SELECTOR, '.leaflet-marker-icon[title^="<img"]')
    driver.execute_script("arguments[0].click()", evil)
    popup = wait.until(expected_conditions.visibility_of_element_located(
        (By.CSS_SELECTOR, ".leaflet-popup-content")))
    assert COMPANIES[4][0] in popup.text
    assert popup.find_element(By.TAG_NAME, "a").get_attribute("href").startswith(
        live_server + "/companies/")

    urls = _requests(driver)
    assert any(urlsplit(url).path == "/map/data.json" for url in urls)
    outside = [url for url in urls if not url.startswith("data:")
               and urlsplit(url).hostname not in LOCAL_HOSTS]
    assert outside == []
    problems = [entry["message"] for entry in driver.get_log("browser")  # script errors, CSP
                if (entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"])
                or "Content Security Policy" in entry["message"]]
    assert problems == []


def test_a_member_sees_its_own_links_on_the_map(app, live_server, offline_browser, session,
                                                demo_map):
    """The receiving biogas plant sees its two links, not the sawmill's other ones."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = offline_browser
    driver.get(live_server + "/login")
    driver.find_element(By.NAME, "email").send_keys(COMPANIES[2][1])
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url)
    driver.get(live_server + "/map")
    WebDriverWait(driver, 15).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "path.map-link")) == 2)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon.own")) == 1
