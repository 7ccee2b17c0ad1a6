"""From a suggestion to a partnership: companies answer, the coordinator decides and introduces.

What a company may see lives in ``partners``, the coordinator's queue in ``queue``, digests in
``digests`` and the audit log in ``audit``; this module moves suggestions from status to
status (and says so in the audit log and by mail).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matchmaker import labels
from matchmaker.config import Settings
from matchmaker.domain import workflow
from matchmaker.domain.errors import Conflict, DomainError, InvalidData, NotFound
from matchmaker.domain.rules import canonical_unit
from matchmaker.domain.vocab import LANGUAGES, Membership
from matchmaker.domain.workflow import Status, TransitionNotAllowed
from matchmaker.matching import roles
from matchmaker.matching.geo import haversine_km
from matchmaker.matching.records import ListingRecord
from matchmaker.models import Company, Listing, OutboxMail, Suggestion, SuggestionEvent, User
from matchmaker.models._time import utcnow
from matchmaker.services import mail, notifications
from matchmaker.services.matching import listing_signature, reason_text
from matchmaker.services.partners import (  # noqa: F401  (partner views are part of this API)
    PartnerSuggestion,
    company_suggestions_query,
    csv_text,
    partner_export,
    partner_suggestions,
    partner_views,
)
from matchmaker.services.queue import (  # noqa: F401  (the queue is part of this API)
    ANSWER_FILTERS,
    SORTS,
    MatchRow,
    QueueFilters,
    QueuePage,
    _joined,
    pair_text,
    queue_choices,
    review_queue,
)


def _event(suggestion: Suggestion, actor: User | None, action: str, *, note: str = "",
           from_status: str | None = None, to_status: str | None = None,
           pair: str = "") -> SuggestionEvent:
    return SuggestionEvent(
        suggestion_id=suggestion.id, actor_user_id=actor.id if actor else None,
        actor=actor.email if actor else "system", action=action, from_status=from_status,
        to_status=to_status, note=note[:workflow.NOTE_MAX], pair=pair,
    )


def answer(session: Session, user: User, suggestion_id: int, answer: str,
           reason: str | None = None) -> PartnerSuggestion:
    """A company's 'interested' / 'not relevant', visible to the coordinator."""
    if user.company_id is None:
        raise NotFound("suggestion")
    row = session.exec(company_suggestions_query(user.company_id)
                       .where(Suggestion.id == suggestion_id)
                       .with_for_update(of=Suggestion)).first()
    if row is None:
        raise NotFound("suggestion")
    suggestion, offer, need = row
    try:
        reason = workflow.check_answer(suggestion.status, answer, reason)
    except DomainError:
        session.rollback()  # release the row lock at once
        raise
    side = "offer" if suggestion.offer_company_id == user.company_id else "need"
    setattr(suggestion, f"{side}_answer", answer)
    setattr(suggestion, f"{side}_answer_reason", reason)
    suggestion.updated_at = utcnow()
    companies = {c.id: c for c in session.exec(select(Company).where(col(Company.id).in_(
        [suggestion.offer_company_id, suggestion.need_company_id])))}
    session.add(suggestion)
    notifications.answered(session, suggestion, companies[user.company_id], answer)
    session.add(_event(
        suggestion, user, "answer", note=f"{side}: {answer}" + (f" ({reason})" if reason else ""),
        pair=pair_text(companies[suggestion.offer_company_id], offer,
                        companies[suggestion.need_company_id], need)))
    session.commit()
    return partner_views(session, user.company_id, [(suggestion, offer, need)])[0]


def set_digest(session: Session, user: User, enabled: bool) -> None:
    user.digest_enabled = enabled
    session.add(user)
    session.commit()


@dataclass(frozen=True)
class MatchDetail:
    row: MatchRow
    events: list[SuggestionEvent]
    targets: frozenset[Status] = field(default_factory=frozenset)


def _match_row(session: Session, suggestion_id: int, *, lock: bool = False) -> MatchRow:
    query, _aliases = _joined()
    query = query.where(Suggestion.id == suggestion_id)
    if lock:
        query = query.with_for_update(of=Suggestion)
    row = session.exec(query).first()
    if row is None:
        raise NotFound("suggestion")
    return MatchRow(*row)


def history_query(suggestion_id: int):  # noqa: ANN201  (a select of SuggestionEvent)
    """A suggestion's events, oldest first: its history as the match page shows it."""
    return (select(SuggestionEvent).where(SuggestionEvent.suggestion_id == suggestion_id)
            .order_by(col(SuggestionEvent.created_at), col(SuggestionEvent.id)))


def match_detail(session: Session, suggestion_id: int) -> MatchDetail:
    row = _match_row(session, suggestion_id)
    events = list(session.exec(history_query(suggestion_id)))
    return MatchDetail(row, events, workflow.allowed_targets(row.suggestion.status))


# --- transitions -------------------------------------------------------------------------------

@dataclass
class Decision:
    """What a transition did, so the page can say whether the mail left already."""

    suggestions: list[Suggestion]
    mails_queued: int = 0
    mails_sent: int = 0
    mails_logged: int = 0  # no mail server configured: written to the log, not sent

    @property
    def mails_waiting(self) -> int:
        return self.mails_queued - self.mails_sent - self.mails_logged


@dataclass(frozen=True)
class Outcome:
    volume: float | None = None
    unit: str | None = None


def _check_details(to_status: str, note: str, outcome: Outcome | None) -> Outcome | None:
    problems = []
    if to_status == Status.REJECTED and not note.strip():
        problems.append("note: a rejection needs a reason")
    if outcome is not None and to_status in workflow.OUTCOMES:
        if outcome.volume is not None and (outcome.volume < 0 or not math.isfinite(outcome.volume)):
            problems.append("volume: must be a number of at least 0")
        unit = canonical_unit(outcome.unit) if outcome.unit else None
        if outcome.unit and unit is None:
            problems.append(f"unit: unknown unit {outcome.unit!r}")
        if outcome.volume is not None and not outcome.unit:
            problems.append("unit: give the unit of the volume")
        outcome = Outcome(outcome.volume, unit)
    if problems:
        raise InvalidData(problems)
    return outcome


def _apply(session: Session, actor: User, row: MatchRow, to_status: str, note: str,
           outcome: Outcome | None, settings: Settings | None) -> list[OutboxMail]:
    s = row.suggestion
    from_status = s.status
    s.status = to_status
    s.updated_at = utcnow()
    # What the listings looked like at this decision: a later material change reopens a rejection.
    s.offer_signature, s.need_signature = listing_signature(row.offer), listing_signature(row.need)
    mails: list[OutboxMail] = []
    if to_status == Status.INTRODUCED:
        s.introduced_at = s.updated_at
        mails = _queue_introduction(session, actor, row, note, settings)
        notifications.introduced(session, s, row.offer_company, row.need_company, note)
    if workflow.is_withdrawal(from_status, to_status):
        s.introduced_at = None
        notifications.withdrawn(session, s.id)
    if to_status in workflow.OUTCOMES and actor.company_id is not None:  # a company reports
        reporter = row.offer_company if actor.company_id == s.offer_company_id else row.need_company
        notifications.outcome_reported(session, s, reporter, to_status)
    if to_status in workflow.OUTCOMES and outcome is not None:
        s.outcome_volume, s.outcome_unit = outcome.volume, outcome.unit
        if note:
            s.outcome_note = note[:workflow.NOTE_MAX]
    session.add(s)
    session.add(_event(s, actor, "transition", note=note, from_status=from_status,
                       to_status=to_status, pair=row.pair))
    return mails


def _commit_and_deliver(session: Session, decision: Decision, mails: list[OutboxMail],
                        settings: Settings | None) -> Decision:
    try:
        session.commit()
    except IntegrityError:  # another coordinator made the same decision a moment ago
        session.rollback()
        raise Conflict("the suggestion changed meanwhile") from None
    decision.mails_queued = len(mails)
    if mails and settings is not None:
        report = mail.send_outbox(session, settings, ids=[m.id for m in mails])
        decision.mails_sent, decision.mails_logged = report.sent, report.logged
    return decision


def transition(session: Session, actor: User, suggestion_id: int, to_status: str, *,
               note: str = "", outcome: Outcome | None = None,
               settings: Settings | None = None) -> Decision:
    """Move one suggestion; introducing it queues the mails (and tries to send them at once)."""
    note = note.strip()
    outcome = _check_details(to_status, note, outcome)
    row = _match_row(session, suggestion_id, lock=True)
    if not workflow.can_transition(row.suggestion.status, to_status):
        session.rollback()
        raise TransitionNotAllowed(row.suggestion.status, to_status, suggestion_id)
    if workflow.is_withdrawal(row.suggestion.status, to_status) and not note:
        session.rollback()
        raise InvalidData(["note: say why the introduction is withdrawn"])
    mails = _apply(session, actor, row, to_status, note, outcome, settings)
    return _commit_and_deliver(session, Decision([row.suggestion]), mails, settings)


def bulk_transition(session: Session, actor: User, suggestion_ids: Iterable[int], to_status: str,
                    *, note: str = "", settings: Settings | None = None) -> Decision:
    """All selected suggestions move, or none does."""
    if to_status not in (Status.INTRODUCED, Status.REJECTED, Status.DEFERRED):
        raise InvalidData([f"action: no bulk action leads to {to_status!r}"])
    ids = sorted(set(suggestion_ids))
    if not ids:
        raise InvalidData(["selection: choose at least one match"])
    note = note.strip()
    _check_details(to_status, note, None)
    try:
        rows = [_match_row(session, i, lock=True) for i in ids]
    except NotFound:
        session.rollback()
        raise
    for row in rows:
        if not workflow.can_transition(row.suggestion.status, to_status):
            session.rollback()
            raise TransitionNotAllowed(row.suggestion.status, to_status, row.suggestion.id)
    mails = [m for row in rows for m in _apply(session, actor, row, to_status, note, None, settings)]
    return _commit_and_deliver(session, Decision([r.suggestion for r in rows]), mails, settings)


def add_note(session: Session, actor: User, suggestion_id: int, note: str) -> SuggestionEvent:
    """The coordinator's remark in the suggestion's history (nobody is told)."""
    note = note.strip()
    if not note:
        raise InvalidData(["note: write something"])
    row = _match_row(session, suggestion_id)
    event = _event(row.suggestion, actor, "note", note=note, pair=row.pair)
    session.add(event)
    session.commit()
    return event


# --- pairing by hand ---------------------------------------------------------------------------

def _record(listing: Listing) -> ListingRecord:
    return ListingRecord(listing_id=listing.id, company_id=listing.company_id,
                         direction=listing.direction, kind=listing.kind,  # type: ignore[arg-type]
                         title=listing.title, active=listing.active)


def pairing_choices(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(suppliers, receivers) for the hand-pairing form: active listings that can take a side
    (of members: like the engine, the coordinator pairs no company waiting for approval)."""
    rows = session.exec(select(Listing, Company).join(Company, Company.id == Listing.company_id)
                        .where(col(Listing.active), Company.membership == Membership.APPROVED.value)
                        .order_by(Company.name, Listing.title))
    left, right = [], []
    for listing, company in rows:
        # read in the coordinator's language: "(Tilbud, Råvare)", never "(offer, material)"
        label = (f"{company.name} — {listing.title} ({labels.DIRECTION[listing.direction]}, "
                 f"{labels.KIND[listing.kind]})")
        sides = {side for _pt, side in roles.roles(_record(listing))}
        if "left" in sides:
            left.append((listing.id, label))
        if "right" in sides:
            right.append((listing.id, label))
    return left, right


def create_manual(session: Session, actor: User, offer_listing_id: int, need_listing_id: int,
                  note: str = "") -> tuple[Suggestion, bool]:
    """A pair the engine missed; (suggestion, created) — an existing pair is returned as is."""
    offer, need = session.get(Listing, offer_listing_id), session.get(Listing, need_listing_id)
    if offer is None or need is None:
        raise NotFound("listing")
    oriented = roles.orient(_record(offer), _record(need))
    if oriented is None:
        raise InvalidData(["pair: these two listings cannot be paired (same company, inactive, "
                           "or no supplier for the other side)"])
    left, right, pair_type = oriented
    if left.listing_id != offer.id:
        offer, need = need, offer
    existing = session.exec(select(Suggestion).where(
        Suggestion.offer_listing_id == offer.id, Suggestion.need_listing_id == need.id)).first()
    if existing is not None:
        return existing, False
    offer_co, need_co = session.get(Company, offer.company_id), session.get(Company, need.company_id)
    distance = (round(haversine_km(offer_co.lat, offer_co.lon, need_co.lat, need_co.lon), 1)
                if offer_co.has_location and need_co.has_location else None)
    reasons: list[dict] = [{"code": "manual", "params": {}}]
    reasons.append({"code": "distance", "params": {"km": round(distance)}} if distance is not None
                   else {"code": "distance_unknown", "params": {}})
    suggestion = Suggestion(
        offer_listing_id=offer.id, need_listing_id=need.id, offer_company_id=offer_co.id,
        need_company_id=need_co.id, pair_type=pair_type, score=1.0, components={},
        distance_km=distance, reasons=reasons, settings_version="manual", origin="manual",
        offer_signature=listing_signature(offer), need_signature=listing_signature(need),
    )
    session.add(suggestion)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("the pair exists already") from None
    session.add(_event(suggestion, actor, "created", note=note.strip(), to_status=Status.SUGGESTED,
                       pair=pair_text(offer_co, offer, need_co, need)))
    session.commit()
    return suggestion, True


# --- mail --------------------------------------------------------------------------------------

def _recipients(session: Session, company: Company) -> list[tuple[str, str, int | None]]:
    """(address, language, user id) for a company: its active users, else its own address."""
    users = list(session.exec(select(User).where(User.company_id == company.id, col(User.active))
                              .order_by(User.id)))
    if users:
        return [(u.email, u.language, u.id) for u in users]
    return [(company.email, "nb", None)] if company.email else []


def _language(language: str) -> str:
    return language if language in LANGUAGES else "nb"


def _queue_introduction(session: Session, actor: User, row: MatchRow, note: str,
                        settings: Settings | None) -> list[OutboxMail]:
    """One mail to each user of both sides with the other's contact details, and a copy."""
    s = row.suggestion
    base_url = settings.base_url if settings else ""
    mails: list[OutboxMail] = []
    sides = ((row.offer_company, row.offer, row.need_company, row.need),
             (row.need_company, row.need, row.offer_company, row.offer))
    addressed: list[str] = []
    for company, own, partner, partner_listing in sides:
        for address, language, user_id in _recipients(session, company):
            language = _language(language)
            subject, body = mail.render_mail(
                "email/introduction.txt", language,
                _l("Introduction: %(partner)s", partner=partner.name),
                company=company, own=own, partner=partner, partner_listing=partner_listing,
                reasons=[reason_text(r, language) for r in s.reasons], note=note,
                coordinator=actor, base_url=base_url,
            )
            key = f"intro:{s.id}:{user_id}" if user_id else f"intro:{s.id}:company:{company.id}"
            queued = mail.enqueue(session, key=key, to=address, subject=subject, body=body)
            if queued is not None:
                mails.append(queued)
                addressed.append(address)
    language = _language(actor.language)
    subject, body = mail.render_mail(
        "email/introduction_copy.txt", language,
        _l("Copy: introduced %(a)s and %(b)s", a=row.offer_company.name, b=row.need_company.name),
        row=row, reasons=[reason_text(r, language) for r in s.reasons], note=note,
        addressed=addressed, base_url=base_url,
    )
    queued = mail.enqueue(session, key=f"intro:{s.id}:{actor.id}", to=actor.email,
                          subject=subject, body=body)
    if queued is not None:
        mails.append(queued)
    return mails
