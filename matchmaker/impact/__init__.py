"""The coordinator's impact dashboard: figures (pure), tables, charts and the views."""

from flask import Blueprint

bp = Blueprint("impact", __name__, url_prefix="/coordinator")

from matchmaker.impact import routes  # noqa: E402, F401
