"""Outgoing mail through an outbox.

A decision and its mail are saved in one transaction (`enqueue`), and sent afterwards
(`send_outbox`), so a dead mail server never loses a decision and a retry never sends twice:
each mail has a unique `dedupe_key` and is marked sent right after the server accepted it.

Outbox statuses: pending (to send or retry), sent, failed (the server refused the address for
good; retrying cannot help), logged (no mail server is configured: the mail was written to
the log instead, and nobody received it).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from matchmaker.config import Settings
from matchmaker.domain.vocab import LANGUAGES
from matchmaker.models import OutboxMail
from matchmaker.models._time import utcnow

log = logging.getLogger("matchmaker.mail")

SMTP_TIMEOUT = 15  # seconds; a hanging server must not hang a web request for long
PENDING, SENT, FAILED, LOGGED = "pending", "sent", "failed", "logged"


def render_mail(template: str, language: str, subject: object, **context: object
                ) -> tuple[str, str]:
    """(subject, body) in the recipient's language; `subject` is a lazy string."""
    language = language if language in LANGUAGES else "nb"
    with force_locale(language):
        return str(subject), render_template(template, language=language, **context)


# Mails whose body carries a one-time login link: once delivered, the outbox keeps no copy of
# the link (a database dump or backup must not hold working links).
ONE_TIME_LINK_KEY = "password-reset:"
ERASED_BODY = "(erased once sent: it held a one-time link)"


def enqueue(session: Session, *, key: str, to: str, subject: str, body: str) -> OutboxMail | None:
    """Add a mail to the caller's transaction, unless one with this key exists already."""
    if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first():
        return None
    subject = " ".join(subject.split())  # a line break in a header would break the mail
    mail = OutboxMail(dedupe_key=key[:200], to_address=to.strip(), subject=subject[:300],
                      body=body)
    session.add(mail)
    return mail


@dataclass
class SendReport:
    sent: int = 0
    logged: int = 0  # written to the log: no MATCHMAKER_SMTP_HOST
    retry: int = 0  # failed this time, stays pending
    failed: int = 0  # refused for good


class _Transport:
    """One SMTP connection for a batch; once connecting fails, the rest fail without waiting."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.broken: Exception | None = None

    def open(self) -> None:
        """Connect before any mail is claimed, so a slow server never waits inside a lock."""
        if self.settings.smtp_host and self.smtp is None and self.broken is None:
            try:
                self.smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                self.broken = exc

    def send(self, message: EmailMessage) -> bool:
        """True when the server took the mail; False when it went to the log (no server)."""
        if not self.settings.smtp_host:
            log.info("mail (no MATCHMAKER_SMTP_HOST, not sent):\n%s", message.as_string())
            return False
        self.open()
        if self.broken is not None:
            raise self.broken
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.smtp = None
            raise
        return True

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _message(mail: OutboxMail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<outbox.{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"
    message.set_content(mail.body)
    return message


def _permanent(exc: Exception) -> bool:
    """The server said no for good (5xx for the recipient or the data), or the mail is malformed."""
    if isinstance(exc, ValueError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500 and isinstance(
        exc, smtplib.SMTPDataError | smtplib.SMTPSenderRefused)


def _claim(session: Session, mail_id: int) -> OutboxMail | None:
    """Take a pending mail for this sender, or None if another sender took it.

    The conditional UPDATE waits for a parallel sender's lock (a row lock on PostgreSQL, the
    write lock on SQLite) and then finds the mail no longer pending: no mail goes out twice.
    """
    claimed = session.execute(
        update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.status == PENDING)
        .values(attempts=OutboxMail.attempts + 1))
    if claimed.rowcount != 1:
        session.rollback()
        return None
    return session.exec(select(OutboxMail).where(OutboxMail.id == mail_id)
                        .execution_options(populate_existing=True)).one()


def send_outbox(session: Session, settings: Settings, *, ids: Iterable[int] | None = None,
                limit: int = 500) -> SendReport:
    """Send pending mail (all, or only `ids`), committing each result as it happens."""
    query = select(OutboxMail.id).where(OutboxMail.status == PENDING)
    if ids is not None:
        query = query.where(col(OutboxMail.id).in_(list(ids)))
    pending = list(session.exec(query.order_by(OutboxMail.id).limit(limit)))
    session.commit()  # claim each mail below in a fresh, short transaction
    report = SendReport()
    if not pending:
        return report
    transport = _Transport(settings)
    transport.open()
    try:
        for mail_id in pending:
            mail = _claim(session, mail_id)
            if mail is None:  # sent meanwhile by another sender
                continue
            try:
                delivered = transport.send(_message(mail, settings))
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                if _permanent(exc):
                    mail.status = FAILED
                    report.failed += 1
                else:
                    report.retry += 1
                log.warning("mail %s to %s not sent: %s", mail.dedupe_key, mail.to_address,
                            mail.last_error)
            else:
                mail.status, mail.sent_at, mail.last_error = (SENT if delivered else LOGGED), utcnow(), ""
                if delivered and mail.dedupe_key.startswith(ONE_TIME_LINK_KEY):
                    mail.body = ERASED_BODY
                report.sent += delivered
                report.logged += not delivered
            session.add(mail)
            session.commit()
    finally:
        transport.close()
    return report


def pending_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxMail)
                        .where(OutboxMail.status == PENDING)).one()
