"""Units and numbers as people write them ("tonn/år", "lm3", "1 200,5"), shown in the reader's
locale ("40 000 m³", "30. nov. 2026"), and converted where the engine compares quantities."""

import json
from datetime import date

import pytest
from flask_babel import force_locale
from sqlmodel import select

from matchmaker import labels
from matchmaker.domain.numbers import normalise_number
from matchmaker.domain.units import (
    LOOSE_PER_SOLID_M3,
    canonical_quantity,
    is_plain,
    parse_written_unit,
)
from matchmaker.domain.vocab import UNITS
from matchmaker.models import Company, Listing
from matchmaker.services.matcher import listing_record
from tests.conftest import login
from tests.test_listings import _add, _listings


@pytest.mark.parametrize(("written", "unit", "frequency", "factor"), [
    ("t", "t", None, 1.0), ("t/yr", "t", "year", 1.0), ("t/år", "t", "year", 1.0),
    ("tonn/år", "t", "year", 1.0), ("tonn per år", "t", "year", 1.0),
    ("m3/år", "m3", "year", 1.0), ("m³/mnd", "m3", "month", 1.0), ("kWh/år", "kWh", "year", 1.0),
    ("MWh / uke", "MWh", "week", 1.0), ("stk", "pcs", None, 1.0), ("paller", "pallets", None, 1.0),
    ("fm3", "m3", None, 1.0), ("fast m3", "m3", None, 1.0),
    ("lm3", "m3", None, 1 / LOOSE_PER_SOLID_M3), ("løs m3/år", "m3", "year", 1 / LOOSE_PER_SOLID_M3),
])
def test_written_units_are_read(written, unit, frequency, factor):
    parsed = parse_written_unit(written)
    assert (parsed.unit, parsed.frequency, parsed.written) == (unit, frequency, written)
    assert parsed.factor == pytest.approx(factor)


@pytest.mark.parametrize("written", ["", "barrels", "t/dag", "t/år/uke", "x" * 40, "per år"])
def test_unknown_writings_are_not_guessed(written):
    assert parse_written_unit(written) is None


def test_loose_cubic_metres_reach_the_engine_as_solid_ones():
    assert canonical_quantity(100, "lm3") == pytest.approx(40)
    assert canonical_quantity(100, "fm3") == 100
    assert canonical_quantity(100, None) == 100 and canonical_quantity(None, "lm3") is None


@pytest.mark.parametrize(("typed", "english", "read"), [
    ("12,5", False, "12.5"), ("40 000", False, "40000"), ("1 200,5", False, "1200.5"),
    ("40\u00a0000", False, "40000"), ("1.200,5", False, "1200.5"), ("12.5", False, "12.5"),
    ("1,200", True, "1200"), ("1,200", False, "1.200"), ("1,200.5", True, "1200.5"),
])
def test_numbers_are_read_as_typed(typed, english, read):
    assert normalise_number(typed, comma_groups=english) == read


def test_a_listing_keeps_the_unit_as_written_and_the_engine_gets_the_canonical(
        client, session, two_companies):
    login(client, "a@granli.example")
    response = _add(client, quantity="1 200,5", unit="løs m3/år", frequency="")
    assert response.status_code == 302, response.get_data(as_text=True)
    [listing] = _listings(session)
    assert (listing.quantity, listing.unit, listing.unit_written, listing.frequency) == (
        1200.5, "m3", "løs m3/år", "year")
    company = session.get(Company, listing.company_id)
    assert listing_record(listing, company).quantity == pytest.approx(1200.5 / LOOSE_PER_SOLID_M3)
    assert "1\u00a0200,5 løs m3/år" in client.get("/company").get_data(as_text=True)
    form = client.get(f"/listings/{listing.id}/edit").get_data(as_text=True)
    assert 'value="løs m3/år"' in form and 'value="1200,5"' in form


def test_a_plain_unit_is_stored_canonically_and_shown_in_words(client, session, two_companies):
    login(client, "a@granli.example")
    assert _add(client, quantity="40000", unit="stk", frequency="week").status_code == 302
    [listing] = _listings(session)
    assert (listing.unit, listing.unit_written) == ("pcs", None)
    assert "40\u00a0000 stk. per uke" in client.get("/company").get_data(as_text=True)
    assert 'value="stk."' in client.get(f"/listings/{listing.id}/edit").get_data(as_text=True)
    client.get("/language/en")
    assert "40,000 pieces per week" in client.get("/company").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_unit_shown_in_words_reads_back_as_itself(app, lang):
    with app.test_request_context(), force_locale(lang):
        for unit in UNITS:
            parsed = parse_written_unit(str(labels.UNIT[unit]))
            assert parsed is not None and parsed.unit == unit and is_plain(parsed), unit


@pytest.mark.parametrize("overrides", [
    {"quantity": "12,5,6"}, {"quantity": "tolv"}, {"unit": "t/dag"},
    {"unit": "t/år", "frequency": "month"},
])
def test_junk_numbers_units_and_contradictions_are_field_errors(client, session, two_companies,
                                                                overrides):
    login(client, "a@granli.example")
    response = _add(client, **overrides)
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert _listings(session) == []


def test_coordinates_take_a_decimal_comma(client, session, two_companies):
    login(client, "a@granli.example")
    company = session.get(Company, two_companies[0])
    data = {"name": company.name, "email": company.email, "country": "NO",
            "lat": "60,25", "lon": "12,1"}
    assert client.post("/company/edit", data=data).status_code == 302
    session.expire_all()
    company = session.get(Company, two_companies[0])
    assert (company.lat, company.lon) == (60.25, 12.1)


def test_import_reads_written_units_and_decimal_commas(runner, session, tmp_path):
    document = {"format": "matchmaker/v1", "companies": [{"id": "a", "name": "Alfa AS", "listings": [
        {"direction": "offer", "kind": "by-product", "title": "Flis", "quantity": "2 500,5",
         "unit": "lm3/år"},
        {"direction": "offer", "kind": "material", "title": "Tømmer", "quantity": 10, "unit": "t"},
    ]}]}
    path = tmp_path / "units.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    session.expire_all()
    chips = session.exec(select(Listing).where(Listing.title == "Flis")).one()
    assert (chips.quantity, chips.unit, chips.unit_written, chips.frequency) == (
        2500.5, "m3", "lm3/år", "year")
    timber = session.exec(select(Listing).where(Listing.title == "Tømmer")).one()
    assert (timber.unit, timber.unit_written) == ("t", None)
    out = tmp_path / "out.json"
    assert runner.invoke(args=["export", "--format", "json", "--output", str(out)]).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["companies"][0]["listings"][0]["unit"] == "lm3/år"


def test_import_refuses_a_unit_contradicting_the_frequency(runner, tmp_path):
    document = {"format": "matchmaker/v1", "companies": [{"id": "a", "name": "Alfa AS", "listings": [
        {"direction": "offer", "kind": "material", "title": "Tømmer", "quantity": 10,
         "unit": "t/år", "frequency": "week"}]}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "frequency" in result.output


def test_dates_and_numbers_follow_the_language(app):
    from matchmaker.formatting import day, number, quantity

    with app.test_request_context(), force_locale("nb"):
        assert day(date(2026, 11, 30)) == "30. nov. 2026"
        assert number(1.2) == "1,2" and quantity(40000, "m3") == "40\u00a0000 m³"
        assert quantity(1.2, "MW") == "1,2 MW"
    with app.test_request_context(), force_locale("en"):
        assert day(date(2026, 11, 30)) == "Nov 30, 2026" and number(40000) == "40,000"


def test_every_writing_the_unit_box_suggests_is_understood():
    examples = [u for written in labels.UNIT_EXAMPLES.values() for u in written]
    assert [u for u in examples if parse_written_unit(u) is None] == []
