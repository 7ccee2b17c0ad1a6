"""A new member is guided: a profile-completeness prompt with a link for each missing step, the
place and municipality filled from the postcode, and the location shown as a place."""

from matchmaker.models import Company, Listing
from tests.conftest import login, make_company

PROFILE = {"name": "Nystart AS", "org_number": "", "address": "Industriveien 2",
           "postcode": "2212", "city": "", "municipality": "", "country": "NO", "lat": "",
           "lon": "", "description": "", "industry": "", "nace_code": "", "website": "",
           "contact_person": "Nina", "email": "post@nystart.example", "phone": ""}


def test_the_profile_prompt_counts_the_steps_and_links_each_missing_one(client, session):
    company_id = make_company(session, "Nystart AS", "post@nystart.example", lat=None, lon=None)
    login(client, "post@nystart.example")
    page = client.get("/company").get_data(as_text=True)
    assert "Fullfør profilen" in page and "0 av 4 på plass" in page
    for link in ('href="/company/edit#location"', 'href="/company/edit#org_number"',
                 'href="/listings/new?direction=offer"', 'href="/listings/new?direction=need"'):
        assert link in page
    assert 'id="location"' in client.get("/company/edit").get_data(as_text=True)

    company = session.get(Company, company_id)
    company.org_number, company.lat, company.lon = "974760673", 60.19, 11.99
    session.add(company)
    session.add(Listing(company_id=company_id, direction="offer", kind="by-product",
                        title="Sagflis"))
    session.commit()
    page = client.get("/company").get_data(as_text=True)
    assert "3 av 4 på plass" in page and 'href="/listings/new?direction=need"' in page
    assert 'href="/company/edit#org_number"' not in page and "Organisasjonsnummer lagt inn" in page

    session.add(Listing(company_id=company_id, direction="need", kind="energy", title="Varme"))
    session.commit()
    assert "Fullfør profilen" not in client.get("/company").get_data(as_text=True)


def test_place_and_municipality_come_from_the_postcode_and_show_as_a_place(client, session):
    company_id = make_company(session, "Nystart AS", "post@nystart.example", lat=None, lon=None,
                              city="", municipality="")
    login(client, "post@nystart.example")
    assert client.post("/company/edit", data=PROFILE).status_code == 302
    company = session.get(Company, company_id)
    assert (company.city, company.municipality) == ("Kongsvinger", "Kongsvinger")
    assert company.has_location
    page = client.get("/company").get_data(as_text=True)
    assert "Kongsvinger, Innlandet" in page
    assert '<details class="coordinates"><summary>Koordinater</summary>' in page

    # what the member writes is kept: only blanks are filled
    client.post("/company/edit", data={**PROFILE, "postcode": "2100", "city": "Sander"})
    session.expire_all()
    company = session.get(Company, company_id)
    assert (company.city, company.municipality) == ("Sander", "Sør-Odal")
    assert "Sander, Sør-Odal, Innlandet" in client.get("/company").get_data(as_text=True)


def test_the_postcode_lookup_answers_for_known_codes_only(client):
    found = client.get("/postcode/2212")
    assert found.status_code == 200
    assert found.get_json() == {"place": "Kongsvinger", "municipality": "Kongsvinger",
                                "county": "Innlandet"}
    for code in ("9999", "abc", "2212" + "1" * 500):
        assert client.get(f"/postcode/{code}").status_code == 404
    assert client.get("/postcode/2212%00").status_code in (400, 404)  # refused, never a 500
