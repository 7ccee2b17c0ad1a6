"""Hostile or broken import files are refused by line and field and change nothing; the export
never writes what JSON cannot carry (issue "Hardening", items 4 and 5)."""

import json

import pytest
from sqlmodel import select

from matchmaker.domain.errors import InvalidData
from matchmaker.domain.interchange import MAX_DEPTH, to_json
from matchmaker.models import Company, Listing
from tests.test_interchange import VALID, _write

HEADER = "company_id,name,lat,lon,listing_id,listing_direction,listing_kind,listing_title," \
         "listing_quantity,listing_visibility"
ROW = "ny,Ny Bedrift AS,60.1,11.9,n1,offer,material,Bark,{quantity},coordinator"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def _json_with(listing_fields: dict | None = None, **company_fields) -> bytes:
    """A one-company document with raw JSON text spliced in, so NaN and 1e309 stay as written."""
    listing = {"direction": "offer", "kind": "material", "title": "Bark", "quantity": "@Q@"}
    company = {"id": "ny", "name": "Ny Bedrift AS", "listings": [listing], **company_fields}
    text = json.dumps({"format": "matchmaker/v1", "companies": [company]}, ensure_ascii=False)
    return text.replace('"@Q@"', (listing_fields or {}).get("quantity", "1")).encode()


def _json_raw(company_json: str) -> bytes:
    return ('{"format": "matchmaker/v1", "companies": [\n' + company_json + "\n]}").encode()


REFUSED = {
    # item 4: numbers no float or JSON can hold
    "json quantity 1e309": (_json_with({"quantity": "1e309"}),
                            "company 1 (id 'ny'), listing 1, field 'quantity'", "not a finite number"),
    "json quantity -1e400": (_json_with({"quantity": "-1e400"}), "listing 1, field 'quantity'",
                             "not a finite number"),
    "json lat NaN": (_json_raw('{"name": "Ny AS", "lat": NaN, "lon": 11.9}'), "company 1, field 'lat'",
                     "not a finite number: NaN"),
    "json lon -Infinity": (_json_raw('{"name": "Ny AS", "lat": 60.1, "lon": -Infinity}'),
                           "company 1, field 'lon'", "not a finite number: -Infinity"),
    "json name Infinity": (_json_raw('{"name": Infinity}'), "company 1, field 'name'", "not a finite number"),
    "json quantity 'inf' as text": (_json_with({"quantity": '"inf"'}), "listing 1, field 'quantity'",
                                    "not a finite number"),
    "json quantity 'sNaN' as text": (_json_with({"quantity": '"sNaN"'}), "listing 1, field 'quantity'",
                                     "is not a number"),
    "json integer of 5000 digits": (_json_with({"quantity": "9" * 5000}), "listing 1, field 'quantity'",
                                    "not a finite number"),
    "json integer beyond float": (_json_with({"quantity": "9" * 400}), "listing 1, field 'quantity'",
                                  "not a finite number"),
    "csv quantity inf": (_csv(ROW.format(quantity="inf")), "line 2, field 'quantity'", "not a finite number"),
    "csv quantity -inf": (_csv(ROW.format(quantity="-inf")), "line 2, field 'quantity'",
                           "not a finite number"),
    "csv quantity nan": (_csv(ROW.format(quantity="nan")), "line 2, field 'quantity'", "not a finite number"),
    "csv quantity sNaN": (_csv(ROW.format(quantity="sNaN")), "line 2, field 'quantity'", "is not a number"),
    "csv quantity 1e309": (_csv(ROW.format(quantity="1e309")), "line 2, field 'quantity'",
                           "not a finite number"),
    "csv lat Infinity": (_csv(ROW.format(quantity="1").replace("60.1", "Infinity")), "line 2, field 'lat'",
                         "not a finite number"),
    # item 5: malformed CSV
    "csv duplicate header": (_csv(ROW.format(quantity="1") + ",public",
                                  header=HEADER + ",listing_visibility"),
                             "line 1, field 'listing_visibility'", "more than once"),
    "csv unknown header": (_csv(ROW.format(quantity="1") + ",x", header=HEADER + ",listing_secret"),
                           "line 1, field 'listing_secret'", "unknown column"),
    "csv short row": (_csv(ROW.format(quantity="1"), "ny,Ny Bedrift AS,60.1,11.9,n2,need"), "line 3",
                      "fewer cells than columns"),
    "csv long row": (_csv(ROW.format(quantity="1") + ",extra"), "line 2", "more cells than columns"),
    "csv NUL in a cell": (_csv(ROW.format(quantity="1").replace("Bark", "Ba\x00rk")),
                          "line 2, field 'title'", "NUL"),
    "csv NUL in a number": (_csv(ROW.format(quantity="1\x00")), "line 2, field 'quantity'", "NUL"),
    "csv not utf-8": (_csv(ROW.format(quantity="1").replace("Bark", "Bjørkebark")).decode()
                      .encode("latin-1"), "line 2", "not UTF-8"),
    # item 5: hostile JSON
    "json NUL in a name": (_json_raw('{"name": "Ny\\u0000AS"}'), "company 1, field 'name'", "NUL"),
    "json NUL in a listing": (_json_raw('{"name": "Ny AS", "listings": [{"direction": "offer", '
                                        '"kind": "material", "title": "x", "unit": "t\\u0000"}]}'),
                              "company 1, listing 1, field 'unit'", "NUL"),
    "json nested 100k deep": (b"[" * 100_000, "line 1", f"nested deeper than {MAX_DEPTH} levels"),
    "json objects nested 100k deep": (b'{"a": ' * 100_000, "line 1", "nested deeper"),
    "json deep inside a company": (_json_raw('{"name": "Ny AS", "note": ' + "[" * 5000 + "]" * 5000 + "}"),
                                   "line 2", "nested deeper"),
    "json not utf-8": (_json_raw('{"name": "Sør-Odal Ståltre"}').decode().encode("latin-1"), "line 2",
                       "not UTF-8"),
}


def _export(runner) -> str:
    result = runner.invoke(args=["export", "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("case", REFUSED)
def test_refused_import_names_line_and_field_and_changes_nothing(runner, tmp_path, case):
    data, where, reason = REFUSED[case]
    assert runner.invoke(args=["import", _write(tmp_path, VALID, "ok.json")]).exit_code == 0
    before = _export(runner)
    name = "bad.csv" if case.startswith("csv") else "bad.json"
    result = runner.invoke(args=["import", _write(tmp_path, data, name)])
    assert result.exit_code == 1, result.output
    assert where in result.output and reason in result.output, result.output
    assert "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert _export(runner) == before


def test_duplicate_header_cannot_publish_a_confidential_listing(runner, session, tmp_path):
    data = _csv(ROW.format(quantity="1") + ",public", header=HEADER + ",listing_visibility")
    result = runner.invoke(args=["import", _write(tmp_path, data, "dup.csv")])
    assert result.exit_code == 1
    assert "columns 10, 11" in result.output
    assert session.exec(select(Listing)).first() is None


@pytest.mark.parametrize("name", ["bom.csv", "bom.json"])
def test_byte_order_mark_is_accepted(runner, session, tmp_path, name):
    body = _csv(ROW.format(quantity="1")) if name.endswith(".csv") else _json_with()
    result = runner.invoke(args=["import", _write(tmp_path, b"\xef\xbb\xbf" + body, name)])
    assert result.exit_code == 0, result.output
    assert session.exec(select(Company)).one().external_id == "ny"


def test_blank_lines_and_multi_line_cells_keep_line_numbers(runner, tmp_path):
    multi = ROW.format(quantity="1").replace("Bark", '"Bark\nover two lines"')
    data = _csv(multi, "", ROW.format(quantity="x").replace("n1", "n2"))
    result = runner.invoke(args=["import", _write(tmp_path, data, "lines.csv")])
    assert result.exit_code == 1
    assert "line 5, field 'quantity'" in result.output, result.output


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_refuses_a_stored_non_finite_number(runner, session, tmp_path, fmt):
    assert runner.invoke(args=["import", _write(tmp_path, VALID)]).exit_code == 0
    listing = session.exec(select(Listing).where(Listing.external_id == "l1")).one()
    listing.quantity = float("inf")
    company = session.exec(select(Company).where(Company.external_id == "vinger-pellets")).one()
    company.lat = float("-inf")
    session.add_all([listing, company])
    session.commit()
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(args=["export", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 1
    assert "company 'granli-sag', listing 'l1', field 'quantity': inf is not a finite number" in result.output
    assert "company 'vinger-pellets', field 'lat'" in result.output
    assert "nothing was exported" in result.output
    assert "Infinity" not in result.output and not out.exists()


def test_to_json_never_writes_nan_or_infinity():
    with pytest.raises(InvalidData, match="field 'lat': nan is not a finite number"):
        to_json([{"id": "a", "name": "A", "lat": float("nan"), "lon": 1.0, "listings": []}])
    from matchmaker.domain.interchange_json import to_json as raw_to_json
    with pytest.raises(ValueError):  # the belt under check_exportable: allow_nan=False
        raw_to_json({"format": "matchmaker/v1", "companies": [{"lat": float("inf")}]})
