"""After an introduction, from the companies' side: one suggestion's page (the pair, the
coordinator's message, how it went) and either company's report of the outcome.

The report goes through the same workflow table and audit log as the coordinator's decisions
(`review`), with the reporting user as the actor; the coordinators are notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from matchmaker.config import Settings
from matchmaker.domain import workflow
from matchmaker.domain.errors import InvalidData, NotFound
from matchmaker.domain.workflow import Status, TransitionNotAllowed
from matchmaker.models import Company, Suggestion, SuggestionEvent, User
from matchmaker.services import review
from matchmaker.services.partners import PartnerSuggestion, company_suggestions_query, partner_views


@dataclass(frozen=True)
class ReportedOutcome:
    status: str
    volume: float | None
    unit: str | None
    note: str
    reported_by: str  # the reporting company's name; "" when the coordinator recorded it
    reported_at: datetime


@dataclass(frozen=True)
class PartnerDetail:
    suggestion: PartnerSuggestion
    introduction_note: str  # the coordinator's message ("" before the introduction)
    outcome: ReportedOutcome | None
    targets: tuple[str, ...]  # outcomes the company may report now


def _visible(session: Session, user: User, suggestion_id: int, *, lock: bool = False) -> tuple:
    """(suggestion, offer, need) if the user's company may see it (the partner page's rule)."""
    if user.company_id is None:
        raise NotFound("suggestion")
    query = company_suggestions_query(user.company_id).where(Suggestion.id == suggestion_id)
    if lock:
        query = query.with_for_update(of=Suggestion)
    row = session.exec(query).first()
    if row is None:
        raise NotFound("suggestion")
    return tuple(row)


def _last_event(session: Session, suggestion_id: int, statuses: list[str]) -> SuggestionEvent | None:
    return session.exec(select(SuggestionEvent).where(
        SuggestionEvent.suggestion_id == suggestion_id, SuggestionEvent.action == "transition",
        col(SuggestionEvent.to_status).in_(statuses))
        .order_by(col(SuggestionEvent.created_at).desc(), col(SuggestionEvent.id).desc())).first()


def _outcome(session: Session, s: Suggestion) -> ReportedOutcome | None:
    if s.status not in workflow.OUTCOMES:
        return None
    event = _last_event(session, s.id, [s.status])
    reporter = ""
    if event is not None and event.actor_user_id is not None:
        actor = session.get(User, event.actor_user_id)
        company = session.get(Company, actor.company_id) if actor and actor.company_id else None
        reporter = company.name if company else ""
    return ReportedOutcome(s.status, s.outcome_volume, s.outcome_unit, s.outcome_note, reporter,
                           event.created_at if event else s.updated_at)


def partner_detail(session: Session, user: User, suggestion_id: int) -> PartnerDetail:
    s, offer, need = _visible(session, user, suggestion_id)
    view = partner_views(session, user.company_id, [(s, offer, need)])[0]
    note = ""
    if view.introduced:
        event = _last_event(session, s.id, [Status.INTRODUCED.value])
        note = event.note if event else ""
    targets = tuple(t for t in (Status.IN_DIALOGUE, Status.AGREEMENT, Status.NO_DEAL)
                    if workflow.can_transition(s.status, t))
    return PartnerDetail(view, note, _outcome(session, s), targets)


def report_outcome(session: Session, user: User, suggestion_id: int, to_status: str, *,
                   volume: float | None = None, unit: str | None = None, note: str = "",
                   settings: Settings | None = None) -> review.Decision:
    """Either introduced company says how it went: in dialogue, agreement (with volume and
    unit), or no deal. Raises TransitionNotAllowed once the pair is past that point."""
    if to_status not in workflow.OUTCOMES:
        raise InvalidData([f"outcome: one of {', '.join(sorted(workflow.OUTCOMES))}"])
    note = note.strip()
    outcome = review._check_details(to_status, note, review.Outcome(volume, unit))
    _visible(session, user, suggestion_id, lock=True)
    row = review._match_row(session, suggestion_id, lock=True)
    if not workflow.can_transition(row.suggestion.status, to_status):
        session.rollback()
        raise TransitionNotAllowed(row.suggestion.status, to_status, suggestion_id)
    mails = review._apply(session, user, row, to_status, note, outcome, settings)
    return review._commit_and_deliver(session, review.Decision([row.suggestion]), mails, settings)
