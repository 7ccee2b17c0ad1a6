"""The impact dashboard: figures from a known dataset (worked out by hand below), the page, its
charts and CSVs, who may see them, and the public landing page's aggregate."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from matchmaker.impact import figures as f
from matchmaker.impact import tables
from matchmaker.models import Company
from matchmaker.services import impact as impact_service
from tests.conftest import login, make_company
from tests.impact_support import Cluster, build
from tests.review_support import add_listing, add_suggestion


@pytest.fixture
def cluster(session, coordinator) -> Cluster:
    return build(session, coordinator)


def figures(app, session) -> f.Impact:
    return impact_service.impact(session, app.config["MATCHMAKER"])


def approx(value: float | None) -> object:
    return pytest.approx(value)


# --- the figures -------------------------------------------------------------------------------

def test_counts_funnel_and_months(app, session, cluster):
    i = figures(app, session)
    assert (i.members, i.municipalities, i.active_offers, i.active_needs) == (4, 3, 5, 4)
    assert i.listings == {("need", "by-product"): 2, ("need", "material"): 2,
                          ("offer", "by-product"): 3, ("offer", "energy"): 1,
                          ("offer", "material"): 1}
    assert i.funnel == {"suggested": 8, "answered": 2, "introduced": 6, "agreement": 4, "no_deal": 1}
    assert [(m.month, m.counts) for m in i.months] == [
        ("2025-01", {"suggested": 4, "answered": 1, "introduced": 1, "agreement": 0, "no_deal": 0}),
        ("2025-02", {"suggested": 0, "answered": 0, "introduced": 1, "agreement": 1, "no_deal": 0}),
        ("2025-03", {"suggested": 4, "answered": 1, "introduced": 4, "agreement": 3, "no_deal": 1}),
    ]


def test_volumes_potential_transport_and_co2(app, session, cluster):
    i = figures(app, session)
    assert i.volumes == [f.VolumeRow("Bark", "t", 2, 520.0), f.VolumeRow("Sagflis", "m3", 1, 350.0),
                         f.VolumeRow("Spillvarme", "MWh", 1, 2000.0)]
    assert i.agreed_tonnes == 520.0
    # t: bark 50/month = 600, flis 1000 as stated, sand 2 t/week = 104; the flis has no partner
    # within 150 km (one pair rejected, one 200 km away); the inactive listing never counts.
    assert i.potential == [f.PotentialRow("t", approx(1704.0), approx(704.0), 3, 2),
                           f.PotentialRow("m3", 400.0, 400.0, 1, 1)]
    suggested, agreed = i.transport
    assert (suggested.count, suggested.total_km, suggested.average_km, suggested.shorter_km) == (
        6, 390.0, 65.0, 235.0)
    assert (agreed.count, agreed.total_km) == (3, 130.0)
    assert agreed.average_km == approx(130 / 3) and agreed.shorter_km == approx(300 - 130 / 3)
    c = i.co2  # 500 t × 40 km + 20 t × 60 km; the m3 and the energy agreement are left out
    assert (c.agreements, c.not_counted, c.tonnes, c.tkm, c.reference_tkm) == (2, 2, 520.0, 21200.0,
                                                                             156000.0)
    assert (c.co2_t, c.reference_co2_t, c.saved_t) == (approx(2.12), approx(15.6), approx(13.48))


def test_by_municipality_and_by_trade(app, session, cluster):
    i = figures(app, session)
    assert i.by_municipality == [
        f.GroupRow("Kongsvinger", 2, 5, 8, 4, 520.0, 0.0),
        f.GroupRow("Grue", 1, 2, 4, 2, 0.0, 20.0),
        f.GroupRow("Nord-Odal", 1, 2, 4, 2, 0.0, 500.0),
    ]
    assert i.by_trade == [
        f.GroupRow("35.210", 1, 2, 4, 2, 0.0, 500.0),  # no industry: its NACE code
        f.GroupRow("Pellets", 1, 2, 4, 2, 0.0, 20.0),
        f.GroupRow("Sagbruk", 1, 3, 5, 3, 520.0, 0.0),
        f.GroupRow("", 1, 2, 3, 1, 0.0, 0.0),  # neither: last
    ]


def test_settings_change_reference_and_factor(app, session, cluster):
    from dataclasses import replace

    settings = replace(app.config["MATCHMAKER"], impact_reference_km=100.0,
                       impact_co2_kg_per_tkm=0.05, match_radius_km=35.0)
    i = impact_service.impact(session, settings)
    assert i.co2.saved_t == approx((52000 - 21200) * 0.05 / 1000)
    assert [t.reference_km for t in i.transport] == [100.0, 100.0]
    # within 35 km only the sawdust (30 km) and the sand (10 km) have a partner
    assert [(p.unit, p.local) for p in i.potential] == [("t", approx(104.0)), ("m3", 400.0)]


def test_pure_conversions_and_months():
    assert f.reported(2.0, "GWh") == f.Amount(2000.0, "MWh")
    assert f.reported(1500.0, "l") == f.Amount(1.5, "m3")
    assert f.reported(3.0, "paller") == f.Amount(3.0, "pallets")  # kept, never added to tonnes
    assert f.reported(3.0, "furlongs") is None and f.reported(None, "t") is None
    assert f.annual(2.0, "t", "week") == f.Amount(104.0, "t")
    assert f.annual(7.0, "t", "once") == f.Amount(7.0, "t")
    assert f.month_of(datetime(2025, 1, 31, 23, 30, tzinfo=UTC)) == "2025-02"  # Oslo time
    assert f.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert f.compute([], [], [], [], f.Assumptions()).months == []


# --- CSV -----------------------------------------------------------------------------------------

def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_table_csvs_carry_the_figures(client, cluster):
    login(client, "koordinator@example.no")
    response = client.get("/coordinator/impact/co2.csv")
    assert response.mimetype == "text/csv"
    assert "impact-co2.csv" in response.headers["Content-Disposition"]
    assert rows(response.get_data(as_text=True)) == [{
        "agreements_counted": "2", "agreements_not_counted": "2", "tonnes": "520", "tkm": "21200",
        "reference_tkm": "156000", "co2_t": "2.12", "reference_co2_t": "15.6", "saved_co2_t": "13.48",
        "kg_per_tkm": "0.1"}]
    transport = rows(client.get("/coordinator/impact/transport.csv").get_data(as_text=True))
    assert transport[1] == {"pairs": "agreed", "count": "3", "total_km": "130", "average_km": "43.333",
                            "reference_km": "300", "shorter_km": "256.667"}
    summary = {r["measure"]: r["value"] for r in
               rows(client.get("/coordinator/impact/summary.csv").get_data(as_text=True))}
    assert summary["members"] == "4" and summary["local_tonnes_per_year"] == "704"
    assert "DEFRA" in summary["co2_source"]
    assert client.get("/coordinator/impact/nothing.csv").status_code == 404


def test_all_tables_in_one_csv_with_a_table_column(client, cluster):
    login(client, "koordinator@example.no")
    text = client.get("/coordinator/impact.csv").get_data(as_text=True)
    data = rows(text)
    assert text.splitlines()[0].startswith("table,measure,value,unit,")
    assert [r["table"] for r in data if r["table"] != data[0]["table"]][:1] == ["listings"]
    assert {r["table"] for r in data} == set(tables.TABLE_NAMES)
    volumes = [r for r in data if r["table"] == "volumes"]
    assert [(r["material"], r["unit"], r["volume"]) for r in volumes] == [
        ("Bark", "t", "520"), ("Sagflis", "m3", "350"), ("Spillvarme", "MWh", "2000")]
    assert volumes[0]["measure"] == ""  # another table's column stays empty


def test_csv_exports_neutralise_formulas(client, session, cluster):
    nasty = add_listing(session, cluster.ids["a"], "offer", "material", "=HYPERLINK(\"http://x\")")
    need = add_listing(session, cluster.ids["b"], "need", "material", "Anything")
    add_suggestion(session, nasty, need, status="agreement", outcome_volume=1.0, outcome_unit="t")
    company = session.get(Company, cluster.ids["d"])
    company.industry, company.municipality = "+cmd|' /C calc'!A0", "@SUM(1+1)"
    session.add(company)
    session.commit()
    login(client, "koordinator@example.no")
    for url in ("/coordinator/impact.csv", "/coordinator/impact/volumes.csv",
                "/coordinator/impact/trades.csv", "/coordinator/impact/municipalities.csv"):
        cells = [c for row in csv.reader(io.StringIO(client.get(url).get_data(as_text=True)))
                 for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], url
    text = client.get("/coordinator/impact/volumes.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    assert "'+cmd" in client.get("/coordinator/impact/trades.csv").get_data(as_text=True)


# --- the page and the charts -------------------------------------------------------------------

def test_page_shows_figures_assumptions_and_charts(client, cluster):
    login(client, "koordinator@example.no")
    page = client.get("/coordinator/impact").get_data(as_text=True)
    assert "Effekt" in page or "Impact" in page
    for chart in ("funnel", "months", "volumes", "municipalities", "transport"):
        assert f'src="/coordinator/impact/{chart}.svg"' in page
    assert "Nord-Odal" in page and "35.210" in page and "Spillvarme" in page
    assert "13,48 t CO₂e" in page  # Bokmål decimal comma
    assert "DEFRA" in page and "MATCHMAKER_IMPACT_REFERENCE_KM" in page
    assert "<script>" not in page and 'style="' not in page


@pytest.mark.parametrize("chart", ["funnel", "months", "volumes", "municipalities", "transport"])
def test_charts_are_svg_without_script(client, cluster, chart):
    login(client, "koordinator@example.no")
    response = client.get(f"/coordinator/impact/{chart}.svg")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert body.lstrip().startswith("<?xml") and "<svg" in body
    assert "<script" not in body.lower() and "javascript:" not in body.lower()
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert body == client.get(f"/coordinator/impact/{chart}.svg").get_data(as_text=True)  # stable


def test_chart_text_from_listings_is_escaped(client, session, cluster):
    nasty = add_listing(session, cluster.ids["a"], "offer", "material", "<script>alert(1)</script>")
    need = add_listing(session, cluster.ids["b"], "need", "material", "Anything")
    add_suggestion(session, nasty, need, status="agreement", outcome_volume=1.0, outcome_unit="t")
    login(client, "koordinator@example.no")
    body = client.get("/coordinator/impact/volumes.svg").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script" not in body


def test_charts_of_an_empty_cluster_say_so(client, coordinator):
    login(client, "koordinator@example.no")
    assert "Ingen data ennå" in client.get("/coordinator/impact/funnel.svg").get_data(as_text=True)
    assert client.get("/coordinator/impact").status_code == 200


def test_members_and_visitors_are_kept_out(client, cluster):
    urls = ("/coordinator/impact", "/coordinator/impact.csv", "/coordinator/impact/co2.csv",
            "/coordinator/impact/funnel.svg")
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    login(client, "a@granli.example")
    for url in urls:
        assert client.get(url).status_code == 403


# --- the public landing page -------------------------------------------------------------------

def test_landing_page_shows_the_cluster_in_aggregate_only(client, cluster):
    page = client.get("/").get_data(as_text=True)
    section = page[page.index('class="figures-public"'):]
    assert "<strong>4</strong> medlemmer" in section
    assert "<strong>3</strong> kommuner" in section
    assert "<strong>4</strong> avtaler" in section
    assert "<strong>520</strong> tonn holdt lokalt" in section
    for secret in ("Hemmelig flis", "Granli", "Vinger", "Bark", "350", "500", "1000", "1 000"):
        assert secret not in page


def test_a_company_waiting_for_approval_counts_nowhere(client, session, cluster):
    waiting = make_company(session, "Nysag AS", "post@nysag.example", municipality="Våler",
                           membership="pending")
    add_listing(session, waiting, "offer", "by-product", "Sagflis", quantity=900.0, unit="t",
                frequency="year")
    section = client.get("/").get_data(as_text=True)
    section = section[section.index('class="figures-public"'):]
    assert "<strong>4</strong> medlemmer" in section and "<strong>3</strong> kommuner" in section
    figures = impact_service.public_figures(session)
    assert figures.members == 4
