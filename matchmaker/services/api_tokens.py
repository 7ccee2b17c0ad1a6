"""Personal API tokens: created, listed and revoked by their user; checked on every API call.

A token is ``mm_`` plus 43 random URL-safe characters (256 bits), so a leaked one is easy to
recognise in logs and secret scanners, and storing only its SHA-256 is enough: the secret is too
random to guess from the hash, so no slow password hash is needed on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from matchmaker import security_log
from matchmaker.domain.errors import InvalidData, NotFound
from matchmaker.models import ApiToken, User
from matchmaker.models._time import utcnow

PREFIX = "mm_"
EXPIRY_DAYS: tuple[int, ...] = (30, 90, 365)  # the choices offered; 0 = never expires
DEFAULT_EXPIRY_DAYS = 90
MAX_TOKENS = 20  # per user: enough for each system a company connects
LAST_USED_RESOLUTION = timedelta(minutes=1)  # write "last used" at most this often


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(session: Session, user: User, name: str, expires_in_days: int = 0,
           by: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is never shown again. ``by``:
    who made it, for the security log, when not the user on the web (e.g. "command line")."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidData(["name: 1 to 100 characters"])
    if expires_in_days and expires_in_days not in EXPIRY_DAYS:
        raise InvalidData([f"expires_in_days: 0 or one of {EXPIRY_DAYS}"])
    if len(list_for(session, user)) >= MAX_TOKENS:
        raise InvalidData([f"at most {MAX_TOKENS} tokens; revoke one first"])
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(secret), hint=secret[:8],
                     expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None)
    session.add(token)
    session.commit()
    security_log.event("api token created", user=user.email, company=user.company_id,
                       token_id=token.id, expires=token.expires_at, **({"by": by} if by else {}))
    return token, secret


def list_for(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id)
                             .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())))


def revoke(session: Session, user: User, token_id: int) -> None:
    """Delete one of the user's tokens; another user's token is not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("api token")
    session.delete(token)
    session.commit()
    security_log.event("api token revoked", user=user.email, company=user.company_id,
                       token_id=token_id)


def authenticate(session: Session, secret: str) -> User | None:
    """The active user a valid, unexpired token belongs to; None otherwise."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    now = utcnow()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
        session.commit()
    return user
