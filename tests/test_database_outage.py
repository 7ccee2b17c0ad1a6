"""A database that goes away answers 503 (a page, or JSON for JSON clients) and the service
recovers by itself when it is back: PostgreSQL behind a gate the test closes and opens."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from matchmaker import create_app
from tests.conftest import login
from tests.tcp_gate import TcpGate


@pytest.fixture
def gated_app(database_url, two_companies):
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        pytest.skip("the outage test runs against PostgreSQL (the production database)")
    gate = TcpGate((url.host or "127.0.0.1", url.port or 5432))
    gate.open()
    app = create_app({"MATCHMAKER_ENV": "testing", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "MATCHMAKER_DATABASE_URL": url.set(host="127.0.0.1", port=gate.port)
                      .render_as_string(hide_password=False)})
    yield app, gate
    gate.close()
    app.extensions["matchmaker_engine"].dispose()


def test_an_outage_answers_503_and_the_service_recovers_without_a_restart(gated_app):
    app, gate = gated_app
    client = app.test_client()
    login(client, "a@granli.example")
    assert client.get("/company").status_code == 200

    gate.close()  # the database goes away
    page = client.get("/company")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "10"
    assert "Ingenting ble lagret; prøv igjen om litt" in page.get_data(as_text=True)
    api = client.get("/partners.json", headers={"Accept": "application/json"})
    assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
    assert client.post("/listings/new", data={"direction": "offer", "kind": "by-product",
                                               "title": "Bark", "visibility": "public"}).status_code == 503

    gate.open()  # back again: the next requests just work
    assert client.get("/company").status_code == 200
    assert client.get("/partners.json").status_code == 200
