"""Value chains through the service, the pages and the CLI: privacy, filters, projects, exports.

The registry (``tests.chain_support``): Granli Sag (a) sells sawdust to Vinger Pellets (b), whose
pellets go to Lia Veksthus (c); Lia's confidential compost goes to Odal Jord (d).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from matchmaker.models import ClusterProject
from matchmaker.services import chains as chain_service
from tests.chain_support import make_registry
from tests.conftest import login
from tests.review_support import add_listing


@pytest.fixture
def registry(session, two_companies):
    return make_registry(session, two_companies)


def keys(views) -> set[tuple[int, ...]]:
    return {v.chain.suggestion_ids for v in views}


def test_coordinator_sees_chains_through_confidential_listings(session, registry):
    s1, s2, s3 = registry["s"]
    assert keys(chain_service.all_chains(session)) == {(s1, s2), (s1, s2, s3), (s2, s3)}


def test_member_sees_only_its_chains_without_others_confidential_listings(session, registry):
    s1, s2, s3 = registry["s"]
    b_view = chain_service.company_chains(session, registry["b"], viewer_company_id=registry["b"])
    assert keys(b_view) == {(s1, s2)}  # Lia's compost is confidential
    c_view = chain_service.company_chains(session, registry["c"], viewer_company_id=registry["c"])
    assert keys(c_view) == {(s1, s2), (s1, s2, s3), (s2, s3)}  # its own confidential listing
    d_view = chain_service.company_chains(session, registry["d"], viewer_company_id=registry["d"])
    assert keys(d_view) == set()


def test_member_sees_a_confidential_link_once_introduced(session, registry):
    from matchmaker.models import Suggestion

    s3 = session.get(Suggestion, registry["s"][2])
    s3.status = "introduced"
    session.add(s3)
    session.commit()
    d_view = chain_service.company_chains(session, registry["d"], viewer_company_id=registry["d"])
    assert keys(d_view) == {registry["s"][1:], registry["s"]}


def test_member_page_does_not_show_the_status_of_other_companies_pairs(client, session, registry):
    from matchmaker.models import Suggestion

    s2 = session.get(Suggestion, registry["s"][1])  # Vinger Pellets -> Lia Veksthus
    s2.status = "in_dialogue"
    session.add(s2)
    session.commit()
    login(client, "a@granli.example")
    page = client.get("/chains").get_data(as_text=True)
    assert "Trepellets" in page and "I dialog" not in page


def test_inactive_listing_and_rejected_pair_break_the_chain(session, registry):
    from matchmaker.models import Suggestion

    registry["pellets"].active = False
    session.add(registry["pellets"])
    session.commit()
    assert keys(chain_service.all_chains(session)) == set()
    registry["pellets"].active = True
    session.add(registry["pellets"])
    s1 = session.get(Suggestion, registry["s"][0])
    s1.status = "rejected"
    session.add(s1)
    session.commit()
    assert keys(chain_service.all_chains(session)) == {registry["s"][1:]}


def test_filters_by_material_and_municipality(session, registry):
    s1, s2, s3 = registry["s"]
    assert keys(chain_service.all_chains(session, material="SAGFLIS")) == {(s1, s2), (s1, s2, s3)}
    assert keys(chain_service.all_chains(session, municipality="sør-odal")) == {(s1, s2, s3),
                                                                               (s2, s3)}
    assert keys(chain_service.all_chains(session, material="stål")) == set()


def test_unprocessed_offers_have_no_local_taker(session, registry):
    lonely = add_listing(session, registry["d"], "offer", "by-product", "Steinmel")
    ids = {u.listing.id for u in chain_service.unprocessed_offers(session)}
    assert lonely.id in ids and registry["pellets"].id not in ids


def test_pages_privacy_and_nav(client, session, registry, coordinator):
    login(client, "b@vinger.example")
    page = client.get("/chains").get_data(as_text=True)
    assert "Trepellets" in page and "Pellets til fyring" in page
    assert "Kompost fra veksthus" not in page and "Odal Jord" not in page
    assert "c@lia.example" not in page and "Kontakt Lia" not in page  # never contact details
    assert 'href="/chains"' in page
    assert client.get("/coordinator/chains").status_code == 403
    client.post("/logout")
    login(client, "koordinator@example.no")
    page = client.get("/coordinator/chains?material=sagflis").get_data(as_text=True)
    assert "Kompost fra veksthus" in page and "Steinmel" not in page
    assert 'href="/coordinator/chains"' in page
    assert client.get("/coordinator/chains?municipality=Nowhere").status_code == 200
    # paged: a page beyond the end shows the last real one
    assert "Kompost fra veksthus" in client.get(
        "/coordinator/chains?material=sagflis&page=99").get_data(as_text=True)


def test_save_a_chain_as_project_and_see_it_on_the_overview(client, session, registry,
                                                           coordinator):
    s1, s2, s3 = registry["s"]
    login(client, "koordinator@example.no")
    response = client.post("/coordinator/chains/projects", data={
        "title": "Pellets fra sagflis", "note": "Ring Lia", "chain": f"{s1}-{s2}"})
    assert response.status_code == 302
    project = session.exec(select(ClusterProject)).one()
    assert project.suggestion_ids == [s1, s2] and project.status == "idea"
    overview = client.get("/coordinator/").get_data(as_text=True)
    assert "Pellets fra sagflis" in overview and "Ring Lia" in overview
    assert client.post(f"/coordinator/projects/{project.id}/status",
                       data={"status": "active"}).status_code == 302
    session.expire_all()
    assert session.get(ClusterProject, project.id).status == "active"
    assert client.post(f"/coordinator/projects/{project.id}/status",
                       data={"status": "bogus"}).status_code == 422
    assert client.post("/coordinator/chains/projects", data={
        "title": "", "chain": f"{s1}-{s2}"}).status_code == 422
    assert client.post("/coordinator/chains/projects", data={
        "title": "x", "chain": "999999-999998"}).status_code == 422
    assert client.post("/coordinator/projects/999999/status",
                       data={"status": "done"}).status_code == 404
    client.post("/logout")
    login(client, "b@vinger.example")
    assert client.post("/coordinator/chains/projects", data={
        "title": "x", "chain": f"{s1}-{s2}"}).status_code == 403


def test_cli_json_csv_and_bad_company(runner, session, registry):
    s1, s2, s3 = registry["s"]
    result = runner.invoke(args=["chains", "--format", "json"])
    assert result.exit_code == 0, result.output
    chains = json.loads(result.output)["chains"]
    assert [[x["suggestion_id"] for x in c["links"]] for c in chains][0] == [s2, s3]
    assert chains[0]["links"][0]["offer"]["title"] == "Trepellets"
    result = runner.invoke(args=["chains", "--company", str(registry["d"]), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {int(r["suggestion_id"]) for r in rows} == {s1, s2, s3}
    first = next(r for r in rows if int(r["suggestion_id"]) == s1)
    assert first["offer_title"] == "'=Sagflis fra gran"  # a formula is neutralised
    result = runner.invoke(args=["chains", "--company", "no-such-company"])
    assert result.exit_code != 0 and "--company" in result.output


def test_demo_cluster_shows_several_chains_of_three_or_more_companies(runner, session, client):
    import time

    from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD

    assert runner.invoke(args=["seed"]).exit_code == 0
    started = time.perf_counter()
    views = chain_service.all_chains(session)
    assert time.perf_counter() - started < 3  # about 0.1 s here; generous for a busy machine
    assert sum(len(v.companies) >= 3 for v in views) >= 10
    assert any(len(v.links) == 4 for v in views)
    assert all(len(set(c.id for c in v.companies)) == len(v.companies) for v in views)
    login(client, DEMO_COORDINATOR, DEMO_PASSWORD)
    page = client.get("/coordinator/chains").get_data(as_text=True)
    assert "Verdikjeder" in page and "Svakeste ledd" in page
    client.post("/logout")
    login(client, "post@granli-sag.example", DEMO_PASSWORD)
    page = client.get("/chains").get_data(as_text=True)
    assert "Granli Sag AS" in page and "Svakeste ledd" in page
