"""The coordinator's decisions, the companies' outcome reports, a suggestion's history and notes,
and pairs made by hand, through /api/v1 for anonymous callers, company A (supplies), company B
(receives), a third company and the coordinator: the web's workflow, mails and privacy."""

from __future__ import annotations

import logging
import re

import pytest
from sqlmodel import select

from matchmaker import security_log
from matchmaker.models import Company, Suggestion
from tests.api.api_support import bearer, is_problem, token_for
from tests.conftest import make_company
from tests.review_support import CONTACT_B, add_listing, events, fresh
from tests.smtp_server import body as mail_body
from tests.test_security_log import security_lines

API = "/api/v1/suggestions"


def _set_status(session, suggestion: Suggestion, status: str) -> None:
    suggestion.status = status
    session.add(suggestion)
    session.commit()


@pytest.fixture
def third(session, pair):
    make_company(session, "Tredje AS", "c@tredje.example")
    return bearer(token_for(session, "c@tredje.example"))


def decide(client, tokens, sid: int, who: str = "coordinator", **body):
    return client.post(f"{API}/{sid}/decision", headers=tokens[who], json=body)


def test_anonymous_gets_401_everywhere(client, pair):
    sid = pair.suggestion.id
    for method, path in (("post", f"{API}/{sid}/decision"), ("post", f"{API}/{sid}/outcome"),
                         ("get", f"{API}/{sid}/events"), ("post", f"{API}/{sid}/notes"),
                         ("post", API)):
        assert is_problem(getattr(client, method)(path, json={}), 401), path


# --- decisions ---------------------------------------------------------------------------------

def test_introducing_mails_both_companies_and_shows_the_contact(client, session, smtp, pair,
                                                                tokens, coordinator):
    sid = pair.suggestion.id
    response = decide(client, tokens, sid, to="introduced", note="Snakk om sagflis!")
    assert response.status_code == 200
    item = response.get_json()
    assert (item["id"], item["status"], item["introduced"]) == (sid, "introduced", True)
    smtp.wait_for(3)
    [to_a] = smtp.to("a@granli.example")
    assert len(smtp.to("b@vinger.example")) == 1 and len(smtp.to(coordinator.email)) == 1
    assert "Snakk om sagflis!" in mail_body(to_a)
    assert all(secret in mail_body(to_a) for secret in CONTACT_B)
    [event] = events(session, sid)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "transition", "suggested", "introduced", coordinator.email)
    seen = client.get(f"{API}/{sid}", headers=tokens["a"]).get_json()
    assert seen["need"]["company"]["email"] == "b@vinger.example"


def test_defer_reject_and_reopen(client, session, pair, tokens, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    sid = pair.suggestion.id
    assert decide(client, tokens, sid, to="deferred").get_json()["status"] == "deferred"
    assert {"what": "decision", "suggestions": [sid], "to": "deferred",
            "user": "koordinator@example.no"}.items() <= security_lines(caplog)[-1].items()
    assert is_problem(decide(client, tokens, sid, to="rejected"), 422)  # a rejection needs a reason
    assert is_problem(decide(client, tokens, sid, to="rejected", note="   "), 422)
    assert decide(client, tokens, sid, to="rejected", note="For langt").get_json()["status"] == "rejected"
    assert fresh(session, Suggestion, sid).status == "rejected"
    assert decide(client, tokens, sid, to="suggested").get_json()["status"] == "suggested"


def test_withdrawing_an_introduction_needs_a_reason_and_hides_the_contact(client, session, pair,
                                                                          tokens):
    sid = pair.suggestion.id
    _set_status(session, pair.suggestion, "introduced")
    assert is_problem(decide(client, tokens, sid, to="suggested"), 422)
    assert fresh(session, Suggestion, sid).status == "introduced"
    item = decide(client, tokens, sid, to="suggested", note="Feil par").get_json()
    assert (item["status"], item["introduced"]) == ("suggested", False)
    seen = client.get(f"{API}/{sid}", headers=tokens["a"]).get_json()
    assert seen["need"]["company"]["email"] is None


def test_the_coordinator_records_an_outcome_with_its_volume(client, session, pair, tokens):
    sid = pair.suggestion.id
    _set_status(session, pair.suggestion, "introduced")
    assert is_problem(decide(client, tokens, sid, to="agreement", volume=120), 422)  # no unit
    response = decide(client, tokens, sid, to="agreement", volume=120.5, unit="t", note="Avtale")
    assert response.get_json()["status"] == "agreement"
    stored = fresh(session, Suggestion, sid)
    assert (stored.outcome_volume, stored.outcome_unit, stored.outcome_note) == (120.5, "t", "Avtale")


@pytest.mark.parametrize(("status", "to"), [("suggested", "agreement"), ("rejected", "introduced"),
                                            ("agreement", "no_deal"), ("suggested", "suggested")])
def test_a_move_the_workflow_forbids_is_409_with_the_reason(client, session, pair, tokens, status, to):
    _set_status(session, pair.suggestion, status)
    response = decide(client, tokens, pair.suggestion.id, to=to, note="x")
    assert is_problem(response, 409)
    assert status in response.get_json()["detail"] and to in response.get_json()["detail"]
    assert fresh(session, Suggestion, pair.suggestion.id).status == status


def test_a_company_may_not_decide(client, session, pair, tokens, third):
    sid = pair.suggestion.id
    assert is_problem(decide(client, tokens, sid, "a", to="introduced"), 403)
    assert is_problem(decide(client, tokens, sid, "b", to="introduced"), 403)
    assert is_problem(client.post(f"{API}/{sid}/decision", headers=third, json={"to": "introduced"}),
                      404)
    _set_status(session, pair.suggestion, "rejected")  # gone from the companies' lists
    assert is_problem(decide(client, tokens, sid, "a", to="suggested"), 404)
    assert fresh(session, Suggestion, sid).status == "rejected" and events(session, sid) == []
    assert is_problem(decide(client, tokens, 999999, to="introduced"), 404)


@pytest.mark.parametrize("body", [{}, {"to": "maybe"}, {"to": 3}, [], "introduced",
                                  {"to": "introduced", "note": "x" * 2001},
                                  {"to": "agreement", "volume": -1, "unit": "t"},
                                  {"to": "agreement", "volume": "lots", "unit": "t"},
                                  {"to": "agreement", "volume": 1, "unit": "parsec"},
                                  {"to": "introduced", "extra": 1},
                                  {"to": "introduced", "note": "Hei\x00"}])
def test_bad_decisions_are_422(client, session, pair, tokens, body):
    response = client.post(f"{API}/{pair.suggestion.id}/decision", headers=tokens["coordinator"],
                           json=body)
    assert is_problem(response, 422) and response.get_json()["errors"]
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"


def test_broken_json_is_400_and_a_form_415(client, pair, tokens):
    path = f"{API}/{pair.suggestion.id}/decision"
    assert is_problem(client.post(path, headers=tokens["coordinator"], data="{",
                                  content_type="application/json"), 400)
    assert is_problem(client.post(path, headers=tokens["coordinator"], data={"to": "deferred"}), 415)


# --- outcomes reported by a company ------------------------------------------------------------

def report(client, headers, sid: int, **body):
    return client.post(f"{API}/{sid}/outcome", headers=headers, json=body)


def test_a_company_reports_the_outcome_of_its_introduction(client, session, pair, tokens, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    sid = pair.suggestion.id
    assert is_problem(report(client, tokens["b"], sid, outcome="in_dialogue"), 409)  # not introduced
    _set_status(session, pair.suggestion, "introduced")
    assert report(client, tokens["a"], sid, outcome="in_dialogue").get_json()["status"] == "in_dialogue"
    assert is_problem(report(client, tokens["b"], sid, outcome="agreement", volume=200), 422)
    item = report(client, tokens["b"], sid, outcome="agreement", volume=200, unit="m3",
                  note="Levering fra mars").get_json()
    assert (item["status"], item["your_side"]) == ("agreement", "need")
    stored = fresh(session, Suggestion, sid)
    assert (stored.outcome_volume, stored.outcome_unit, stored.outcome_note) == (
        200, "m3", "Levering fra mars")
    assert [e.actor for e in events(session, sid)] == ["a@granli.example", "b@vinger.example"]
    assert security_lines(caplog)[-1]["what"] == "outcome reported"
    assert is_problem(report(client, tokens["a"], sid, outcome="no_deal"), 409)  # agreed: final


def test_only_the_two_companies_report(client, session, pair, tokens, third):
    _set_status(session, pair.suggestion, "introduced")
    sid = pair.suggestion.id
    assert is_problem(report(client, third, sid, outcome="no_deal"), 404)
    assert is_problem(report(client, tokens["coordinator"], sid, outcome="no_deal"), 404)  # as on the web
    assert is_problem(report(client, tokens["a"], 999999, outcome="no_deal"), 404)
    assert fresh(session, Suggestion, sid).status == "introduced"


@pytest.mark.parametrize("body", [{}, {"outcome": "introduced"}, {"outcome": "agreement", "volume": -5,
                                                                  "unit": "t"},
                                  {"outcome": "no_deal", "note": "x" * 2001}, {"outcome": None}])
def test_bad_outcome_reports_are_422(client, session, pair, tokens, body):
    _set_status(session, pair.suggestion, "introduced")
    response = client.post(f"{API}/{pair.suggestion.id}/outcome", headers=tokens["a"], json=body)
    assert is_problem(response, 422) and response.get_json()["errors"]


# --- history and notes -------------------------------------------------------------------------

def test_the_coordinator_reads_the_history_with_notes_paged(client, session, pair, tokens):
    sid = pair.suggestion.id
    client.post(f"{API}/{sid}/answer", headers=tokens["a"], json={"answer": "interested"})
    response = client.post(f"{API}/{sid}/notes", headers=tokens["coordinator"],
                           json={"note": "  Ring Granli først  "})
    assert response.status_code == 201
    assert response.get_json()["note"] == "Ring Granli først"
    decide(client, tokens, sid, to="deferred")
    first = client.get(f"{API}/{sid}/events?per_page=2", headers=tokens["coordinator"]).get_json()
    second = client.get(f"{API}/{sid}/events?per_page=2&page=2",
                        headers=tokens["coordinator"]).get_json()
    assert (first["total"], first["pages"]) == (3, 2)
    assert [e["action"] for e in first["items"] + second["items"]] == ["answer", "note", "transition"]
    assert first["items"][1]["actor"] == "koordinator@example.no"
    assert second["items"][0]["to_status"] == "deferred"


def test_companies_see_no_history_and_add_no_notes(client, session, pair, tokens, third):
    sid = pair.suggestion.id
    for headers, status in ((tokens["a"], 403), (tokens["b"], 403), (third, 404)):
        assert is_problem(client.get(f"{API}/{sid}/events", headers=headers), status)
        assert is_problem(client.post(f"{API}/{sid}/notes", headers=headers, json={"note": "Hei"}),
                          status)
    assert events(session, sid) == []
    assert is_problem(client.get(f"{API}/999999/events", headers=tokens["coordinator"]), 404)
    assert is_problem(client.post(f"{API}/999999/notes", headers=tokens["coordinator"],
                                  json={"note": "Hei"}), 404)


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "   "}, {"note": "x" * 2001},
                                  {"note": None}, {"note": "a\x00b"}])
def test_bad_notes_are_422(client, session, pair, tokens, body):
    response = client.post(f"{API}/{pair.suggestion.id}/notes", headers=tokens["coordinator"],
                           json=body)
    assert is_problem(response, 422) and events(session, pair.suggestion.id) == []


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "page=x"])
def test_history_paging_bounds_are_422(client, pair, tokens, query):
    assert is_problem(client.get(f"{API}/{pair.suggestion.id}/events?{query}",
                                 headers=tokens["coordinator"]), 422)


# --- pairs made by hand ------------------------------------------------------------------------

def test_the_coordinator_pairs_two_listings_by_hand(client, session, pair, tokens):
    bark = add_listing(session, pair.b, "need", "by-product", "Bark til fyring")
    response = client.post(API, headers=tokens["coordinator"], json={
        "offer_listing_id": pair.offer.id, "need_listing_id": bark.id, "note": "Glemt av motoren"})
    assert response.status_code == 201
    item = response.get_json()
    assert response.headers["Location"].endswith(f"{API}/{item['id']}")
    assert (item["origin"], item["status"], item["need"]["listing"]["id"]) == ("manual", "suggested",
                                                                               bark.id)
    assert client.get(response.headers["Location"], headers=tokens["coordinator"]).status_code == 200
    [event] = events(session, item["id"])
    assert (event.action, event.note) == ("created", "Glemt av motoren")
    again = client.post(API, headers=tokens["coordinator"], json={
        "offer_listing_id": pair.offer.id, "need_listing_id": bark.id})
    assert is_problem(again, 409) and str(item["id"]) in again.get_json()["detail"]


def test_listings_the_web_form_does_not_offer_are_422(client, session, pair, tokens):
    own_need = add_listing(session, pair.a, "need", "by-product", "Flis til egen kjel")
    inactive = add_listing(session, pair.b, "need", "by-product", "Gammel", active=False)
    waiting_id = make_company(session, "Ny AS", "ny@ny.example")
    waiting = session.get(Company, waiting_id)
    waiting.membership = "pending"
    session.add(waiting)
    session.commit()
    pending_need = add_listing(session, waiting_id, "need", "by-product", "Sagflis")
    for offer_id, need_id in ((pair.offer.id, own_need.id), (pair.offer.id, inactive.id),
                              (pair.offer.id, pending_need.id), (pair.offer.id, 999999),
                              (pair.need.id, pair.offer.id)):
        response = client.post(API, headers=tokens["coordinator"],
                               json={"offer_listing_id": offer_id, "need_listing_id": need_id})
        assert is_problem(response, 422) and response.get_json()["errors"], (offer_id, need_id)
    assert len(session.exec(select(Suggestion)).all()) == 1


@pytest.mark.parametrize("body", [{}, {"offer_listing_id": 1}, {"offer_listing_id": 0, "need_listing_id": 1},
                                  {"offer_listing_id": 2**63, "need_listing_id": 1},
                                  {"offer_listing_id": "a", "need_listing_id": 1},
                                  {"offer_listing_id": 1.5, "need_listing_id": 1},
                                  {"offer_listing_id": 1, "need_listing_id": 2, "note": "x" * 2001}])
def test_bad_pairs_are_422(client, pair, tokens, body):
    assert is_problem(client.post(API, headers=tokens["coordinator"], json=body), 422)


def test_a_company_may_not_pair(client, pair, tokens, third):
    body = {"offer_listing_id": pair.offer.id, "need_listing_id": pair.need.id}
    for headers in (tokens["a"], tokens["b"], third):
        assert is_problem(client.post(API, headers=headers, json=body), 403)


def test_an_id_written_as_a_whole_float_is_an_integer(client, session, pair, tokens):
    """Found by the fuzzing run: 142488.0 is an integer to JSON Schema (the document's `type:
    integer`), but the strict field refused it as 'Not a valid integer'."""
    bark = add_listing(session, pair.b, "need", "by-product", "Bark til fyring")
    response = client.post(API, headers=tokens["coordinator"], json={
        "offer_listing_id": float(pair.offer.id), "need_listing_id": float(bark.id)})
    assert response.status_code == 201, response.get_json()


def test_a_required_note_is_documented_as_not_blank(client):
    """Found by the fuzzing run: the document let a note be empty, the service answers 422."""
    spec = client.get("/api/v1/openapi.json").get_json()
    note = spec["components"]["schemas"]["Note"]["properties"]["note"]
    pattern = re.compile(note["pattern"])
    assert not pattern.search("") and not pattern.search("  \n") and pattern.search(" Hei ")
