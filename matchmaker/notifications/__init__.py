"""`/notifications`: what happened that the user should look at, and the header's badge."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from matchmaker.notifications import routes  # noqa: E402, F401
