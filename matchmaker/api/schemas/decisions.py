"""The coordinator's decisions, the companies' outcome reports, a suggestion's history and
pairs made by hand. Limits and vocabularies come from the domain, as the web's forms use them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import JsonInteger, PageSchema, text
from matchmaker.domain.vocab import UNITS
from matchmaker.domain.workflow import NOTE_MAX, OUTCOMES, STATUSES
from matchmaker.web_input import DB_INT_MAX

_ID = validate.Range(min=1, max=DB_INT_MAX)


def _note(description: str, *, required: bool = False) -> fields.String:
    return text(NOTE_MAX, required=required, blank=not required, metadata={"description": description})


def _volume() -> fields.Float:
    return fields.Float(allow_none=True, validate=validate.Range(min=0),
                        metadata={"description": "with an agreement: how much (needs unit)"})


def _unit() -> fields.String:
    return fields.String(allow_none=True, validate=validate.OneOf(UNITS))


class DecisionSchema(Schema):
    to = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "the status to move to: introduced, deferred, rejected (needs a note), "
                       "suggested (reopen; from introduced a withdrawal, which needs a note), or "
                       "an outcome after the introduction (in_dialogue, agreement, no_deal)"})
    note = _note("the message to both companies when introducing; the reason when rejecting or "
                 "withdrawing; else a note in the history")
    volume = _volume()
    unit = _unit()


class OutcomeSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(sorted(OUTCOMES)))
    volume = _volume()
    unit = _unit()
    note = _note("seen by the coordinator and the partner")


class NoteSchema(Schema):
    note = _note("a remark in the suggestion's history, seen by coordinators only", required=True)


class ManualPairSchema(Schema):
    offer_listing_id = JsonInteger(required=True, validate=_ID, metadata={
        "description": "the supplying listing"})
    need_listing_id = JsonInteger(required=True, validate=_ID, metadata={
        "description": "the receiving listing: a need, or a processing capability"})
    note = _note("why these two")


class EventSchema(Schema):
    id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "the user's email, or system"})
    action = fields.String(required=True, metadata={
        "description": "transition, answer, note, reopened or created"})
    from_status = fields.String(allow_none=True, required=True)
    to_status = fields.String(allow_none=True, required=True)
    note = fields.String(required=True)


class EventPageSchema(PageSchema):
    items = fields.List(fields.Nested(EventSchema), required=True)
