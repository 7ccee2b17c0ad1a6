"""/api/v1/docs: Swagger UI over the generated OpenAPI document, served by the app itself.

The Swagger UI files come from the flask-swagger-ui package (its ``dist`` folder); only the
files it needs are served, and its start-up script is ours, in a file (the CSP forbids inline
script)."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, render_template, send_from_directory

from matchmaker.api import PREFIX

DIST = Path(flask_swagger_ui.__file__).parent / "dist"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-32x32.png"})

bp = Blueprint("api_docs", __name__, url_prefix=PREFIX)


@bp.route("/docs")
def docs():
    return render_template("api/docs.html")


@bp.route("/docs/assets/<name>")
def asset(name: str):
    if name not in ASSETS:
        abort(404)
    return send_from_directory(DIST, name, max_age=86400)
