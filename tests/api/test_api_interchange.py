"""POST /api/v1/import and GET /api/v1/export: the interchange format over HTTP, per role; all
or nothing (also when the database refuses a record after earlier ones were written); bad
bodies as problems; and export → import round trips."""

from __future__ import annotations

import copy
import json
import logging
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from sqlmodel import func, select

from matchmaker.domain.interchange import FORMAT
from matchmaker.domain.rules import LAT_RANGE, MAX_LENGTH
from matchmaker.domain.units import parse_written_unit, spelling_pattern
from matchmaker.domain.vocab import Kind
from matchmaker.models import Company, Listing, Suggestion
from tests.api.api_support import bearer, is_problem, token_for
from tests.conftest import make_company
from tests.review_support import add_listing
from tests.test_interchange import VALID as CLI_VALID

IMPORT, EXPORT = "/api/v1/import", "/api/v1/export"
# the CLI tests' document, by other names than the two companies already there
VALID = copy.deepcopy(CLI_VALID)
VALID["companies"][0]["name"], VALID["companies"][1]["name"] = "Nordsag AS", "Flisa Pellets AS"


@pytest.fixture
def tokens(session, two_companies, coordinator):
    return {who: bearer(token_for(session, email)) for who, email in (
        ("a", "a@granli.example"), ("b", "b@vinger.example"), ("coordinator", coordinator.email))}


def _counts(session) -> tuple[int, int]:
    session.expire_all()
    return (session.exec(select(func.count()).select_from(Company)).one(),
            session.exec(select(func.count()).select_from(Listing)).one())


def _post(client, headers, document) -> object:
    data = document if isinstance(document, (bytes, str)) else json.dumps(document)
    return client.post(IMPORT, headers=headers, data=data, content_type="application/json")


def test_anonymous_gets_401(client, two_companies):
    assert is_problem(_post(client, {}, VALID), 401)
    assert is_problem(client.get(EXPORT), 401)


@pytest.mark.parametrize("who", ["a", "b"])
def test_a_company_may_not_import_whatever_it_sends(client, session, tokens, who):
    before = _counts(session)
    assert is_problem(_post(client, tokens[who], VALID), 403)
    assert is_problem(_post(client, tokens[who], "{"), 403)  # refused before it is parsed
    assert _counts(session) == before


def test_the_coordinator_imports_and_the_pairs_are_matched(client, session, tokens, caplog):
    document = copy.deepcopy(VALID)  # a pellet maker that needs the sawmill's sawdust
    document["companies"][1]["listings"].append(
        {"id": "n1", "direction": "need", "kind": "by-product", "title": "Sagflis til pellets",
         "quantity": 300, "unit": "m3", "frequency": "year"})
    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        response = _post(client, tokens["coordinator"], document)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"companies_created": 2, "companies_updated": 0,
                                   "listings_created": 4, "listings_updated": 0,
                                   "missing_location": 0}
    assert _counts(session) == (4, 4)
    line = next(json.loads(r.getMessage()) for r in caplog.records if '"import"' in r.getMessage())
    assert (line["user"], line["file"], line["companies_created"]) == ("koordinator@example.no", "api", 2)
    need = session.exec(select(Listing).where(Listing.external_id == "n1")).one()
    assert session.exec(select(Suggestion).where(Suggestion.need_listing_id == need.id)).first()


def test_a_second_import_updates_instead_of_duplicating(client, session, tokens):
    assert _post(client, tokens["coordinator"], VALID).status_code == 200
    report = _post(client, tokens["coordinator"], VALID).get_json()
    assert (report["companies_created"], report["companies_updated"]) == (0, 2)
    assert (report["listings_created"], report["listings_updated"]) == (0, 3)
    assert _counts(session) == (4, 3)


def test_every_problem_is_named_by_place_and_nothing_is_changed(client, session, tokens):
    document = copy.deepcopy(VALID)
    document["companies"][0]["lat"] = 99
    document["companies"][1]["listings"][0]["kind"] = "woood"
    document["companies"][1]["listings"].append({"direction": "offer", "kind": "material"})
    before = _counts(session)
    response = _post(client, tokens["coordinator"], document)
    assert is_problem(response, 422)
    assert response.get_json()["errors"] == [
        "company 1 (id 'granli-sag'), field 'lat': 99.0 is outside -90..90",
        "company 2 (id 'vinger-pellets'), listing 1, field 'kind': unknown value 'woood'; "
        "expected one of material, by-product, capability, service, energy",
        "company 2 (id 'vinger-pellets'), listing 2, field 'title': is required",
    ]
    assert _counts(session) == before


def test_a_record_the_database_refuses_rolls_back_those_written_before_it(client, session, tokens,
                                                                          two_companies):
    holder = session.get(Company, two_companies[0])
    holder.org_number, holder.external_id = "974760673", "granli"  # not the same company
    session.add(holder)
    session.commit()
    document = {"format": "matchmaker/v1", "companies": [
        {"id": "ny", "name": "Ny Bedrift AS", "listings": [
            {"direction": "offer", "kind": "material", "title": "Bark"}]},
        {"id": "annen", "name": "Annen AS", "org_number": "974 760 673"}]}
    before = _counts(session)
    response = _post(client, tokens["coordinator"], document)
    assert is_problem(response, 422)
    assert response.get_json()["errors"] == [
        "company 2 (id 'annen'), field 'org_number': 974760673 belongs to 'Granli Sag AS' already"]
    assert _counts(session) == before  # company 1 and its listing were flushed, then rolled back
    assert session.exec(select(Company).where(Company.external_id == "ny")).first() is None


@pytest.mark.parametrize("body, problem", [
    ("[]", "document: must be a JSON object"),
    ({"format": "matchmaker/v2", "companies": []}, "document, field 'format'"),
    ({"format": "matchmaker/v1"}, "document, field 'companies': must be a list"),
    ({"format": "matchmaker/v1", "companies": [{"name": "X", "lat": "NaN", "lon": 1}]},
     "company 1, field 'lat'"),
    ('{"format": "matchmaker/v1", "companies": [{"name": "X", "lat": Infinity, "lon": 1}]}',
     "company 1, field 'lat': is not a finite number"),
    ({"format": "matchmaker/v1", "companies": [{"name": "X\u0000"}]}, "company 1, field 'name'"),
    ('{"format": "matchmaker/v1", "companies": [{"name": "X", "listings": [{"direction": "offer", '
     '"kind": "material", "title": "Bark \\ud800"}]}]}',
     "company 1, listing 1, field 'title': contains a lone surrogate (\\ud800)"),
])
def test_documents_the_parser_refuses_are_422(client, tokens, body, problem):
    response = _post(client, tokens["coordinator"], body)
    assert is_problem(response, 422)
    assert any(problem in error for error in response.get_json()["errors"]), response.get_json()


@pytest.mark.parametrize("body, where", [
    ('{"format": "matchmaker/v1",\n "companies": [}', "line 2, column 16: invalid JSON"),
    (b'{"format": "matchmaker/v1", "companies": [], "x": "\xff"}', "not UTF-8"),
    ("[" * 40 + "]" * 40, "nested deeper than"),
    ("", "invalid JSON"),
])
def test_a_body_that_is_not_json_at_all_is_400_with_the_place(client, tokens, body, where):
    response = _post(client, tokens["coordinator"], body)
    assert is_problem(response, 400)
    assert where in response.get_json()["errors"][0]


def test_other_media_types_are_415(client, tokens):
    text = json.dumps(VALID)
    assert is_problem(client.post(IMPORT, headers=tokens["coordinator"], data=text,
                                  content_type="text/plain"), 415)
    assert is_problem(client.post(IMPORT, headers=tokens["coordinator"], data={"format": "x"}), 415)


def test_a_body_over_the_cap_is_413_and_the_cap_is_configurable(app, client, session, tokens):
    padded = {**VALID, "note": "x" * (3 * 1024 * 1024)}  # unknown fields are ignored
    assert is_problem(_post(client, tokens["coordinator"], padded), 413)  # the app's 2 MB
    app.config["API_IMPORT_MAX_BYTES"] = 4 * 1024 * 1024
    assert _post(client, tokens["coordinator"], padded).status_code == 200
    app.config["API_IMPORT_MAX_BYTES"] = 100
    before = _counts(session)
    assert is_problem(_post(client, tokens["coordinator"], VALID), 413)
    assert _counts(session) == before


def test_the_coordinator_exports_what_the_cli_writes(app, client, tokens):
    response = client.get(EXPORT, headers=tokens["coordinator"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["format"] == "matchmaker/v1"
    assert {c["name"] for c in document["companies"]} == {"Granli Sag AS", "Vinger Pellets AS"}
    assert response.get_data(as_text=True) == app.test_cli_runner().invoke(args=["export"]).output


def test_a_company_exports_its_own_entry_with_every_listing(client, session, tokens, two_companies):
    a, b = two_companies
    add_listing(session, a, "offer", "by-product", "Sagflis", visibility="coordinator")
    add_listing(session, b, "need", "by-product", "Flis")
    for who, own, title in (("a", "Granli Sag AS", "Sagflis"), ("b", "Vinger Pellets AS", "Flis")):
        document = client.get(EXPORT, headers=tokens[who]).get_json()
        assert [c["name"] for c in document["companies"]] == [own]
        assert [item["title"] for item in document["companies"][0]["listings"]] == [title]
        assert document["companies"][0]["email"]  # its own contact details


def test_the_export_imports_again_unchanged(client, session, tokens, two_companies):
    add_listing(session, two_companies[0], "offer", "by-product", "Sagflis", visibility="coordinator")
    assert _post(client, tokens["coordinator"], VALID).status_code == 200
    exported = client.get(EXPORT, headers=tokens["coordinator"]).get_data()
    before = _counts(session)
    report = _post(client, tokens["coordinator"], exported).get_json()
    assert (report["companies_created"], report["listings_created"]) == (0, 0)
    assert report["companies_updated"] == before[0] and report["listings_updated"] == before[1]
    assert _counts(session) == before
    # ids the database made up ("company-7") are the companies' own ids from now on
    assert client.get(EXPORT, headers=tokens["coordinator"]).get_data() == exported


def test_a_companys_export_is_read_back_by_the_coordinator(client, session, tokens, two_companies):
    add_listing(session, two_companies[0], "offer", "by-product", "Sagflis")
    own = client.get(EXPORT, headers=tokens["a"]).get_data()
    before = _counts(session)
    report = _post(client, tokens["coordinator"], own).get_json()
    assert report == {"companies_created": 0, "companies_updated": 1, "listings_created": 0,
                      "listings_updated": 1, "missing_location": 0}
    assert _counts(session) == before
    assert client.get(EXPORT, headers=tokens["a"]).get_data() == own


def _validator(client, name: str) -> Draft202012Validator:
    spec = client.get("/api/v1/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", **spec},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_described_document_is_the_one_read_and_written(client, session, tokens, two_companies):
    add_listing(session, two_companies[0], "offer", "by-product", "Flis", quantity=12.5, unit="m3",
                unit_written="lm3", frequency="year", available_from=date(2027, 1, 1))
    request_schema = _validator(client, "InterchangeDocument")
    request_schema.validate(VALID)
    assert list(request_schema.iter_errors({"format": "matchmaker/v2", "companies": [{}]}))
    exported = client.get(EXPORT, headers=tokens["coordinator"]).get_json()
    _validator(client, "ExportDocument").validate(exported)
    _validator(client, "ImportReport").validate(_post(client, tokens["coordinator"], VALID).get_json())


def test_the_description_reads_its_limits_from_the_domain(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    document, company, listing = (schemas[name]["properties"] for name in (
        "InterchangeDocument", "InterchangeCompany", "InterchangeListing"))
    assert document["format"]["enum"] == [FORMAT]
    assert {name: company[name]["maxLength"] for name in MAX_LENGTH if name in company} == {
        name: limit for name, limit in MAX_LENGTH.items() if name in company}
    assert listing["description"]["maxLength"] == MAX_LENGTH["listing_description"]
    assert listing["kind"]["enum"] == [kind.value for kind in Kind]
    assert (company["lat"]["minimum"], company["lat"]["maximum"]) == LAT_RANGE
    assert set(schemas["InterchangeListing"].get("required", [])) == {"direction", "kind", "title"}


@settings(max_examples=200, deadline=None)
@given(st.from_regex(spelling_pattern(), fullmatch=True))
def test_every_unit_the_description_allows_is_read_without_a_period(unit):
    written = parse_written_unit(unit)
    assert written is not None and written.frequency is None, unit


def test_a_company_without_an_email_is_exported_as_described(client, session, tokens):
    """Found by the fuzzing run: the export writes "" for no email (as the database keeps it),
    which the document's `format: email` called invalid."""
    make_company(session, "Uten Epost AS", "")
    exported = client.get(EXPORT, headers=tokens["coordinator"]).get_json()
    assert "" in {company["email"] for company in exported["companies"]}
    _validator(client, "ExportDocument").validate(exported)
    assert list(_validator(client, "InterchangeCompany").iter_errors({"name": "X", "email": "no-at"}))
