"""The partner page for companies: what they see (and may not), their answers and digests;
and a rejected pair that stays rejected through the real engine."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from matchmaker.models import Suggestion
from matchmaker.services import accounts
from matchmaker.services.matching import recompute_all
from tests.conftest import PELLETS_NEED, SAWDUST, login, make_company
from tests.review_support import (
    CONTACT_B,
    Pair,
    _exports,
    add_listing,
    add_suggestion,
    events,
    fresh,
    make_pair,
)


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def test_partner_page_shows_the_match_ranked_with_profile_listings_distance_and_reasons(
        client, session, pair):
    weaker_need = add_listing(session, pair.b, "need", "by-product", "Flis til fyring")
    add_suggestion(session, pair.offer, weaker_need, score=0.41, distance_km=None)
    login(client, "a@granli.example")
    page = client.get("/partners").get_data(as_text=True)
    assert "Vinger Pellets AS" in page and "Sawdust for pellets" in page
    assert "Sagflis fra gran" in page and "Kirkenær" in page
    assert "30 km" in page and "80" in page  # distance, score out of 100
    assert "‘sagflis’ = ‘sawdust’ (synonym)" in page  # reasons rendered in Bokmål
    assert page.index("Sawdust for pellets") < page.index("Flis til fyring")  # best first


def test_contact_details_stay_hidden_until_the_introduction_in_html_csv_and_json(
        client, session, pair):
    login(client, "a@granli.example")
    for text in _exports(client):
        assert "Vinger Pellets AS" in text
        for secret in CONTACT_B:
            assert secret not in text
    data = json.loads(client.get("/partners.json").get_data(as_text=True))
    [item] = data["suggestions"]
    assert item["partner"]["email"] is None and item["introduced"] is False
    [row] = list(csv.DictReader(io.StringIO(client.get("/partners.csv").get_data(as_text=True))))
    assert row["partner_email"] == "" and row["partner_company"] == "Vinger Pellets AS"

    pair.suggestion.status = "introduced"
    session.add(pair.suggestion)
    session.commit()
    for text in _exports(client):
        for secret in CONTACT_B:
            assert secret in text
    [item] = json.loads(client.get("/partners.json").get_data(as_text=True))["suggestions"]
    assert item["partner"]["phone"] == "+47 62 00 00 00"


def test_a_confidential_listing_hides_the_whole_suggestion_until_the_introduction(
        client, session, pair):
    pair.need.visibility = "coordinator"
    session.add(pair.need)
    session.commit()
    login(client, "a@granli.example")
    for text in _exports(client):
        assert "Vinger Pellets AS" not in text and "Sawdust for pellets" not in text
    assert client.post(f"/partners/{pair.suggestion.id}/answer",
                       data={"answer": "interested"}).status_code == 404
    client.post("/logout")

    login(client, "b@vinger.example")  # the owner of the confidential listing sees the match
    assert "Granli Sag AS" in client.get("/partners").get_data(as_text=True)
    client.post("/logout")

    pair.suggestion.status = "in_dialogue"
    session.add(pair.suggestion)
    session.commit()
    login(client, "a@granli.example")
    html, as_csv, as_json = _exports(client)
    for text in (html, as_csv, as_json):
        assert "Sawdust for pellets" in text and "b@vinger.example" in text


def test_rejected_suggestions_and_other_companies_matches_are_not_shown(client, session, pair):
    make_company(session, "Odal Stål AS", "c@odal.example")
    login(client, "c@odal.example")
    assert "Vinger Pellets AS" not in client.get("/partners").get_data(as_text=True)
    assert client.post(f"/partners/{pair.suggestion.id}/answer",
                       data={"answer": "interested"}).status_code == 404
    assert json.loads(client.get("/partners.json").get_data(as_text=True))["suggestions"] == []
    client.post("/logout")

    pair.suggestion.status = "rejected"
    session.add(pair.suggestion)
    session.commit()
    login(client, "a@granli.example")
    assert "Vinger Pellets AS" not in client.get("/partners").get_data(as_text=True)


def test_company_answers_are_saved_logged_and_visible_to_the_coordinator(
        client, session, pair, coordinator):
    login(client, "a@granli.example")
    assert client.post(f"/partners/{pair.suggestion.id}/answer",
                       data={"answer": "interested"}).status_code == 302
    client.post("/logout")
    login(client, "b@vinger.example")
    assert client.post(f"/partners/{pair.suggestion.id}/answer",
                       data={"answer": "not_relevant", "reason": "too_far"}).status_code == 302
    assert "Too far away" in client.get("/partners").get_data(as_text=True)  # B reads English
    client.post("/logout")

    s = fresh(session, Suggestion, pair.suggestion.id)
    assert (s.offer_answer, s.offer_answer_reason) == ("interested", None)
    assert (s.need_answer, s.need_answer_reason) == ("not_relevant", "too_far")
    assert s.status == "suggested"
    assert [e.action for e in events(session, s.id)] == ["answer", "answer"]

    login(client, coordinator.email)
    client.get("/language/en")
    page = client.get(f"/coordinator/matches/{s.id}").get_data(as_text=True)
    assert "Interested" in page and "Too far away" in page
    queue = client.get("/coordinator/matches?answers=any_not_relevant").get_data(as_text=True)
    assert f"#{s.id}" in queue
    queue = client.get("/coordinator/matches?answers=both_interested").get_data(as_text=True)
    assert f"#{s.id}" not in queue


def test_bad_answers_are_refused_and_answers_close_once_the_coordinator_decided(
        client, session, pair):
    login(client, "a@granli.example")
    client.get("/language/en")
    assert client.post(f"/partners/{pair.suggestion.id}/answer",
                       data={"answer": "maybe"}).status_code == 302  # form error, flashed
    assert fresh(session, Suggestion, pair.suggestion.id).offer_answer is None
    pair.suggestion.status = "introduced"
    session.add(pair.suggestion)
    session.commit()
    response = client.post(f"/partners/{pair.suggestion.id}/answer",
                           data={"answer": "not_relevant", "reason": "other"})
    assert response.status_code == 409
    assert "already decided" in response.get_data(as_text=True)
    assert fresh(session, Suggestion, pair.suggestion.id).offer_answer is None
    assert events(session, pair.suggestion.id) == []


def test_users_turn_digests_off_and_on(client, session, pair):
    login(client, "a@granli.example")
    client.post("/account/digest", data={})
    assert accounts.find_user_by_email(session, "a@granli.example").digest_enabled is False
    session.expire_all()
    client.post("/account/digest", data={"enabled": "y"})
    assert accounts.find_user_by_email(session, "a@granli.example").digest_enabled is True


# --- with the real engine ----------------------------------------------------------------------

def test_a_rejected_pair_does_not_come_back_after_a_full_recompute(app, client, session,
                                                                   two_companies, coordinator):
    for email, data in (("a@granli.example", SAWDUST),
                        ("b@vinger.example", PELLETS_NEED)):
        login(client, email)
        assert client.post("/listings/new", data=data).status_code == 302
        client.post("/logout")
    session.expire_all()
    [engine_pair] = session.exec(select(Suggestion)).all()

    login(client, coordinator.email)
    assert client.post(f"/coordinator/matches/{engine_pair.id}/transition", data={
        "to": "rejected", "note": "Granli selger allerede til Vinger"}).status_code == 302
    client.post("/logout")

    matcher = app.extensions["matchmaker_matcher"]
    for _ in range(2):
        report = recompute_all(session, matcher)
        assert report.created == 0 and report.reopened == 0
        session.expire_all()
        [after] = session.exec(select(Suggestion)).all()
        assert (after.id, after.status) == (engine_pair.id, "rejected")
    login(client, "a@granli.example")
    assert "Sawdust for pellets" not in client.get("/partners").get_data(as_text=True)

    # An edit that changes nothing material keeps it rejected; a new quantity reopens it.
    client.post(f"/listings/{engine_pair.offer_listing_id}/edit",
                data={**SAWDUST, "available_until": "2030-01-01"})
    recompute_all(session, matcher)
    session.expire_all()
    assert session.get(Suggestion, engine_pair.id).status == "rejected"
    client.post(f"/listings/{engine_pair.offer_listing_id}/edit",
                data={**SAWDUST, "quantity": "900"})
    session.expire_all()
    assert session.get(Suggestion, engine_pair.id).status == "suggested"
    assert "Sawdust for pellets" in client.get("/partners").get_data(as_text=True)
