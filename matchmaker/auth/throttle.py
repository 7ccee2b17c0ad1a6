"""Login throttling: per client address and per account, counted in the shared limiter
storage (the database by default), so the limits hold across web workers and processes.

The address limit counts every login attempt; the account limit counts failed ones only
(a login that succeeds redirects), so someone who guesses one account's password from many
addresses is stopped too, while its owner's own successful logins cost nothing. Reaching
either limit is a lockout: refused with 429 until the window ends, and logged.
"""

from __future__ import annotations

from flask import request
from flask.wrappers import Response
from flask_limiter import RequestLimit

from matchmaker import security_log
from matchmaker.extensions import limiter

PER_ADDRESS = "20 per 15 minutes"
PER_ACCOUNT_FAILURES = "10 per 15 minutes"


def _account() -> str:
    """The account a login attempt names (as typed, normalised like a stored address)."""
    return "login-account:" + request.form.get("email", "").strip().lower()[:254]


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _lockout(limit: RequestLimit) -> None:
    security_log.event("lockout", account=request.form.get("email", "")[:254], limit=str(limit.limit))


per_address = limiter.limit(PER_ADDRESS, methods=["POST"], on_breach=_lockout)
per_account = limiter.limit(PER_ACCOUNT_FAILURES, methods=["POST"], key_func=_account,
                            deduct_when=_failed, on_breach=_lockout)
