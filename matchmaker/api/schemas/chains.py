"""Value chains (the JSON export's shape) and the coordinator's cluster projects."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import PageQuerySchema, PageSchema, text
from matchmaker.domain.workflow import STATUSES as PAIR_STATUSES
from matchmaker.services.chains import FILTER_MAX
from matchmaker.services.projects import CHAIN_KEY_MAX, CHAIN_KEY_PATTERN, NOTE_MAX, STATUSES, TITLE_MAX


class ChainQuerySchema(PageQuerySchema):
    material = text(FILTER_MAX, metadata={"description": "part of the first offer's title"})
    municipality = text(FILTER_MAX, metadata={"description": "a company of the chain is there"})


class ChainEndSchema(Schema):
    """One side of a link: a listing and its company (name and municipality, never contacts)."""

    listing_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    company_id = fields.Integer(required=True)
    company = fields.String(required=True, metadata={"description": "the company's name"})
    company_municipality = fields.String(required=True)
    company_external_id = fields.String(allow_none=True, required=True,
                                        metadata={"description": "interchange id; coordinator only"})


class ChainLinkSchema(Schema):
    suggestion_id = fields.Integer(required=True)
    pair_type = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "0..1"})
    distance_km = fields.Float(allow_none=True, required=True)
    status = fields.String(allow_none=True, required=True, validate=validate.OneOf(PAIR_STATUSES),
                           metadata={"description": "null for a company on other companies' pairs"})
    offer = fields.Nested(ChainEndSchema, required=True)
    need = fields.Nested(ChainEndSchema, required=True)
    reasons = fields.List(fields.String(), required=True)


class ChainSchema(Schema):
    rank = fields.Integer(required=True, metadata={"description": "1 is the best chain"})
    key = fields.String(required=True, metadata={
        "description": "the links' suggestion ids, e.g. 12-40-7: save it as a project with it"})
    weakest = fields.Float(required=True, metadata={"description": "the weakest link's score"})
    total_km = fields.Float(required=True)
    companies = fields.List(fields.String(), required=True,
                            metadata={"description": "names, from the first supplier on"})
    links = fields.List(fields.Nested(ChainLinkSchema), required=True)


class ChainPageSchema(PageSchema):
    items = fields.List(fields.Nested(ChainSchema), required=True)


class ProjectLinkSchema(Schema):
    """A saved link as it is now; the other fields are null once the pair is gone."""

    suggestion_id = fields.Integer(required=True)
    gone = fields.Boolean(required=True)
    offer_title = fields.String(allow_none=True, required=True)
    offer_company = fields.String(allow_none=True, required=True)
    need_title = fields.String(allow_none=True, required=True)
    need_company = fields.String(allow_none=True, required=True)
    status = fields.String(allow_none=True, required=True, validate=validate.OneOf(PAIR_STATUSES))


class ProjectSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    note = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    suggestion_ids = fields.List(fields.Integer(), required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    links = fields.List(fields.Nested(ProjectLinkSchema), required=True)


class ProjectPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProjectSchema), required=True)


class NewProjectSchema(Schema):
    title = text(TITLE_MAX, min_length=1, blank=False, required=True)
    note = text(NOTE_MAX, load_default="")
    chain = text(CHAIN_KEY_MAX, required=True, pattern=CHAIN_KEY_PATTERN,
                 metadata={"description": "a chain's key from GET /chains, e.g. 12-40-7"})


class ProjectStatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
