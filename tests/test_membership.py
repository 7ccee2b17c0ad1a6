"""A company that registers itself waits for the coordinator's approval: until then it sees no
other member's listings on any page or export, nobody sees its listings, and they are not
matched. The coordinator approves or turns it down from a queue."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from matchmaker import db
from matchmaker.models import Company, Listing, Suggestion
from matchmaker.services import accounts, notifications
from tests.conftest import PASSWORD, PELLETS_NEED, drop_database, fresh_database_url, login
from tests.flow_helpers import add_listing, notes_of, sawdust_pair

NEWCOMER = {"company_name": "Nykommer Flis AS", "postcode": "2212", "city": "Kongsvinger",
            "name": "Nina Ny", "email": "nina@nykommer.example", "password": PASSWORD,
            "password2": PASSWORD, "language": "nb"}


def _register(client) -> None:
    assert client.post("/register", data=NEWCOMER).status_code == 302


def _newcomer(session) -> Company:
    session.expire_all()
    return session.exec(select(Company).where(Company.name == NEWCOMER["company_name"])).one()


@pytest.fixture
def members(session, two_companies, coordinator):
    """Two approved members with a public listing each and a pair between them."""
    a, b = two_companies
    suggestion = sawdust_pair(session, a, b)
    return a, b, suggestion


def test_self_registration_waits_and_the_coordinator_is_told(client, session, coordinator):
    _register(client)
    company = _newcomer(session)
    assert company.membership == "pending" and not company.approved
    [note] = notes_of(session, coordinator.id)
    assert note.kind == notifications.REGISTERED and note.subject_id == company.id
    page = client.get("/company").get_data(as_text=True)
    assert "venter på koordinatorens godkjenning" in page


def test_companies_added_otherwise_are_members(session, two_companies):
    """The coordinator's import, the demo and the tests' fixtures go through the same service
    without `self_registered`: they are approved."""
    for company_id in two_companies:
        assert session.get(Company, company_id).membership == "approved"


@pytest.mark.parametrize("path", [
    "/directory", "/directory?q=sagflis", "/map", "/map/data.json", "/partners", "/partners.csv",
    "/partners.json", "/chains", "/companies/{a}", "/listings/{offer}", "/partners/{pair}"])
def test_a_waiting_company_sees_no_other_member(client, session, members, path):
    a, _b, suggestion = members
    _register(client)
    response = client.get(path.format(a=a, offer=suggestion.offer_listing_id, pair=suggestion.id))
    assert response.status_code in (403, 404)
    body = response.get_data(as_text=True)
    for secret in ("Granli Sag", "Vinger Pellets", "Sagflis fra gran", "Sawdust for pellets"):
        assert secret not in body


def test_a_waiting_company_keeps_its_own_pages(client, session, members):
    _register(client)
    assert client.get("/company/edit").status_code == 200
    assert client.post("/listings/new", data=PELLETS_NEED).status_code == 302
    listing = session.exec(select(Listing).where(
        Listing.company_id == _newcomer(session).id)).one()
    assert client.get(f"/listings/{listing.id}").status_code == 200
    assert client.get("/company").status_code == 200


def _waiting_with_a_need(client, session, members) -> Company:
    """A member offers sawdust; a newcomer registers itself and adds a sawdust need."""
    a, _b, _s = members
    add_listing(session, a, "offer", "by-product", "Sagflis fra gran og furu", quantity=400.0,
                unit="m3", frequency="year")
    _register(client)
    client.post("/listings/new", data=PELLETS_NEED)
    client.post("/logout")
    return _newcomer(session)


def test_nobody_sees_a_waiting_company_and_its_listings_are_not_matched(client, session,
                                                                         members):
    newcomer = _waiting_with_a_need(client, session, members)
    listing = session.exec(select(Listing).where(Listing.company_id == newcomer.id)).one()
    assert session.exec(select(Suggestion).where(
        Suggestion.need_company_id == newcomer.id)).all() == []

    login(client, "a@granli.example")
    assert "Nykommer" not in client.get("/directory").get_data(as_text=True)
    assert "Nykommer" not in client.get("/map/data.json").get_data(as_text=True)
    assert client.get(f"/companies/{newcomer.id}").status_code == 404
    assert client.get(f"/listings/{listing.id}").status_code == 404


def test_the_coordinator_approves_and_the_company_joins_at_once(client, session, members,
                                                                caplog):
    newcomer = _waiting_with_a_need(client, session, members)

    login(client, "koordinator@example.no")
    queue = client.get("/coordinator/members").get_data(as_text=True)
    assert f'id="c{newcomer.id}"' in queue and "nina@nykommer.example" in queue
    with caplog.at_level("INFO", logger="matchmaker.security"):
        assert client.post(f"/coordinator/members/{newcomer.id}/approve").status_code == 302
    assert any("membership approved" in r.getMessage() for r in caplog.records)
    assert _newcomer(session).membership == "approved"
    assert f'id="c{newcomer.id}"' not in client.get("/coordinator/members").get_data(as_text=True)
    # its listing is matched now, without waiting for a recompute
    assert session.exec(select(Suggestion).where(
        Suggestion.need_company_id == newcomer.id)).all() != []
    # a second decision on the same company changes nothing
    client.post(f"/coordinator/members/{newcomer.id}/reject")
    assert _newcomer(session).membership == "approved"
    client.post("/logout")

    login(client, NEWCOMER["email"])
    assert client.get("/directory").status_code == 200
    assert "Granli Sag" in client.get("/partners").get_data(as_text=True)


def test_a_company_turned_down_still_sees_nobody(client, session, members):
    _register(client)
    client.post("/logout")
    newcomer = _newcomer(session)
    login(client, "koordinator@example.no")
    client.post(f"/coordinator/members/{newcomer.id}/reject")
    client.post("/logout")
    assert _newcomer(session).membership == "rejected"
    login(client, NEWCOMER["email"])
    response = client.get("/directory")
    assert response.status_code == 403
    assert "ikke godkjent" in response.get_data(as_text=True)


def test_only_the_coordinator_decides_membership(client, session, members):
    _register(client)
    client.post("/logout")
    newcomer = _newcomer(session)
    login(client, "a@granli.example")
    assert client.get("/coordinator/members").status_code == 403
    assert client.post(f"/coordinator/members/{newcomer.id}/approve").status_code == 403
    assert _newcomer(session).membership == "pending"


def test_existing_companies_migrate_as_members(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "membership")
    engine = db.make_engine(url)
    try:
        db.upgrade(engine, "0006")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO company (name, address, postcode, city, municipality, country, "
                "description, industry, nace_code, website, contact_person, email, phone, "
                "created_at, updated_at) VALUES ('Gammel AS', '', '', '', '', 'NO', '', '', '', "
                "'', '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT membership FROM company")).scalar_one() == "approved"
    finally:
        engine.dispose()
        drop_database(url)


def test_register_company_service_defaults_to_a_member(session):
    company = Company(name="Importert AS", email="post@importert.example")
    user = accounts.register_company(session, company=company, email="x@importert.example",
                                     password=PASSWORD)
    assert session.get(Company, user.company_id).approved


def test_the_coordinator_pairs_no_waiting_company_by_hand(client, session, members):
    _register(client)
    client.post("/listings/new", data={**PELLETS_NEED, "title": "Flis til fyringsanlegg"})
    client.post("/logout")
    login(client, "koordinator@example.no")
    page = client.get("/coordinator/matches/new").get_data(as_text=True)
    assert "Sagflis fra gran" in page and "Flis til fyringsanlegg" not in page
