"""The JSON API, /api/v1: one module per resource on one flask-smorest blueprint.

flask-smorest validates requests and shapes responses with marshmallow schemas and generates
the OpenAPI document from those same schemas (see the README for why this library). Callers
authenticate with a personal token only (``auth``); errors are problem+json (``problems``).
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response

from matchmaker.extensions import csrf

PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"

bp = ApiBlueprint("api", __name__, url_prefix=PREFIX,
                  description="Companies, listings, suggestions and decisions, value chains, "
                              "impact, import and export.")
csrf.exempt(bp)  # no cookie is accepted here, so there is nothing for a forged form to ride on

from matchmaker.api import (  # noqa: E402, F401
    auth,
    chains,
    companies,
    decisions,
    impact,
    interchange,
    listings,
    problems,
    suggestions,
)
from matchmaker.api.schemas.common import ProblemSchema  # noqa: E402


class _Api(Api):
    """flask-smorest without its app-wide error handlers (the web keeps its own pages; the API's
    errors are answered by ``problems``), and with errors documented as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                prepare_response(response, self.spec, PROBLEM_JSON)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="matchmaker", API_VERSION="v1", OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX, OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "info": {"description": "Matchmaker's JSON API. Authenticate with a personal API token "
                                   "(created on your account page) as `Authorization: Bearer mm_…`."},
        },
    )
    api = _Api(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    from matchmaker.api import docs

    app.register_blueprint(docs.bp)
