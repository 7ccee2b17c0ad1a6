"""With a matching worker, web requests only record changes; the worker matches them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from matchmaker.models import Listing, ListingChange, Suggestion
from matchmaker.services.matcher import Matcher
from matchmaker.worker import feed, search_table
from matchmaker.worker.runner import Runner
from tests.conftest import PELLETS_NEED, SAWDUST, app_for, login, make_company, post_listing

UPDATING = {"nb": "Forslagene oppdateres", "en": "Suggestions are being updated"}


@pytest.fixture
def app(database_url):
    yield from app_for(database_url, MATCHMAKER_MATCHING="worker")


def _worker(app) -> Runner:
    """A worker's runner in this process: its own matcher, as `matchmaker worker` has."""
    web = app.extensions["matchmaker_matcher"]
    return Runner(app.extensions["matchmaker_engine"],
                  Matcher(web.settings, lambda: web.thesaurus, lambda: web.embedder))


def _suggestions(session: Session) -> list[Suggestion]:
    session.expire_all()
    return list(session.exec(select(Suggestion)))


def test_a_request_records_the_change_and_the_worker_matches_it(app, client, session):
    a = make_company(session, "Granli Sag AS", "a@granli.example")
    make_company(session, "Vinger Pellets AS", "b@vinger.example", city="Kirkenær", lat=60.46, lon=12.06)
    post_listing(client, "a@granli.example", SAWDUST)
    post_listing(client, "b@vinger.example", PELLETS_NEED)

    assert _suggestions(session) == []  # the requests answered without matching
    assert feed.company_pending(session, a) and feed.any_pending(session)
    assert app.extensions["matchmaker_matcher"]._index is None  # no index in a web process
    login(client, "a@granli.example")
    assert UPDATING["nb"] in client.get("/company").get_data(as_text=True)
    client.get("/language/en")
    assert UPDATING["en"] in client.get("/partners").get_data(as_text=True)

    assert _worker(app).run_pending() == 2
    [pair] = _suggestions(session)
    assert (pair.offer_company_id, pair.status) == (a, "suggested")
    assert not feed.any_pending(session)
    page = client.get("/partners").get_data(as_text=True)
    assert UPDATING["en"] not in page and "Vinger Pellets AS" in page
    assert _worker(app).run_pending() == 0  # a change is matched once


def test_the_coordinator_sees_that_matching_is_under_way(app, client, session, coordinator):
    make_company(session, "Granli Sag AS", "a@granli.example")
    post_listing(client, "a@granli.example", SAWDUST)
    login(client, "koordinator@example.no")
    assert UPDATING["nb"] in client.get("/coordinator/matches").get_data(as_text=True)
    _worker(app).run_pending()
    assert UPDATING["nb"] not in client.get("/coordinator/matches").get_data(as_text=True)


def test_inline_matching_marks_its_changes_matched(database_url, session):
    for inline in app_for(database_url):  # the suite's default: requests match themselves
        make_company(session, "Granli Sag AS", "a@granli.example")
        post_listing(inline.test_client(), "a@granli.example", SAWDUST)
        session.expire_all()
        changes = list(session.exec(select(ListingChange)))
        assert changes and all(c.matched_at is not None for c in changes)
        assert not feed.any_pending(session)


def test_directory_search_needs_no_index_in_a_web_process(app, client, session):
    """The same reading as the engine's search (tests/test_listings.py), from the search table
    the worker keeps; a listing is found once the worker has matched it."""
    make_company(session, "Granli Sag AS", "a@granli.example")
    make_company(session, "Vinger Pellets AS", "b@vinger.example")
    login(client, "a@granli.example")
    for title, visibility in (("Sagflis", "public"), ("Granbark fra barkemaskinen", "public"),
                              ("Hemmelig kutterflis", "coordinator")):
        assert client.post("/listings/new", data={**SAWDUST, "title": title,
                                                  "visibility": visibility}).status_code == 302
    client.post("/logout")
    login(client, "b@vinger.example")
    # the text as written is found at once; its reading ("sawdust" = sagflis) once matched
    assert "Granli Sag AS" in client.get("/directory?q=sagflis").get_data(as_text=True)
    assert "Granli Sag AS" not in client.get("/directory?q=sawdust").get_data(as_text=True)
    worker = _worker(app)
    worker.run_pending()
    for query in ("sawdust", "sagfliss", "bark", "spruce bark", "sagflis"):
        page = client.get(f"/directory?q={query}").get_data(as_text=True)
        assert "Granli Sag AS" in page, query
    for query in ("kutterflis", "steel"):
        assert "Granli Sag AS" not in client.get(f"/directory?q={query}").get_data(as_text=True)
    assert app.extensions["matchmaker_matcher"]._index is None

    # a deactivated listing leaves the search with its next match; a worker that starts
    # afresh finds the table as its index reads the listings
    sagflis = session.exec(select(Listing).where(Listing.title == "Sagflis")).one()
    client.post("/logout")
    login(client, "a@granli.example")
    assert client.post(f"/listings/{sagflis.id}/active", data={"active": "0"}).status_code == 302
    worker.run_pending()
    assert "Granli Sag AS" not in client.get("/directory?q=sawdust").get_data(as_text=True)
    fresh = _worker(app).matcher
    assert search_table.sync_all(session, fresh.current(session)) == 0


def test_a_queue_that_is_away_loses_no_change(database_url, session, caplog):
    """Redis down: the request still succeeds; the change waits in the feed for a worker's
    sweep (the queue only wakes)."""
    for app in app_for(database_url, MATCHMAKER_MATCHING="worker",
                       MATCHMAKER_QUEUE_URL="redis://127.0.0.1:1/0"):
        make_company(session, "Granli Sag AS", "a@granli.example")
        post_listing(app.test_client(), "a@granli.example", SAWDUST)
        assert "could not wake the matching workers" in caplog.text
        assert feed.any_pending(session)
        assert _worker(app).run_pending() == 1


def test_a_worker_that_writes_the_whole_search_table_rebuilds_its_trigram_table(app, client, session,
                                                                                monkeypatch):
    """A fresh registry's first sync writes every row: on SQLite the trigram table is rebuilt
    once instead of a trigger a row, and the search finds what it wrote; the trigger is back."""
    from sqlalchemy import text

    from matchmaker.services import text_index

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the trigram tables are SQLite's")
    make_company(session, "Granli Sag AS", "a@granli.example")
    post_listing(client, "a@granli.example", SAWDUST)
    monkeypatch.setattr(text_index, "BULK_MIN_ROWS", 1)
    session.execute(text("DELETE FROM listingsearch"))
    session.commit()
    fresh = _worker(app).matcher
    assert text_index.defers_triggers(session, 1, "listingsearch")
    assert search_table.sync_all(session, fresh.current(session)) == 1
    session.commit()
    count = session.connection().exec_driver_sql
    assert count("SELECT count(*) FROM listingsearch_fts_docsize").scalar() == 1
    assert count("SELECT count(*) FROM sqlite_master WHERE name = 'listingsearch_fts_insert'").scalar() == 1
    login(client, "a@granli.example")
    for query in ("sawdust", "sagfliss"):
        assert "Granli Sag AS" in client.get(f"/directory?q={query}").get_data(as_text=True), query


def test_a_server_process_makes_its_search_analyser_as_it_starts(database_url, monkeypatch):
    """Not in a member's first search (0.4-0.7 s, once per gunicorn worker)."""
    import gc

    from matchmaker import serving_app

    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", database_url)
    monkeypatch.setenv("MATCHMAKER_MATCHING", "worker")
    monkeypatch.setenv("MATCHMAKER_SEMANTIC", "off")
    try:
        matcher = serving_app().extensions["matchmaker_matcher"]
    finally:
        gc.unfreeze()
    assert matcher._analyser is not None and matcher._index is None
