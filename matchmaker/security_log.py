"""The security log: one structured line per security-relevant event.

Logins, failed logins, lockouts, 403s, CSRF failures, imports, coordinator decisions and
role changes each write one JSON object on the ``matchmaker.security`` logger: UTC time,
what happened, the user, their company and the client address, plus a few details. JSON
escapes CR and LF, so a crafted e-mail address cannot forge a second line; a detail whose
name says it is a secret (password, token, secret) is never written, whatever its value.

The lines go to standard error (gunicorn's log) unless the operator routes the logger
elsewhere, or to ``MATCHMAKER_SECURITY_LOG`` (a file path) when that is set.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, has_request_context, request

LOGGER_NAME = "matchmaker.security"
logger = logging.getLogger(LOGGER_NAME)
SECRET_WORDS = ("password", "token", "secret")


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def _who() -> dict[str, Any]:
    """The current user, company and address, when there is a request."""
    if not has_request_context():
        return {"user": None, "company": None, "address": None}
    from flask_login import current_user

    authenticated = bool(current_user and current_user.is_authenticated)
    return {
        "user": current_user.email if authenticated else None,
        "company": current_user.company_id if authenticated else None,
        "address": request.remote_addr,
    }


def event(what: str, **details: Any) -> None:
    """Write one security line. ``user``/``company``/``address`` given here override the
    request's (e.g. a failed login names the account that was tried)."""
    line: dict[str, Any] = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "what": what}
    line.update(_who())
    line.update({k: v for k, v in details.items() if not _is_secret(k)})
    logger.info(json.dumps(line, ensure_ascii=False, default=str, sort_keys=False))


def init_app(app: Flask, path: str = "") -> None:
    """Give the logger a handler once: the configured file, else standard error."""
    if logger.handlers:
        return
    handler: logging.Handler = (
        logging.FileHandler(path, encoding="utf-8") if path else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
