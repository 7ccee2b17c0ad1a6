"""The partner page as a company works through it: groups by what to do next, filters, pages;
and a listing's own page with its suggested partners."""

from __future__ import annotations

import re

import pytest

from matchmaker.services.paging import paginate_list
from tests.conftest import login, make_company
from tests.review_support import CONTACT_B, Pair, add_listing, add_suggestion, make_pair


@pytest.fixture
def pair(session, two_companies) -> Pair:
    return make_pair(session, two_companies)


def _cards(page: str) -> list[str]:
    """The partner companies on the page's cards, in order."""
    return re.findall(r'<article class="card partner"[^>]*>.*?<h2 id="[^"]+"><a href="[^"]+">([^<]+)</a>',
                      page, re.S)


def _count(page: str, group_label: str) -> int:
    return int(re.search(rf'{group_label} <span class="count">(\d+)</span>', page).group(1))


@pytest.fixture
def spread(session, pair):
    """Granli's suggestions in every group: to answer, waiting (answered), introduced, closed."""
    answered_need = add_listing(session, pair.b, "need", "by-product", "Flis til fyring")
    introduced_need = add_listing(session, pair.b, "need", "material", "Bark til jord")
    closed_need = add_listing(session, pair.b, "need", "material", "Kapp til ved")
    return {
        "waiting": add_suggestion(session, pair.offer, answered_need, score=0.7,
                                  offer_answer="interested"),
        "introduced": add_suggestion(session, pair.offer, introduced_need, score=0.6,
                                     status="in_dialogue"),
        "closed": add_suggestion(session, pair.offer, closed_need, score=0.5, status="no_deal"),
    }


def test_suggestions_are_grouped_by_what_the_company_should_do(client, pair, spread):
    login(client, "a@granli.example")
    page = client.get("/partners").get_data(as_text=True)
    assert [_count(page, label) for label in (
        "Å svare på", "Venter på koordinatoren", "Introdusert", "Avsluttet")] == [1, 1, 1, 1]
    assert "Sawdust for pellets" in page and "Flis til fyring" not in page  # "answer" first
    waiting = client.get("/partners?group=waiting").get_data(as_text=True)
    assert "Flis til fyring" in waiting and "Sawdust for pellets" not in waiting
    assert "Deres svar: Interessert" in waiting  # the company's answer, on its card
    introduced = client.get("/partners?group=introduced").get_data(as_text=True)
    assert "Bark til jord" in introduced and all(secret in introduced for secret in CONTACT_B)
    closed = client.get("/partners?group=closed").get_data(as_text=True)
    assert "Kapp til ved" in closed and "Bark til jord" not in closed
    bogus = client.get("/partners?group=everything&page=x&listing=abc&strength=huge")
    assert bogus.status_code == 200 and "Sawdust for pellets" in bogus.get_data(as_text=True)


def test_an_empty_group_is_skipped_and_a_card_links_the_partner_company(client, pair):
    login(client, "a@granli.example")
    client.post(f"/partners/{pair.suggestion.id}/answer", data={"answer": "interested"})
    page = client.get("/partners").get_data(as_text=True)  # nothing to answer: opens "waiting"
    assert _cards(page) == ["Vinger Pellets AS"]
    assert f'href="/companies/{pair.b}"' in page


def test_filters_by_own_listing_strength_and_text(client, session, pair):
    heat = add_listing(session, pair.a, "offer", "energy", "Overskuddsvarme")
    dryer = add_listing(session, pair.b, "need", "energy", "Varme til tørking")
    strong = add_suggestion(session, heat, dryer, score=0.9)
    strong.components = {"concept": 0.95, "text": 0.2}
    session.add(strong)
    session.commit()
    login(client, "a@granli.example")
    assert len(_cards(client.get("/partners").get_data(as_text=True))) == 2
    by_listing = client.get(f"/partners?listing={heat.id}").get_data(as_text=True)
    assert "Varme til tørking" in by_listing and "Sawdust for pellets" not in by_listing
    by_strength = client.get("/partners?strength=strong").get_data(as_text=True)
    assert "Varme til tørking" in by_strength and "Sawdust for pellets" not in by_strength
    by_text = client.get("/partners?q=SAWDUST").get_data(as_text=True)
    assert "Sawdust for pellets" in by_text and "Varme til tørking" not in by_text
    assert "Ingenting å svare på" in client.get("/partners?q=stål").get_data(as_text=True)


def test_ten_cards_a_page_and_page_links_keep_the_filters(client, session, pair):
    for i in range(12):
        need = add_listing(session, pair.b, "need", "by-product", f"Sagflis nummer {i:02d}")
        add_suggestion(session, pair.offer, need, score=0.5 - i / 100)
    login(client, "a@granli.example")
    first = client.get("/partners?q=sagflis").get_data(as_text=True)
    assert len(_cards(first)) == 10 and "Sagflis nummer 09" in first
    assert "Sagflis nummer 10" not in first
    links = re.findall(r'href="(/partners\?[^"]*page=2[^"]*)"', first.replace("&amp;", "&"))
    assert links and all("q=sagflis" in link for link in links)
    second = client.get("/partners?q=sagflis&page=2").get_data(as_text=True)
    assert len(_cards(second)) == 2 and "Sagflis nummer 11" in second
    # "Sawdust for pellets" (score 0.8) does not contain "sagflis" in its title: it is filtered
    assert "Sawdust for pellets" not in first + second
    # answering keeps the company where it was
    target = re.search(r'action="(/partners/\d+/answer[^"]*)"', second).group(1).replace("&amp;", "&")
    response = client.post(target, data={"answer": "interested"})
    assert "q=sagflis" in response.location and "page=2" in response.location


def test_a_map_link_opens_the_group_and_page_of_its_suggestion(client, session, pair, spread):
    login(client, "a@granli.example")
    page = client.get(f"/partners?show={spread['closed'].id}").get_data(as_text=True)
    assert f'id="s{spread["closed"].id}"' in page


def test_the_score_is_explained_where_it_is_shown(client, pair):
    login(client, "a@granli.example")
    page = client.get("/partners").get_data(as_text=True)
    assert "80 av 100" in page and "middels match" in page  # text 0.7: medium evidence
    assert re.search(r'<details class="score">.*‘sagflis’ = ‘sawdust’', page, re.S)
    client.post("/logout")


def test_the_coordinator_sees_the_score_components_in_words(client, pair, coordinator):
    login(client, coordinator.email)
    queue = client.get("/coordinator/matches").get_data(as_text=True)
    assert "Ordlikhet: 70 av 100" in queue and "Nærhet: 90 av 100" in queue
    assert 'data-select-all="ids"' in queue and 'data-label="Avstand"' in queue
    assert '<details class="filters card">' in queue  # folded until a filter is used
    assert '<details class="filters card" open>' in client.get(
        "/coordinator/matches?kind=energy").get_data(as_text=True)


def test_a_listing_page_shows_its_suggested_partners_to_its_owner_only(client, session, pair):
    login(client, "a@granli.example")
    own = client.get(f"/listings/{pair.offer.id}").get_data(as_text=True)
    assert "Foreslåtte partnere (1)" in own and "Vinger Pellets AS" in own
    assert "Sawdust for pellets" in own and "80 av 100" in own
    assert not any(secret in own for secret in CONTACT_B)  # not introduced yet
    pair.suggestion.status = "introduced"
    session.add(pair.suggestion)
    session.commit()
    assert all(secret in client.get(f"/listings/{pair.offer.id}").get_data(as_text=True)
               for secret in CONTACT_B)
    client.post("/logout")
    make_company(session, "Odal Stål AS", "c@odal.example")
    login(client, "c@odal.example")
    other = client.get(f"/listings/{pair.offer.id}").get_data(as_text=True)
    assert "Sagflis fra gran" in other and "Vinger Pellets AS" not in other


def test_a_page_number_out_of_range_lands_on_a_real_page():
    items = list(range(25))
    assert paginate_list(items, 99, 10).items == [20, 21, 22, 23, 24]
    assert paginate_list(items, -1, 10).page == 1
    page = paginate_list(items, 2, 10)
    assert (page.pages, page.first, page.last) == (3, 11, 20)
    assert paginate_list([], 3, 10).pages == 1


def test_the_text_filter_folds_norwegian_capitals_as_python_does(client, session, pair):
    other = make_company(session, "ØSTBY MØLLE AS", "post@ostby.example")
    need = add_listing(session, other, "need", "by-product", "ÆRLIG FLIS TIL FYRING")
    add_suggestion(session, pair.offer, need, score=0.5)
    login(client, "a@granli.example")
    for query in ("østby", "ærlig flis", "MØLLE"):
        page = client.get(f"/partners?q={query}").get_data(as_text=True)
        assert _cards(page) == ["ØSTBY MØLLE AS"], query
    assert "ØSTBY" not in client.get("/partners?q=50%").get_data(as_text=True)  # no wildcard
