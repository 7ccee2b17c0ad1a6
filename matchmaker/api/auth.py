"""Who is calling: a personal API token in ``Authorization: Bearer``, and nothing else.

A session cookie is ignored (the request counts as anonymous), so a page in a browser cannot
make the API act for its logged-in user. A company still waiting for the coordinator's approval
gets 403, as on the web pages that show other members. Rate limits count per token.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.db import get_session
from matchmaker.extensions import limiter
from matchmaker.services import api_tokens
from matchmaker.services.membership import may_see_members

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _bearer() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def rate_key() -> str:
    """The token (as its hash: the secret stays out of the limiter's storage); without one,
    the client's address."""
    secret = _bearer()
    return ("api-token:" + hashlib.sha256(secret.encode()).hexdigest() if secret
            else "api-anon:" + (get_remote_address() or ""))


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]  # MATCHMAKER_API_RATE_LIMIT


limiter.limit(_rate_limit, key_func=rate_key)(bp)


@bp.before_request
def authenticate():
    secret = _bearer()
    user = api_tokens.authenticate(get_session(), secret) if secret else None
    if user is None:
        abort(401)
    g._login_user = user  # Flask-Login's current_user, without reading the session cookie
    if not may_see_members(get_session(), user):
        abort(403)
    if request.method in BODY_METHODS and request.content_length and not request.is_json:
        abort(415)


def user():
    return current_user._get_current_object()


def coordinator_only(view):  # noqa: ANN001, ANN201
    """403 for anyone but the coordinator, before the request is read (the web's
    ``coordinator_required``); put it right under ``@bp.route``."""
    @wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN202
        if not user().is_coordinator:
            abort(403, description="For the coordinator only.")
        return view(*args, **kwargs)
    return wrapped
