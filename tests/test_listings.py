from sqlmodel import select

from matchmaker.models import Listing
from tests.conftest import login

SAWDUST = {"direction": "offer", "kind": "by-product", "title": "Sagflis, tørr",
           "description": "Fra gran og furu", "quantity": "400", "unit": "m3",
           "frequency": "year", "visibility": "public", "active": "y"}


def _add(client, **overrides):
    return client.post("/listings/new", data={**SAWDUST, **overrides})


def _listings(session):
    session.expire_all()
    return list(session.exec(select(Listing)))


def test_member_creates_edits_deactivates_and_deletes_a_listing(client, session, two_companies):
    login(client, "a@granli.example")
    assert _add(client).status_code == 302
    [listing] = _listings(session)
    assert (listing.title, listing.quantity, listing.unit) == ("Sagflis, tørr", 400.0, "m3")
    assert listing.company_id == two_companies[0]

    page = client.get("/company").get_data(as_text=True)
    assert "Sagflis, tørr" in page

    assert client.post(f"/listings/{listing.id}/edit",
                       data={**SAWDUST, "title": "Sagflis og kutterflis"}).status_code == 302
    assert _listings(session)[0].title == "Sagflis og kutterflis"

    assert client.post(f"/listings/{listing.id}/active", data={"active": "0"}).status_code == 302
    assert _listings(session)[0].active is False

    assert client.post(f"/listings/{listing.id}/delete").status_code == 302
    assert _listings(session) == []


def test_validation_errors_are_shown_and_nothing_is_saved(client, session, two_companies):
    login(client, "a@granli.example")
    cases = [
        {"title": ""},
        {"quantity": "-5"},
        {"quantity": "mange"},
        {"unit": "barrels"},
        {"kind": "woood"},
        {"direction": "sell"},
        {"quantity": "10", "unit": ""},
        {"title": "x" * 201},
        {"available_from": "2027-05-01", "available_until": "2027-01-01"},
    ]
    for overrides in cases:
        response = _add(client, **overrides)
        assert response.status_code == 200, overrides
        assert 'class="error"' in response.get_data(as_text=True), overrides
    assert _listings(session) == []


def test_a_company_cannot_edit_or_delete_another_companys_listing(client, session, two_companies):
    login(client, "a@granli.example")
    _add(client)
    [listing] = _listings(session)
    client.post("/logout")

    login(client, "b@vinger.example")
    assert client.get(f"/listings/{listing.id}/edit").status_code == 403
    assert client.post(f"/listings/{listing.id}/edit",
                       data={**SAWDUST, "title": "Hijacked"}).status_code == 403
    assert client.post(f"/listings/{listing.id}/active", data={"active": "0"}).status_code == 403
    assert client.post(f"/listings/{listing.id}/delete").status_code == 403
    [after] = _listings(session)
    assert (after.title, after.active) == ("Sagflis, tørr", True)
    # The public listing itself is visible to the other member.
    assert client.get(f"/listings/{listing.id}").status_code == 200


def test_confidential_listings_are_hidden_from_other_members(client, session, two_companies,
                                                               coordinator):
    login(client, "a@granli.example")
    _add(client, title="Hemmelig granbark", visibility="coordinator")
    _add(client, title="Offentlig sagflis")
    secret = next(x for x in _listings(session) if x.visibility == "coordinator")
    assert "Hemmelig granbark" in client.get("/company").get_data(as_text=True)
    client.post("/logout")

    login(client, "b@vinger.example")
    for url in ("/directory", "/directory?q=granbark", f"/companies/{two_companies[0]}"):
        page = client.get(url).get_data(as_text=True)
        assert "Hemmelig granbark" not in page, url
    assert "Offentlig sagflis" in client.get("/directory").get_data(as_text=True)
    assert client.get("/directory?q=granbark").get_data(as_text=True).count("Granli Sag") == 0
    assert client.get(f"/listings/{secret.id}").status_code == 404
    client.post("/logout")

    login(client, coordinator.email)
    assert "Hemmelig granbark" in client.get("/coordinator/").get_data(as_text=True)
    assert "Hemmelig granbark" in client.get("/directory").get_data(as_text=True)
    assert client.get(f"/listings/{secret.id}").status_code == 200


def test_contact_details_are_hidden_from_other_members(client, two_companies, coordinator):
    login(client, "b@vinger.example")
    page = client.get(f"/companies/{two_companies[0]}").get_data(as_text=True)
    assert "Granli Sag AS" in page
    assert "a@granli.example" not in page and "+47 62 00 00 00" not in page
    client.post("/logout")
    login(client, coordinator.email)
    page = client.get(f"/companies/{two_companies[0]}").get_data(as_text=True)
    assert "a@granli.example" in page


def test_inactive_listings_are_not_in_the_directory(client, session, two_companies):
    login(client, "a@granli.example")
    _add(client, title="Gammel bark", active="")
    client.post("/logout")
    login(client, "b@vinger.example")
    assert "Gammel bark" not in client.get("/directory").get_data(as_text=True)


def test_directory_filters_by_text_and_municipality(client, session, two_companies):
    login(client, "a@granli.example")
    _add(client, title="Sagflis")
    client.post("/logout")
    login(client, "b@vinger.example")
    page = client.get("/directory?q=sagflis").get_data(as_text=True)
    assert "Granli Sag AS" in page and "Vinger Pellets AS" not in page
    page = client.get("/directory?municipality=Grue").get_data(as_text=True)
    assert "Vinger Pellets AS" in page and "Granli Sag AS" not in page


def test_anonymous_users_are_sent_to_login(client, two_companies):
    for url in ("/company", "/directory", "/listings/new", f"/companies/{two_companies[0]}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_directory_search_reads_the_query_like_the_matching_engine(client, session, two_companies):
    """Translations, typos and compound heads find a listing; a confidential one stays hidden."""
    login(client, "a@granli.example")
    _add(client, title="Sagflis")
    _add(client, title="Granbark fra barkemaskinen")
    _add(client, title="Hemmelig kutterflis", visibility="coordinator")
    client.post("/logout")
    login(client, "b@vinger.example")
    for query in ("sawdust", "sagfliss", "bark", "spruce bark"):
        page = client.get(f"/directory?q={query}").get_data(as_text=True)
        assert "Granli Sag AS" in page, query
    assert "Granli Sag AS" not in client.get("/directory?q=kutterflis").get_data(as_text=True)
    assert "Granli Sag AS" not in client.get("/directory?q=steel").get_data(as_text=True)
