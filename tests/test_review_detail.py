"""The match detail page: the state machine through the web, notes, and pairs made by hand."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.domain.errors import Conflict
from matchmaker.models import Suggestion
from matchmaker.services import review
from tests.conftest import login
from tests.review_support import Pair, add_listing, events, fresh, make_pair


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def test_illegal_transitions_answer_409_and_change_nothing(client, session, pair, coordinator):
    login(client, coordinator.email)
    client.get("/language/en")
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    for target in ("agreement", "no_deal", "in_dialogue", "suggested"):
        response = client.post(url, data={"to": target})
        assert response.status_code == 409, target
        assert "cannot become" in response.get_data(as_text=True)
    assert client.post(url, data={"to": "rejected", "note": "Feil kvalitet"}).status_code == 302
    before = fresh(session, Suggestion, pair.suggestion.id)
    response = client.post(url, data={"to": "introduced"})
    assert response.status_code == 409
    after = fresh(session, Suggestion, pair.suggestion.id)
    assert (after.status, after.updated_at, after.introduced_at) == (
        "rejected", before.updated_at, None)
    assert [e.to_status for e in events(session, pair.suggestion.id)] == ["rejected"]

    with pytest.raises(Conflict):  # the service refuses the same move for every caller
        review.transition(session, coordinator, pair.suggestion.id, "agreement")
    assert client.post(url, data={"to": "teleported"}).status_code == 422


def test_a_rejection_needs_a_reason(client, session, pair, coordinator):
    login(client, coordinator.email)
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    response = client.post(url, data={"to": "rejected", "note": "  "})
    assert response.status_code == 422
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"


def test_defer_reopen_and_outcome_with_volume(client, session, pair, coordinator):
    login(client, coordinator.email)
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    assert client.post(url, data={"to": "deferred", "note": "venter på pris"}).status_code == 302
    assert client.post(url, data={"to": "suggested"}).status_code == 302
    assert client.post(url, data={"to": "introduced"}).status_code == 302
    bad = client.post(url, data={"to": "agreement", "volume": "300"})  # no unit
    assert bad.status_code == 422
    assert client.post(url, data={"to": "agreement", "volume": "300", "unit": "m3",
                                  "note": "Avtale for 2027"}).status_code == 302
    s = fresh(session, Suggestion, pair.suggestion.id)
    assert (s.status, s.outcome_volume, s.outcome_unit, s.outcome_note) == (
        "agreement", 300.0, "m3", "Avtale for 2027")
    assert [(e.from_status, e.to_status) for e in events(session, s.id)] == [
        ("suggested", "deferred"), ("deferred", "suggested"), ("suggested", "introduced"),
        ("introduced", "agreement")]
    page = client.get(f"/coordinator/matches/{s.id}").get_data(as_text=True)
    assert "venter på pris" in page and "Avtale for 2027" in page


def test_notes_go_into_the_history(client, session, pair, coordinator):
    login(client, coordinator.email)
    assert client.post(f"/coordinator/matches/{pair.suggestion.id}/note",
                       data={"note": "Ringte Granli"}).status_code == 302
    assert client.post(f"/coordinator/matches/{pair.suggestion.id}/note",
                       data={"note": ""}).status_code == 422
    [event] = events(session, pair.suggestion.id)
    assert (event.action, event.note, event.from_status) == ("note", "Ringte Granli", None)
    assert "Ringte Granli" in client.get(
        f"/coordinator/matches/{pair.suggestion.id}").get_data(as_text=True)


def test_coordinator_pairs_two_listings_by_hand(client, session, pair, coordinator):
    steel_buyer = add_listing(session, pair.b, "need", "material", "Steel scrap")
    scrap = add_listing(session, pair.a, "offer", "material", "Skrapjern")
    login(client, coordinator.email)
    form = client.get("/coordinator/matches/new").get_data(as_text=True)
    assert "Skrapjern" in form and "Steel scrap" in form
    response = client.post("/coordinator/matches/new", data={
        "offer": scrap.id, "receiver": steel_buyer.id, "note": "Kjenner begge"})
    assert response.status_code == 302
    s = session.exec(select(Suggestion).where(Suggestion.origin == "manual")).one()
    assert (s.offer_listing_id, s.need_listing_id, s.status, s.pair_type) == (
        scrap.id, steel_buyer.id, "suggested", "supply")
    assert s.offer_signature and s.need_signature and 25 < s.distance_km < 40
    [event] = events(session, s.id)
    assert (event.action, event.to_status, event.note) == ("created", "suggested", "Kjenner begge")
    page = client.get(f"/coordinator/matches/{s.id}").get_data(as_text=True)
    assert "for hånd" in page

    again = client.post("/coordinator/matches/new", data={"offer": scrap.id,
                                                          "receiver": steel_buyer.id})
    assert again.location.endswith(f"/coordinator/matches/{s.id}")
    # Given the wrong way round, the service still orients supplier -> receiver.
    assert review.create_manual(session, coordinator, steel_buyer.id, scrap.id) == (s, False)
    same_company = add_listing(session, pair.a, "need", "material", "Stål")
    response = client.post("/coordinator/matches/new", data={"offer": scrap.id,
                                                             "receiver": same_company.id})
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert len(session.exec(select(Suggestion).where(Suggestion.origin == "manual")).all()) == 1

    # A hand-made match shows to the companies like any other.
    client.post("/logout")
    login(client, "b@vinger.example")
    assert "Skrapjern" in client.get("/partners").get_data(as_text=True)
