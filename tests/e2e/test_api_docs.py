"""The API's docs page in a real browser: Swagger UI, served by the app under its CSP, renders
the generated OpenAPI 3.1 document with no console error (a CSP refusal would show there)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import chromium


def test_the_docs_page_renders_every_operation(live_server):
    driver = chromium(logging=True)
    try:
        driver.get(f"{live_server}/api/v1/docs")
        WebDriverWait(driver, 20).until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, ".opblock-summary-path")))
        paths = {e.text.replace("\u200b", "") for e in
                 driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert {"/api/v1/suggestions", "/api/v1/suggestions/{suggestion_id}",
                "/api/v1/suggestions/{suggestion_id}/answer"} <= paths
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
