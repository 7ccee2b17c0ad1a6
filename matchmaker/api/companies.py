"""/api/v1/companies: the members' directory and one company, as the web shows them; a
company's own profile, changed as on the web."""

from __future__ import annotations

from flask import current_app

from matchmaker.api import bp
from matchmaker.api.auth import user
from matchmaker.api.problems import errors
from matchmaker.api.schemas.companies import (
    CompanyPageSchema,
    CompanyQuerySchema,
    CompanySchema,
    ProfileSchema,
)
from matchmaker.db import get_session
from matchmaker.services import api_companies


@bp.route("/companies")
@bp.arguments(CompanyQuerySchema, location="query")
@bp.response(200, CompanyPageSchema)
@errors(422)
def list_companies(query: dict):
    """The companies the caller may see, by name; their listings as the caller may see them."""
    session = get_session()
    matcher = current_app.extensions["matchmaker_matcher"]
    # a services.paging.Page: the page schema reads its attributes
    return api_companies.companies(session, user(), query.get("q", ""), query.get("municipality", ""),
                                   query["page"], query["per_page"],
                                   search=lambda text: matcher.search(session, text))


@bp.route("/companies/<int:company_id>")
@bp.response(200, CompanySchema)
@errors(404)
def get_company(company_id: int):
    """One company: a member's public profile and public listings; in full for the coordinator
    and for the company itself."""
    return api_companies.company(get_session(), user(), company_id)


@bp.route("/companies/<int:company_id>", methods=["PATCH"])
@bp.arguments(ProfileSchema)
@bp.response(200, CompanySchema)
@errors(400, 404, 409, 413, 415, 422)
def change_company(body: dict, company_id: int):
    """Change some fields of the caller's own company's profile (403 for another company);
    409 when another company has the organisation number."""
    return api_companies.update_own(get_session(), user(), company_id, body,
                                    current_app.extensions["matchmaker_locate"],
                                    current_app.extensions["matchmaker_matcher"])
