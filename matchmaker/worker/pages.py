""""Suggestions are being updated": what pages say while the worker has changes to match."""

from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user

from matchmaker.db import get_session
from matchmaker.worker import feed


def suggestions_updating() -> bool:
    """For a member: a listing of their company waits to be matched; for the coordinator: any
    listing does. Always False when requests match inline."""
    if current_app.extensions["matchmaker_matcher"].defer is None or not current_user.is_authenticated:
        return False
    if current_user.is_coordinator:
        return feed.any_pending(get_session())
    if current_user.company_id is None:
        return False
    return feed.company_pending(get_session(), current_user.company_id)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["suggestions_updating"] = suggestions_updating
