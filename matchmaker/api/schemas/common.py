"""Schemas every resource shares: problems, paging, a listing and a company's summary."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

MAX_PER_PAGE = 100  # the largest page a list answers with
DEFAULT_PER_PAGE = 20
#: No request string may hold a NUL character: PostgreSQL cannot store one in text, and the app
#: refuses one in a path or query with 400 before any view runs (``web_input``). Said in the
#: document as a pattern, so clients (and Schemathesis) know it.
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain a NUL character.")


def text(max_length: int, **kwargs: Any) -> fields.String:
    """A string the API accepts: at most ``max_length`` characters, no NUL character."""
    return fields.String(validate=[validate.Length(max=max_length), NO_NUL], **kwargs)


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
