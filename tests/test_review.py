"""Suggested partners for companies and the coordinator's review: privacy, answers, the queue,
the state machine, pairing by hand and the audit log."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pytest
from sqlmodel import select

from matchmaker.domain.errors import Conflict
from matchmaker.models import Listing, Suggestion, SuggestionEvent
from matchmaker.services import accounts, review
from matchmaker.services.matching import recompute_all
from matchmaker.services.review import QueueFilters
from tests.conftest import login, make_company

REASONS = [{"code": "synonym", "params": {"a": "sagflis", "b": "sawdust"}},
           {"code": "distance", "params": {"km": 30}}]


def add_listing(session, company_id: int, direction: str, kind: str, title: str,
                **fields) -> Listing:
    listing = Listing(company_id=company_id, direction=direction, kind=kind, title=title, **fields)
    session.add(listing)
    session.commit()
    return listing


def add_suggestion(session, offer: Listing, need: Listing, *, score: float = 0.8,
                   distance_km: float | None = 30.1, status: str = "suggested",
                   pair_type: str = "supply", **fields) -> Suggestion:
    suggestion = Suggestion(
        offer_listing_id=offer.id, need_listing_id=need.id, offer_company_id=offer.company_id,
        need_company_id=need.company_id, pair_type=pair_type, score=score,
        components={"text": 0.7, "distance": 0.9}, distance_km=distance_km, reasons=REASONS,
        settings_version="test", status=status, **fields)
    session.add(suggestion)
    session.commit()
    return suggestion


@dataclass
class Pair:
    a: int  # supplying company (Granli Sag, user a@granli.example, Bokmål)
    b: int  # receiving company (Vinger Pellets, user b@vinger.example, English)
    offer: Listing
    need: Listing
    suggestion: Suggestion


def make_pair(session, two_companies) -> Pair:
    a, b = two_companies
    user_b = accounts.find_user_by_email(session, "b@vinger.example")
    user_b.language = "en"
    session.add(user_b)
    session.commit()
    offer = add_listing(session, a, "offer", "by-product", "Sagflis fra gran", quantity=400.0,
                        unit="m3", frequency="year", description="Tørr sagflis")
    need = add_listing(session, b, "need", "by-product", "Sawdust for pellets",
                       description="Dry sawdust")
    return Pair(a, b, offer, need, add_suggestion(session, offer, need))


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def fresh(session, model, ident):
    session.expire_all()
    return session.get(model, ident)


def events(session, suggestion_id: int) -> list[SuggestionEvent]:
    session.expire_all()
    return list(session.exec(select(SuggestionEvent).where(
        SuggestionEvent.suggestion_id == suggestion_id).order_by(SuggestionEvent.id)))


CONTACT_B = ("Kontakt Vinger Pellets AS", "b@vinger.example", "+47 62 00 00 00")


def _exports(client) -> tuple[str, str, str]:
    return (client.get("/partners").get_data(as_text=True),
            client.get("/partners.csv").get_data(as_text=True),
            client.get("/partners.json").get_data(as_text=True))


# --- companies ---------------------------------------------------------------------------------

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


# --- coordinators ------------------------------------------------------------------------------

def test_members_cannot_reach_the_coordinator_pages(client, pair):
    login(client, "a@granli.example")
    for url in ("/coordinator/matches", f"/coordinator/matches/{pair.suggestion.id}",
                "/coordinator/matches/new", "/coordinator/audit", "/coordinator/audit.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                       data={"to": "introduced"}).status_code == 403
    assert client.post("/coordinator/matches/bulk", data={
        "ids": [pair.suggestion.id], "action": "introduced"}).status_code == 403


@pytest.fixture
def many(session, pair):
    """Five more matches across three companies, municipalities, kinds and statuses."""
    c = make_company(session, "Odal Stål AS", "c@odal.example", city="Skarnes",
                     municipality="Sør-Odal", lat=60.25, lon=11.68)
    steel = add_listing(session, c, "offer", "material", "Stålskrap")
    steel_need = add_listing(session, pair.b, "need", "material", "Steel scrap")
    heat = add_listing(session, pair.a, "offer", "energy", "Overskuddsvarme")
    heat_need = add_listing(session, c, "need", "energy", "Varme til tørking")
    cutting = add_listing(session, c, "offer", "capability", "Laserskjæring")
    return {
        "steel": add_suggestion(session, steel, steel_need, score=0.55, distance_km=45.0,
                                need_answer="interested"),
        "heat": add_suggestion(session, heat, heat_need, score=0.95, distance_km=12.0,
                               status="deferred"),
        "low": add_suggestion(session, steel, pair.need, score=0.2, distance_km=None,
                              status="rejected"),
        "processing": add_suggestion(session, pair.offer, cutting, score=0.66, distance_km=20.0,
                                     pair_type="processing", status="introduced"),
        "c": c,
    }


def _ids(page) -> list[int]:
    return [row.suggestion.id for row in page.rows]


def test_queue_filters_sort_and_page_in_sql(session, pair, many):
    q = lambda **kw: _ids(review.review_queue(session, QueueFilters(**kw)))  # noqa: E731
    main = pair.suggestion.id
    steel, heat, low, proc = (many[k].id for k in ("steel", "heat", "low", "processing"))
    assert q() == [heat, main, proc, steel, low]  # best score first
    assert q(sort="score_asc")[0] == low
    assert q(sort="distance_asc") == [heat, proc, main, steel, low]  # unknown distance last
    assert q(statuses=("suggested", "deferred")) == [heat, main, steel]
    assert q(score_min=0.5, score_max=0.7) == [proc, steel]
    assert q(distance_max=25) == [heat, proc]
    assert q(municipality="Sør-Odal") == [heat, proc, steel, low]
    assert q(kind="energy") == [heat]
    assert q(company_id=many["c"]) == [heat, proc, steel, low]
    assert q(answers="any_interested") == [steel]
    assert q(answers="unanswered") == [heat, main, proc, low]
    assert q(origin="manual") == []
    first = review.review_queue(session, QueueFilters(per_page=2))
    third = review.review_queue(session, QueueFilters(per_page=2, page=3))
    assert (first.total, first.pages, _ids(first), _ids(third)) == (5, 3, [heat, main], [low])
    assert review.review_queue(session, QueueFilters(per_page=2, page=99)).page == 3


def test_queue_page_reads_filters_from_the_query_string(client, pair, many, coordinator):
    login(client, coordinator.email)
    page = client.get("/coordinator/matches?status=suggested&status=deferred&score_min=0.5"
                      "&sort=distance_asc").get_data(as_text=True)
    assert page.index(f"#{many['heat'].id}<") < page.index(f"#{pair.suggestion.id}<")
    assert f"#{many['low'].id}<" not in page and f"#{many['processing'].id}<" not in page
    bad = client.get("/coordinator/matches?score_min=lots&page=-3")
    assert bad.status_code == 200 and f"#{many['low'].id}<" in bad.get_data(as_text=True)


def test_bulk_actions_are_all_or_nothing(client, session, pair, many, coordinator):
    login(client, coordinator.email)
    client.get("/language/en")
    ids = [pair.suggestion.id, many["steel"].id, many["low"].id]  # "low" is rejected
    response = client.post("/coordinator/matches/bulk", data={"ids": ids, "action": "deferred"})
    assert response.status_code == 409
    assert f"Match #{many['low'].id} is “Rejected” and cannot become “Deferred”. Nothing was " \
        "changed." in response.get_data(as_text=True)
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"
    assert events(session, pair.suggestion.id) == []

    response = client.post("/coordinator/matches/bulk",
                           data={"ids": ids[:2], "action": "rejected"})
    assert response.status_code == 422  # a rejection needs a reason
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"

    response = client.post("/coordinator/matches/bulk?status=suggested",
                           data={"ids": ids[:2], "action": "deferred", "note": "etter jul"})
    assert response.status_code == 302 and "status=suggested" in response.location
    for i in ids[:2]:
        assert fresh(session, Suggestion, i).status == "deferred"
        [event] = events(session, i)
        assert (event.from_status, event.to_status, event.note, event.actor) == (
            "suggested", "deferred", "etter jul", coordinator.email)


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


def test_audit_log_page_and_exports_neutralise_formulas(client, runner, session, pair,
                                                        coordinator):
    login(client, coordinator.email)
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    client.post(url, data={"to": "rejected", "note": "=HYPERLINK(\"http://evil\")"})
    page = client.get("/coordinator/audit").get_data(as_text=True)
    assert "Granli Sag AS: Sagflis fra gran → Vinger Pellets AS: Sawdust for pellets" in page
    assert coordinator.email in page

    as_csv = client.get("/coordinator/audit.csv")
    assert as_csv.mimetype == "text/csv" and "attachment" in as_csv.headers["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert row["note"] == "'=HYPERLINK(\"http://evil\")"
    assert (row["from_status"], row["to_status"], row["actor"]) == (
        "suggested", "rejected", coordinator.email)
    [event] = json.loads(client.get("/coordinator/audit.json").get_data(as_text=True))["events"]
    assert event["note"] == "=HYPERLINK(\"http://evil\")"  # JSON is data, not a spreadsheet

    result = runner.invoke(args=["export-audit", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["events"][0]["suggestion_id"] == pair.suggestion.id
    result = runner.invoke(args=["export-audit"])
    assert result.exit_code == 0 and "'=HYPERLINK" in result.output


def test_audit_log_keeps_the_history_when_a_listing_is_deleted(client, session, pair,
                                                               coordinator):
    login(client, coordinator.email)
    client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                data={"to": "deferred"})
    session.delete(fresh(session, Listing, pair.need.id))
    session.commit()
    session.expire_all()
    [event] = session.exec(select(SuggestionEvent)).all()
    assert event.suggestion_id is None and "Sawdust for pellets" in event.pair



# --- with the real engine ----------------------------------------------------------------------

ENGINE_SAWDUST = {"direction": "offer", "kind": "by-product", "title": "Sagflis fra gran og furu",
                  "quantity": "400", "unit": "m3", "frequency": "year", "visibility": "public",
                  "active": "y"}
ENGINE_PELLETS = {"direction": "need", "kind": "by-product", "title": "Sawdust for pellets",
                  "description": "Dry sawdust and shavings", "quantity": "500", "unit": "m3",
                  "frequency": "year", "visibility": "public", "active": "y"}


def test_a_rejected_pair_does_not_come_back_after_a_full_recompute(app, client, session,
                                                                   two_companies, coordinator):
    for email, data in (("a@granli.example", ENGINE_SAWDUST),
                        ("b@vinger.example", ENGINE_PELLETS)):
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
                data={**ENGINE_SAWDUST, "available_until": "2030-01-01"})
    recompute_all(session, matcher)
    session.expire_all()
    assert session.get(Suggestion, engine_pair.id).status == "rejected"
    client.post(f"/listings/{engine_pair.offer_listing_id}/edit",
                data={**ENGINE_SAWDUST, "quantity": "900"})
    session.expire_all()
    assert session.get(Suggestion, engine_pair.id).status == "suggested"
    assert "Sawdust for pellets" in client.get("/partners").get_data(as_text=True)

