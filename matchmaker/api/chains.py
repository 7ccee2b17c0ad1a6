"""/api/v1/chains and /api/v1/projects: value chains as the web shows them (all for the
coordinator, a company's own for it), and the coordinator's cluster projects."""

from __future__ import annotations

from flask import current_app

from matchmaker.api import bp
from matchmaker.api.auth import coordinator_only, user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.chains import (
    ChainPageSchema,
    ChainQuerySchema,
    NewProjectSchema,
    ProjectPageSchema,
    ProjectSchema,
    ProjectStatusSchema,
)
from matchmaker.api.schemas.common import PageQuerySchema
from matchmaker.db import get_session
from matchmaker.services import api_chains

BODY_ERRORS = (400, 413, 415, 422)  # broken JSON, too large, not JSON, invalid data


@bp.route("/chains")
@bp.arguments(ChainQuerySchema, location="query")
@bp.response(200, ChainPageSchema)
@errors(422)
def list_chains(query: dict):
    """Chains best first (weakest link, then distance): every chain for the coordinator; for a
    company the chains it takes part in, without other companies' confidential listings."""
    return api_chains.chains(
        get_session(), user(), material=query.get("material", ""),
        municipality=query.get("municipality", ""),
        min_score=current_app.extensions["matchmaker_matcher"].settings.min_score,
        page=query["page"], per_page=query["per_page"])


@bp.route("/projects")
@coordinator_only
@bp.arguments(PageQuerySchema, location="query")
@bp.response(200, ProjectPageSchema)
@errors(422)
def list_projects(query: dict):
    """The cluster projects, newest first, with their links as they are today."""
    return api_chains.projects(get_session(), query["page"], query["per_page"])


@bp.route("/projects", methods=["POST"])
@coordinator_only
@bp.arguments(NewProjectSchema)
@bp.response(201, ProjectSchema)
@errors(*BODY_ERRORS)
def create_project(body: dict):
    """Save a chain as a project (status idea); 422 when a link of the chain no longer exists."""
    return api_chains.save_project(get_session(), user(), body["title"], body["note"],
                                   body["chain"])


@bp.route("/projects/<int:project_id>/status", methods=["POST"])
@coordinator_only
@bp.arguments(ProjectStatusSchema)
@bp.response(200, ProjectSchema)
@errors(*BODY_ERRORS, 404)
def set_project_status(body: dict, project_id: int):
    """Move a project to idea, active, done or dropped."""
    return api_chains.set_status(get_session(), project_id, body["status"])
