"""GET/POST /api/v1/suggestions for anonymous callers, two companies and the coordinator, with
the web's privacy rules: no confidential listing, no contact details before the introduction,
others' suggestions answer 404."""

from __future__ import annotations

import pytest

from matchmaker.models import Company, Suggestion
from matchmaker.services import accounts
from tests.api.api_support import bearer, is_problem, token_for
from tests.conftest import make_company
from tests.review_support import add_listing, add_suggestion


def test_anonymous_gets_401_everywhere(client, pair):
    sid = pair.suggestion.id
    for method, path in (("get", "/api/v1/suggestions"), ("get", f"/api/v1/suggestions/{sid}"),
                         ("post", f"/api/v1/suggestions/{sid}/answer")):
        assert is_problem(getattr(client, method)(path), 401), path


def test_each_company_sees_its_side_without_the_partners_contact(client, pair, tokens):
    for who, side in (("a", "offer"), ("b", "need")):
        body = client.get("/api/v1/suggestions", headers=tokens[who]).get_json()
        assert body["total"] == 1 and body["page"] == 1
        item = body["items"][0]
        assert item["id"] == pair.suggestion.id and item["your_side"] == side
        other = item["need" if side == "offer" else "offer"]
        assert other["company"]["email"] is None and other["company"]["phone"] is None
        assert other["answer"] is None
        assert item[side]["company"]["email"]  # its own contact, of course


def test_contact_details_once_introduced(client, session, pair, tokens):
    pair.suggestion.status = "introduced"
    session.add(pair.suggestion)
    session.commit()
    item = client.get(f"/api/v1/suggestions/{pair.suggestion.id}", headers=tokens["b"]).get_json()
    assert item["offer"]["company"]["email"] == "a@granli.example"


def test_a_confidential_partner_listing_hides_the_suggestion(client, session, pair, tokens):
    pair.offer.visibility = "coordinator"
    session.add(pair.offer)
    session.commit()
    assert client.get("/api/v1/suggestions", headers=tokens["b"]).get_json()["total"] == 0
    assert is_problem(client.get(f"/api/v1/suggestions/{pair.suggestion.id}", headers=tokens["b"]), 404)


def test_a_third_company_gets_404_for_others_suggestions(client, session, pair):
    make_company(session, "Tredje AS", "c@tredje.example")
    c = bearer(token_for(session, "c@tredje.example"))
    sid = pair.suggestion.id
    assert client.get("/api/v1/suggestions", headers=c).get_json()["items"] == []
    assert is_problem(client.get(f"/api/v1/suggestions/{sid}", headers=c), 404)
    assert is_problem(client.post(f"/api/v1/suggestions/{sid}/answer", headers=c,
                                  json={"answer": "interested"}), 404)
    assert is_problem(client.get("/api/v1/suggestions/999999", headers=c), 404)


def test_the_coordinator_sees_every_pair_with_both_answers(client, session, pair, tokens):
    other = add_listing(session, pair.b, "need", "by-product", "Bark", visibility="coordinator")
    add_suggestion(session, pair.offer, other, score=0.5, status="rejected")
    body = client.get("/api/v1/suggestions", headers=tokens["coordinator"]).get_json()
    assert body["total"] == 2 and body["items"][0]["your_side"] is None
    assert client.get("/api/v1/suggestions?status=rejected",
                      headers=tokens["coordinator"]).get_json()["total"] == 1
    assert client.get("/api/v1/suggestions", headers=tokens["a"]).get_json()["total"] == 1


def test_a_company_answers_and_the_coordinator_sees_it(client, session, pair, tokens):
    sid = pair.suggestion.id
    response = client.post(f"/api/v1/suggestions/{sid}/answer", headers=tokens["b"],
                           json={"answer": "not_relevant", "reason": "too_far"})
    assert response.status_code == 200
    assert response.get_json()["need"]["answer"] == "not_relevant"
    session.expire_all()
    stored = session.get(Suggestion, sid)
    assert (stored.need_answer, stored.need_answer_reason) == ("not_relevant", "too_far")
    seen = client.get(f"/api/v1/suggestions/{sid}", headers=tokens["coordinator"]).get_json()
    assert seen["need"]["answer"] == "not_relevant"


def test_answering_after_the_decision_is_409(client, session, pair, tokens):
    pair.suggestion.status = "introduced"
    session.add(pair.suggestion)
    session.commit()
    assert is_problem(client.post(f"/api/v1/suggestions/{pair.suggestion.id}/answer",
                                  headers=tokens["a"], json={"answer": "interested"}), 409)


def test_the_coordinator_has_no_side_to_answer(client, pair, tokens):
    assert is_problem(client.post(f"/api/v1/suggestions/{pair.suggestion.id}/answer",
                                  headers=tokens["coordinator"], json={"answer": "interested"}), 404)


@pytest.mark.parametrize("body", [{}, {"answer": "maybe"}, {"answer": "not_relevant", "reason": "x"},
                                  {"answer": 3}, [], "interested"])
def test_bad_answers_are_422(client, pair, tokens, body):
    response = client.post(f"/api/v1/suggestions/{pair.suggestion.id}/answer", headers=tokens["a"],
                           json=body)
    assert is_problem(response, 422) and response.get_json()["errors"]


def test_broken_json_is_400_and_other_media_types_415(client, pair, tokens):
    path = f"/api/v1/suggestions/{pair.suggestion.id}/answer"
    broken = client.post(path, headers=tokens["a"], data="{", content_type="application/json")
    assert is_problem(broken, 400)
    assert is_problem(client.post(path, headers=tokens["a"], data={"answer": "interested"}), 415)


def test_too_large_a_body_is_413(client, pair, tokens):
    path = f"/api/v1/suggestions/{pair.suggestion.id}/answer"
    huge = '{"answer": "' + "x" * (3 * 1024 * 1024) + '"}'
    assert is_problem(client.post(path, headers=tokens["a"], data=huge,
                                  content_type="application/json"), 413)


def test_wrong_method_is_405_and_unknown_path_404(client, pair, tokens):
    response = client.delete("/api/v1/suggestions", headers=tokens["a"])
    assert is_problem(response, 405) and "GET" in response.headers["Allow"]
    assert is_problem(client.get("/api/v1/nothing-here", headers=tokens["a"]), 404)


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=101", "page=x", "status=nope"])
def test_paging_bounds_are_422(client, pair, tokens, query):
    assert is_problem(client.get(f"/api/v1/suggestions?{query}", headers=tokens["a"]), 422)


def test_pages_of_the_coordinators_list(client, session, pair, tokens):
    for n in range(3):
        need = add_listing(session, pair.b, "need", "by-product", f"Flis {n}")
        add_suggestion(session, pair.offer, need, score=0.1 * n)
    first = client.get("/api/v1/suggestions?per_page=3", headers=tokens["coordinator"]).get_json()
    second = client.get("/api/v1/suggestions?per_page=3&page=2", headers=tokens["coordinator"]).get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (4, 2, 3, 1)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_a_company_waiting_for_approval_gets_403(client, session, pair):
    company_id = make_company(session, "Ny AS", "ny@ny.example")
    company = session.get(Company, company_id)
    company.membership = "pending"
    session.add(company)
    session.commit()
    assert accounts.find_user_by_email(session, "ny@ny.example").company_id == company_id
    assert is_problem(client.get("/api/v1/suggestions", headers=bearer(token_for(session, "ny@ny.example"))),
                      403)


def test_answers_need_no_csrf_token_but_the_web_still_does(database_url, pair, tokens):
    from matchmaker import create_app

    guarded = create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                          "RATELIMIT_ENABLED": False}).test_client()
    response = guarded.post(f"/api/v1/suggestions/{pair.suggestion.id}/answer", headers=tokens["a"],
                            json={"answer": "interested"})
    assert response.status_code == 200
    assert guarded.post("/login", data={"email": "a@granli.example", "password": "x"}).status_code == 400
