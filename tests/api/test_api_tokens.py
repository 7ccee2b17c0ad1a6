"""API tokens on the user's page: shown once, stored hashed, revocable, expiring; and how the
API authenticates with them (a token only: never a session cookie)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlmodel import select

from matchmaker.models import ApiToken
from matchmaker.models._time import utcnow
from matchmaker.services import api_tokens
from tests.api.api_support import bearer, is_problem, token_for
from tests.conftest import login

SECRET = re.compile(r"mm_[A-Za-z0-9_-]{43}")


def _create(client, name="Regneark", days="90"):
    return client.post("/account/api-tokens", data={"name": name, "expires_in_days": days})


def test_a_token_is_shown_once_and_stored_only_as_its_hash(client, session, two_companies):
    login(client, "a@granli.example")
    page = _create(client).get_data(as_text=True)
    secret = SECRET.search(page).group(0)
    token = session.exec(select(ApiToken)).one()
    assert token.token_hash == api_tokens.digest(secret) and secret not in token.token_hash
    assert token.name == "Regneark" and token.expires_at is not None
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Regneark" in listing and secret not in listing and secret[:8] in listing
    assert client.get("/api/v1/suggestions", headers=bearer(secret)).status_code == 200


def test_the_change_password_page_links_the_tokens_page(client, two_companies):
    login(client, "a@granli.example")
    assert "/account/api-tokens" in client.get("/account/password").get_data(as_text=True)


def test_a_token_without_a_name_is_refused(client, session, two_companies):
    login(client, "a@granli.example")
    response = _create(client, name="")
    assert response.status_code == 400 and not SECRET.search(response.get_data(as_text=True))
    assert session.exec(select(ApiToken)).first() is None


def test_revoking_a_token_ends_it(client, session, two_companies, caplog):
    secret = token_for(session, "a@granli.example")
    token_id = session.exec(select(ApiToken)).one().id
    login(client, "a@granli.example")
    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        assert client.post(f"/account/api-tokens/{token_id}/revoke").status_code == 302
    assert any("api token revoked" in r.getMessage() for r in caplog.records)
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert is_problem(client.get("/api/v1/suggestions", headers=bearer(secret)), 401)


def test_another_users_token_cannot_be_revoked(client, session, two_companies):
    secret = token_for(session, "a@granli.example")
    token_id = session.exec(select(ApiToken)).one().id
    login(client, "b@vinger.example")
    assert client.post(f"/account/api-tokens/{token_id}/revoke").status_code == 404
    assert client.get("/api/v1/suggestions", headers=bearer(secret)).status_code == 200


def test_creating_a_token_is_security_logged_without_the_secret(client, two_companies, caplog):
    login(client, "a@granli.example")
    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        secret = SECRET.search(_create(client).get_data(as_text=True)).group(0)
    lines = [r.getMessage() for r in caplog.records]
    assert any("api token created" in line for line in lines)
    assert all(secret not in line for line in lines)


def test_an_expired_token_is_refused(client, session, two_companies):
    secret = token_for(session, "a@granli.example", days=30)
    token = session.exec(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token)
    session.commit()
    assert is_problem(client.get("/api/v1/suggestions", headers=bearer(secret)), 401)


def test_using_a_token_records_when(client, session, two_companies):
    secret = token_for(session, "a@granli.example")
    client.get("/api/v1/suggestions", headers=bearer(secret))
    session.expire_all()
    assert session.exec(select(ApiToken)).one().last_used_at is not None


def test_no_token_a_wrong_one_or_another_scheme_is_401(client, session, two_companies):
    secret = token_for(session, "a@granli.example")
    for headers in ({}, bearer("mm_" + "x" * 43), bearer("not-a-token"),
                    {"Authorization": f"Basic {secret}"}):
        response = client.get("/api/v1/suggestions", headers=headers)
        assert is_problem(response, 401), headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_alone_is_not_enough(client, two_companies):
    login(client, "a@granli.example")
    assert client.get("/partners").status_code == 200  # logged in on the web
    assert is_problem(client.get("/api/v1/suggestions"), 401)
    assert is_problem(client.post("/api/v1/suggestions/1/answer", json={"answer": "interested"}), 401)


def test_a_deactivated_users_token_stops_working(client, session, two_companies):
    from matchmaker.services import accounts

    secret = token_for(session, "a@granli.example")
    user = accounts.find_user_by_email(session, "a@granli.example")
    user.active = False
    session.add(user)
    session.commit()
    assert is_problem(client.get("/api/v1/suggestions", headers=bearer(secret)), 401)
