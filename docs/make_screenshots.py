"""Screenshots of the main pages for the README, from the demo cluster in a real Chromium.

    python docs/make_screenshots.py        (needs Debian's chromium and chromium-driver)

Seeds the demo into a temporary SQLite database, recomputes the suggestions, serves the app on
a free local port and saves PNGs into docs/screenshots/.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from sqlmodel import Session, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from matchmaker import create_app  # noqa: E402
from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD  # noqa: E402
from matchmaker.db import upgrade  # noqa: E402
from matchmaker.models import Suggestion  # noqa: E402
from matchmaker.services.matching import recompute_all  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
COMPANY = "post@granli-sag.example"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"MATCHMAKER_DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3",
                          "MATCHMAKER_ENV": "development", "RATELIMIT_ENABLED": False})
        upgrade(app.extensions["matchmaker_engine"])
        result = app.test_cli_runner().invoke(args=["seed"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        with Session(app.extensions["matchmaker_engine"]) as session:
            recompute_all(session, app.extensions["matchmaker_matcher"])
            top = session.exec(select(Suggestion).order_by(Suggestion.score.desc())).first()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        options = webdriver.ChromeOptions()
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,1500", "--lang=nb"):
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium") or ""
        service = webdriver.ChromeService(shutil.which("chromedriver"))
        driver = webdriver.Chrome(service=service, options=options)
        try:
            OUT.mkdir(parents=True, exist_ok=True)
            driver.get(base + "/")
            driver.save_screenshot(str(OUT / "landing.png"))
            print("saved", OUT / "landing.png")
            for who, pages in ((COMPANY, {"company": "/company", "partners": "/partners",
                                          "notifications": "/notifications",
                                          "partners-phone": "/partners"}),
                               (DEMO_COORDINATOR, {"review-queue": "/coordinator/matches",
                                                   "match-detail": f"/coordinator/matches/{top.id}",
                                                   "directory-search": "/directory?q=sawdust",
                                                   "chains": "/coordinator/chains",
                                                   "map": "/map",
                                                   "impact": "/coordinator/impact"})):
                driver.get(base + "/login")
                driver.find_element(By.NAME, "email").send_keys(who)
                driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
                driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
                WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url)
                for name, path in pages.items():
                    # a window is never narrower than 500 px: the phone is emulated as a phone
                    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
                    if name.endswith("-phone"):
                        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
                    else:
                        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
                    driver.get(base + path)
                    if name == "map":  # drawn by map.js after it fetched the data
                        WebDriverWait(driver, 20).until(lambda d: d.find_elements(
                            By.CSS_SELECTOR, ".leaflet-marker-icon, .marker-cluster"))
                    driver.save_screenshot(str(OUT / f"{name}.png"))
                    print("saved", OUT / f"{name}.png")
                driver.delete_all_cookies()  # (logging out is a form post; a fresh session will do)
        finally:
            driver.quit()
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
