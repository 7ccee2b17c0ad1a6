"""GET /api/v1/impact: the coordinator's dashboard figures as JSON (companies get 403, as on the
web), the very numbers of the dashboard's tables, with units and the assumptions used.

The cluster is ``tests.impact_support.build``; its figures are worked out in tests/test_impact.py.
"""

from __future__ import annotations

import pytest

from matchmaker.impact import tables as impact_tables
from matchmaker.services import impact as impact_service
from tests.api.api_support import bearer, is_problem, role_tokens, token_for
from tests.impact_support import build


@pytest.fixture
def cluster(session, coordinator):
    return build(session, coordinator)


@pytest.fixture
def tokens(session, cluster, coordinator):
    return role_tokens(session)


def impact(client, headers) -> dict:
    response = client.get("/api/v1/impact", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_anonymous_401_and_companies_403(client, tokens):
    assert is_problem(client.get("/api/v1/impact"), 401)
    for who in ("a", "b"):
        response = client.get("/api/v1/impact", headers=tokens[who])
        assert is_problem(response, 403) and "Kongsvinger" not in response.get_data(as_text=True)


def test_the_figures_with_units_and_assumptions(client, tokens):
    body = impact(client, tokens["coordinator"])
    assert body["assumptions"]["reference_km"] == 300 and body["assumptions"]["radius_km"] == 150
    assert body["assumptions"]["co2_kg_per_tkm"] == 0.1 and body["assumptions"]["co2_source"]
    summary = {row["measure"]: (row["value"], row["unit"]) for row in body["summary"]}
    assert summary["members"] == (4, "") and summary["agreed_tonnes"] == (520.0, "t")
    assert summary["co2_saved"][0] == pytest.approx(13.48) and summary["co2_saved"][1] == "t CO2e"
    assert summary["local_tonnes_per_year"] == (pytest.approx(704.0), "t/year")
    assert {row["stage"]: row["pairs"] for row in body["funnel"]} == {
        "suggested": 8, "answered": 2, "introduced": 6, "agreement": 4, "no_deal": 1}
    assert body["months"][0] == {"month": "2025-01", "suggested": 4, "answered": 1,
                                 "introduced": 1, "agreement": 0, "no_deal": 0}
    (co2,) = body["co2"]
    assert (co2["tonnes"], co2["tkm"], co2["reference_tkm"]) == (520.0, 21200.0, 156000.0)
    assert co2["saved_co2_t"] == pytest.approx(13.48) and co2["agreements_not_counted"] == 2
    transport = {row["pairs"]: row for row in body["transport"]}
    assert transport["suggested"]["average_km"] == 65.0 and transport["suggested"]["shorter_km"] == 235
    assert body["volumes"][0] == {"material": "Bark", "unit": "t", "agreements": 2, "volume": 520.0}
    assert body["municipalities"][0]["municipality"] == "Kongsvinger"
    assert body["trades"][-1] == {"trade": "", "members": 1, "active_listings": 2, "pairs": 3,
                                  "agreements": 1, "tonnes_supplied": 0.0, "tonnes_received": 0.0}


def test_every_table_of_the_dashboard_with_its_columns_and_numbers(app, session, client, tokens):
    """The JSON is the dashboard's tables (the CSVs' columns), not a second computation."""
    body = impact(client, tokens["coordinator"])
    expected = impact_tables.tables(impact_service.impact(session, app.config["MATCHMAKER"]))
    assert set(body) == {"assumptions", *impact_tables.TABLE_NAMES}
    for table in expected:
        assert [tuple(row[c] for c in table.columns) for row in body[table.name]] == [
            tuple(pytest.approx(v) if isinstance(v, float) else v for v in row)
            for row in table.rows], table.name
        assert all(set(row) == set(table.columns) for row in body[table.name]), table.name


def test_an_empty_cluster_answers_zeros_and_nulls(client, session, coordinator):
    body = impact(client, bearer(token_for(session, coordinator.email)))
    assert body["funnel"][0] == {"stage": "suggested", "pairs": 0}
    assert body["months"] == [] and body["volumes"] == [] and body["potential"] == []
    assert body["transport"][0]["average_km"] is None and body["transport"][0]["shorter_km"] is None


def test_only_get(client, tokens):
    response = client.post("/api/v1/impact", headers=tokens["coordinator"], json={})
    assert is_problem(response, 405) and "GET" in response.headers["Allow"]
