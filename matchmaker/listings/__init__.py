from flask import Blueprint

bp = Blueprint("listings", __name__, url_prefix="/listings")

from matchmaker.listings import routes  # noqa: E402, F401
