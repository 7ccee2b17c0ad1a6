"""The cluster map: companies by trade and the links between them, drawn in the browser."""

from flask import Blueprint

bp = Blueprint("map", __name__)

from matchmaker.map import routes  # noqa: E402, F401
