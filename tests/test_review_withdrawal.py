"""Withdrawing an introduction made by mistake: a reason is required, the contact details are
hidden again, and the audit and security logs name who did it."""

from __future__ import annotations

import logging

import pytest

from matchmaker import security_log
from matchmaker.models import Suggestion
from tests.conftest import login
from tests.review_support import CONTACT_B, _exports, events, fresh, make_pair


@pytest.fixture
def pair(session, two_companies):
    return make_pair(session, two_companies)


def test_an_introduction_made_by_mistake_is_withdrawn_and_the_contacts_hidden_again(
        client, session, pair, coordinator, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    login(client, "koordinator@example.no")
    url = f"/coordinator/matches/{pair.suggestion.id}/transition"
    assert client.post(url, data={"to": "introduced"}).status_code == 302
    client.post("/logout")
    login(client, "a@granli.example")
    assert all(secret in client.get("/partners").get_data(as_text=True) for secret in CONTACT_B)
    client.post("/logout")

    login(client, "koordinator@example.no")
    page = client.get(f"/coordinator/matches/{pair.suggestion.id}").get_data(as_text=True)
    assert "Trekk tilbake introduksjonen" in page
    assert client.post(url, data={"to": "suggested"}).status_code == 422  # a reason is required
    assert fresh(session, Suggestion, pair.suggestion.id).status == "introduced"
    assert client.post(url, data={"to": "suggested", "note": "Feil par"}).status_code == 302
    withdrawn = fresh(session, Suggestion, pair.suggestion.id)
    assert withdrawn.status == "suggested" and withdrawn.introduced_at is None
    last = events(session, pair.suggestion.id)[-1]
    assert (last.from_status, last.to_status, last.note) == ("introduced", "suggested", "Feil par")
    assert "koordinator@example.no" in last.actor
    assert any('"what": "decision"' in r.getMessage() and '"to": "suggested"' in r.getMessage()
               for r in caplog.records if r.name == security_log.LOGGER_NAME)
    client.post("/logout")

    login(client, "a@granli.example")
    for text in _exports(client):
        assert "Vinger Pellets AS" in text
        for secret in CONTACT_B:
            assert secret not in text
