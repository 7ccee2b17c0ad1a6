"""In-app notifications: made where things happen, read by one user at a time.

The functions that make them add rows to the caller's transaction and never commit, so a
notification exists exactly when what it reports does. Each row belongs to one user: a
company's users, or the coordinators, get one each, and each reads only their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, func, select

from matchmaker.domain.errors import NotFound
from matchmaker.domain.vocab import Role, Visibility
from matchmaker.models import Company, Listing, Notification, Suggestion, User
from matchmaker.models._time import utcnow
from matchmaker.services.paging import Page, paginate

SUGGESTIONS = "suggestions"  # new suggested partners after a match run (params: count)
ANSWER = "answer"  # a company answered a suggestion (company, answer)
INTRODUCED = "introduced"  # the coordinator introduced the company (partner, note)
OUTCOME = "outcome"  # a company reported how an introduction went (company, status)
REGISTERED = "registered"  # a company registered itself and waits for approval (company)
KINDS = (SUGGESTIONS, ANSWER, INTRODUCED, OUTCOME, REGISTERED)

PAGE_SIZE = 20


def _company_users(session: Session, company_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = sorted(set(company_ids))
    users: dict[int, list[int]] = {}
    for start in range(0, len(ids), 5000):
        for user_id, company_id in session.exec(
                select(User.id, User.company_id).where(col(User.company_id).in_(
                    ids[start:start + 5000]), col(User.active))):
            users.setdefault(company_id, []).append(user_id)
    return users


def _coordinators(session: Session) -> list[int]:
    return list(session.exec(select(User.id).where(
        col(User.role).in_([Role.COORDINATOR.value, Role.ADMIN.value]), col(User.active))))


def _rows(user_ids: Iterable[int], kind: str, subject_id: int | None, params: dict) -> list[dict]:
    now = utcnow()
    return [{"user_id": user_id, "kind": kind, "subject_id": subject_id, "params": dict(params),
             "read_at": None, "created_at": now} for user_id in user_ids]


def _insert(session: Session, rows: list[dict]) -> None:
    # bulk statements: a full recompute notifies every company at once
    for start in range(0, len(rows), 5000):
        session.execute(insert(Notification), rows[start:start + 5000])


def _add(session: Session, user_ids: Iterable[int], kind: str, subject_id: int | None,
         params: dict) -> None:
    _insert(session, _rows(user_ids, kind, subject_id, params))


# --- made by the services where things happen ----------------------------------------------

class NewSuggestions:
    """Counts a match run's new pairs per company, for one notification each at the end.

    A company counts a pair only when the other side's listing is public and active (what its
    partner page shows), so the count never hints at a confidential listing. Fed batch by
    batch: a full recompute inserts too many pairs to keep.
    """

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self._shown: dict[int, bool] = {}

    def add(self, session: Session, pairs: Iterable[tuple]) -> None:
        """`pairs`: rows starting (offer listing, need listing, offer company, need company)."""
        pairs = list(pairs)
        known = self._shown  # (not `set - known.keys()`: that walks every key seen so far)
        unknown = sorted({i for p in pairs for i in p[:2] if i not in known})
        for start in range(0, len(unknown), 5000):
            chunk = unknown[start:start + 5000]
            shown = set(session.exec(select(Listing.id).where(
                col(Listing.id).in_(chunk), col(Listing.active),
                Listing.visibility == Visibility.PUBLIC.value)))
            known.update((i, i in shown) for i in chunk)
        for offer_id, need_id, offer_company, need_company, *_rest in pairs:
            if known[need_id]:
                self.counts[offer_company] += 1
            if known[offer_id]:
                self.counts[need_company] += 1

    def notify(self, session: Session) -> None:
        _insert(session, [row for company_id, user_ids in _company_users(session, self.counts).items()
                          for row in _rows(user_ids, SUGGESTIONS, None,
                                           {"count": self.counts[company_id]})])
        self.counts.clear()


def answered(session: Session, suggestion: Suggestion, company: Company, answer: str) -> None:
    _add(session, _coordinators(session), ANSWER, suggestion.id,
         {"company": company.name, "answer": answer})


def introduced(session: Session, suggestion: Suggestion, offer_company: Company,
               need_company: Company, note: str) -> None:
    """Both companies learn of the introduction, with the coordinator's message."""
    users = _company_users(session, [offer_company.id, need_company.id])
    for company, partner in ((offer_company, need_company), (need_company, offer_company)):
        _add(session, users.get(company.id, []), INTRODUCED, suggestion.id,
             {"partner": partner.name, "note": note[:2000]})


def withdrawn(session: Session, suggestion_id: int) -> None:
    """An introduction taken back: its notifications (with the message) go as well."""
    session.execute(delete(Notification).where(Notification.kind == INTRODUCED,
                                               Notification.subject_id == suggestion_id))


def outcome_reported(session: Session, suggestion: Suggestion, company: Company,
                     status: str) -> None:
    _add(session, _coordinators(session), OUTCOME, suggestion.id,
         {"company": company.name, "status": status})


def registered(session: Session, company: Company) -> None:
    _add(session, _coordinators(session), REGISTERED, company.id, {"company": company.name})


# --- read by the user --------------------------------------------------------------------------

def unread_count(session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None))).one()


def notification_page(session: Session, user_id: int, page: int = 1,
                      size: int = PAGE_SIZE) -> Page[Notification]:
    """The user's notifications, newest first."""
    query = (select(Notification).where(Notification.user_id == user_id)
             .order_by(col(Notification.created_at).desc(), col(Notification.id).desc()))
    return paginate(session, query, page, size)


def open_notification(session: Session, user_id: int, notification_id: int) -> Notification:
    """The user's own notification, now read; another user's does not exist."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotFound("notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.commit()
    return notification


def mark_all_read(session: Session, user_id: int) -> None:
    session.execute(update(Notification).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow()))
    session.commit()
