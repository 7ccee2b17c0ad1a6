"""The coordinator's decisions on suggestions, a company's outcome report, a suggestion's history
and notes, and pairs made by hand: the match page, the partner page and "new match" as JSON."""

from __future__ import annotations

from flask import current_app, url_for

from matchmaker.api import bp
from matchmaker.api.auth import user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.common import PageQuerySchema
from matchmaker.api.schemas.decisions import (
    DecisionSchema,
    EventPageSchema,
    EventSchema,
    ManualPairSchema,
    NoteSchema,
    OutcomeSchema,
)
from matchmaker.api.schemas.suggestions import SuggestionSchema
from matchmaker.db import get_session
from matchmaker.services import api_decisions

BODY_ERRORS = (400, 413, 415, 422)  # broken JSON, too large, not JSON, invalid data


def _settings():  # noqa: ANN202  (the app's Settings: the mail server for introductions)
    return current_app.config["MATCHMAKER"]


@bp.route("/suggestions/<int:suggestion_id>/decision", methods=["POST"])
@bp.arguments(DecisionSchema)
@bp.response(200, SuggestionSchema)
@errors(*BODY_ERRORS, 404, 409)
def decide(body: dict, suggestion_id: int):
    """The coordinator's decision, as on the match page: introduce (mails both companies),
    defer, reject or withdraw (with a reason), reopen, or record an outcome. 409 with the
    reason when the workflow does not allow the move; 403 for a company."""
    return api_decisions.decide(get_session(), user(), suggestion_id, body["to"],
                                note=body.get("note", ""), volume=body.get("volume"),
                                unit=body.get("unit"), settings=_settings())


@bp.route("/suggestions/<int:suggestion_id>/outcome", methods=["POST"])
@bp.arguments(OutcomeSchema)
@bp.response(200, SuggestionSchema)
@errors(*BODY_ERRORS, 404, 409)
def report_outcome(body: dict, suggestion_id: int):
    """One of the two introduced companies reports how it went: in_dialogue, agreement (with
    volume and unit) or no_deal. 409 before the introduction or once the pair is past that."""
    return api_decisions.report_outcome(get_session(), user(), suggestion_id, body["outcome"],
                                        volume=body.get("volume"), unit=body.get("unit"),
                                        note=body.get("note", ""), settings=_settings())


@bp.route("/suggestions/<int:suggestion_id>/events")
@bp.arguments(PageQuerySchema, location="query")
@bp.response(200, EventPageSchema)
@errors(404, 422)
def list_events(query: dict, suggestion_id: int):
    """The suggestion's history, oldest first, with the coordinators' notes (coordinator only:
    the web shows a company no history)."""
    return api_decisions.history(get_session(), user(), suggestion_id, query["page"],
                                 query["per_page"])


@bp.route("/suggestions/<int:suggestion_id>/notes", methods=["POST"])
@bp.arguments(NoteSchema)
@bp.response(201, EventSchema)
@errors(*BODY_ERRORS, 404)
def add_note(body: dict, suggestion_id: int):
    """The coordinator adds a note to the history; nobody is told."""
    return api_decisions.add_note(get_session(), user(), suggestion_id, body["note"])


@bp.route("/suggestions", methods=["POST"])
@bp.arguments(ManualPairSchema)
@bp.response(201, SuggestionSchema)
@errors(*BODY_ERRORS, 409)
def create_suggestion(body: dict):
    """The coordinator pairs two listings the engine missed; the pair goes through the usual
    review. 409 when the pair exists already."""
    created = api_decisions.create_pair(get_session(), user(), body["offer_listing_id"],
                                        body["need_listing_id"], body.get("note", ""))
    return created, 201, {"Location": url_for("api.get_suggestion", suggestion_id=created["id"])}
