"""Companies: the directory and one company with its listings."""

from __future__ import annotations

from marshmallow import fields

from matchmaker.api.schemas.common import (
    CompanySummarySchema,
    ListingSchema,
    PageQuerySchema,
    PageSchema,
    text,
)


class CompanyQuerySchema(PageQuerySchema):
    q = text(200, metadata={"description": "text search"})
    municipality = text(100)


class CompanySchema(CompanySummarySchema):
    """Contact fields are null unless the caller is the coordinator or the company itself."""

    listings = fields.List(fields.Nested(ListingSchema), required=True)


class CompanyPageSchema(PageSchema):
    items = fields.List(fields.Nested(CompanySchema), required=True)
