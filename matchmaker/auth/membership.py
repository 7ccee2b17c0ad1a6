"""The gate in front of every page that shows other members: a company waiting for the
coordinator's approval gets a "waiting for approval" page instead (403), on pages and
exports alike. The rule itself is `services.membership.may_see_members`."""

from __future__ import annotations

from functools import wraps

from flask import render_template
from flask_login import current_user, login_required

from matchmaker.db import get_session
from matchmaker.services.membership import waiting_state


def awaiting_approval() -> str:
    """For templates: "pending" or "rejected" while the user's company may not see the other
    members; "" otherwise."""
    if not current_user.is_authenticated:
        return ""
    return waiting_state(get_session(), current_user)


def waiting_page():
    return render_template("auth/waiting.html"), 403


def members_only(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if awaiting_approval():
            return waiting_page()
        return view(*args, **kwargs)

    return wrapped
