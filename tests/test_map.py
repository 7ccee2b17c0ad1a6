"""The cluster map: who sees which companies and links, escaping, the CSP, tiles, the library."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.config import ConfigError, Settings, tile_origin
from matchmaker.domain.trades import trade_of
from matchmaker.security_headers import CONTENT_SECURITY_POLICY
from tests.conftest import login, make_company
from tests.review_support import add_listing, add_suggestion, make_pair

MAP_JS = Path(__file__).resolve().parent.parent / "matchmaker" / "static" / "map.js"
EVIL = '<script>alert("x")</script> & "Sag" AS'


def _csp(response) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1]
            for d in (p.strip() for p in response.headers["Content-Security-Policy"].split(";"))}


def _data(client, query: str = "") -> dict:
    response = client.get("/map/data.json" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def cluster(session, two_companies):
    """A (Granli, supplier) and B (Vinger, receiver), plus C → D the member A has nothing to do
    with, and E without a location. Links seen from A: the plain one and the introduced one."""
    pair = make_pair(session, two_companies)
    a, b = two_companies
    secret_need = add_listing(session, b, "need", "material", "Hemmelig behov",
                              visibility="coordinator")
    hidden = add_suggestion(session, pair.offer, secret_need)
    rejected_need = add_listing(session, b, "need", "by-product", "Avvist behov")
    rejected = add_suggestion(session, pair.offer, rejected_need, status="rejected")
    secret_intro_need = add_listing(session, b, "need", "energy", "Hemmelig, men introdusert",
                                    visibility="coordinator")
    introduced = add_suggestion(session, pair.offer, secret_intro_need, status="agreement")
    c = make_company(session, "Eidskog Støperi AS", "c@stoperi.example", city="Magnor",
                     municipality="Eidskog", lat=59.954, lon=12.21, nace_code="24.510")
    d = make_company(session, "Odal Biogass AS", "d@biogass.example", city="Skarnes",
                     municipality="Sør-Odal", lat=60.25, lon=11.68, nace_code="35.210")
    make_company(session, "Uten Sted AS", "e@usted.example", lat=None, lon=None)
    others = add_suggestion(session, add_listing(session, c, "offer", "energy", "Spillvarme"),
                            add_listing(session, d, "need", "energy", "Varme til råtnetank"))
    return {"a": a, "b": b, "c": c, "d": d, "plain": pair.suggestion.id, "hidden": hidden.id,
            "rejected": rejected.id, "introduced": introduced.id, "others": others.id}


# --- who sees what -----------------------------------------------------------------------------

def test_a_member_sees_the_directory_and_only_its_own_visible_links(client, cluster):
    login(client, "a@granli.example")
    data = _data(client)
    names = {c["name"] for c in data["companies"]}
    assert names == {"Granli Sag AS", "Vinger Pellets AS", "Eidskog Støperi AS", "Odal Biogass AS"}
    assert {link["id"] for link in data["links"]} == {cluster["plain"], cluster["introduced"]}
    own = [c for c in data["companies"] if c["own"]]
    assert [c["id"] for c in own] == [cluster["a"]]
    # profile fields only: no contact details, no listings of others
    assert set(data["companies"][0]) == {"id", "name", "city", "municipality", "industry", "trade",
                                         "lat", "lon", "own", "url"}
    text = client.get("/map/data.json").get_data(as_text=True)
    for secret in ("b@vinger.example", "+47", "Kontakt", "Hemmelig behov", "Avvist behov",
                   "Spillvarme"):
        assert secret not in text
    [plain] = [link for link in data["links"] if link["id"] == cluster["plain"]]
    assert plain["from_id"] == cluster["a"] and plain["to_id"] == cluster["b"]
    assert plain["url"] == f"/partners?show={cluster['plain']}#s{cluster['plain']}"
    assert plain["from_latlon"] == [60.19, 11.99] and plain["to_latlon"] == [60.46, 12.06]


def test_a_member_cannot_ask_for_rejected_links(client, cluster):
    login(client, "a@granli.example")
    assert (_data(client, "?f=1&status=rejected&status=suggested")["links"]
            == _data(client, "?f=1&status=suggested")["links"])
    assert cluster["rejected"] not in {
        link["id"] for link in _data(client, "?f=1&status=rejected")["links"]}
    page = client.get("/map").get_data(as_text=True)
    assert 'value="rejected"' not in page and 'value="suggested"' in page


def test_the_coordinator_sees_every_link_and_filters_by_status_and_kind(client, cluster,
                                                                         coordinator):
    login(client, coordinator.email)
    # by default the pairs people acted on; every other pair one filter away
    assert {link["id"] for link in _data(client)["links"]} == {cluster["introduced"]}
    data = _data(client, "?f=1" + "".join(f"&status={s}" for s in (
        "suggested", "deferred", "introduced", "in_dialogue", "agreement")) + "".join(
        f"&kind={k}" for k in ("material", "by-product", "capability", "service", "energy")))
    assert {link["id"] for link in data["links"]} == {
        cluster["plain"], cluster["hidden"], cluster["introduced"], cluster["others"]}
    assert len(data["companies"]) == 4  # the company without a location is not on the map
    assert all(link["url"] == f"/coordinator/matches/{link['id']}" for link in data["links"])
    rejected = _data(client, "?f=1&status=rejected&kind=by-product")["links"]
    assert [link["id"] for link in rejected] == [cluster["rejected"]]
    energy = _data(client, "?f=1&status=suggested&kind=energy")["links"]
    assert [link["id"] for link in energy] == [cluster["others"]]
    assert _data(client, "?f=1&kind=energy")["links"] == []  # no status ticked: no links
    agreed = _data(client, "?f=1&status=agreement&kind=by-product")["links"]
    assert [(link["id"], link["status"], link["kind"]) for link in agreed] == [
        (cluster["introduced"], "agreement", "by-product")]


def test_places_trades_and_an_empty_chain_list(client, cluster, coordinator):
    login(client, coordinator.email)
    data = _data(client)
    assert {p["name"] for p in data["places"]} == {"Kongsvinger", "Kirkenær", "Magnor", "Skarnes"}
    trades = {c["name"]: c["trade"] for c in data["companies"]}
    assert trades["Eidskog Støperi AS"] == "industry" and trades["Odal Biogass AS"] == "energy"
    assert trades["Granli Sag AS"] == "other"  # no NACE code given
    assert data["chains"] == []
    assert data["labels"]["status"]["agreement"] == "Avtale inngått"


@pytest.mark.parametrize(("code", "trade"), [
    ("16.100", "forestry_wood"), ("1610", "forestry_wood"), ("10.510", "food"),
    ("38.320", "recycling"), ("46.770", "recycling"), ("47.790", "services"),
    ("35.300", "energy"), ("08.120", "construction"), ("52.100", "transport"),
    ("01.130", "agriculture"), ("22.290", "industry"), ("", "other"), ("x1", "other"),
])
def test_trade_of_a_nace_code(code, trade):
    assert trade_of(code) == trade


def test_the_map_needs_a_login(client):
    assert client.get("/map").status_code == 302
    assert client.get("/map/data.json").status_code in (302, 401)


# --- escaping and the Content-Security-Policy --------------------------------------------------

def test_names_come_back_as_plain_json_strings_never_inlined_into_the_page(client, session,
                                                                          coordinator):
    make_company(session, EVIL, "evil@example.no", city='Kongs"vinger & <b>')
    login(client, coordinator.email)
    response = client.get("/map/data.json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    [company] = response.get_json()["companies"]
    assert company["name"] == EVIL and company["city"] == 'Kongs"vinger & <b>'
    page = client.get("/map").get_data(as_text=True)
    # the page carries no data at all (the cluster's name, in the title, may say "Kongsvinger")
    assert "alert" not in page and "Kongs\"vinger" not in page and "Kongs&#34;vinger" not in page


def test_map_js_builds_text_never_html():
    source = MAP_JS.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setAttribute(\"style"):
        assert sink not in source
    assert "textContent" in source
    # Leaflet treats a string given to bindPopup/bindTooltip/setContent as HTML: only nodes go in.
    for call in re.findall(r"(?:bindPopup|bindTooltip|setContent)\(([^)]*)", source):
        assert call.startswith(("node(", "companyPopup(", "linkPopup(")), call


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = attrs
            self.scripts.append((attrs, ""))
        if tag == "style" or "style" in attrs or any(a.startswith("on") for a in attrs):
            self.styles.append(tag)

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.scripts[-1] = (self.scripts[-1][0], data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def test_the_page_has_no_inline_script_or_style_and_loads_everything_from_self(client, cluster):
    login(client, "a@granli.example")
    response = client.get("/map")
    tags = _Tags()
    tags.feed(response.get_data(as_text=True))
    sources = [attrs.get("src") for attrs, _body in tags.scripts]
    assert all(body == "" for _attrs, body in tags.scripts)
    assert all(src and src.startswith("/") and not src.startswith("//") for src in sources)
    assert "/static/map.js" in sources
    assert any(src.startswith("/map/vendor/leaflet-") for src in sources)
    assert tags.styles == []
    assert _csp(response) == CONTENT_SECURITY_POLICY
    assert "Kart" in response.get_data(as_text=True)  # the nav link, in Bokmål
    for src in sources:
        assert client.get(src).status_code == 200


def test_the_library_is_served_by_the_app_with_long_caching(client):
    response = client.get("/map/vendor/leaflet-1.9.3/leaflet.js")
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get("/map/vendor/leaflet-1.9.3/images/layers.png").status_code == 200
    assert client.get("/map/vendor/markercluster-1.4.1/leaflet.markercluster.js").status_code == 200
    assert client.get("/map/vendor/leaflet-0.1/leaflet.js").status_code == 404
    assert client.get("/map/vendor/leaflet-1.9.3/../../../config.py").status_code == 404


# --- tiles -------------------------------------------------------------------------------------

def test_without_a_tile_url_there_are_no_tiles_and_the_policy_is_unchanged(client, cluster):
    login(client, "a@granli.example")
    assert _data(client)["tiles"] is None
    assert _csp(client.get("/map")) == CONTENT_SECURITY_POLICY


def test_a_tile_url_adds_its_origin_to_img_src_only(database_url, cluster):
    app = create_app({
        "MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
        "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MATCHMAKER_MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "MATCHMAKER_MAP_ATTRIBUTION": "© <Kartverket>",
    })
    try:
        client = app.test_client()
        login(client, "a@granli.example")
        csp = _csp(client.get("/map"))
        assert csp["img-src"] == "'self' data: https://*.tiles.example.org"
        assert {k: v for k, v in csp.items() if k != "img-src"} == {
            k: v for k, v in CONTENT_SECURITY_POLICY.items() if k != "img-src"}
        assert _data(client)["tiles"] == {"url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
                                          "attribution": "© <Kartverket>"}
    finally:
        app.extensions["matchmaker_engine"].dispose()


@pytest.mark.parametrize(("url", "origin"), [
    ("https://{s}.tile.example/{z}/{x}/{y}.png", "https://*.tile.example"),
    ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
    ("/tiles/{z}/{x}/{y}.png", ""),
])
def test_tile_origins(url, origin):
    assert tile_origin(url) == origin


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/{z}", "ftp://x/{z}",
                                 "https://evil.example;script-src *", "https://a{s}.x/{z}",
                                 "https://x' 'unsafe-inline/{z}"])
def test_a_tile_url_that_cannot_be_allowed_refuses_to_start(tmp_path, url):
    with pytest.raises(ConfigError):
        Settings.from_env({"MATCHMAKER_MAP_TILE_URL": url}, tmp_path).check()


def test_the_coordinators_open_projects_are_highlighted_as_chains(client, session, cluster,
                                                                  coordinator):
    from matchmaker.models import ClusterProject

    session.add(ClusterProject(title="Sagflis til varme", suggestion_ids=[cluster["plain"],
                                                                        cluster["others"]]))
    session.add(ClusterProject(title="Lagt bort", status="dropped", suggestion_ids=[cluster["hidden"]]))
    session.commit()
    login(client, coordinator.email)
    data = _data(client)
    assert data["chains"] == [[cluster["plain"], cluster["others"]]]
    # drawn although suggested pairs are not shown by default
    assert {cluster["plain"], cluster["others"]} <= {link["id"] for link in data["links"]}
    assert cluster["hidden"] not in {link["id"] for link in data["links"]}
    client.post("/logout")
    login(client, "a@granli.example")
    assert _data(client)["chains"] == []  # projects are the coordinator's
