"""GET /api/v1/chains and /api/v1/projects for anonymous callers, companies and the coordinator:
the web's privacy (no other company's confidential listing, no status of others' pairs), the
export's shape, filters, paging, and bad input.

The registry (``tests.chain_support``): Granli Sag (a) → Vinger Pellets (b) → Lia Veksthus (c),
and Lia's confidential compost → Odal Jord (d).
"""

from __future__ import annotations

import json
import re

import pytest

from matchmaker.models import ClusterProject, Company, Suggestion
from tests.api.api_support import is_problem, role_tokens
from tests.chain_support import make_registry
from tests.review_support import fresh


@pytest.fixture
def registry(session, two_companies):
    return make_registry(session, two_companies)


@pytest.fixture
def tokens(session, registry, coordinator):
    return role_tokens(session, c="c@lia.example", d="d@odal.example")


def chains(client, headers, query: str = "") -> dict:
    response = client.get(f"/api/v1/chains{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def keys(body: dict) -> set[str]:
    return {item["key"] for item in body["items"]}


def key(*ids: int) -> str:
    return "-".join(map(str, ids))


def set_status(session, suggestion_id: int, status: str) -> None:
    suggestion = session.get(Suggestion, suggestion_id)
    suggestion.status = status
    session.add(suggestion)
    session.commit()


def test_anonymous_gets_401_everywhere(client, registry):
    for method, path in (("get", "/api/v1/chains"), ("get", "/api/v1/projects"),
                         ("post", "/api/v1/projects"), ("post", "/api/v1/projects/1/status")):
        assert is_problem(getattr(client, method)(path), 401), path


def test_the_coordinator_sees_every_chain_in_the_exports_shape(client, runner, session, registry,
                                                               tokens):
    s1, s2, s3 = registry["s"]
    body = chains(client, tokens["coordinator"])
    assert keys(body) == {key(s1, s2), key(s1, s2, s3), key(s2, s3)} and body["total"] == 3
    assert [item["rank"] for item in body["items"]] == [1, 2, 3]
    result = runner.invoke(args=["chains", "--format", "json", "--lang", "nb"])
    assert body["items"] == json.loads(result.output)["chains"]  # one shape, not two
    first = body["items"][0]
    assert first["key"] == key(s2, s3) and first["companies"] == ["Vinger Pellets AS",
                                                                   "Lia Veksthus AS", "Odal Jord AS"]
    link = first["links"][1]
    assert link["offer"]["title"] == "Kompost fra veksthus" and link["status"] == "suggested"
    assert link["need"]["company_municipality"] == "Sør-Odal" and link["distance_km"] == 10
    assert link["reasons"] and "@" not in json.dumps(body)  # reasons, never contact details


def test_a_company_never_sees_another_companys_confidential_listing(client, registry, tokens):
    s1, s2, s3 = registry["s"]
    for who in ("a", "b"):
        response = client.get("/api/v1/chains", headers=tokens[who])
        assert keys(response.get_json()) == {key(s1, s2)}, who
        text = response.get_data(as_text=True)
        assert "Kompost" not in text and "Odal Jord" not in text and "@" not in text
    # Lia sees chains through its own confidential compost; Odal Jord, none to it
    assert keys(chains(client, tokens["c"])) == {key(s1, s2), key(s1, s2, s3), key(s2, s3)}
    assert chains(client, tokens["d"]) == {"items": [], "page": 1, "per_page": 20, "pages": 1,
                                           "total": 0}


def test_a_confidential_link_shows_once_the_two_are_introduced(client, session, registry, tokens):
    s1, s2, s3 = registry["s"]
    set_status(session, s3, "introduced")
    assert keys(chains(client, tokens["d"])) == {key(s2, s3), key(s1, s2, s3)}
    assert keys(chains(client, tokens["a"])) == {key(s1, s2)}  # still not to a third company


def test_a_company_sees_the_status_of_its_own_pairs_only(client, session, registry, tokens):
    s1, s2, _s3 = registry["s"]
    set_status(session, s2, "in_dialogue")  # Vinger Pellets -> Lia Veksthus
    links = {x["suggestion_id"]: x for x in chains(client, tokens["a"])["items"][0]["links"]}
    assert links[s1]["status"] == "suggested" and links[s2]["status"] is None
    links = {x["suggestion_id"]: x for x in chains(client, tokens["b"])["items"][0]["links"]}
    assert links[s2]["status"] == "in_dialogue"
    assert "in_dialogue" in json.dumps(chains(client, tokens["coordinator"]))


def test_interchange_ids_are_the_coordinators_only(client, session, registry, tokens):
    company = session.get(Company, registry["a"])
    company.external_id = "granli-42"
    session.add(company)
    session.commit()
    assert "granli-42" in json.dumps(chains(client, tokens["coordinator"]))
    offer = chains(client, tokens["b"])["items"][0]["links"][0]["offer"]
    assert offer["company"] == "Granli Sag AS" and offer["company_external_id"] is None


def test_filters_by_material_and_municipality(client, registry, tokens):
    s1, s2, s3 = registry["s"]
    coordinator = tokens["coordinator"]
    assert keys(chains(client, coordinator, "?material=SAGFLIS")) == {key(s1, s2), key(s1, s2, s3)}
    assert keys(chains(client, coordinator, "?municipality=s%C3%B8r-odal")) == {key(s1, s2, s3),
                                                                               key(s2, s3)}
    assert chains(client, coordinator, "?material=st%C3%A5l")["total"] == 0
    assert keys(chains(client, tokens["c"], "?material=trepellets")) == {key(s2, s3)}
    assert chains(client, tokens["b"], "?municipality=Nowhere")["total"] == 0


def test_pages_keep_the_rank(client, registry, tokens):
    first = chains(client, tokens["coordinator"], "?per_page=2")
    last = chains(client, tokens["coordinator"], "?per_page=2&page=2")
    assert (first["total"], first["pages"], len(first["items"]), len(last["items"])) == (3, 2, 2, 1)
    assert last["items"][0]["rank"] == 3 and not keys(first) & keys(last)
    assert chains(client, tokens["coordinator"], "?per_page=2&page=9")["page"] == 2


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=101", "page=x",
                                   "material=" + "x" * 101, "municipality=" + "y" * 101])
def test_bad_queries_are_422(client, registry, tokens, query):
    response = client.get(f"/api/v1/chains?{query}", headers=tokens["a"])
    assert is_problem(response, 422) and response.get_json()["errors"]


# --- projects ---------------------------------------------------------------------------------

def test_companies_get_403_for_projects(client, session, registry, tokens):
    s1, s2, _s3 = registry["s"]
    project = ClusterProject(title="Pellets", suggestion_ids=[s1, s2])
    session.add(project)
    session.commit()
    for who in ("a", "b"):
        assert is_problem(client.get("/api/v1/projects", headers=tokens[who]), 403)
        assert is_problem(client.post("/api/v1/projects", headers=tokens[who],
                                      json={"title": "x", "chain": key(s1, s2)}), 403)
        assert is_problem(client.post(f"/api/v1/projects/{project.id}/status", headers=tokens[who],
                                      json={"status": "done"}), 403)
    assert len(session.exec(ClusterProject.__table__.select()).all()) == 1
    assert fresh(session, ClusterProject, project.id).status == "idea"


def test_the_coordinator_saves_a_chain_and_moves_it_on(client, session, registry, tokens):
    coordinator = tokens["coordinator"]
    chain = chains(client, coordinator, "?material=sagflis")["items"][0]
    response = client.post("/api/v1/projects", headers=coordinator,
                           json={"title": "  Pellets fra sagflis ", "note": "Ring Lia",
                                 "chain": chain["key"]})
    assert response.status_code == 201, response.get_data(as_text=True)
    saved = response.get_json()
    assert (saved["title"], saved["note"], saved["status"]) == ("Pellets fra sagflis", "Ring Lia",
                                                                "idea")
    assert saved["suggestion_ids"] == [x["suggestion_id"] for x in chain["links"]]
    assert [x["offer_title"] for x in saved["links"]] == [x["offer"]["title"] for x in chain["links"]]
    assert not any(x["gone"] for x in saved["links"])
    stored = fresh(session, ClusterProject, saved["id"])
    assert stored.suggestion_ids == saved["suggestion_ids"]

    moved = client.post(f"/api/v1/projects/{saved['id']}/status", headers=coordinator,
                        json={"status": "active"})
    assert moved.status_code == 200 and moved.get_json()["status"] == "active"
    assert fresh(session, ClusterProject, saved["id"]).status == "active"
    listed = client.get("/api/v1/projects", headers=coordinator).get_json()
    assert listed["total"] == 1 and listed["items"][0]["status"] == "active"


def test_a_project_says_when_a_link_is_gone(client, session, registry, tokens):
    s1, s2, _s3 = registry["s"]
    saved = client.post("/api/v1/projects", headers=tokens["coordinator"],
                        json={"title": "Pellets", "chain": key(s1, s2)}).get_json()
    session.delete(session.get(Suggestion, s2))
    session.commit()
    listed = client.get("/api/v1/projects", headers=tokens["coordinator"]).get_json()["items"]
    assert [x["id"] for x in listed] == [saved["id"]]
    links = listed[0]["links"]
    assert [x["gone"] for x in links] == [False, True]
    assert links[1] == {"suggestion_id": s2, "gone": True, "offer_title": None,
                        "offer_company": None, "need_title": None, "need_company": None,
                        "status": None}


@pytest.mark.parametrize("body", [
    {}, {"title": "x"}, {"chain": "1-2"}, {"title": "", "chain": "1-2"},
    {"title": "   ", "chain": "S1-S2"}, {"title": "x" * 201, "chain": "S1-S2"},
    {"title": "x", "chain": "S1-S2", "note": "n" * 4001}, {"title": "x", "chain": "S1"},
    {"title": "x", "chain": "S1-S1"}, {"title": "x", "chain": "abc"}, {"title": "x", "chain": "1-x"},
    {"title": "x", "chain": "999999-999998"}, {"title": "x", "chain": "9" * 101},
    {"title": "x", "chain": "S1-S2-0"}, {"title": 3, "chain": "S1-S2"}, [], "x",
])
def test_bad_projects_are_422(client, session, registry, tokens, body):
    s1, s2, _s3 = registry["s"]
    if isinstance(body, dict) and "chain" in body:
        body = {**body, "chain": body["chain"].replace("S1", str(s1)).replace("S2", str(s2))}
    response = client.post("/api/v1/projects", headers=tokens["coordinator"], json=body)
    assert is_problem(response, 422) and response.get_json()["errors"]
    assert session.exec(ClusterProject.__table__.select()).all() == []


def test_bad_statuses_and_unknown_projects(client, session, registry, tokens):
    s1, s2, _s3 = registry["s"]
    project = ClusterProject(title="Pellets", suggestion_ids=[s1, s2])
    session.add(project)
    session.commit()
    path = f"/api/v1/projects/{project.id}/status"
    for body in ({}, {"status": "bogus"}, {"status": None}):
        assert is_problem(client.post(path, headers=tokens["coordinator"], json=body), 422), body
    assert is_problem(client.post("/api/v1/projects/999999/status", headers=tokens["coordinator"],
                                  json={"status": "done"}), 404)
    assert is_problem(client.post(path, headers=tokens["coordinator"], data="{",
                                  content_type="application/json"), 400)
    assert is_problem(client.post(path, headers=tokens["coordinator"], data={"status": "done"}), 415)
    assert is_problem(client.delete(path, headers=tokens["coordinator"]), 405)
    assert fresh(session, ClusterProject, project.id).status == "idea"


def test_the_chain_key_is_documented_with_its_shape(client):
    """Found by the fuzzing run: the document took any 100 characters as a chain key, the
    service only ids joined by '-'."""
    spec = client.get("/api/v1/openapi.json").get_json()
    chain = re.compile(spec["components"]["schemas"]["NewProject"]["properties"]["chain"]["pattern"])
    assert chain.search("12-40-7") and chain.search("1-2-3-4")
    assert not any(chain.search(bad) for bad in ("12", "0" * 101, "1-2-3-4-5", "a-b", "1-2\x00"))
