from flask import Blueprint

bp = Blueprint("auth", __name__)

from matchmaker.auth import membership, routes, tokens  # noqa: E402, F401

bp.record_once(lambda state: state.app.jinja_env.globals.update(
    awaiting_approval=membership.awaiting_approval))
