"""The coordinator's decisions, the companies' outcome reports, a suggestion's history and pairs
made by hand, for the API.

The web's services do the work (``review.transition``, ``introductions.report_outcome``,
``review.add_note``, ``review.create_manual``), so the workflow table, the checks, the mails,
the notifications and the history are the same as on the web. This module adds only who may
call what and answers in the API's suggestion shape (``api_suggestions``).
"""

from __future__ import annotations

from sqlmodel import Session

from matchmaker import security_log
from matchmaker.config import Settings
from matchmaker.domain.errors import Conflict, Forbidden, InvalidData, NotFound
from matchmaker.models import Suggestion, SuggestionEvent, User
from matchmaker.services import api_suggestions, introductions, review
from matchmaker.services.paging import Page, paginate


def _coordinator_only(session: Session, user: User, suggestion_id: int) -> None:
    """Forbidden for a company that sees the suggestion (the web shows it no decisions and no
    history); NotFound for one that does not, so nobody learns what exists."""
    if user.is_coordinator:
        return
    api_suggestions.suggestion(session, user, suggestion_id)  # NotFound unless it sees it
    raise Forbidden("the coordinator decides")


def decide(session: Session, user: User, suggestion_id: int, to_status: str, *, note: str = "",
           volume: float | None = None, unit: str | None = None,
           settings: Settings | None = None) -> dict:
    """The coordinator moves a suggestion, as with the match page's form; introducing it mails
    both companies. TransitionNotAllowed (a Conflict) when the workflow forbids the move."""
    _coordinator_only(session, user, suggestion_id)
    review.transition(session, user, suggestion_id, to_status, note=note,
                      outcome=review.Outcome(volume, unit), settings=settings)
    security_log.event("decision", suggestions=[suggestion_id], to=to_status)
    return api_suggestions.suggestion(session, user, suggestion_id)


def report_outcome(session: Session, user: User, suggestion_id: int, outcome: str, *,
                   volume: float | None = None, unit: str | None = None, note: str = "",
                   settings: Settings | None = None) -> dict:
    """One of the two introduced companies says how it went (the partner page's form)."""
    introductions.report_outcome(session, user, suggestion_id, outcome, volume=volume, unit=unit,
                                 note=note, settings=settings)
    security_log.event("outcome reported", suggestions=[suggestion_id], to=outcome)
    return api_suggestions.suggestion(session, user, suggestion_id)


def history(session: Session, user: User, suggestion_id: int, page: int,
            per_page: int) -> Page[SuggestionEvent]:
    """A page of the suggestion's events, oldest first, notes included (coordinator only)."""
    _coordinator_only(session, user, suggestion_id)
    if session.get(Suggestion, suggestion_id) is None:
        raise NotFound("suggestion")
    return paginate(session, review.history_query(suggestion_id), page, per_page)


def add_note(session: Session, user: User, suggestion_id: int, note: str) -> SuggestionEvent:
    _coordinator_only(session, user, suggestion_id)
    return review.add_note(session, user, suggestion_id, note)


def create_pair(session: Session, user: User, offer_listing_id: int, need_listing_id: int,
                note: str = "") -> dict:
    """A pair the engine missed. The listings must be among those the web's form offers (active,
    of approved members, able to take that side); Conflict when the pair exists already."""
    if not user.is_coordinator:
        raise Forbidden("the coordinator pairs listings")
    suppliers, receivers = review.pairing_choices(session)
    problems = []
    if offer_listing_id not in {i for i, _label in suppliers}:
        problems.append("offer_listing_id: not an active listing of a member that can supply")
    if need_listing_id not in {i for i, _label in receivers}:
        problems.append("need_listing_id: not an active listing of a member that can receive")
    if problems:
        raise InvalidData(problems)
    suggestion, created = review.create_manual(session, user, offer_listing_id, need_listing_id,
                                               note)
    if not created:
        raise Conflict(f"the pair exists already as suggestion {suggestion.id}")
    return api_suggestions.suggestion(session, user, suggestion.id)
