"""/api/v1/suggestions: a company's own suggestions (as /partners shows them) and its answers;
every suggestion for the coordinator (as the review queue)."""

from __future__ import annotations

from matchmaker.api import bp
from matchmaker.api.auth import user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.suggestions import (
    AnswerSchema,
    SuggestionPageSchema,
    SuggestionQuerySchema,
    SuggestionSchema,
)
from matchmaker.db import get_session
from matchmaker.services import api_suggestions, review


@bp.route("/suggestions")
@bp.arguments(SuggestionQuerySchema, location="query")
@bp.response(200, SuggestionPageSchema)
@errors(422)
def list_suggestions(query: dict):
    """The caller's suggestions, best first; every suggestion for the coordinator."""
    # a services.paging.Page: the page schema reads its attributes
    return api_suggestions.suggestions(get_session(), user(), query["page"], query["per_page"],
                                       query.get("status", ""))


@bp.route("/suggestions/<int:suggestion_id>")
@bp.response(200, SuggestionSchema)
@errors(404)
def get_suggestion(suggestion_id: int):
    """One suggestion the caller may see."""
    return api_suggestions.suggestion(get_session(), user(), suggestion_id)


@bp.route("/suggestions/<int:suggestion_id>/answer", methods=["POST"])
@bp.arguments(AnswerSchema)
@bp.response(200, SuggestionSchema)
@errors(404, 409, 413, 415, 422)
def answer_suggestion(body: dict, suggestion_id: int):
    """The caller's company answers: interested, or not_relevant with an optional reason.
    409 once the coordinator has decided."""
    session = get_session()
    view = review.answer(session, user(), suggestion_id, body["answer"], body.get("reason"))
    return api_suggestions.suggestion(session, user(), view.id)
