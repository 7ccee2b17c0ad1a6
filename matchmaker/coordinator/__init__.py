from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from matchmaker.coordinator import members, routes  # noqa: E402, F401
