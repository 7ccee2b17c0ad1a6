import pytest

from matchmaker.geo.gazetteer import default_gazetteer
from matchmaker.models import Company
from tests.conftest import login


@pytest.mark.parametrize("place, expected", [
    ("Kirkenær", "Kirkenær"),
    ("Kirkenaer", "Kirkenær"),
    ("kongsvinger", "Kongsvinger"),
    ("Kongsvingr", "Kongsvinger"),
    ("KONGSVINGER", "Kongsvinger"),
    ("Skotteurd", "Skotterud"),
    ("Våler i Solør", "Våler"),
    ("Vaaler", "Våler"),
    ("Elverum", "Elverum"),
])
def test_gazetteer_finds_places_despite_spelling(place, expected):
    hit = default_gazetteer().lookup(place=place, country="NO")
    assert hit is not None, place
    reference = default_gazetteer().lookup(place=expected, country="NO")
    assert (round(hit.lat, 2), round(hit.lon, 2)) == (round(reference.lat, 2),
                                                      round(reference.lon, 2))
    assert 58 < hit.lat < 72 and 4 < hit.lon < 32  # in Norway


def test_gazetteer_knows_swedish_places_and_postcodes():
    arvika = default_gazetteer().lookup(place="Arvika", country="SE")
    assert arvika is not None and 59.5 < arvika.lat < 59.8
    kirkenaer = default_gazetteer().lookup(postcode="2260", country="NO")
    assert kirkenaer is not None and abs(kirkenaer.lat - 60.46) < 0.1


def test_gazetteer_says_nothing_for_unknown_places():
    assert default_gazetteer().lookup(place="Xyzzyville", country="NO") is None
    assert default_gazetteer().lookup(place="", country="NO") is None


PROFILE = {"name": "Granli Sag AS", "org_number": "", "address": "Sagveien 1",
           "postcode": "", "city": "Kongsvinger", "municipality": "Kongsvinger", "country": "NO",
           "lat": "", "lon": "", "description": "Sagbruk", "industry": "Sagbruk",
           "nace_code": "16.100", "website": "https://granli.example",
           "contact_person": "Ola", "email": "post@granli.example", "phone": "+47 62 00 00 01"}


def test_profile_location_from_user_then_gazetteer(client, session, two_companies):
    login(client, "a@granli.example")
    assert client.post("/company/edit", data={**PROFILE, "lat": "60.2001",
                                              "lon": "12.0001"}).status_code == 302
    company = session.get(Company, two_companies[0])
    assert (company.lat, company.lon, company.location_source) == (60.2001, 12.0001, "user")

    assert client.post("/company/edit", data={**PROFILE, "city": "Kirkenaer"}).status_code == 302
    session.expire_all()
    company = session.get(Company, two_companies[0])
    assert company.location_source == "gazetteer" and abs(company.lat - 60.46) < 0.05


def test_profile_without_a_findable_location_is_saved_and_flagged(client, session, two_companies,
                                                                   coordinator):
    login(client, "a@granli.example")
    response = client.post("/company/edit", data={**PROFILE, "city": "Xyzzyville"},
                           follow_redirects=True)
    assert response.status_code == 200
    company = session.get(Company, two_companies[0])
    assert company.city == "Xyzzyville" and company.lat is None
    page = response.get_data(as_text=True)
    assert "Mangler beliggenhet" in page  # Bokmål is the default language
    client.post("/logout")
    login(client, coordinator.email)
    assert "Granli Sag AS" in client.get("/coordinator/").get_data(as_text=True).split(
        "<table")[0]  # listed under the missing-location section


@pytest.mark.parametrize("overrides, field", [
    ({"org_number": "123456789"}, "org_number"),
    ({"lat": "91", "lon": "10"}, "lat"),
    ({"lat": "60"}, "lon"),
    ({"nace_code": "sagbruk"}, "nace_code"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"name": ""}, "name"),
    ({"email": "nope"}, "email"),
])
def test_profile_validation(client, session, two_companies, overrides, field):
    login(client, "a@granli.example")
    response = client.post("/company/edit", data={**PROFILE, **overrides})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}"' in page and 'class="error"' in page
    session.expire_all()
    assert session.get(Company, two_companies[0]).description == ""  # nothing saved
