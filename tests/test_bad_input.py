"""Bad input a member or the coordinator can send answers 400/404/422 or a form error: never
a 500, and nothing non-finite or with NUL bytes is stored (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.models import Company, Listing
from tests.conftest import login
from tests.review_support import make_pair

HUGE = "99999999999999999999999"
NON_FINITE = ("sNaN", "NaN", "nan", "inf", "-Infinity", "1e309", "-1e309")


@pytest.fixture
def pair(session, two_companies):
    return make_pair(session, two_companies)


@pytest.mark.parametrize("path", [
    f"/listings/{HUGE}", f"/listings/{HUGE}/edit", f"/companies/{HUGE}",
    f"/coordinator/matches/{HUGE}", "/listings/9223372036854775808",
])
def test_ids_beyond_64_bits_in_a_path_are_not_found(client, pair, coordinator, path):
    login(client, "koordinator@example.no")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    f"/listings/{HUGE}/delete", f"/listings/{HUGE}/active", f"/partners/{HUGE}/answer",
    f"/coordinator/matches/{HUGE}/transition", f"/coordinator/matches/{HUGE}/note",
])
def test_ids_beyond_64_bits_in_a_form_action_are_not_found(client, pair, coordinator, path):
    login(client, "koordinator@example.no")
    assert client.post(path, data={"to": "introduced", "note": "x", "answer": "interested"}
                       ).status_code == 404


@pytest.mark.parametrize("query", [
    f"/coordinator/matches?company={HUGE}", f"/coordinator/matches?page={HUGE}",
    f"/coordinator/audit?suggestion={HUGE}", f"/coordinator/audit?page={HUGE}",
    "/coordinator/audit?suggestion=-5", "/coordinator/matches?page=-1",
])
def test_huge_ids_and_pages_in_a_query_are_ignored_or_refused(client, pair, coordinator, query):
    login(client, "koordinator@example.no")
    assert client.get(query).status_code in (200, 400, 404, 422)


def test_huge_ids_in_a_bulk_action_are_refused(client, pair, coordinator):
    login(client, "koordinator@example.no")
    response = client.post("/coordinator/matches/bulk", data={"ids": [HUGE], "action": "deferred"})
    assert response.status_code in (404, 409, 422)


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("field", ["score_min", "score_max", "distance_max"])
def test_non_finite_queue_filters_are_shown_as_errors(client, pair, coordinator, field, value):
    login(client, "koordinator@example.no")
    response = client.get(f"/coordinator/matches?{field}={value}")
    assert response.status_code in (200, 422)


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_quantity_is_a_form_error_and_nothing_is_saved(client, session, pair, value):
    login(client, "a@granli.example")
    response = client.post("/listings/new", data={
        "direction": "offer", "kind": "by-product", "title": "Bark fra gran", "quantity": value,
        "unit": "t", "visibility": "public"})
    assert response.status_code == 422 or (response.status_code == 200 and b"error" in response.data)
    assert session.exec(select(Listing).where(Listing.title == "Bark fra gran")).first() is None


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("field", ["lat", "lon"])
def test_non_finite_coordinates_are_form_errors(client, session, pair, field, value):
    login(client, "a@granli.example")
    response = client.post("/company/edit", data={"name": "Granli Sag AS", "country": "NO", field: value})
    assert response.status_code in (200, 422)
    company = session.get(Company, pair.a)
    session.refresh(company)
    assert company.lat == 60.19 and company.lon == 11.99


def test_non_finite_volume_of_an_outcome_is_refused(client, pair, coordinator):
    login(client, "koordinator@example.no")
    response = client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                           data={"to": "introduced", "volume": "1e309", "unit": "t"})
    assert response.status_code == 422


@pytest.mark.parametrize("where", ["query", "form", "path"])
def test_nul_bytes_are_refused_with_400(client, session, pair, where):
    login(client, "a@granli.example")
    if where == "query":
        response = client.get("/directory?q=bark%00gran")
    elif where == "path":
        response = client.get("/listings/new%00")
    else:
        response = client.post("/listings/new", data={
            "direction": "offer", "kind": "by-product", "title": "Bark\x00gran", "visibility": "public"})
    assert response.status_code in (400, 404)
    assert session.exec(select(Listing).where(Listing.title.contains("Bark"))).first() is None
