"""Passwords: the strength rule, change, reset by e-mail; the login cookie and session."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import select

from matchmaker.domain.passwords import Weakness, weakness
from matchmaker.extensions import limiter
from matchmaker.models import Company, OutboxMail, User
from matchmaker.services import accounts
from tests.conftest import PASSWORD, login
from tests.smtp_server import body
from tests.test_auth import REGISTRATION

NEW_PASSWORD = "bjørk-og-hyssing-42"
WEAK = ["password123", "1234567890", "Password123", "qwertyuiop"]


def user_by_email(session, email: str) -> User:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).one()


# --- the rule -------------------------------------------------------------------------------

@pytest.mark.parametrize("password", WEAK)
def test_common_passwords_are_refused(password):
    assert weakness(password) == Weakness.COMMON


def test_the_rule_refuses_short_and_own_details_and_accepts_a_passphrase():
    assert weakness("kort-pw") == Weakness.TOO_SHORT
    assert weakness("x" * 201) == Weakness.TOO_LONG
    assert weakness("aaaaaaaaaaaa") == Weakness.GUESSABLE
    own = ["per@solor-bio.example", "Per Hansen", "Solør Bioenergi AS"]
    assert weakness("Solør Bioenergi AS", own) == Weakness.GUESSABLE
    for good in ("et-langt-passord", PASSWORD, NEW_PASSWORD):
        assert weakness(good, own) is None


@pytest.mark.parametrize("password", ["password123", "1234567890"])
def test_registration_refuses_a_weak_password_as_a_field_error(client, session, password):
    response = client.post("/register", data={**REGISTRATION, "password": password,
                                               "password2": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dette er et av de vanligste passordene" in page  # Bokmål first
    assert session.exec(select(User)).first() is None
    assert session.exec(select(Company)).first() is None

    client.get("/language/en")
    page = client.post("/register", data={**REGISTRATION, "password": password,
                                          "password2": password}).get_data(as_text=True)
    assert "This is one of the most common passwords" in page
    assert session.exec(select(User)).first() is None


def test_the_service_refuses_a_weak_password_whatever_the_caller(session):
    company = Company(name="Svak AS", email="svak@example.no")
    with pytest.raises(accounts.WeakPassword) as caught:
        accounts.register_company(session, company=company, email="svak@example.no",
                                  password="password123")
    assert caught.value.problems == ["password: one of the most common passwords"]
    session.rollback()
    assert session.exec(select(User)).first() is None


def test_create_user_command_refuses_a_weak_password(runner, session):
    result = runner.invoke(args=["create-user", "--email", "k@cluster.example",
                                 "--password", "password123"])
    assert result.exit_code == 1
    assert "error: password: one of the most common passwords" in result.output
    assert session.exec(select(User)).first() is None


def test_admin_form_refuses_a_weak_initial_password(client, session):
    from matchmaker.domain.vocab import Role

    accounts.create_user(session, email="admin@example.no", password=PASSWORD, role=Role.ADMIN)
    login(client, "admin@example.no")
    response = client.post("/coordinator/users/new", data={
        "name": "Ny", "email": "ny@example.no", "password": "1234567890", "role": "coordinator"})
    assert response.status_code == 200
    assert "vanligste passordene" in response.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(User).where(User.email == "ny@example.no")).first() is None


# --- change -----------------------------------------------------------------------------------

def _change(client, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return client.post("/account/password", data={
        "current_password": current, "password": new, "password2": repeat or new})


def test_change_needs_a_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.location


def test_change_ends_the_other_sessions_and_keeps_this_one(app, session, two_companies, caplog):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "a@granli.example")
    login(elsewhere, "a@granli.example")
    assert elsewhere.get("/company").status_code == 200
    assert here.get("/account/password").status_code == 200

    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        response = _change(here)
    assert response.status_code == 302
    assert "Du er logget ut alle andre steder" in here.get(response.location,
                                                           follow_redirects=True).get_data(
        as_text=True)
    assert here.get("/company").status_code == 200  # still logged in here
    assert elsewhere.get("/company").status_code == 302  # logged out there
    assert '"what": "password changed"' in caplog.text
    assert NEW_PASSWORD not in caplog.text and PASSWORD not in caplog.text

    fresh = app.test_client()
    assert login(fresh, "a@granli.example", PASSWORD).status_code == 200  # old one refused
    assert login(fresh, "a@granli.example", NEW_PASSWORD).status_code == 302


def test_change_refuses_a_wrong_current_password_and_a_weak_new_one(client, session,
                                                                     two_companies):
    login(client, "a@granli.example")
    before = user_by_email(session, "a@granli.example")
    page = _change(client, current="not-my-password").get_data(as_text=True)
    assert "Feil passord." in page
    page = _change(client, new="password123").get_data(as_text=True)
    assert "vanligste passordene" in page
    page = _change(client, new="Granli Sag AS").get_data(as_text=True)  # the company's name
    assert "for lett å gjette" in page
    page = _change(client, repeat="something-else-entirely").get_data(as_text=True)
    assert "Passordene er ikke like" in page or "do not match" in page
    after = user_by_email(session, "a@granli.example")
    assert (after.password_hash, after.session_token) == (before.password_hash,
                                                         before.session_token)
    assert client.get("/company").status_code == 200


def test_change_renews_a_remember_me_cookie(app, session, two_companies):
    client = app.test_client()
    client.post("/login", data={"email": "a@granli.example", "password": PASSWORD,
                                "remember": "y"})
    old = client.get_cookie("remember_token").value
    _change(client)
    new = client.get_cookie("remember_token").value
    assert new != old
    user = user_by_email(session, "a@granli.example")
    assert new.startswith(f"{user.id}:{user.session_token}|")
    # Only the remember-me cookie left: it logs in with the new token, the old one does not.
    again = app.test_client()
    again.set_cookie("remember_token", new)
    assert again.get("/company").status_code == 200
    stale = app.test_client()
    stale.set_cookie("remember_token", old)
    assert stale.get("/company").status_code == 302


# --- reset ------------------------------------------------------------------------------------

def _reset_link(message) -> str:
    match = re.search(r"https://matchmaker\.example(/password/reset/\S+)", body(message))
    assert match, body(message)
    return match.group(1)


def test_reset_by_mail_end_to_end(app, client, session, smtp, two_companies, caplog):
    elsewhere = app.test_client()
    login(elsewhere, "a@granli.example")
    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        response = client.post("/password/forgot", data={"email": "A@Granli.example"})
    assert response.status_code == 302 and response.location.endswith("/login")
    smtp.wait_for(1)
    [message] = smtp.to("a@granli.example")
    assert message["Subject"] == "Velg nytt passord for Kongsvinger industriklynge"  # the user's language
    assert "60 minutter" in body(message)
    path = _reset_link(message)
    token = path.rsplit("/", 1)[1]

    page = client.get(path)
    assert page.status_code == 200 and "Velg nytt passord" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "same-origin"  # never to another site
    # the strength rule holds here too
    weak = client.post(path, data={"password": "1234567890", "password2": "1234567890"})
    assert weak.status_code == 200 and "vanligste passordene" in weak.get_data(as_text=True)

    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        done = client.post(path, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/login")
    assert elsewhere.get("/company").status_code == 302  # every session ended
    assert login(client, "a@granli.example", PASSWORD).status_code == 200
    assert login(client, "a@granli.example", NEW_PASSWORD).status_code == 302
    client.post("/logout")

    # single use: the link is dead now
    again = client.get(path)
    assert again.status_code == 400
    assert "Lenken er ikke lenger gyldig" in again.get_data(as_text=True)
    assert client.post(path, data={"password": "enda-et-nytt-passord",
                                   "password2": "enda-et-nytt-passord"}).status_code == 400
    assert login(client, "a@granli.example", NEW_PASSWORD).status_code == 302

    assert '"what": "password reset requested"' in caplog.text
    assert '"what": "password reset"' in caplog.text
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text


def test_reset_mail_in_the_users_language(client, session, smtp, two_companies):
    user = user_by_email(session, "b@vinger.example")
    user.language = "en"
    session.add(user)
    session.commit()
    client.post("/password/forgot", data={"email": "b@vinger.example"})
    smtp.wait_for(1)
    [message] = smtp.to("b@vinger.example")
    assert message["Subject"] == "Choose a new password for Kongsvinger industriklynge"
    assert "your account b@vinger.example at Kongsvinger industriklynge" in body(message)
    assert "works once, for 60 minutes" in body(message)


def test_the_outbox_keeps_no_working_reset_link_once_sent(client, session, smtp, two_companies):
    client.post("/password/forgot", data={"email": "b@vinger.example"})
    smtp.wait_for(1)
    token = _reset_link(smtp.to("b@vinger.example")[0]).rsplit("/", 1)[1]
    session.expire_all()
    stored = session.exec(select(OutboxMail).where(OutboxMail.to_address == "b@vinger.example")).one()
    assert stored.status == "sent" and token not in stored.body and "erased" in stored.body


def test_same_answer_for_a_known_and_an_unknown_address(app, session, smtp, two_companies):
    answers = []
    for email in ("a@granli.example", "nobody@granli.example"):
        client = app.test_client()
        response = client.post("/password/forgot", data={"email": email})
        followed = client.get(response.location)
        answers.append((response.status_code, response.location, followed.status_code,
                        followed.get_data(as_text=True)))
    assert answers[0] == answers[1]
    assert "Hvis en konto bruker denne adressen" in answers[0][3]
    smtp.wait_for(1)
    time.sleep(0.2)
    assert [m["To"] for m in smtp.messages] == ["a@granli.example"]
    session.expire_all()
    assert [m.to_address for m in session.exec(select(OutboxMail))] == ["a@granli.example"]


def test_no_reset_mail_for_an_inactive_account(client, session, smtp, two_companies):
    user = user_by_email(session, "a@granli.example")
    user.active = False
    session.add(user)
    session.commit()
    assert client.post("/password/forgot", data={"email": "a@granli.example"}).status_code == 302
    session.expire_all()
    assert session.exec(select(OutboxMail)).first() is None


def test_an_expired_or_forged_link_is_refused(app, client, session, two_companies,
                                              monkeypatch):
    user = user_by_email(session, "a@granli.example")
    secret = app.config["SECRET_KEY"]
    valid = accounts.password_reset_token(user, secret)
    an_hour_ago = int(time.time()) - int(accounts.PASSWORD_RESET_MAX_AGE.total_seconds()) - 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: an_hour_ago)
    expired = accounts.password_reset_token(user, secret)
    monkeypatch.undo()

    assert client.get(f"/password/reset/{valid}").status_code == 200
    assert accounts.user_for_reset_token(session, expired, secret) is None
    assert client.get(f"/password/reset/{expired}").status_code == 400
    response = client.post(f"/password/reset/{expired}", data={
        "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 400
    forged = accounts.password_reset_token(user, "another-secret-key-0123456789")
    assert client.get(f"/password/reset/{forged}").status_code == 400
    assert client.get(f"/password/reset/{valid[:-2]}xx").status_code == 400
    assert client.get("/password/reset/garbage").status_code == 400
    assert user_by_email(session, "a@granli.example").password_hash == user.password_hash


def test_a_password_change_kills_an_unused_reset_link(app, client, session, two_companies):
    user = user_by_email(session, "a@granli.example")
    token = accounts.password_reset_token(user, app.config["SECRET_KEY"])
    login(client, "a@granli.example")
    _change(client)
    client.post("/logout")
    assert client.get(f"/password/reset/{token}").status_code == 400


def test_forgot_password_is_rate_limited(database_url, two_companies):
    from matchmaker import create_app

    app = create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.get("/login")  # the limiter opens its storage on the first request
    limiter.reset()
    statuses = [client.post("/password/forgot", data={"email": "nobody@example.no"}).status_code
                for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    limiter.reset()


# --- login cookie and session ---------------------------------------------------------------

def test_remember_me_cookie_is_lax_httponly_and_shorter_than_a_year(client, two_companies):
    response = client.post("/login", data={"email": "a@granli.example", "password": PASSWORD,
                                           "remember": "y"})
    [header] = [h for h in response.headers.getlist("Set-Cookie")
                if h.startswith("remember_token=")]
    morsel = SimpleCookie(header)["remember_token"]
    assert morsel["samesite"] == "Lax"
    assert morsel["httponly"]
    expires = datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    lifetime = expires - datetime.now(UTC)
    assert timedelta(days=1) < lifetime < timedelta(days=365)


def test_login_starts_a_fresh_session(client, two_companies):
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by someone else"
        s["lang"] = "en"
    assert login(client, "a@granli.example").status_code == 302
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s["lang"] == "nb"  # the account's language, not the visitor's
        assert "_user_id" in s


def test_registration_starts_a_fresh_session(client, session):
    client.get("/register")
    with client.session_transaction() as s:
        s["planted"] = "x"
    assert client.post("/register", data=REGISTRATION).status_code == 302
    with client.session_transaction() as s:
        assert "planted" not in s and "_user_id" in s


def test_get_language_changes_nothing_in_the_database(app, client, session, two_companies, statements):
    login(client, "a@granli.example")
    before = user_by_email(session, "a@granli.example").model_dump()
    statements.clear()
    response = client.get("/language/en?next=/company")
    writes = [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "PRAGMA", "SHOW", "SET"))]
    assert response.status_code == 302
    assert writes == []
    assert user_by_email(session, "a@granli.example").model_dump() == before
    assert "Our listings" in client.get("/company").get_data(as_text=True)  # session changed


def test_the_language_form_keeps_the_choice_on_the_account(client, session, two_companies):
    login(client, "a@granli.example")
    page = client.get("/company").get_data(as_text=True)
    assert 'method="post" action="/language/en' in page  # logged in: a form, not a link
    assert client.post("/language/en?next=/company").status_code == 302
    assert user_by_email(session, "a@granli.example").language == "en"
