"""Security headers on every response: pages, errors, static files; HSTS in production."""

import pytest

from matchmaker import create_app
from tests.conftest import login


def assert_protected(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "script-src 'self'",
                      "default-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/app.css",
                                  "/listings/99999999999999999999999"])
def test_every_response_has_the_security_headers(client, path):
    assert_protected(client.get(path))


def test_errors_and_the_coordinators_forms_have_them_too(client, two_companies, coordinator):
    login(client, "a@granli.example")
    assert_protected(client.get("/coordinator/matches"))  # 403
    client.post("/logout")
    login(client, "koordinator@example.no")
    assert_protected(client.get("/coordinator/matches"))
    assert_protected(client.get("/directory?q=bark%00"))  # 400


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/", base_url="https://localhost").headers


def test_hsts_in_production_over_https(database_url):
    app = create_app({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": database_url,
                      "MATCHMAKER_SECRET_KEY": "a-long-random-production-secret-0123"})
    client = app.test_client()
    hsts = client.get("/healthz", base_url="https://matchmaker.example").headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    behind_proxy = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind_proxy.headers
    assert_protected(behind_proxy)


def test_pages_carry_no_inline_script_or_style(client, two_companies):
    login(client, "a@granli.example")
    for path in ("/", "/company", "/listings/new", "/directory"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " onsubmit=" not in page and " style=" not in page


def test_behind_a_trusted_proxy_the_client_address_and_https_are_the_proxys_word(database_url):
    app = create_app({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": database_url,
                      "MATCHMAKER_SECRET_KEY": "a-long-random-production-secret-0123",
                      "MATCHMAKER_TRUSTED_PROXIES": "1"})

    @app.get("/_whoami")
    def whoami():
        from flask import request
        return {"address": request.remote_addr, "secure": request.is_secure}

    seen = app.test_client().get("/_whoami", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}).get_json()
    assert seen == {"address": "203.0.113.9", "secure": True}
