"""Listings: one as the API shows it, the filters of the list, and what a company writes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import ListingSchema, PageQuerySchema, PageSchema, Text
from matchmaker.domain.rules import MAX_LENGTH, MIN_LENGTH, RANGE
from matchmaker.domain.units import MAX_WRITTEN
from matchmaker.domain.vocab import Direction, Frequency, Kind, Visibility
from matchmaker.web_input import DB_INT_MAX


class ListingQuerySchema(PageQuerySchema):
    mine = fields.Boolean(load_default=False, metadata={"description": "only the caller's own"})
    direction = fields.String(validate=validate.OneOf(tuple(Direction)))
    company_id = fields.Integer(validate=validate.Range(min=1, max=DB_INT_MAX))


class ListingDetailSchema(ListingSchema):
    company_id = fields.Integer(required=True)
    available_from = fields.Date(allow_none=True, required=True)
    available_until = fields.Date(allow_none=True, required=True)
    active = fields.Boolean(required=True)
    visibility = fields.String(required=True, validate=validate.OneOf(tuple(Visibility)),
                               metadata={"description": "coordinator: confidential"})
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ListingPageSchema(PageSchema):
    items = fields.List(fields.Nested(ListingDetailSchema), required=True)


class ListingInSchema(Schema):
    """A new listing, checked as the web's listing form checks it."""

    direction = fields.String(required=True, validate=validate.OneOf(tuple(Direction)))
    kind = fields.String(required=True, validate=validate.OneOf(tuple(Kind)))
    title = Text(required=True, validate=validate.Length(min=MIN_LENGTH["title"],
                                                         max=MAX_LENGTH["title"]))
    description = Text(allow_none=True, validate=validate.Length(max=MAX_LENGTH["listing_description"]))
    quantity = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(*RANGE["quantity"]),
                            metadata={"description": "in the unit as written; needs a unit"})
    unit = Text(allow_none=True, validate=validate.Length(max=MAX_WRITTEN),
                metadata={"description": "as people write it: t, t/år, tonn/år, m3/month, lm3, "
                                         "kWh/yr, pcs …; one that names a frequency sets it"})
    frequency = fields.String(allow_none=True, validate=validate.OneOf(tuple(Frequency)))
    available_from = fields.Date(allow_none=True)
    available_until = fields.Date(allow_none=True, metadata={"description": "not before available_from"})
    visibility = fields.String(validate=validate.OneOf(tuple(Visibility)),
                               metadata={"description": "public (default) or coordinator: confidential"})
    active = fields.Boolean(metadata={"description": "true by default"})


class ListingChangeSchema(ListingInSchema):
    """A change to a listing: only the fields given change; the result is checked as a whole."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(partial=True, **kwargs)
