from flask import Blueprint

bp = Blueprint("main", __name__)

from matchmaker.main import routes  # noqa: E402, F401
