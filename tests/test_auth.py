import re

import pytest
from sqlmodel import select

from matchmaker import create_app
from matchmaker.config import ConfigError
from matchmaker.extensions import limiter
from matchmaker.models import Company, User
from tests.conftest import PASSWORD, login

REGISTRATION = {
    "company_name": "Solør Bioenergi AS", "org_number": "974 760 673", "postcode": "2270",
    "city": "Flisa", "name": "Per Hansen", "email": "Per@Solor-Bio.example",
    "password": "et-langt-passord", "password2": "et-langt-passord", "language": "nb",
}


def test_register_creates_company_and_member_and_logs_in(client, session):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 302
    user = session.exec(select(User).where(User.email == "per@solor-bio.example")).one()
    company = session.get(Company, user.company_id)
    assert user.role == "member"
    assert company.name == "Solør Bioenergi AS"
    assert company.org_number == "974760673"
    assert company.has_location  # Flisa postcode/place from the offline gazetteer
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/company").status_code == 200


def test_register_rejects_bad_input_and_saves_nothing(client, session):
    bad = {**REGISTRATION, "org_number": "974760672", "password2": "something-else",
           "email": "not-an-email"}
    response = client.post("/register", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "organisasjonsnummer" in page.lower() or "organisation number" in page.lower()
    assert session.exec(select(Company)).first() is None
    assert session.exec(select(User)).first() is None


def test_registration_cannot_choose_a_role(client, session):
    client.post("/register", data={**REGISTRATION, "role": "admin"})
    assert session.exec(select(User)).one().role == "member"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_sign_up_form_keeps_the_language_the_visitor_reads(client, language):
    client.get(f"/language/{language}")
    page = client.get("/register").get_data(as_text=True)
    chosen = re.findall(r'<option ([^>]*)>', page)
    assert [o for o in chosen if "selected" in o and f'value="{language}"' in o]


def test_duplicate_email_is_a_field_error(client, two_companies):
    response = client.post("/register", data={**REGISTRATION, "email": "a@granli.example",
                                               "org_number": ""})
    assert response.status_code == 200
    assert "a@granli.example" in response.get_data(as_text=True)  # form re-shown


def test_login_wrong_password(client, two_companies):
    response = login(client, "a@granli.example", "wrong-password")
    assert response.status_code == 200
    assert client.get("/company").status_code == 302  # still anonymous


def test_logout_ends_the_session_even_for_a_copied_cookie(app, two_companies):
    client = app.test_client()
    assert login(client, "a@granli.example").status_code == 302
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert client.get("/company").status_code == 302
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/company").status_code == 302  # the old cookie no longer logs in


def test_member_cannot_open_coordinator_pages(client, two_companies):
    login(client, "a@granli.example")
    assert client.get("/coordinator/").status_code == 403
    assert client.get("/coordinator/users/new").status_code == 403


def test_coordinator_sees_overview_but_cannot_create_staff(client, coordinator):
    login(client, coordinator.email)
    assert client.get("/coordinator/").status_code == 200
    assert client.get("/coordinator/users/new").status_code == 403


def test_admin_creates_a_coordinator(client, session):
    from matchmaker.domain.vocab import Role
    from matchmaker.services import accounts

    accounts.create_user(session, email="admin@example.no", password=PASSWORD, role=Role.ADMIN)
    login(client, "admin@example.no")
    response = client.post("/coordinator/users/new", data={
        "name": "Ny Koordinator", "email": "ny@example.no", "password": "langt-passord-1",
        "role": "coordinator"})
    assert response.status_code == 302
    session.expire_all()
    assert session.exec(select(User).where(User.email == "ny@example.no")).one().role == (
        "coordinator")


def test_csrf_is_required_on_forms(database_url, two_companies):
    app = create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@granli.example", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/company").status_code == 302


def test_login_is_rate_limited(database_url, two_companies):
    app = create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.get("/login")  # the limiter opens its storage on the first request
    limiter.reset()
    statuses = [login(client, f"x{i}@granli.example", "wrong").status_code for i in range(21)]
    assert statuses[-1] == 429
    assert set(statuses[:20]) == {200}


def test_open_redirect_after_login_is_refused(client, two_companies):
    response = client.post("/login?next=https://evil.example/", data={
        "email": "a@granli.example", "password": PASSWORD})
    assert response.status_code == 302
    assert "evil.example" not in response.location


@pytest.mark.parametrize("secret", [None, "dev-only-not-secret", "short"])
def test_production_refuses_a_missing_or_default_secret(monkeypatch, secret):
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    config = {"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": "sqlite://"}
    if secret is not None:
        config["MATCHMAKER_SECRET_KEY"] = secret
    with pytest.raises(ConfigError):
        create_app(config)


def test_production_starts_with_a_real_secret():
    app = create_app({"MATCHMAKER_ENV": "production", "MATCHMAKER_DATABASE_URL": "sqlite://",
                      "MATCHMAKER_SECRET_KEY": "x" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] is True
