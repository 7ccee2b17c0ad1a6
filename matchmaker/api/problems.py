"""Errors as RFC 9457 problem details (application/problem+json), for the API's own routes
and for any unknown path under /api/ (see errors.handlers). Never a traceback."""

from __future__ import annotations

from http import HTTPStatus

from flask import jsonify
from werkzeug.exceptions import HTTPException

from matchmaker.api import PROBLEM_JSON, bp
from matchmaker.domain.errors import Conflict, Forbidden, InvalidData, NotFound, Unreadable

TITLES = {
    400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
    415: "Unsupported media type", 422: "Unprocessable content", 429: "Too many requests",
    500: "Internal error", 503: "Service unavailable",
}


def problem(status: int, detail: str = "", errors: object = None, headers: dict | None = None):
    body: dict[str, object] = {"type": "about:blank", "title": TITLES.get(status, "Error"),
                               "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
    response.headers.update(headers or {})
    return response


def from_http(error: HTTPException):
    """An HTTP error as a problem; webargs' validation messages become ``errors``."""
    status = error.code or 500
    messages = (getattr(error, "data", None) or {}).get("messages")
    headers = {k: v for k, v in error.get_response().headers.items() if k == "Allow"}
    limit = getattr(error, "limit", None)  # flask-limiter's RateLimitExceeded
    if status == 429 and limit is not None:  # at the latest when the limit's window ends
        headers["Retry-After"] = str(limit.limit.get_expiry())
    detail = "" if status >= 500 else (error.description or "")
    if messages:
        detail = "The request's data is not valid."
    return problem(status, detail, messages, headers)


def _http(error: HTTPException):
    return from_http(error)


# By code as well: Flask prefers the app's handler for a code over a blueprint's for a class.
for _code in (*TITLES, HTTPException):
    if _code not in (500, 503):
        bp.register_error_handler(_code, _http)


@bp.errorhandler(NotFound)
def _not_found(error: NotFound):
    return problem(404, "No such object, or it is not yours to see.")


@bp.errorhandler(Forbidden)
def _forbidden(error: Forbidden):
    return problem(403, "You may see this but not change it.")


@bp.errorhandler(Conflict)
def _conflict(error: Conflict):
    return problem(409, str(error))


@bp.errorhandler(InvalidData)
def _invalid(error: InvalidData):
    return problem(422, "The request's data is not valid.", error.problems)


@bp.errorhandler(Unreadable)
def _unreadable(error: Unreadable):
    return problem(400, "The body is not readable JSON.", error.problems)


# Any route: 400 for a NUL character in the path or query (``web_input``, before any view) or a
# body that is not JSON; 401 without a valid token; 403 for a company awaiting approval; 429.
COMMON_ERRORS = (400, 401, 403, 429)


def errors(*codes: int):  # noqa: ANN202
    """Document the error answers a route can give (each as problem+json)."""
    def decorate(view):  # noqa: ANN001, ANN202
        for code in sorted({*COMMON_ERRORS, *codes}, reverse=True):
            view = bp.alt_response(code, response=_response_name(code))(view)
        return view
    return decorate


def _response_name(code: int) -> str:
    return HTTPStatus(code).name
