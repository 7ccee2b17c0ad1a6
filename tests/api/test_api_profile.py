"""PATCH /api/v1/companies/{id}: a company changes its own profile as the web's profile form
does (same fields, same checks, geocoding, the organisation number's uniqueness); nobody else
changes it: 403 for a company the caller sees, 404 for one it does not."""

from __future__ import annotations

import pytest

from matchmaker.models import Company
from tests.api.api_support import is_problem, role_tokens, waiting_company

ORG_NUMBER = "974760673"  # a valid Norwegian organisation number (mod-11)


@pytest.fixture
def world(session, two_companies, coordinator):
    a, b = two_companies
    waiting = waiting_company(session)
    return {"a": a, "b": b, "waiting": waiting,
            "as": role_tokens(session)}


def _url(company_id: int) -> str:
    return f"/api/v1/companies/{company_id}"


def _company(session, company_id: int) -> Company:
    session.expire_all()
    return session.get(Company, company_id)


def test_anonymous_gets_401(client, session, world):
    assert is_problem(client.patch(_url(world["a"]), json={"description": "Sagbruk"}), 401)
    assert _company(session, world["a"]).description == ""


def test_a_company_changes_its_own_profile_and_gets_it_back_in_full(client, session, world):
    response = client.patch(_url(world["a"]), headers=world["as"]["a"], json={
        "description": "  Sagbruk ved Glomma ", "org_number": "974 760 673",
        "website": "https://granli.example", "nace_code": "16.100", "phone": "+47 62 00 00 01",
        "email": "post@granli.example"})
    assert response.status_code == 200
    body = response.get_json()
    assert body == client.get(_url(world["a"]), headers=world["as"]["a"]).get_json()
    assert body["description"] == "Sagbruk ved Glomma" and body["email"] == "post@granli.example"
    assert body["name"] == "Granli Sag AS"  # a field left out keeps its value
    company = _company(session, world["a"])
    assert (company.org_number, company.nace_code, company.phone) == (
        ORG_NUMBER, "16.100", "+47 62 00 00 01")
    emptied = client.patch(_url(world["a"]), headers=world["as"]["a"],
                           json={"org_number": "", "website": None, "nace_code": ""})
    assert emptied.status_code == 200 and emptied.get_json()["website"] == ""
    company = _company(session, world["a"])
    assert (company.org_number, company.website, company.nace_code) == (None, "", "")


def test_coordinates_given_stay_until_changed_else_the_address_places_the_company(
        client, session, world):
    a, headers = world["a"], world["as"]["a"]
    assert client.patch(_url(a), json={"lat": 60.2001, "lon": 12.0001},
                        headers=headers).status_code == 200
    assert client.patch(_url(a), json={"city": "Kirkenær", "municipality": "Grue"},
                        headers=headers).status_code == 200
    company = _company(session, a)
    assert (company.lat, company.lon, company.location_source) == (60.2001, 12.0001, "user")
    assert client.patch(_url(a), json={"lat": None, "lon": None}, headers=headers).status_code == 200
    company = _company(session, a)
    assert company.location_source == "gazetteer" and abs(company.lat - 60.46) < 0.05
    assert client.patch(_url(a), json={"city": "Xyzzyville", "municipality": ""},
                        headers=headers).status_code == 200
    company = _company(session, a)
    assert company.city == "Xyzzyville" and company.lat is None and company.location_source is None


def test_nobody_else_changes_a_profile(client, session, world):
    change = {"description": "Overtatt"}
    assert is_problem(client.patch(_url(world["b"]), json=change, headers=world["as"]["a"]), 403)
    assert is_problem(client.patch(_url(world["waiting"]), json=change, headers=world["as"]["a"]), 404)
    assert is_problem(client.patch(_url(99999999), json=change, headers=world["as"]["a"]), 404)
    for company in ("a", "b", "waiting"):
        assert is_problem(client.patch(_url(world[company]), json=change,
                                       headers=world["as"]["coordinator"]), 403), company
    for company in ("a", "b", "waiting"):
        assert _company(session, world[company]).description == "", company


def test_an_organisation_number_another_company_has_is_a_conflict(client, session, world):
    assert client.patch(_url(world["b"]), json={"org_number": ORG_NUMBER},
                        headers=world["as"]["b"]).status_code == 200
    response = client.patch(_url(world["a"]), json={"org_number": ORG_NUMBER, "description": "x"},
                            headers=world["as"]["a"])
    assert is_problem(response, 409)
    company = _company(session, world["a"])
    assert company.org_number is None and company.description == ""


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": None}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"org_number": "123456789"}, "org_number"),
    ({"org_number": "9" * 21}, "org_number"),
    ({"country": "NOR"}, "country"),
    ({"country": None}, "country"),
    ({"lat": 91, "lon": 10}, "lat"),
    ({"lat": 60, "lon": -181}, "lon"),
    ({"lat": 60}, "lon"),
    ({"lon": 10}, "lat"),
    ({"lat": None, "lon": 10}, "lat"),
    ({"lat": "sixty", "lon": 10}, "lat"),
    ({"nace_code": "sagbruk"}, "nace_code"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"website": "https://" + "x" * 200}, "website"),
    ({"email": "nope"}, "email"),
    ({"phone": "ring meg"}, "phone"),
    ({"description": "x" * 2001}, "description"),
    ({"city": "Kongs\x00vinger"}, "city"),
    ({"membership": "approved"}, "membership"),  # not the company's to set
    ({"id": 5}, "id"),
])
def test_bad_profiles_are_refused_like_the_form_refuses_them(client, session, world, change,
                                                             field):
    response = client.patch(_url(world["a"]), json={**change, "description": "Lagret?"}
                            if "description" not in change else change, headers=world["as"]["a"])
    assert is_problem(response, 422), response.get_json()
    assert set(response.get_json()["errors"]["json"]) == {field}
    company = _company(session, world["a"])
    assert company.description == "" and company.name == "Granli Sag AS"


def test_bodies_that_are_not_a_json_object(client, world):
    url, headers = _url(world["a"]), world["as"]["a"]
    assert is_problem(client.patch(url, data="name=X", headers=headers,
                                   content_type="application/x-www-form-urlencoded"), 415)
    assert is_problem(client.patch(url, data="{", headers=headers,
                                   content_type="application/json"), 400)
    assert is_problem(client.patch(url, json=["name"], headers=headers), 422)
