"""The audit log: its page, CSV/JSON exports that neutralise formulas, and history that
outlives a deleted listing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from matchmaker.models import Listing, SuggestionEvent
from tests.conftest import login
from tests.review_support import Pair, fresh, make_pair


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


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
