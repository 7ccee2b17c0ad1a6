"""What the web layer accepts before any view runs: ids that fit the database's 64-bit
integers, and no NUL bytes (PostgreSQL refuses them in text, SQLite would store them).

Anything else is the views' and forms' job; these two would otherwise reach the database
from every route and end in a 500.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**63 - 1  # BIGINT / SQLite INTEGER
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class Int64Converter(IntegerConverter):
    """``<int:...>`` that does not match numbers beyond a database id (so: 404, not a 500)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = DB_INT_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def db_id(value: object) -> int | None:
    """A positive id that fits the database, from a query or form value; else None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= DB_INT_MAX else None


def _has_nul(values: object) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key))  # type: ignore[attr-defined]
               for key in values)  # type: ignore[attr-defined]


def refuse_nul_bytes() -> None:
    """400 for a NUL byte in the path, the query or a form field (uploaded files may hold any
    bytes: their readers decide)."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400)
    # only a form body has form fields; asking another body for them would read it now, under
    # the app's MAX_CONTENT_LENGTH, before a view could set its own cap (the API's import)
    if request.mimetype in FORM_TYPES and _has_nul(request.form):
        abort(400)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = Int64Converter
    app.before_request(refuse_nul_bytes)
