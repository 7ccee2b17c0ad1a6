"""/api/v1/impact: the coordinator's impact dashboard as JSON (companies get 403, as on the web)."""

from __future__ import annotations

from flask import current_app

from matchmaker.api import bp
from matchmaker.api.auth import coordinator_only
from matchmaker.api.problems import errors
from matchmaker.api.schemas.impact import ImpactSchema
from matchmaker.db import get_session
from matchmaker.services import api_impact


@bp.route("/impact")
@coordinator_only
@bp.response(200, ImpactSchema)
@errors()
def get_impact():
    """The dashboard's figures, table by table as in its CSVs, with the assumptions used."""
    return api_impact.impact(get_session(), current_app.config["MATCHMAKER"])
