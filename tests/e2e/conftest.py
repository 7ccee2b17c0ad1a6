"""What every real-browser test shares: Chromium or a clear skip (never a skip in CI), the app
served on a free local port, and a headless Chromium started with the given extra flags."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1200,1600")


def pytest_collection_modifyitems(items) -> None:  # noqa: ANN001
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.environ.get("MATCHMAKER_REQUIRE_BROWSER"):  # CI installs Chromium: never skip there
        raise RuntimeError("MATCHMAKER_REQUIRE_BROWSER is set but Chromium/ChromeDriver are missing")
    skip = pytest.mark.skip(
        reason="needs Chromium and ChromeDriver (apt-get install chromium chromium-driver)")
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def chromium(*extra_flags: str, logging: bool = False):  # noqa: ANN201
    """A headless Chromium (the caller quits it)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for flag in (*HEADLESS_FLAGS, *extra_flags):
        options.add_argument(flag)
    if logging:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.binary_location = CHROMIUM or ""
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    return driver
