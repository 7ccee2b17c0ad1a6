"""Digests: each user's new suggested partners, queued as one mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_ngettext
from sqlmodel import Session, col, select

from matchmaker.config import Settings
from matchmaker.domain import workflow
from matchmaker.domain.vocab import Role
from matchmaker.models import Suggestion, User
from matchmaker.models._time import utcnow
from matchmaker.services import mail
from matchmaker.services.matching import reason_text
from matchmaker.services.partners import company_suggestions_query, partner_views
from matchmaker.services.review import _language


@dataclass
class DigestReport:
    users_mailed: int = 0
    users_skipped: int = 0


def queue_digests(session: Session, settings: Settings, now: datetime | None = None
                  ) -> DigestReport:
    """A mail per company user with new open suggestions since their last digest."""
    now = now or utcnow()
    report = DigestReport()
    users = list(session.exec(select(User).where(
        User.role == Role.MEMBER.value, col(User.active), col(User.digest_enabled),
        col(User.company_id).is_not(None), User.email != "").order_by(User.id)))
    for user in users:
        query = company_suggestions_query(user.company_id).where(
            col(Suggestion.status).in_([s.value for s in workflow.ANSWERABLE]),
            Suggestion.created_at <= now)
        if user.last_digest_at is not None:
            query = query.where(Suggestion.created_at > user.last_digest_at)
        views = partner_views(session, user.company_id, session.exec(
            query.order_by(col(Suggestion.score).desc(), Suggestion.id)))
        if not views:
            report.users_skipped += 1
            continue
        language = _language(user.language)
        subject, body = mail.render_mail(
            "email/digest.txt", language,
            lazy_ngettext("%(num)d new suggested partner", "%(num)d new suggested partners",
                          len(views)),
            user=user, views=views, base_url=settings.base_url,
            reasons={v.id: [reason_text(r, language) for r in v.reasons] for v in views},
        )
        mail.enqueue(session, key=f"digest:{user.id}:{now:%Y%m%dT%H%M%S%f}", to=user.email,
                     subject=subject, body=body)
        user.last_digest_at = now
        session.add(user)
        report.users_mailed += 1
    session.commit()
    return report
