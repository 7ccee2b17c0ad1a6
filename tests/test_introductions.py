"""A company's page for one suggested partner: the coordinator's message in the app, the
partner's contact only once introduced, and either company reporting the outcome."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.models import Suggestion, SuggestionEvent
from matchmaker.services import notifications
from tests.conftest import login, make_company
from tests.flow_helpers import decide, notes_of, sawdust_pair

CONTACT_A = ("Kontakt Granli Sag AS", "a@granli.example")
MESSAGE = "Granli har 400 m³ tørr sagflis i året. Ring Per på sagbruket."


@pytest.fixture
def introduced(app, session, two_companies, coordinator) -> Suggestion:
    a, b = two_companies
    s = sawdust_pair(session, a, b)
    decide(app, session, coordinator, s.id, "introduced", note=MESSAGE)
    return s


def _fresh(session, suggestion_id: int) -> Suggestion:
    session.expire_all()
    return session.get(Suggestion, suggestion_id)


def test_the_page_shows_the_message_and_the_contact_once_introduced(client, introduced):
    login(client, "b@vinger.example")
    page = client.get(f"/partners/{introduced.id}").get_data(as_text=True)
    assert MESSAGE in page
    assert all(part in page for part in CONTACT_A)
    assert f'action="/partners/{introduced.id}/outcome"' in page
    partners = client.get("/partners").get_data(as_text=True)
    assert f'href="/partners/{introduced.id}"' in partners


def test_before_the_introduction_no_contact_no_message_no_report(client, session,
                                                                  two_companies):
    a, b = two_companies
    s = sawdust_pair(session, a, b)
    login(client, "b@vinger.example")
    page = client.get(f"/partners/{s.id}").get_data(as_text=True)
    assert "Granli Sag AS" in page and "Sagflis fra gran" in page
    assert CONTACT_A[0] not in page and CONTACT_A[1] not in page
    assert "/outcome" not in page
    response = client.post(f"/partners/{s.id}/outcome", data={"outcome": "agreement"})
    assert response.status_code == 409
    assert _fresh(session, s.id).status == "suggested"


def test_a_company_reports_an_agreement_and_the_coordinator_hears_of_it(client, session,
                                                                         introduced, coordinator):
    login(client, "b@vinger.example")
    response = client.post(f"/partners/{introduced.id}/outcome", data={
        "outcome": "agreement", "volume": "120", "unit": "t", "note": "Levering fra mars."})
    assert response.status_code == 302
    s = _fresh(session, introduced.id)
    assert (s.status, s.outcome_volume, s.outcome_unit, s.outcome_note) == (
        "agreement", 120.0, "t", "Levering fra mars.")
    event = session.exec(select(SuggestionEvent).where(
        SuggestionEvent.suggestion_id == s.id, SuggestionEvent.to_status == "agreement")).one()
    assert event.actor == "b@vinger.example"  # who reported it
    outcome = [n for n in notes_of(session, coordinator.id) if n.kind == notifications.OUTCOME]
    assert [n.params for n in outcome] == [{"company": "Vinger Pellets AS", "status": "agreement"}]
    # both companies see the outcome as recorded, and that it is settled
    client.post("/logout")
    login(client, "a@granli.example")
    page = client.get(f"/partners/{s.id}").get_data(as_text=True)
    assert "Avtale inngått" in page and "Levering fra mars." in page and "Vinger Pellets AS" in page
    assert "/outcome" not in page  # an agreement is final: no more reports
    assert client.post(f"/partners/{s.id}/outcome",
                       data={"outcome": "no_deal"}).status_code == 409
    assert _fresh(session, s.id).status == "agreement"


def test_in_dialogue_then_no_deal(client, session, introduced):
    login(client, "a@granli.example")
    client.post(f"/partners/{introduced.id}/outcome", data={"outcome": "in_dialogue"})
    assert _fresh(session, introduced.id).status == "in_dialogue"
    client.post(f"/partners/{introduced.id}/outcome", data={"outcome": "no_deal"})
    assert _fresh(session, introduced.id).status == "no_deal"


@pytest.mark.parametrize("data", [
    {"outcome": "agreement", "volume": "120"},  # a volume needs its unit
    {"outcome": "agreement", "volume": "-5", "unit": "t"},
    {"outcome": "agreement", "volume": "mye", "unit": "t"},
    {"outcome": "suggested"},  # not an outcome: a company cannot withdraw the introduction
    {"outcome": "rejected"},
    {},
])
def test_bad_reports_are_field_errors_and_change_nothing(client, session, introduced, data):
    login(client, "b@vinger.example")
    response = client.post(f"/partners/{introduced.id}/outcome", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert _fresh(session, introduced.id).status == "introduced"


def test_a_third_company_sees_nothing_and_reports_nothing(client, session, introduced):
    make_company(session, "Tredje AS", "c@tredje.example")
    login(client, "c@tredje.example")
    assert client.get(f"/partners/{introduced.id}").status_code == 404
    response = client.post(f"/partners/{introduced.id}/outcome", data={"outcome": "agreement"})
    assert response.status_code == 404
    assert MESSAGE not in response.get_data(as_text=True)
    assert _fresh(session, introduced.id).status == "introduced"


def test_a_withdrawn_introduction_hides_message_and_contact_again(app, client, session,
                                                                  introduced, coordinator):
    decide(app, session, coordinator, introduced.id, "suggested", note="Feil par.")
    login(client, "b@vinger.example")
    page = client.get(f"/partners/{introduced.id}").get_data(as_text=True)
    assert MESSAGE not in page and CONTACT_A[1] not in page
