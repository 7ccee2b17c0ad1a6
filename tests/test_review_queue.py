"""The coordinator's review queue: members kept out, filters, sorting, paging and bulk actions."""

from __future__ import annotations

import pytest

from matchmaker.models import Suggestion
from matchmaker.services import review
from matchmaker.services.review import QueueFilters
from tests.conftest import login, make_company
from tests.review_support import Pair, add_listing, add_suggestion, events, fresh, make_pair


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def test_members_cannot_reach_the_coordinator_pages(client, pair):
    login(client, "a@granli.example")
    for url in ("/coordinator/matches", f"/coordinator/matches/{pair.suggestion.id}",
                "/coordinator/matches/new", "/coordinator/audit", "/coordinator/audit.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/coordinator/matches/{pair.suggestion.id}/transition",
                       data={"to": "introduced"}).status_code == 403
    assert client.post("/coordinator/matches/bulk", data={
        "ids": [pair.suggestion.id], "action": "introduced"}).status_code == 403


@pytest.fixture
def many(session, pair):
    """Five more matches across three companies, municipalities, kinds and statuses."""
    c = make_company(session, "Odal Stål AS", "c@odal.example", city="Skarnes",
                     municipality="Sør-Odal", lat=60.25, lon=11.68)
    steel = add_listing(session, c, "offer", "material", "Stålskrap")
    steel_need = add_listing(session, pair.b, "need", "material", "Steel scrap")
    heat = add_listing(session, pair.a, "offer", "energy", "Overskuddsvarme")
    heat_need = add_listing(session, c, "need", "energy", "Varme til tørking")
    cutting = add_listing(session, c, "offer", "capability", "Laserskjæring")
    return {
        "steel": add_suggestion(session, steel, steel_need, score=0.55, distance_km=45.0,
                                need_answer="interested"),
        "heat": add_suggestion(session, heat, heat_need, score=0.95, distance_km=12.0,
                               status="deferred"),
        "low": add_suggestion(session, steel, pair.need, score=0.2, distance_km=None,
                              status="rejected"),
        "processing": add_suggestion(session, pair.offer, cutting, score=0.66, distance_km=20.0,
                                     pair_type="processing", status="introduced"),
        "c": c,
    }


def _ids(page) -> list[int]:
    return [row.suggestion.id for row in page.rows]


def test_queue_filters_sort_and_page_in_sql(session, pair, many):
    q = lambda **kw: _ids(review.review_queue(session, QueueFilters(**kw)))  # noqa: E731
    main = pair.suggestion.id
    steel, heat, low, proc = (many[k].id for k in ("steel", "heat", "low", "processing"))
    assert q() == [heat, main, proc, steel, low]  # best score first
    assert q(sort="score_asc")[0] == low
    assert q(sort="distance_asc") == [heat, proc, main, steel, low]  # unknown distance last
    assert q(statuses=("suggested", "deferred")) == [heat, main, steel]
    assert q(score_min=0.5, score_max=0.7) == [proc, steel]
    assert q(distance_max=25) == [heat, proc]
    assert q(municipality="Sør-Odal") == [heat, proc, steel, low]
    assert q(kind="energy") == [heat]
    assert q(company_id=many["c"]) == [heat, proc, steel, low]
    assert q(answers="any_interested") == [steel]
    assert q(answers="unanswered") == [heat, main, proc, low]
    assert q(origin="manual") == []
    first = review.review_queue(session, QueueFilters(per_page=2))
    third = review.review_queue(session, QueueFilters(per_page=2, page=3))
    assert (first.total, first.pages, _ids(first), _ids(third)) == (5, 3, [heat, main], [low])
    assert review.review_queue(session, QueueFilters(per_page=2, page=99)).page == 3


def test_queue_page_reads_filters_from_the_query_string(client, pair, many, coordinator):
    login(client, coordinator.email)
    page = client.get("/coordinator/matches?status=suggested&status=deferred&score_min=0.5"
                      "&sort=distance_asc").get_data(as_text=True)
    assert page.index(f"#{many['heat'].id}<") < page.index(f"#{pair.suggestion.id}<")
    assert f"#{many['low'].id}<" not in page and f"#{many['processing'].id}<" not in page
    bad = client.get("/coordinator/matches?score_min=lots&page=-3")
    assert bad.status_code == 200 and f"#{many['low'].id}<" in bad.get_data(as_text=True)


def test_bulk_actions_are_all_or_nothing(client, session, pair, many, coordinator):
    login(client, coordinator.email)
    client.get("/language/en")
    ids = [pair.suggestion.id, many["steel"].id, many["low"].id]  # "low" is rejected
    response = client.post("/coordinator/matches/bulk", data={"ids": ids, "action": "deferred"})
    assert response.status_code == 409
    assert f"Match #{many['low'].id} is “Rejected” and cannot become “Deferred”. Nothing was " \
        "changed." in response.get_data(as_text=True)
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"
    assert events(session, pair.suggestion.id) == []

    response = client.post("/coordinator/matches/bulk",
                           data={"ids": ids[:2], "action": "rejected"})
    assert response.status_code == 422  # a rejection needs a reason
    assert fresh(session, Suggestion, pair.suggestion.id).status == "suggested"

    response = client.post("/coordinator/matches/bulk?status=suggested",
                           data={"ids": ids[:2], "action": "deferred", "note": "etter jul"})
    assert response.status_code == 302 and "status=suggested" in response.location
    for i in ids[:2]:
        assert fresh(session, Suggestion, i).status == "deferred"
        [event] = events(session, i)
        assert (event.from_status, event.to_status, event.note, event.actor) == (
            "suggested", "deferred", "etter jul", coordinator.email)


def test_a_queue_counts_up_to_its_cap_and_says_more(session, client, pair, many, coordinator, monkeypatch):
    """A national registry's queue counts only as far as anyone pages: past `COUNT_CAP` the
    page says "more than", and its pages reach that far."""
    from matchmaker.services import queue

    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    capped = review.review_queue(session, QueueFilters(per_page=2, page=99))
    assert (capped.total, capped.more, capped.pages, capped.page) == (3, True, 2, 2)
    heat, main, proc = many["heat"].id, pair.suggestion.id, many["processing"].id
    assert _ids(review.review_queue(session, QueueFilters(per_page=2))) == [heat, main]
    assert _ids(capped) == [proc, many["steel"].id]  # the page's own rows, in order
    exact = review.review_queue(session, QueueFilters(statuses=("suggested", "deferred")))
    assert (exact.total, exact.more) == (3, False)
    login(client, coordinator.email)
    page = client.get("/coordinator/matches?lang=nb").get_data(as_text=True)
    assert "Mer enn 3 forslag" in page
    page = client.get("/coordinator/matches?status=suggested").get_data(as_text=True)
    assert "Mer enn" not in page
