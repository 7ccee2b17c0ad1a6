"""Accounts: self-registration of a company with its first user, login, roles, passwords."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import bindparam
from sqlmodel import Session, func, select

from matchmaker.config import Settings
from matchmaker.domain import passwords
from matchmaker.domain.errors import Conflict, DomainError, InvalidData
from matchmaker.domain.vocab import LANGUAGES, Membership, Role
from matchmaker.models import Company, OutboxMail, User
from matchmaker.models._time import utcnow
from matchmaker.models.user import new_session_token
from matchmaker.services import mail, notifications

# argon2-cffi's defaults are RFC 9106's low-memory profile (Argon2id, t=3, m=64 MiB),
# above OWASP's minimum.
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
MAX_PASSWORD_LENGTH = passwords.MAX_LENGTH

# A reset link works once (it names the password it replaces) and for this long.
PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
_RESET_SALT = "matchmaker.password-reset"
# At most one reset mail per account in this many seconds, however many requests arrive.
_RESET_MAIL_INTERVAL = 600


class WeakPassword(InvalidData):
    """The password breaks the password rule (`matchmaker.domain.passwords`)."""

    def __init__(self, weakness: passwords.Weakness):
        super().__init__([f"password: {weakness.value}"])
        self.weakness = weakness


class WrongPassword(DomainError):
    """The current password given to confirm a change is not the account's password."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == _normalise_email(email))).first()


def check_password(password: str, user_inputs: Iterable[str | None] = ()) -> None:
    """Raise WeakPassword unless the password meets the rule; `user_inputs`: the account's
    email, name and company name."""
    weakness = passwords.weakness(password, user_inputs)
    if weakness is not None:
        raise WeakPassword(weakness)


def user_inputs(session: Session, user: User) -> list[str]:
    """The account's own details, which its password must not be made of."""
    inputs = [user.email, user.name]
    if user.company_id is not None:
        company = session.get(Company, user.company_id)
        if company is not None:
            inputs.append(company.name)
    return [value for value in inputs if value]


def _check_new_user(session: Session, email: str, password: str,
                    inputs: Iterable[str | None] = ()) -> None:
    check_password(password, [email, *inputs])
    if find_user_by_email(session, email) is not None:
        raise Conflict("email already registered")


def register_company(
    session: Session, *, company: Company, email: str, password: str, name: str = "",
    language: str = "nb", self_registered: bool = False,
) -> User:
    """Create a company and its first member in one transaction. A company that registers
    itself waits for the coordinator's approval, who is told so."""
    _check_new_user(session, email, password, [name, company.name])
    if company.org_number and session.exec(
        select(Company).where(Company.org_number == company.org_number)
    ).first():
        raise Conflict("organisation number already registered")
    if self_registered:
        company.membership = Membership.PENDING.value
    session.add(company)
    session.flush()
    if self_registered:
        notifications.registered(session, company)
    user = User(
        email=_normalise_email(email), password_hash=hash_password(password), name=name,
        role=Role.MEMBER.value, company_id=company.id,
        language=language if language in LANGUAGES else "nb",
    )
    session.add(user)
    session.commit()
    return user


def create_user(
    session: Session, *, email: str, password: str, role: Role, company_id: int | None = None,
    name: str = "",
) -> User:
    """Coordinators and admins come only from here (CLI or an admin), never from sign-up."""
    company = session.get(Company, company_id) if company_id is not None else None
    _check_new_user(session, email, password, [name, company.name if company else None])
    if role == Role.MEMBER and company_id is None:
        raise InvalidData(["company: a member belongs to a company"])
    user = User(email=_normalise_email(email), password_hash=hash_password(password),
                role=role.value, company_id=company_id, name=name)
    session.add(user)
    session.commit()
    return user


def create_users_sharing_password(
    session: Session, accounts: Iterable[tuple[str, Role, int | None, str]], password: str,
) -> list[User]:
    """Many accounts with one password (the demo's logins): each is checked as `create_user`
    would, but the password is hashed once. Argon2 is slow on purpose (about 0.15 s a hash),
    which made seeding the demo's 45 logins take most of its time. Accounts are
    (email, role, company id, name); one commit."""
    password_hash = hash_password(password)
    users = []
    for email, role, company_id, name in accounts:
        company = session.get(Company, company_id) if company_id is not None else None
        _check_new_user(session, email, password, [name, company.name if company else None])
        if role == Role.MEMBER and company_id is None:
            raise InvalidData(["company: a member belongs to a company"])
        user = User(email=_normalise_email(email), password_hash=password_hash, role=role.value,
                    company_id=company_id, name=name)
        session.add(user)
        users.append(user)
    session.commit()
    return users


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        # Spend the same time as a real check so timing does not reveal which emails exist.
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def end_all_sessions(session: Session, user: User) -> None:
    """Rotate the token in the login cookie: every copy of the old cookie stops working."""
    user.session_token = new_session_token()
    session.add(user)
    session.commit()


def _set_password(user: User, password: str) -> None:
    """New hash and a new session token: every existing session of the account ends."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """The logged-in user changes their password; all their sessions end (the caller logs the
    current one in again with the new token)."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise WrongPassword("the current password is wrong") from None
    check_password(new, user_inputs(session, user))
    _set_password(user, new)
    session.add(user)
    session.commit()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does (argon2 salts every hash), so a used link dies."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def password_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps({"user": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(session: Session, token: str, secret_key: str,
                         max_age: timedelta = PASSWORD_RESET_MAX_AGE) -> User | None:
    """The active user a reset link is for, or None if it is forged, expired or used."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=int(max_age.total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int) or not isinstance(
            data.get("pw"), str):
        return None
    user = session.get(User, data["user"])
    if user is None or not user.active or not hmac.compare_digest(
            data["pw"], _password_fingerprint(user)):
        return None
    return user


def request_password_reset(session: Session, email: str, *, settings: Settings,
                           link: Callable[[str], str]) -> OutboxMail | None:
    """Mail a reset link to an active account with this address; None when there is none.

    The caller answers the same either way. `link(token)` makes the absolute URL. The mail goes
    through the outbox and is sent at once (a dead server leaves it for `send-outbox`).
    """
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        return None
    subject, body = mail.render_mail(
        "email/password_reset.txt", user.language,
        _l("Choose a new password for %(cluster)s", cluster=settings.cluster.name),
        user=user, url=link(password_reset_token(user, settings.secret_key)),
        minutes=int(PASSWORD_RESET_MAX_AGE.total_seconds() // 60))
    window = int(time.time()) // _RESET_MAIL_INTERVAL
    queued = mail.enqueue(session, key=f"{mail.ONE_TIME_LINK_KEY}{user.id}:{window}", to=user.email,
                          subject=subject, body=body)
    session.commit()
    if queued is not None:
        mail.send_outbox(session, settings, ids=[queued.id])
    return queued


def reset_password(session: Session, user: User, new: str) -> None:
    """Set a new password from a reset link; every session of the account ends."""
    check_password(new, user_inputs(session, user))
    _set_password(user, new)
    session.add(user)
    session.commit()


def set_language(session: Session, user: User, language: str) -> None:
    if language in LANGUAGES and user.language != language:
        user.language = language
        session.add(user)
        session.commit()


# built once: a login is read on every request, and building the statement cost as much as
# running it
_LOGIN = (select(User, Company).outerjoin(Company, Company.id == User.company_id)
          .where(User.id == bindparam("user_id")))


def load_user(session: Session, cookie_id: str) -> User | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    # the company in the same query: most pages ask for it (membership gate, own company),
    # and `session.get(Company, …)` then finds it without a round trip -- as long as it is
    # alive: the identity map holds objects weakly, so the session's `info` keeps it
    found = session.exec(_LOGIN, params={"user_id": int(user_id)}).first()
    if found is None or found[0].session_token != token:
        return None
    session.info["login_company"] = found[1]
    return found[0]


def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


_DUMMY_HASH = _hasher.hash("timing-equaliser")
