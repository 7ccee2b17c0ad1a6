"""GET /api/v1/companies for anonymous callers, two companies and the coordinator: the
directory's rules (no contact details, no confidential listing, no company waiting for approval)
except for the coordinator and the company itself."""

from __future__ import annotations

import pytest

from tests.api.api_support import is_problem, role_tokens, waiting_company
from tests.review_support import add_listing


@pytest.fixture
def world(session, two_companies, coordinator):
    a, b = two_companies
    add_listing(session, b, "offer", "by-product", "Bark", description="Tørr bark")
    add_listing(session, b, "offer", "by-product", "Hemmelig flis", visibility="coordinator")
    waiting = waiting_company(session)
    return {"a": a, "b": b, "waiting": waiting,
            "as": role_tokens(session)}


def _by_name(body) -> dict:
    return {c["name"]: c for c in body["items"]}


def test_anonymous_gets_401(client, world):
    assert is_problem(client.get("/api/v1/companies"), 401)
    assert is_problem(client.get(f"/api/v1/companies/{world['b']}"), 401)


def test_a_member_sees_members_without_contacts_or_confidential_listings(client, world):
    body = client.get("/api/v1/companies", headers=world["as"]["a"]).get_json()
    companies = _by_name(body)
    assert set(companies) == {"Granli Sag AS", "Vinger Pellets AS"} and body["total"] == 2
    vinger = companies["Vinger Pellets AS"]
    assert vinger["email"] is None and vinger["phone"] is None
    assert [listing["title"] for listing in vinger["listings"]] == ["Bark"]
    assert companies["Granli Sag AS"]["email"] == "a@granli.example"  # its own
    one = client.get(f"/api/v1/companies/{world['b']}", headers=world["as"]["a"]).get_json()
    assert one["email"] is None and [x["title"] for x in one["listings"]] == ["Bark"]


def test_the_company_itself_sees_its_confidential_listing(client, world):
    own = client.get(f"/api/v1/companies/{world['b']}", headers=world["as"]["b"]).get_json()
    assert {x["title"] for x in own["listings"]} == {"Bark", "Hemmelig flis"}
    assert own["email"] == "b@vinger.example"


def test_a_company_waiting_for_approval_is_404_for_members(client, world):
    assert is_problem(client.get(f"/api/v1/companies/{world['waiting']}", headers=world["as"]["a"]), 404)
    assert is_problem(client.get("/api/v1/companies/999999", headers=world["as"]["a"]), 404)


def test_the_coordinator_sees_everything(client, world):
    companies = _by_name(client.get("/api/v1/companies", headers=world["as"]["coordinator"]).get_json())
    assert "Venter AS" in companies
    vinger = companies["Vinger Pellets AS"]
    assert vinger["email"] == "b@vinger.example"
    assert {x["title"] for x in vinger["listings"]} == {"Bark", "Hemmelig flis"}


def test_search_and_paging(client, world):
    found = client.get("/api/v1/companies?q=pellets", headers=world["as"]["a"]).get_json()
    assert [c["name"] for c in found["items"]] == ["Vinger Pellets AS"]
    first = client.get("/api/v1/companies?per_page=1", headers=world["as"]["a"]).get_json()
    assert (first["pages"], len(first["items"])) == (2, 1)
    for query in ("per_page=0", "per_page=101", "page=0", "q=" + "x" * 201):
        assert is_problem(client.get(f"/api/v1/companies?{query}", headers=world["as"]["a"]), 422), query
