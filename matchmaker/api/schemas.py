"""The API's marshmallow schemas: they validate what comes in, shape what goes out, and are
what the OpenAPI document is generated from."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.domain.workflow import ANSWER_REASONS, ANSWERS, STATUSES

MAX_PER_PAGE = 100  # the largest page a list answers with
DEFAULT_PER_PAGE = 20


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


class SuggestionQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


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


class SideSchema(Schema):
    listing = fields.Nested(ListingSchema, required=True)
    company = fields.Nested(CompanySummarySchema, required=True)
    answer = fields.String(allow_none=True, required=True,
                           metadata={"description": "null for the other company, seen by a company"})
    answer_reason = fields.String(allow_none=True, required=True)


class SuggestionSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    score = fields.Float(required=True)
    distance_km = fields.Float(allow_none=True, required=True)
    pair_type = fields.String(required=True)
    origin = fields.String(required=True)
    strength = fields.String(required=True, metadata={"description": "strong, medium, weak or empty"})
    created_at = fields.DateTime(required=True)
    introduced = fields.Boolean(required=True)
    answerable = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True)
    your_side = fields.String(allow_none=True, required=True,
                              metadata={"description": "offer or need; null for the coordinator"})
    offer = fields.Nested(SideSchema, required=True)
    need = fields.Nested(SideSchema, required=True)


class SuggestionPageSchema(PageSchema):
    items = fields.List(fields.Nested(SuggestionSchema), required=True)


class AnswerSchema(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(ANSWERS))
    reason = fields.String(allow_none=True, validate=validate.OneOf(ANSWER_REASONS),
                           metadata={"description": "why not, with not_relevant"})


class CompanyQuerySchema(PageQuerySchema):
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "text search"})
    municipality = fields.String(validate=validate.Length(max=100))


class CompanySchema(CompanySummarySchema):
    """Contact fields are null unless the caller is the coordinator or the company itself."""

    listings = fields.List(fields.Nested(ListingSchema), required=True)


class CompanyPageSchema(PageSchema):
    items = fields.List(fields.Nested(CompanySchema), required=True)
