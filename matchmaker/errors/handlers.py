"""Every error ends in a page (or JSON for API clients) in the user's language, never a traceback."""

import contextlib
import logging

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from matchmaker import security_log
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict, Forbidden, InvalidData, NotFound
from matchmaker.errors import bp
from matchmaker.extensions import login_manager

log = logging.getLogger("matchmaker.errors")
RETRY_AFTER_SECONDS = 10


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, message: str, headers: dict[str, str] | None = None):
    if _is_api():  # the API's errors are problem details, whatever went wrong
        from matchmaker.api.problems import problem

        return problem(status, message, headers=headers)
    if _wants_json():
        return {"error": {"status": status, "message": message}}, status, headers or {}
    return render_template("errors/error.html", status=status, message=message), status, headers or {}


@bp.app_errorhandler(400)
def bad_request(error):
    return _error(400, _("The request could not be understood."))


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    security_log.event("csrf failure", path=request.path, reason=error.description)
    return _error(400, _("The form expired or came from elsewhere. Reload the page and try again."))


@bp.app_errorhandler(403)
@bp.app_errorhandler(Forbidden)
def forbidden(error):
    security_log.event("forbidden", path=request.path, method=request.method)
    return _error(403, _("You do not have access to this page."))


@bp.app_errorhandler(404)
@bp.app_errorhandler(NotFound)
def not_found(error):
    return _error(404, _("We could not find that page."))


@bp.app_errorhandler(405)
def method_not_allowed(error):
    allow = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return _error(405, _("That action is not possible here."), allow)


@bp.app_errorhandler(409)
@bp.app_errorhandler(Conflict)
def conflict(error):
    return _error(409, _("That change clashes with the current state: nothing was changed."))


@bp.app_errorhandler(InvalidData)
def invalid(error):
    return _error(422, "; ".join(error.problems))


@bp.app_errorhandler(413)
def too_large(error):
    return _error(413, _("The upload is too large."))


@bp.app_errorhandler(429)
def too_many(error):
    return _error(429, _("Too many attempts. Wait a little and try again."))


@bp.app_errorhandler(HTTPException)
def other_http_error(error):
    """415 and kin: problem details under /api/; elsewhere Werkzeug's own answer."""
    if _is_api():
        from matchmaker.api.problems import from_http

        return from_http(error)
    return error


@bp.app_errorhandler(500)
def internal(error):
    get_session().rollback()
    return _error(500, _("Something went wrong on our side. Nothing was saved."))


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
def database_unavailable(error):
    """The database went away (restart, network): 503 now; the connection pool checks each
    connection before use, so the next request after it is back succeeds without a restart."""
    log.warning("database unavailable: %s", str(error).splitlines()[0][:300])
    with contextlib.suppress(SQLAlchemyError):
        get_session().rollback()
    g._login_user = login_manager.anonymous_user()  # the page must not ask the database who you are
    return _error(503, _("The service is briefly unavailable. Nothing was saved; try again in a moment."),
                  {"Retry-After": str(RETRY_AFTER_SECONDS)})
