from flask import Blueprint

bp = Blueprint("companies", __name__)

from matchmaker.companies import routes  # noqa: E402, F401
