"""The three journeys of the issue in a real Chromium, on the demo cluster, in Norwegian and
English, on a laptop and a phone: a visitor registers a company, a demo company looks after its
profile, listings and partners, the coordinator reviews and introduces a pair.

Every page on the way is checked for raw codes in its text, sideways scrolling, a length of more
than a few screens and WCAG 2.1 AA violations (axe-core). The walks run once for the module
(one browser per viewport); each page and check is then its own test, so a failure names both."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlmodel import Session, SQLModel, select

from matchmaker import create_app
from tests.e2e import page_checks as checks
from tests.e2e.conftest import chromium
from tests.ui_text import page_problems

VIEWPORTS = {"laptop": (1280, 800, checks.MAX_SCREENS_LAPTOP),
             "phone": (390, 844, checks.MAX_SCREENS_PHONE)}
LANGUAGES = ("nb", "en")
PAGES = (
    # a visitor becomes a member
    "landing", "register", "registered", "login",
    # a demo company
    "company", "company-edit", "listing", "listing-new", "partners", "partner-company",
    "chains", "map", "directory",
    # the coordinator
    "coordinator", "queue", "match", "match-introduced", "manual-pair", "coordinator-chains",
    "impact", "audit",
)
CHECKS = ("raw-codes", "overflow", "length", "accessibility")

# Known failures on pages that other parts of the UI issue rework in parallel: LANG names the
# raw codes (units, score components, audit actions, "(offer, material)"), PAGES pages the long
# pages and keeps 390 px (long words, wide tables). The lead empties this set after the merge;
# strict, so a case that starts passing must leave it.
PENDING_UNTIL_UI_MERGE: set[tuple[str, str]] = set()

_MATCH_URL = re.compile(r"/coordinator/matches/(\d+)$")


@pytest.fixture(scope="module")
def demo_server(database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo cluster (`matchmaker seed`) served on a free port, CSRF on as for any user."""
    import threading

    from werkzeug.serving import make_server

    from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD
    from matchmaker.domain.vocab import Role
    from matchmaker.models import User

    app = create_app({
        "MATCHMAKER_ENV": "testing",
        "MATCHMAKER_DATABASE_URL": database_url,
        "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789",
        "RATELIMIT_ENABLED": False,
    })
    engine = app.extensions["matchmaker_engine"]
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        member = session.exec(select(User.email).where(User.role == Role.MEMBER.value)
                              .order_by(User.id)).first()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    logins = {"company": member, "coordinator": DEMO_COORDINATOR, "password": DEMO_PASSWORD}
    yield f"http://127.0.0.1:{server.server_port}", logins
    server.shutdown()
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


class Walk:
    """One browser on one viewport, walking the journeys and noting each page's problems."""

    def __init__(self, driver, base: str, viewport: str, problems: dict) -> None:  # noqa: ANN001
        self.driver, self.base, self.viewport, self.problems = driver, base, viewport, problems
        self.max_screens = VIEWPORTS[viewport][2]
        self.language = "nb"

    # -- moving about
    def go(self, path: str) -> None:
        self.driver.get(self.base + path)

    def main(self):  # noqa: ANN201
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.TAG_NAME, "main")

    def submit(self, button) -> None:  # noqa: ANN001
        """Click, then wait for the next page (see test_browser for the stale-node race)."""
        from tests.e2e.test_browser import _click_and_wait

        _click_and_wait(self.driver, button)

    def fill(self, values: dict[str, str]) -> None:
        from tests.e2e.test_browser import _fill

        _fill(self.driver, values)

    def log_in(self, email: str, password: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.delete_all_cookies()
        self.go("/login")
        self.fill({"email": email, "password": password})
        self.submit(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        assert "/login" not in self.driver.current_url, checks.visible_text(self.driver)
        self.set_language()

    def set_language(self) -> None:
        self.go(f"/language/{self.language}")

    def links(self, pattern: str) -> list[str]:
        from selenium.webdriver.common.by import By

        hrefs = (a.get_attribute("href") or "" for a in self.main().find_elements(By.TAG_NAME, "a"))
        return [href for href in hrefs if re.search(pattern, href.split("?")[0].split("#")[0])]

    def choose(self, action_part: str, value: str):  # noqa: ANN201
        """The submit button of the first form that posts to `action_part` and offers `value`:
        as a hidden field, the button's own value, a radio button or a select's option (those
        two are chosen first)."""
        from selenium.webdriver.common.by import By

        form = self.main().find_element(
            By.XPATH, f".//form[contains(@action,'{action_part}')][.//*[@value='{value}']]")
        own = form.find_elements(By.CSS_SELECTOR, f"button[value='{value}']")
        if own:
            return own[0]
        for choice in form.find_elements(By.CSS_SELECTOR, f"[value='{value}']"):
            if choice.tag_name == "option" or choice.get_attribute("type") == "radio":
                self.driver.execute_script(  # a styled radio may hide its own input
                    "arguments[0].selected = arguments[0].checked = true;", choice)
        return form.find_element(By.CSS_SELECTOR, "button[type=submit], button")

    # -- checking
    def check(self, page: str) -> None:
        assert page in PAGES, page
        where = f"{self.viewport}/{self.language} {page} ({self.driver.current_url})"
        lang = self.driver.find_element("css selector", "html").get_attribute("lang")
        assert lang == self.language, f"{where}: <html lang={lang!r}>"
        found = {
            "raw-codes": page_problems(self.driver.page_source, self.language),
            "overflow": [f"{px} px wider than the viewport"]
            if (px := checks.horizontal_overflow(self.driver)) else [],
            "length": [f"{n:.1f} screens (at most {self.max_screens})"]
            if (n := checks.screens(self.driver)) > self.max_screens else [],
            "accessibility": checks.one_h1(self.driver) + checks.axe_violations(self.driver),
        }
        for check, items in found.items():
            self.problems[(page, check)] += [f"{where}: {item}" for item in items]

    # -- the journeys
    def visitor_registers(self) -> None:
        from selenium.webdriver.common.by import By

        self.driver.delete_all_cookies()
        self.set_language()
        self.go("/")
        self.check("landing")
        self.go("/register")
        self.check("register")
        email = f"post@{self.viewport}-{self.language}.example"
        self.fill({"company_name": f"Nybygg {self.viewport} {self.language} AS", "postcode": "2212",
                   "city": "Kongsvinger", "name": "Ingrid Nybygg", "email": email,
                   "password": "et-langt-passord", "password2": "et-langt-passord"})
        self.submit(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        assert "/register" not in self.driver.current_url, checks.visible_text(self.driver)
        self.check("registered")
        self.driver.delete_all_cookies()
        self.set_language()
        self.go("/login")
        self.check("login")

    def company_looks_after_itself(self, email: str, password: str) -> None:
        self.log_in(email, password)
        self.go("/company")
        self.check("company")
        own_listings = self.links(r"/listings/\d+$")
        self.go("/company/edit")
        self.check("company-edit")
        assert own_listings, "the demo company has listings"
        self.driver.get(own_listings[0])
        self.check("listing")
        self.go("/listings/new?direction=offer")
        self.check("listing-new")
        self.go("/partners")
        self.submit(self.choose("/answer", "interested"))
        assert "/partners" in self.driver.current_url
        self.check("partners")
        self.go("/directory")
        self.check("directory")
        companies = self.links(r"/companies/\d+$")
        assert companies, "the directory links the members"
        self.driver.get(companies[0])
        self.check("partner-company")
        self.go("/chains")
        self.check("chains")
        self.go("/map")
        self.check("map")

    def coordinator_introduces(self, email: str, password: str) -> None:
        self.log_in(email, password)
        self.go("/coordinator/")
        self.check("coordinator")
        self.go("/coordinator/matches")
        self.check("queue")
        self.go("/coordinator/matches?status=suggested")
        candidates = self.links(_MATCH_URL.pattern)
        assert candidates, "the queue lists open matches"
        self.driver.get(candidates[0])
        self.check("match")
        self.submit(self.choose("/transition", "introduced"))
        assert _MATCH_URL.search(self.driver.current_url.split("#")[0].split("?")[0])
        introduced = {"nb": "Introdusert", "en": "Introduced"}[self.language]
        assert introduced in self.main().text
        self.check("match-introduced")
        self.go("/coordinator/matches/new")
        self.check("manual-pair")
        self.go("/coordinator/chains")
        self.check("coordinator-chains")
        self.go("/coordinator/impact")
        self.check("impact")
        self.go("/coordinator/audit")
        self.check("audit")


@pytest.fixture(scope="module")
def problems(demo_server) -> dict[tuple[str, str], list[str]]:  # noqa: ANN001
    """Every journey in both languages on both viewports: each (page, check)'s problems."""
    base, logins = demo_server
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for viewport, (width, height, _screens) in VIEWPORTS.items():
        driver = chromium("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        try:
            driver.set_script_timeout(60)
            # a window is never narrower than 500 px: the phone is emulated as a phone
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1,
                "mobile": viewport == "phone"})
            driver.get(base + "/login")
            assert driver.execute_script("return document.documentElement.clientWidth;") <= width
            walk = Walk(driver, base, viewport, found)
            for language in LANGUAGES:
                walk.language = language
                walk.visitor_registers()
                walk.company_looks_after_itself(logins["company"], logins["password"])
                walk.coordinator_introduces(logins["coordinator"], logins["password"])
        finally:
            driver.quit()
    return found


def _cases() -> Iterator:
    for page in PAGES:
        for check in CHECKS:
            marks = [pytest.mark.xfail(strict=True, reason="reworked by another part of the UI "
                                                           "issue; see PENDING_UNTIL_UI_MERGE")
                     ] if (page, check) in PENDING_UNTIL_UI_MERGE else []
            yield pytest.param(page, check, marks=marks, id=f"{page}-{check}")


@pytest.mark.parametrize(("page", "check"), list(_cases()))
def test_journey_page(problems, page: str, check: str) -> None:  # noqa: ANN001
    assert not problems[(page, check)], "\n".join(problems[(page, check)])


def test_pending_list_names_only_known_pages_and_checks() -> None:
    assert {page for page, _ in PENDING_UNTIL_UI_MERGE} <= set(PAGES)
    assert {check for _, check in PENDING_UNTIL_UI_MERGE} <= set(CHECKS)
