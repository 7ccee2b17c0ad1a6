"""Accounts: self-registration of a company with its first user, login, roles."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select

from matchmaker.domain.errors import Conflict, InvalidData
from matchmaker.domain.vocab import LANGUAGES, Role
from matchmaker.models import Company, User
from matchmaker.models._time import utcnow
from matchmaker.models.user import new_session_token

# argon2-cffi's defaults are RFC 9106's low-memory profile (Argon2id, t=3, m=64 MiB),
# above OWASP's minimum.
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == _normalise_email(email))).first()


def _check_new_user(session: Session, email: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidData([f"password: at least {MIN_PASSWORD_LENGTH} characters"])
    if find_user_by_email(session, email) is not None:
        raise Conflict("email already registered")


def register_company(
    session: Session, *, company: Company, email: str, password: str, name: str = "",
    language: str = "nb",
) -> User:
    """Create a company and its first member in one transaction."""
    _check_new_user(session, email, password)
    if company.org_number and session.exec(
        select(Company).where(Company.org_number == company.org_number)
    ).first():
        raise Conflict("organisation number already registered")
    session.add(company)
    session.flush()
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
    _check_new_user(session, email, password)
    if role == Role.MEMBER and company_id is None:
        raise InvalidData(["company: a member belongs to a company"])
    user = User(email=_normalise_email(email), password_hash=hash_password(password),
                role=role.value, company_id=company_id, name=name)
    session.add(user)
    session.commit()
    return user


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


def set_language(session: Session, user: User, language: str) -> None:
    if language in LANGUAGES and user.language != language:
        user.language = language
        session.add(user)
        session.commit()


def load_user(session: Session, cookie_id: str) -> User | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id))
    if user is None or user.session_token != token:
        return None
    return user


def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


_DUMMY_HASH = _hasher.hash("timing-equaliser")
