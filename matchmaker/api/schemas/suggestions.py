"""Suggestions: both sides of a pair, and a company's answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import CompanySummarySchema, ListingSchema, PageQuerySchema, PageSchema
from matchmaker.domain.workflow import ANSWER_REASONS, ANSWERS, STATUSES


class SuggestionQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


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
