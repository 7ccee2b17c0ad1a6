"""The member directory and the coordinator's overview: paged tables with search and filters."""

from __future__ import annotations

import re

from matchmaker.models import Company
from tests.conftest import login, make_company
from tests.review_support import add_listing


def _companies(page: str) -> list[str]:
    """Company names in the table's first column, in order."""
    return re.findall(r'<td data-label="[^"]+"><a href="/companies/\d+">([^<]+)</a>', page)


def test_the_directory_is_a_paged_table_whose_links_keep_the_search(client, session,
                                                                     two_companies):
    for i in range(23):
        company = make_company(session, f"Sagbruk {i:02d} AS", f"s{i}@sag.example",
                               municipality="Eidskog")
        add_listing(session, company, "offer", "by-product", "Sagflis")
    login(client, "a@granli.example")
    first = client.get("/directory?q=sagflis&municipality=Eidskog").get_data(as_text=True)
    assert "23 bedrifter" in first and "1–12 av 23" in first
    assert _companies(first) == [f"Sagbruk {i:02d} AS" for i in range(12)]
    [next_link] = re.findall(r'rel="next" href="([^"]+)"', first.replace("&amp;", "&"))
    assert "q=sagflis" in next_link and "municipality=Eidskog" in next_link
    assert "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert _companies(second) == [f"Sagbruk {i:02d} AS" for i in range(12, 23)]
    assert client.get("/directory?page=999").status_code == 200
    assert client.get("/directory?page=-2&kind=nonsense").status_code == 200


def test_the_directory_filters_by_kind_and_direction_and_shows_only_those_listings(
        client, session, two_companies):
    a, b = two_companies
    add_listing(session, a, "offer", "by-product", "Sagflis")
    add_listing(session, a, "need", "service", "Transport av flis")
    add_listing(session, b, "need", "by-product", "Sawdust for pellets")
    login(client, "a@granli.example")
    offers = client.get("/directory?direction=offer").get_data(as_text=True)
    assert _companies(offers) == ["Granli Sag AS"]
    assert "Sagflis" in offers and "Transport av flis" not in offers
    by_products = client.get("/directory?kind=by-product").get_data(as_text=True)
    assert _companies(by_products) == ["Granli Sag AS", "Vinger Pellets AS"]
    assert "Transport av flis" not in by_products
    needs = client.get("/directory?direction=need&kind=by-product").get_data(as_text=True)
    assert _companies(needs) == ["Vinger Pellets AS"]


def test_the_overview_pages_searches_and_finds_companies_without_a_location(
        client, session, two_companies, coordinator):
    for i in range(11):
        make_company(session, f"Bedrift {i:02d} AS", f"c{i}@b.example")
    nowhere = session.get(Company, two_companies[1])
    nowhere.lat = nowhere.lon = None
    session.add(nowhere)
    session.commit()
    login(client, coordinator.email)
    page = client.get("/coordinator/").get_data(as_text=True)
    assert "Alle bedrifter (13)" in page and len(_companies(page)) == 12
    assert "Vinger Pellets AS" in page.split("<table")[0]  # the missing-location summary
    missing = client.get("/coordinator/?missing=y").get_data(as_text=True)
    assert _companies(missing) == ["Vinger Pellets AS"]
    found = client.get("/coordinator/?q=granli").get_data(as_text=True)
    assert _companies(found) == ["Granli Sag AS"]
    assert 'class="filters card" open' in found  # the filters stay open while in use


def test_members_cannot_filter_on_missing_locations(client, session, two_companies):
    nowhere = session.get(Company, two_companies[1])
    nowhere.lat = nowhere.lon = None
    session.add(nowhere)
    session.commit()
    login(client, "a@granli.example")
    page = client.get("/directory?missing=y").get_data(as_text=True)
    assert _companies(page) == ["Granli Sag AS", "Vinger Pellets AS"]


def test_a_search_folds_norwegian_letters_and_takes_wildcards_literally(client, session, two_companies):
    make_company(session, "Åsnes Trehus AS", "post@asnes.example", city="Flisa")
    other = make_company(session, "Eda Plast AS", "post@eda.example")
    add_listing(session, other, "need", "material", "ØKOLOGISK HALM")
    login(client, "a@granli.example")
    for query, found in (("åsnes", ["Åsnes Trehus AS"]), ("ÅSNES TREHUS", ["Åsnes Trehus AS"]),
                         ("økologisk", ["Eda Plast AS"]), ("flisa", ["Åsnes Trehus AS"])):
        page = client.get(f"/directory?q={query}").get_data(as_text=True)
        assert _companies(page) == found, query
    assert _companies(client.get("/directory?q=%25").get_data(as_text=True)) == []  # "%", not "anything"
