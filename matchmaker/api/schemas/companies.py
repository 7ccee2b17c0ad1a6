"""Companies: the directory, one company with its listings, and a change to its profile."""

from __future__ import annotations

import re
from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.api.schemas.common import (
    CompanySummarySchema,
    ListingSchema,
    PageQuerySchema,
    PageSchema,
    Text,
    text,
    unless_blank,
)
from matchmaker.domain.orgnr import normalise_orgnr
from matchmaker.domain.rules import MAX_LENGTH, PATTERN, RANGE, half_coordinates
from matchmaker.labels import RULE_MESSAGE, english


class CompanyQuerySchema(PageQuerySchema):
    q = text(200, metadata={"description": "text search"})
    municipality = text(100)


class CompanySchema(CompanySummarySchema):
    """Contact fields are null unless the caller is the coordinator or the company itself."""

    listings = fields.List(fields.Nested(ListingSchema), required=True)


class CompanyPageSchema(PageSchema):
    items = fields.List(fields.Nested(CompanySchema), required=True)


def _optional(name: str, *checks) -> Text:  # noqa: ANN002
    return Text(allow_none=True, validate=[validate.Length(max=MAX_LENGTH[name]),
                                           *(unless_blank(check) for check in checks)])


def _pattern(name: str) -> Callable[[str], None]:
    """The web form's format rule for the field, with its message (in English)."""
    regexp = re.compile(PATTERN[name])

    def check(value: str) -> None:
        if not regexp.match(value):
            raise ValidationError(english(RULE_MESSAGE[name]))
    return check


def _email(value: str) -> None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(str(exc)) from None


class OrgNumber(Text):
    """A Norwegian organisation number, stored as its 9 digits; blank is none."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(metadata={"maxLength": MAX_LENGTH["org_number"]}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str | None:  # noqa: ANN001, ANN003
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if len(text) > MAX_LENGTH["org_number"]:
                raise ValueError(f"longer than {MAX_LENGTH['org_number']} characters")
            return normalise_orgnr(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class ProfileSchema(Schema):
    """A change to the company's own profile, checked as the web's profile form checks it: a field
    left out keeps its value, null or "" empties an optional one. Coordinates come both or
    neither; null for both places the company by its address again."""

    name = Text(validate=validate.Length(min=1, max=MAX_LENGTH["name"]))
    org_number = OrgNumber(allow_none=True)
    address = _optional("address")
    postcode = _optional("postcode")
    city = _optional("city")
    municipality = _optional("municipality")
    country = Text(validate=_pattern("country"))
    lat = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(*RANGE["lat"]))
    lon = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(*RANGE["lon"]))
    description = _optional("description")
    industry = _optional("industry")
    nace_code = _optional("nace_code", _pattern("nace_code"))
    website = _optional("website", _pattern("website"))
    contact_person = _optional("contact_person")
    email = _optional("email", _email)
    phone = _optional("phone", _pattern("phone"))

    @validates_schema
    def _both_coordinates(self, data: dict, **kwargs) -> None:  # noqa: ANN003
        missing = ("lon" if "lat" in data else "lat") if ("lat" in data) != ("lon" in data) \
            else half_coordinates(data.get("lat"), data.get("lon"))
        if missing:
            raise ValidationError(english(RULE_MESSAGE["coordinates"]), missing)
