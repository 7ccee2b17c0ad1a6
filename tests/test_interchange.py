"""Import (all or nothing, idempotent) and export (round trip, CSV injection) through the CLI."""

import json

import pytest
from sqlmodel import func, select

from matchmaker.domain.interchange import neutralise
from matchmaker.models import Company, Listing

VALID = {
    "format": "matchmaker/v1",
    "companies": [
        {"id": "granli-sag", "name": "Granli Sag AS", "org_number": "974760673",
         "postcode": "2260", "city": "Kirkenær", "country": "NO", "lat": 60.46, "lon": 12.06,
         "email": "post@granli.example",
         "listings": [
             {"id": "l1", "direction": "offer", "kind": "by-product", "title": "Sagflis",
              "quantity": 400, "unit": "m3", "frequency": "year"},
             {"id": "l2", "direction": "need", "kind": "service", "title": "Tømmertransport",
              "visibility": "coordinator"},
         ]},
        {"id": "vinger-pellets", "name": "Vinger Pellets AS", "city": "Kongsvingr",
         "listings": [{"direction": "offer", "kind": "capability",
                       "title": "Pelletsproduksjon av =sagflis"}]},
    ],
}


def _write(tmp_path, document, name="import.json"):
    path = tmp_path / name
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    path.write_bytes(data)
    return str(path)


def _counts(session):
    session.expire_all()
    return (session.exec(select(func.count()).select_from(Company)).one(),
            session.exec(select(func.count()).select_from(Listing)).one())


def test_import_valid_json(runner, session, tmp_path):
    result = runner.invoke(args=["import", _write(tmp_path, VALID)])
    assert result.exit_code == 0, result.output
    assert _counts(session) == (2, 3)
    vinger = session.exec(select(Company).where(Company.external_id == "vinger-pellets")).one()
    assert vinger.location_source == "gazetteer"  # 'Kongsvingr' resolved offline
    assert abs(vinger.lat - 60.19) < 0.05
    secret = session.exec(select(Listing).where(Listing.title == "Tømmertransport")).one()
    assert secret.visibility == "coordinator"


def test_reimport_updates_instead_of_duplicating(runner, session, tmp_path):
    path = _write(tmp_path, VALID)
    assert runner.invoke(args=["import", path]).exit_code == 0
    changed = json.loads(json.dumps(VALID))
    changed["companies"][0]["listings"][0]["quantity"] = 500
    assert runner.invoke(args=["import", _write(tmp_path, changed, "2.json")]).exit_code == 0
    assert runner.invoke(args=["import", path]).exit_code == 0
    assert _counts(session) == (2, 3)
    assert runner.invoke(args=["import", _write(tmp_path, changed, "2.json")]).exit_code == 0
    sawdust = session.exec(select(Listing).where(Listing.external_id == "l1")).one()
    assert sawdust.quantity == 500


def _broken(mutate):
    document = json.loads(json.dumps(VALID))
    mutate(document)
    return document


BROKEN = {
    "missing name": (_broken(lambda d: d["companies"][1].pop("name")), "company 2", "'name'"),
    "invalid org number": (_broken(lambda d: d["companies"][0].update(org_number="974760672")),
                           "company 1 (id 'granli-sag')", "'org_number'"),
    "bad coordinates": (_broken(lambda d: d["companies"][0].update(lat=160)), "company 1",
                        "'lat'"),
    "half coordinates": (_broken(lambda d: d["companies"][0].pop("lon")), "company 1", "'lon'"),
    "unknown kind": (_broken(lambda d: d["companies"][0]["listings"][0].update(kind="woood")),
                     "company 1 (id 'granli-sag'), listing 1", "'kind'"),
    "missing title": (_broken(lambda d: d["companies"][1]["listings"][0].pop("title")),
                      "company 2 (id 'vinger-pellets'), listing 1", "'title'"),
    "negative quantity": (_broken(lambda d: d["companies"][0]["listings"][0].update(quantity=-1)),
                          "listing 1", "'quantity'"),
    "unknown unit": (_broken(lambda d: d["companies"][0]["listings"][0].update(unit="barrels")),
                     "listing 1", "'unit'"),
    "duplicate id": (_broken(lambda d: d["companies"][1].update(id="granli-sag")), "company 2",
                     "'id'"),
    "wrong format": (_broken(lambda d: d.update(format="other/v9")), "document", "'format'"),
    "bad json": (b'{"format": "matchmaker/v1", "companies": [\n  {"name": }\n]}', "line 2",
                 "invalid JSON"),
    "not utf-8": ('{"format": "matchmaker/v1", "companies": [{"name": "Sør-Odal Ståltre"}]}'
                  .encode("latin-1"), "byte", "UTF-8"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_invalid_import_names_the_problem_and_changes_nothing(runner, session, tmp_path, case):
    document, where, field = BROKEN[case]
    # Existing data must survive a failed import untouched.
    assert runner.invoke(args=["import", _write(tmp_path, VALID, "ok.json")]).exit_code == 0
    before = _counts(session)
    result = runner.invoke(args=["import", _write(tmp_path, document)])
    assert result.exit_code != 0
    assert where in result.output and field in result.output, result.output
    assert "nothing was changed" in result.output
    assert _counts(session) == before


def test_a_failing_record_rolls_back_the_records_before_it(runner, session, tmp_path):
    document = _broken(lambda d: d["companies"][1]["listings"][0].update(direction="sideways"))
    result = runner.invoke(args=["import", _write(tmp_path, document)])
    assert result.exit_code == 1
    assert _counts(session) == (0, 0)


def test_import_reports_every_problem_at_once(runner, tmp_path):
    document = _broken(lambda d: (d["companies"][0].update(lat=99),
                                  d["companies"][1]["listings"][0].update(kind="x")))
    result = runner.invoke(args=["import", _write(tmp_path, document)])
    assert "'lat'" in result.output and "'kind'" in result.output


def test_org_number_held_by_another_company_is_refused(runner, session, tmp_path):
    assert runner.invoke(args=["import", _write(tmp_path, VALID)]).exit_code == 0
    other = {"format": "matchmaker/v1", "companies": [
        {"id": "other", "name": "Annen AS", "org_number": "974760673"}]}
    result = runner.invoke(args=["import", _write(tmp_path, other, "o.json")])
    assert result.exit_code == 1 and "'org_number'" in result.output
    assert _counts(session) == (2, 3)


def test_csv_import_names_line_and_field(runner, session, tmp_path):
    csv_text = ("company_id,name,city,listing_direction,listing_kind,listing_title,"
                "listing_quantity,listing_unit\n"
                "a,Alfa AS,Flisa,offer,material,Tømmer,10,t\n"
                "a,,,need,energy,Damp,-3,MWh\n")
    result = runner.invoke(args=["import", _write(tmp_path, csv_text.encode(), "x.csv")])
    assert result.exit_code == 1
    assert "line 3, field 'quantity'" in result.output
    assert _counts(session) == (0, 0)


def test_export_json_round_trips(runner, session, tmp_path, app):
    assert runner.invoke(args=["import", _write(tmp_path, VALID)]).exit_code == 0
    first = runner.invoke(args=["export", "--format", "json"])
    assert first.exit_code == 0
    exported = json.loads(first.output)
    assert exported["format"] == "matchmaker/v1"
    # Import the export into an empty database: the second export must equal the first.
    engine = app.extensions["matchmaker_engine"]
    with engine.begin() as conn:
        conn.execute(Listing.__table__.delete())
        conn.execute(Company.__table__.delete())
    assert runner.invoke(args=["import", _write(tmp_path, first.output.encode(),
                                                "e.json")]).exit_code == 0
    second = runner.invoke(args=["export", "--format", "json"])
    strip = lambda doc: [{k: v for k, v in c.items()} for c in json.loads(doc)["companies"]]  # noqa: E731
    assert strip(second.output) == strip(first.output)
    assert _counts(session) == (2, 3)


def test_export_csv_round_trips_and_neutralises_formulas(runner, session, tmp_path):
    assert runner.invoke(args=["import", _write(tmp_path, VALID)]).exit_code == 0
    result = runner.invoke(args=["export", "--format", "csv"])
    assert result.exit_code == 0
    assert "'=sagflis" not in result.output  # the formula sits mid-cell: no need to neutralise
    assert "Pelletsproduksjon av =sagflis" in result.output
    csv_path = _write(tmp_path, result.output.encode(), "export.csv")
    assert runner.invoke(args=["import", csv_path]).exit_code == 0
    assert _counts(session) == (2, 3)
    again = runner.invoke(args=["export", "--format", "csv"])
    assert again.output == result.output


def test_csv_cells_starting_like_formulas_are_neutralised(runner, session, tmp_path):
    document = _broken(lambda d: d["companies"][0]["listings"][0].update(
        title="=HYPERLINK(\"http://evil.example\")"))
    assert runner.invoke(args=["import", _write(tmp_path, document)]).exit_code == 0
    result = runner.invoke(args=["export", "--format", "csv"])
    assert "'=HYPERLINK" in result.output
    for value in ("=1+1", "+47", "-5", "@SUM(A1)"):
        assert neutralise(value).startswith("'")
    csv_path = _write(tmp_path, result.output.encode(), "export.csv")
    assert runner.invoke(args=["import", csv_path]).exit_code == 0
    session.expire_all()
    assert session.exec(select(Listing).where(Listing.external_id == "l1")).one().title == (
        "=HYPERLINK(\"http://evil.example\")")
