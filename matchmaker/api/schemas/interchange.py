"""The interchange document (`matchmaker/v1`) as the import takes it and the export writes it.

These schemas only describe the format for the OpenAPI document: the import's body is checked
by the domain parser (``domain.interchange``), whose problems are the 422 ``errors``, and the
export is the very text `matchmaker export` writes. Every limit here is read from the domain
(lengths, vocabularies, ranges, the version string), so the description cannot drift from what
the parser accepts. What no schema can state is in the fields' descriptions: a valid check
digit, lat and lon together, dates in order, a unit's period agreeing with the frequency,
unique ids and organisation numbers. The parser is also more lenient than the description
(numbers written as text, `ja`/`nei`, upper-case values); documents as described are read.
"""

from __future__ import annotations

import re

from marshmallow import INCLUDE, Schema, fields, validate

from matchmaker.api.schemas.common import NUL_FREE
from matchmaker.domain.interchange import FORMAT
from matchmaker.domain.rules import LAT_RANGE, LON_RANGE, MAX_LENGTH, WEBSITE_SCHEMES
from matchmaker.domain.units import MAX_WRITTEN, spelling_pattern
from matchmaker.domain.vocab import Direction, Frequency, Kind, Visibility

_NO_NUL = NUL_FREE  # the parser refuses NUL in any text: PostgreSQL cannot store it


def _text(name: str, *, limit: str = "", required: bool = False, pattern: str = "",
          description: str = "") -> fields.String:
    """A text field with the domain's maximum length; required means not blank."""
    pattern = pattern or (rf"^{_NO_NUL}\S{_NO_NUL}$" if required else rf"^{_NO_NUL}$")
    return fields.String(required=required, allow_none=not required,
                         validate=[validate.Length(max=MAX_LENGTH[limit or name]),
                                   validate.Regexp(pattern)],
                         metadata={"description": description} if description else {})


def _choice(values: type, *, required: bool = False, description: str = "") -> fields.String:
    return fields.String(required=required, allow_none=not required,
                         validate=validate.OneOf([value.value for value in values]),
                         metadata={"description": description} if description else {})


def _coordinate(bounds: tuple[float, float], other: str) -> fields.Float:
    return fields.Float(allow_none=True, validate=validate.Range(*bounds),
                        metadata={"description": f"degrees (WGS 84); give {other} too, or neither"})


_SCHEMES = "|".join(re.escape(scheme) for scheme in WEBSITE_SCHEMES)


class _Record(Schema):
    class Meta:
        unknown = INCLUDE  # the parser ignores fields it does not know


class InterchangeListingSchema(_Record):
    id = _text("id", description="your own key for the listing, unique within the company; "
                                 "re-imports update the listing with the same id")
    direction = _choice(Direction, required=True)
    kind = _choice(Kind, required=True)
    title = _text("title", required=True)
    description = _text("description", limit="listing_description")
    quantity = fields.Float(allow_none=True, validate=validate.Range(min=0))
    unit = fields.String(
        allow_none=True, validate=[validate.Length(max=MAX_WRITTEN), validate.Regexp(spelling_pattern())],
        metadata={"description": "a unit or a spelling of one, in any case (t, tonn, kg, m3, m³, "
                                 "l, m2, m, pcs, stk, pallets, kWh, MWh, GWh, kW, MW, h; lm3 and "
                                 "fm3 for wood). The import also reads a unit with a period, "
                                 "e.g. `t/år`, which then must agree with `frequency`."})
    frequency = _choice(Frequency)
    available_from = fields.Date(allow_none=True)
    available_until = fields.Date(allow_none=True, metadata={"description": "not before available_from"})
    active = fields.Boolean(allow_none=True, metadata={"description": "default true"})
    visibility = _choice(Visibility, description="public (all members, the default) or "
                                                 "coordinator (confidential)")


class InterchangeCompanySchema(_Record):
    id = _text("id", description="your own key for the company, unique in the document; "
                                 "re-imports update the company with the same id")
    name = _text("name", required=True)
    org_number = _text("org_number", pattern=r"^(?:[0-9]{9})?$",
                       description="Norwegian organisation number: 9 digits with a valid mod-11 "
                                   "check digit; unique")
    address = _text("address")
    postcode = _text("postcode")
    city = _text("city")
    municipality = _text("municipality")
    country = _text("country", pattern=rf"^(?:[A-Za-z]{{{MAX_LENGTH['country']}}})?$",
                    description="ISO 3166 two-letter code; default NO")
    lat = _coordinate(LAT_RANGE, "lon")
    lon = _coordinate(LON_RANGE, "lat")
    description = _text("description")
    industry = _text("industry")
    nace_code = _text("nace_code")
    website = _text("website", pattern=rf"^(?:(?:{_SCHEMES}){_NO_NUL})?$")
    contact_person = _text("contact_person")
    # empty (or null) for none, as the database keeps it and the export writes it; the parser
    # checks an address fully (email-validator), which a pattern cannot
    email = _text("email", pattern=r"^(?:[^@\s\x00]+@[^@\s\x00]+)?$",
                  description="an email address; empty or null for none")
    phone = _text("phone")
    listings = fields.List(fields.Nested(InterchangeListingSchema), allow_none=True)


class InterchangeDocumentSchema(_Record):
    """What `matchmaker import` reads and `matchmaker export` writes."""

    format = fields.String(required=True, validate=validate.Equal(FORMAT))
    companies = fields.List(fields.Nested(InterchangeCompanySchema), required=True)


class ExportListingSchema(InterchangeListingSchema):
    unit = fields.String(allow_none=True, validate=validate.Length(max=MAX_WRITTEN),
                         metadata={"description": "the unit as it was written (`t/år`, `lm3`)"})


class ExportCompanySchema(InterchangeCompanySchema):
    listings = fields.List(fields.Nested(ExportListingSchema), required=True)


class ExportDocumentSchema(InterchangeDocumentSchema):
    """The export: the import's document, each unit as it was written."""

    companies = fields.List(fields.Nested(ExportCompanySchema), required=True)


class ImportReportSchema(Schema):
    companies_created = fields.Integer(required=True)
    companies_updated = fields.Integer(required=True)
    listings_created = fields.Integer(required=True)
    listings_updated = fields.Integer(required=True)
    missing_location = fields.Integer(required=True, metadata={
        "description": "companies saved without a location (no coordinates given or found)"})
