"""/api/v1/listings for anonymous callers, two companies and the coordinator: the web's rules
for who sees which listing (own ones in full, the other members' public active ones, everything
for the coordinator), who may change it (only its company: 403 when seen, 404 when not), and the
listing form's validation."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from matchmaker.models import Listing, Suggestion
from tests.api.api_support import is_problem, role_tokens, waiting_company
from tests.review_support import add_listing

API = "/api/v1/listings"
SAWDUST = {"direction": "offer", "kind": "by-product", "title": "Sagflis fra gran og furu",
           "quantity": 400, "unit": "m3", "frequency": "year"}
PELLETS_NEED = {"direction": "need", "kind": "by-product", "title": "Sawdust for pellets",
                "description": "Dry sawdust and shavings", "quantity": 500, "unit": "m3/yr"}


@pytest.fixture
def world(session, two_companies, coordinator):
    a, b = two_companies
    waiting = waiting_company(session)
    ids = {
        "a_public": add_listing(session, a, "offer", "by-product", "Bark fra Granli").id,
        "a_secret": add_listing(session, a, "offer", "material", "Hemmelig tømmer",
                                visibility="coordinator").id,
        "a_inactive": add_listing(session, a, "offer", "material", "Gammel flis", active=False).id,
        "b_public": add_listing(session, b, "need", "by-product", "Flis til fyring").id,
        "b_secret": add_listing(session, b, "need", "energy", "Hemmelig varme",
                                visibility="coordinator").id,
        "b_inactive": add_listing(session, b, "need", "energy", "Gammelt behov", active=False).id,
        "waiting": add_listing(session, waiting, "offer", "by-product", "Venterflis").id,
    }
    return {"a": a, "b": b, "waiting": waiting, **ids,
            "as": role_tokens(session)}


def _titles(client, headers, query: str = "") -> list[str]:
    body = client.get(f"{API}?per_page=100&{query}", headers=headers).get_json()
    assert body["total"] == len(body["items"])
    return sorted(item["title"] for item in body["items"])


def _count(session) -> int:
    session.expire_all()
    return len(session.exec(select(Listing)).all())


def test_anonymous_gets_401_everywhere(client, world):
    one = f"{API}/{world['a_public']}"
    for response in (client.get(API), client.get(one), client.post(API, json=SAWDUST),
                     client.patch(one, json={"title": "Nytt navn"}), client.delete(one),
                     client.post(f"{one}/deactivate"), client.post(f"{one}/activate")):
        assert is_problem(response, 401)


def test_a_company_sees_all_its_own_and_the_members_public_active_ones(client, world):
    assert _titles(client, world["as"]["a"]) == [
        "Bark fra Granli", "Flis til fyring", "Gammel flis", "Hemmelig tømmer"]
    assert _titles(client, world["as"]["b"]) == [
        "Bark fra Granli", "Flis til fyring", "Gammelt behov", "Hemmelig varme"]
    assert _titles(client, world["as"]["a"], "mine=true") == [
        "Bark fra Granli", "Gammel flis", "Hemmelig tømmer"]
    assert _titles(client, world["as"]["a"], "direction=need") == ["Flis til fyring"]
    assert _titles(client, world["as"]["a"], f"company_id={world['b']}") == ["Flis til fyring"]
    assert _titles(client, world["as"]["a"], f"company_id={world['waiting']}") == []


def test_the_coordinator_sees_every_listing(client, world):
    titles = _titles(client, world["as"]["coordinator"])
    assert len(titles) == 7 and "Venterflis" in titles and "Hemmelig varme" in titles
    assert _titles(client, world["as"]["coordinator"], "mine=true") == []


def test_one_listing_as_each_caller_may_see_it(client, world):
    a, coordinator = world["as"]["a"], world["as"]["coordinator"]
    public = client.get(f"{API}/{world['b_public']}", headers=a).get_json()
    assert public["company_id"] == world["b"] and public["visibility"] == "public"
    assert public["active"] is True and public["available_from"] is None
    own = client.get(f"{API}/{world['a_secret']}", headers=a).get_json()
    assert own["visibility"] == "coordinator"
    for hidden in ("b_secret", "b_inactive", "waiting"):
        assert is_problem(client.get(f"{API}/{world[hidden]}", headers=a), 404), hidden
        assert client.get(f"{API}/{world[hidden]}", headers=coordinator).status_code == 200
    assert is_problem(client.get(f"{API}/99999999", headers=a), 404)


def test_paging_and_bad_filters(client, world):
    first = client.get(f"{API}?per_page=2", headers=world["as"]["a"]).get_json()
    assert (first["total"], first["pages"], len(first["items"])) == (4, 2, 2)
    for query in ("direction=sell", "company_id=0", "company_id=x", "mine=maybe", "per_page=101",
                  "page=0", f"company_id={2**63}"):
        assert is_problem(client.get(f"{API}?{query}", headers=world["as"]["a"]), 422), query


def test_a_company_creates_a_listing_and_matching_runs(client, session, world):
    created = client.post(API, json=PELLETS_NEED, headers=world["as"]["b"])
    assert created.status_code == 201
    body = created.get_json()
    assert (body["unit"], body["unit_written"], body["frequency"]) == ("m3", "m3/yr", "year")
    assert body["company_id"] == world["b"] and body["active"] and body["visibility"] == "public"
    assert created.headers["Location"].endswith(f"{API}/{body['id']}")
    assert client.get(created.headers["Location"], headers=world["as"]["b"]).get_json() == body
    offer = client.post(API, json={**SAWDUST, "quantity": 12.5, "unit": "tonn/år",
                                   "frequency": None}, headers=world["as"]["a"]).get_json()
    assert (offer["quantity"], offer["unit"], offer["unit_written"], offer["frequency"]) == (
        12.5, "t", "tonn/år", "year")
    session.expire_all()
    pairs = session.exec(select(Suggestion)).all()
    assert (offer["id"], body["id"]) in {(p.offer_listing_id, p.need_listing_id) for p in pairs}
    hidden = client.post(f"{API}/{offer['id']}/deactivate", headers=world["as"]["a"]).get_json()
    assert hidden["active"] is False
    session.expire_all()
    assert session.exec(select(Suggestion)).all() == []  # matching ran again


def test_the_coordinator_has_no_listings_to_write(client, session, world):
    before = _count(session)
    assert is_problem(client.post(API, json=SAWDUST, headers=world["as"]["coordinator"]), 403)
    mine = f"{API}/{world['a_public']}"
    assert is_problem(client.patch(mine, json={"title": "Overtatt"}, headers=world["as"]["coordinator"]),
                      403)
    assert is_problem(client.delete(mine, headers=world["as"]["coordinator"]), 403)
    assert _count(session) == before


def test_a_partial_change_keeps_the_other_fields(client, session, world):
    url = f"{API}/{world['a_secret']}"
    changed = client.patch(url, json={"title": "  Tømmer, hemmelig  ", "quantity": 3,
                                      "unit": "fm3"}, headers=world["as"]["a"])
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["title"] == "Tømmer, hemmelig" and body["visibility"] == "coordinator"
    assert (body["quantity"], body["unit"], body["unit_written"]) == (3, "m3", "fm3")
    assert client.patch(url, json={}, headers=world["as"]["a"]).get_json()["title"] == "Tømmer, hemmelig"


def test_a_new_unit_brings_its_own_frequency(client, world):
    url = f"{API}/{world['a_public']}"
    headers = world["as"]["a"]
    assert client.patch(url, json={"quantity": 10, "unit": "t/år"}, headers=headers).get_json()[
        "frequency"] == "year"
    moved = client.patch(url, json={"unit": "t/mnd"}, headers=headers).get_json()
    assert (moved["unit_written"], moved["frequency"]) == ("t/mnd", "month")
    clash = client.patch(url, json={"frequency": "week"}, headers=headers)
    assert is_problem(clash, 422)
    assert any(e.startswith("frequency: The unit says") for e in clash.get_json()["errors"])
    plain = client.patch(url, json={"unit": "tonn", "frequency": "week"}, headers=headers).get_json()
    assert (plain["unit"], plain["unit_written"], plain["frequency"]) == ("t", None, "week")
    no_unit = client.patch(url, json={"unit": None}, headers=headers)
    assert is_problem(no_unit, 422)
    assert no_unit.get_json()["errors"] == ["unit: Choose the unit of the quantity."]
    cleared = client.patch(url, json={"unit": None, "quantity": None}, headers=headers).get_json()
    assert (cleared["quantity"], cleared["unit"], cleared["frequency"]) == (None, None, "week")


def test_dates_are_checked_against_the_stored_ones(client, world):
    url = f"{API}/{world['a_public']}"
    assert client.patch(url, json={"available_from": "2027-05-01"},
                        headers=world["as"]["a"]).status_code == 200
    reversed_ = client.patch(url, json={"available_until": "2027-01-01"}, headers=world["as"]["a"])
    assert is_problem(reversed_, 422) and reversed_.get_json()["errors"] == [
        "available_until: Must not be before 'available from'."]


def test_only_the_company_itself_changes_its_listings(client, session, world):
    a, b = world["as"]["a"], world["as"]["b"]
    for name, status in (("b_public", 403), ("b_secret", 404), ("b_inactive", 404),
                         ("waiting", 404)):
        url = f"{API}/{world[name]}"
        assert is_problem(client.patch(url, json={"title": "Overtatt"}, headers=a), status), name
        assert is_problem(client.post(f"{url}/deactivate", headers=a), status), name
        assert is_problem(client.post(f"{url}/activate", headers=a), status), name
        assert is_problem(client.delete(url, headers=a), status), name
    assert is_problem(client.delete(f"{API}/99999999", headers=a), 404)
    session.expire_all()
    assert session.get(Listing, world["b_public"]).title == "Flis til fyring"
    assert session.get(Listing, world["b_inactive"]).active is False
    assert client.post(f"{API}/{world['b_inactive']}/activate", headers=b).get_json()["active"]


def test_a_company_deletes_its_listing(client, session, world):
    url = f"{API}/{world['a_inactive']}"
    response = client.delete(url, headers=world["as"]["a"])
    assert response.status_code == 204 and response.data == b""
    assert is_problem(client.get(url, headers=world["as"]["a"]), 404)
    assert is_problem(client.delete(url, headers=world["as"]["a"]), 404)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": None}, "title"),
    ({"title": "ab"}, "title"),
    ({"title": "   ab  "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "Sag\x00flis"}, "title"),
    ({"description": "x" * 4001}, "description"),
    ({"kind": "woood"}, "kind"),
    ({"direction": "sell"}, "direction"),
    ({"direction": None}, "direction"),
    ({"quantity": -5}, "quantity"),
    ({"quantity": "mange"}, "quantity"),
    ({"quantity": True}, "quantity"),
    ({"quantity": 10**400}, "quantity"),
    ({"unit": "barrels"}, "unit"),
    ({"unit": "t" * 31}, "unit"),
    ({"unit": ""}, "unit"),  # a quantity without its unit
    ({"unit": "t/dag"}, "unit"),
    ({"unit": "t/år", "frequency": "month"}, "frequency"),
    ({"frequency": "daily"}, "frequency"),
    ({"available_from": "2027-05-01", "available_until": "2027-01-01"}, "available_until"),
    ({"available_from": "1. mai"}, "available_from"),
    ({"visibility": "secret"}, "visibility"),
    ({"active": "maybe"}, "active"),
    ({"company_id": 2}, "company_id"),  # not a field one writes
])
def test_bad_listings_are_refused_like_the_form_refuses_them(client, session, world, overrides,
                                                             field):
    before = _count(session)
    response = client.post(API, json={**SAWDUST, **overrides}, headers=world["as"]["a"])
    assert is_problem(response, 422), response.get_json()
    errors = response.get_json()["errors"]
    fields = set(errors.get("json", {})) if isinstance(errors, dict) else {
        e.split(":")[0] for e in errors}
    assert fields == {field}
    assert _count(session) == before


@pytest.mark.parametrize("number", ["NaN", "1e400", "-Infinity"])
def test_numbers_no_float_holds_are_refused(client, session, world, number):
    body = json.dumps(SAWDUST)[:-1] + f', "quantity": {number}}}'
    response = client.post(API, data=body, content_type="application/json", headers=world["as"]["a"])
    assert is_problem(response, 422)
    assert set(response.get_json()["errors"]["json"]) == {"quantity"}


def test_bodies_that_are_not_a_json_object(client, session, world):
    a = world["as"]["a"]
    assert is_problem(client.post(API, data="title=Sagflis", headers=a,
                                  content_type="application/x-www-form-urlencoded"), 415)
    assert is_problem(client.post(API, data="{not json", headers=a,
                                  content_type="application/json"), 400)
    assert is_problem(client.post(API, json=[SAWDUST], headers=a), 422)
    assert is_problem(client.patch(f"{API}/{world['a_public']}", data="x" * (3 * 1024 * 1024),
                                   headers=a, content_type="application/json"), 413)
    assert _count(session) == 7
