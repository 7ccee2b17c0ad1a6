"""/api/v1/import and /api/v1/export: the interchange format (`matchmaker/v1`) over HTTP, read
and written exactly as `matchmaker import` and `matchmaker export` do it."""

from __future__ import annotations

from flask import Response, current_app, request

from matchmaker.api import bp
from matchmaker.api.auth import user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.interchange import (
    ExportDocumentSchema,
    ImportReportSchema,
    InterchangeDocumentSchema,
)
from matchmaker.db import get_session
from matchmaker.services import api_interchange

# The body's cap: the app's MAX_CONTENT_LENGTH (2 MB, about a thousand companies) unless
# API_IMPORT_MAX_BYTES in the app config says otherwise; larger files go through the CLI.
MAX_BYTES_SETTING = "API_IMPORT_MAX_BYTES"


@bp.route("/import", methods=["POST"])
@bp.doc(requestBody={"required": True, "content": {"application/json": {
    "schema": InterchangeDocumentSchema}}})
@bp.response(200, ImportReportSchema)
@errors(400, 413, 415, 422)
def import_document():
    """Load companies and listings from a `matchmaker/v1` document, all or nothing, and
    recompute their suggestions; coordinator only. 422 lists every problem by company, listing
    and field; 400 when the body is not JSON at all."""
    limit = current_app.config.get(MAX_BYTES_SETTING)
    if limit:
        request.max_content_length = limit
    body = request.get_data(cache=False)  # the domain parser reads the bytes itself
    return api_interchange.import_body(get_session(), user(), body,
                                       current_app.extensions["matchmaker_locate"],
                                       current_app.extensions["matchmaker_matcher"])


@bp.route("/export")
@bp.response(200, ExportDocumentSchema)
@errors(422)
def export_document():
    """The whole cluster for the coordinator, the caller's own company for a company: what
    `matchmaker export` writes, ready to import again. 422 if a stored number cannot be written
    as JSON."""
    text = api_interchange.export_text(get_session(), user())
    return Response(text, mimetype="application/json")
