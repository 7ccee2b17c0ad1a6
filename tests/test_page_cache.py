"""Kept pages (`matchmaker.page_cache`): a page seen again is not rendered again while the
database is unchanged; any committed write, from a request or from outside the web process,
shows on the next view; each user gets their own pages, with their own session's CSRF token
and their flashed messages."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import update

from matchmaker.config import ConfigError
from matchmaker.models import Company
from tests.conftest import PASSWORD, app_for, login
from tests.review_support import Pair, make_pair

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def _without_tokens(page: bytes) -> bytes:
    return TOKEN.sub("", page.decode()).encode()


def test_a_page_seen_again_is_served_without_rendering_it_again(client, pair, statements):
    login(client, "a@granli.example")
    first = client.get("/partners")
    rendering = len(statements)
    statements.clear()
    again = client.get("/partners")
    assert again.status_code == 200 and _without_tokens(again.data) == _without_tokens(first.data)
    # nothing: the generation is asked on a connection of its own, and the signed session's
    # login was checked when the page was kept, under the same generation
    assert statements == [] and rendering > 5


def test_a_write_from_a_request_shows_on_the_next_view(client, pair):
    login(client, "a@granli.example")
    assert "Sagflis" in client.get(f"/listings/{pair.offer.id}").get_data(as_text=True)
    form = {"direction": "offer", "kind": "by-product", "title": "Kutterflis fra gran",
            "quantity": "400", "unit": "m3", "frequency": "year", "visibility": "public",
            "active": "y"}
    assert client.post(f"/listings/{pair.offer.id}/edit", data=form).status_code == 302
    for _ in range(2):  # with the "saved" message, then without it
        assert "Kutterflis fra gran" in client.get(f"/listings/{pair.offer.id}").get_data(as_text=True)


def test_a_write_from_outside_the_web_process_shows_on_the_next_view(client, pair, session):
    """A worker, the CLI or another server commits through its own connection."""
    login(client, "a@granli.example")
    assert "Granli Sag AS" in client.get("/company").get_data(as_text=True)
    session.execute(update(Company).where(Company.id == pair.a).values(name="Granli Sagbruk AS"))
    session.commit()
    assert "Granli Sagbruk AS" in client.get("/company").get_data(as_text=True)


def test_a_server_with_threads_sees_a_write_in_every_thread(client, pair, session):
    """A threaded server (the browser tests' own) serves one user from several threads."""
    login(client, "a@granli.example")

    def company_page() -> str:
        seen: list[str] = []
        thread = threading.Thread(target=lambda: seen.append(client.get("/company").get_data(as_text=True)))
        thread.start()
        thread.join()
        return seen[0]

    assert "Granli Sag AS" in company_page()
    session.execute(update(Company).where(Company.id == pair.a).values(name="Granli Sagbruk AS"))
    session.commit()
    assert "Granli Sagbruk AS" in company_page()


def test_each_user_is_served_their_own_page(app, two_companies):
    granli, vinger = app.test_client(), app.test_client()
    login(granli, "a@granli.example")
    login(vinger, "b@vinger.example")
    assert "Granli Sag AS" in granli.get("/company").get_data(as_text=True)
    page = vinger.get("/company").get_data(as_text=True)
    assert "Vinger Pellets AS" in page and "Granli Sag AS" not in page
    granli.post("/logout")
    assert granli.get("/company").status_code == 302  # to the login, not the kept page


def test_a_login_that_ended_elsewhere_is_not_served_its_kept_page(app, two_companies):
    desk, phone = app.test_client(), app.test_client()
    login(desk, "a@granli.example")
    login(phone, "a@granli.example")
    assert "Granli Sag AS" in desk.get("/company").get_data(as_text=True)  # kept
    new_password = "et-helt-nytt-passord-2026"
    assert phone.post("/account/password", data={
        "current_password": PASSWORD, "password": new_password,
        "password2": new_password}).status_code == 302  # ends every other login of the account
    assert desk.get("/company").status_code == 302  # to the login page


def test_a_remembered_login_without_its_session_is_not_served_a_visitors_page(app, two_companies):
    visitor, returning = app.test_client(), app.test_client()
    returning.post("/login", data={"email": "a@granli.example", "password": PASSWORD,
                                   "remember": "y"})
    returning.delete_cookie("session")  # the browser was closed: only the remember-me cookie
    assert returning.get_cookie("remember_token") is not None
    assert visitor.get("/").status_code == 200  # the landing page, kept for visitors
    answer = returning.get("/")
    assert answer.status_code == 302 and "/company" in answer.headers["Location"]


def test_a_flashed_message_is_shown_once_even_on_a_kept_page(client, pair):
    login(client, "a@granli.example")
    client.get("/partners")  # kept
    # an answer that does not validate: a message, a redirect, and nothing written
    client.post(f"/partners/{pair.suggestion.id}/answer", data={"answer": "maybe"})
    assert "Svaret kunne ikke lagres." in client.get("/partners").get_data(as_text=True)
    assert "Svaret kunne ikke lagres." not in client.get("/partners").get_data(as_text=True)


@pytest.fixture
def csrf_app(database_url: str):
    yield from app_for(database_url, WTF_CSRF_ENABLED=True)


def _login_with_token(client, email: str) -> None:
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302


def test_a_kept_page_carries_the_csrf_token_of_the_session_that_reads_it(csrf_app):
    from sqlmodel import Session

    from tests.conftest import make_company

    with Session(csrf_app.extensions["matchmaker_engine"]) as session:
        make_company(session, "Granli Sag AS", "a@granli.example")
    desk, phone = csrf_app.test_client(), csrf_app.test_client()  # one user, two sessions
    _login_with_token(desk, "a@granli.example")
    _login_with_token(phone, "a@granli.example")
    desk_page = desk.get("/company").get_data(as_text=True)
    phone_page = phone.get("/company").get_data(as_text=True)  # the kept page
    desk_token = TOKEN.search(desk_page).group(1)
    phone_token = TOKEN.search(phone_page).group(1)
    assert TOKEN.sub("", desk_page) == TOKEN.sub("", phone_page)
    assert desk_token != phone_token
    assert phone.post("/logout", data={"csrf_token": phone_token}).status_code == 302
    assert phone.get("/company").status_code == 302  # logged out: the token was accepted


def test_the_cache_can_be_turned_off(database_url):
    app = next(app_for(database_url, MATCHMAKER_PAGE_CACHE_ENTRIES="0"))
    assert "matchmaker_page_cache" not in app.extensions
    with pytest.raises(ConfigError, match="MATCHMAKER_PAGE_CACHE_ENTRIES"):
        next(app_for(database_url, MATCHMAKER_PAGE_CACHE_ENTRIES="-1"))
