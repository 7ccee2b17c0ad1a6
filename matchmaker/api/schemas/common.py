"""Schemas every resource shares: problems, paging, a listing and a company's summary, and the
fields requests are written in."""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, ValidationError, fields, validate

MAX_PER_PAGE = 100  # the largest page a list answers with
DEFAULT_PER_PAGE = 20


def no_nul(value: str) -> None:
    """A request's text may not hold NUL: PostgreSQL refuses it (a 500), SQLite would store it."""
    if "\x00" in value:
        raise ValidationError("contains a NUL character (\\x00), which cannot be stored")


class Text(fields.String):
    """Text as the web forms take it: without the space around it, and without NUL (no_nul)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:  # noqa: ANN001, ANN003
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        no_nul(text)
        return text


def unless_blank(check: Callable[[str], object]) -> Callable[[str | None], None]:
    """A validator for an optional field: "" (or null) is no value, so nothing to check."""
    def validate_filled(value: str | None) -> None:
        if value:
            check(value)
    return validate_filled


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Raw(metadata={"description": "What is wrong with each part of the request"})


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE,
                              validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ListingSchema(Schema):
    id = fields.Integer(required=True)
    direction = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    quantity = fields.Float(allow_none=True, required=True)
    unit = fields.String(allow_none=True, required=True)
    frequency = fields.String(allow_none=True, required=True)
    unit_written = fields.String(allow_none=True, required=True)


class CompanySummarySchema(Schema):
    """Contact fields are null until the two companies are introduced."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    city = fields.String(required=True)
    municipality = fields.String(required=True)
    industry = fields.String(required=True)
    description = fields.String(required=True)
    website = fields.String(required=True)
    contact_person = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    phone = fields.String(allow_none=True, required=True)
