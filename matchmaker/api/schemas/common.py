"""Schemas every resource shares: problems, paging, a listing and a company's summary, and the
fields requests are written in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, validate

MAX_PER_PAGE = 100  # the largest page a list answers with
DEFAULT_PER_PAGE = 20
#: No request string may hold a NUL character: PostgreSQL cannot store one in text (a 500),
#: SQLite would; in a body it is 422, in a path or query 400 before any view runs
#: (``web_input``). A regular expression, so the document says it as a ``pattern`` and clients
#: (and the fuzzing run) know it.
NUL_FREE = r"[^\x00]*"


class _NulFree(validate.Regexp):
    """The pattern, passing None: a field may turn blank into none (``OrgNumber``) first."""

    def __call__(self, value: str | None) -> str | None:  # type: ignore[override]
        return value if value is None else super().__call__(value)


no_nul = _NulFree(rf"^{NUL_FREE}$", error="contains a NUL character (\\x00), which cannot be stored")
#: a required text that says something: not empty, not only spaces
not_blank = validate.Regexp(rf"^{NUL_FREE}[^\s\x00]{NUL_FREE}$",
                            error="write something (and no NUL character)")


def text(max_length: int, min_length: int | None = None, *, blank: bool = True,
         pattern: str = "", **kwargs: Any) -> fields.String:
    """A request string: at most ``max_length`` characters, no NUL character; ``blank=False``:
    not only spaces; ``pattern``: a stricter shape (which must leave NUL out too). Every string a
    request may carry (query or body) is one of these, or an enum (``OneOf``), so the document
    says what the services accept."""
    shape = validate.Regexp(pattern) if pattern else no_nul if blank else not_blank
    return fields.String(validate=[validate.Length(min=min_length, max=max_length), shape], **kwargs)


class JsonInteger(fields.Integer):
    """An integer as JSON Schema counts one: 7 or 7.0, never 7.5, "7" or true (marshmallow's
    strict Integer refuses 7.0, which the document's ``type: integer`` allows)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


class Text(fields.String):
    """Text as the web forms take it: without the space around it, and without NUL (no_nul, a
    validator, so the document shows it as the field's pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        checks = kwargs.pop("validate", None) or []
        checks = [checks] if callable(checks) else list(checks)
        super().__init__(validate=[*checks, no_nul], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:  # noqa: ANN001, ANN003
        return super()._deserialize(value, attr, data, **kwargs).strip()


def unless_blank(check: Callable[[str], object]) -> Callable[[str | None], None]:
    """A validator for an optional field: "" (or null) is no value, so nothing to check."""
    def validate_filled(value: str | None) -> None:
        if value:
            check(value)
    return validate_filled


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Raw(metadata={"description": "What is wrong with each part of the request"})


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE,
                              validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ListingSchema(Schema):
    id = fields.Integer(required=True)
    direction = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    quantity = fields.Float(allow_none=True, required=True)
    unit = fields.String(allow_none=True, required=True)
    frequency = fields.String(allow_none=True, required=True)
    unit_written = fields.String(allow_none=True, required=True)


class CompanySummarySchema(Schema):
    """Contact fields are null until the two companies are introduced."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    city = fields.String(required=True)
    municipality = fields.String(required=True)
    industry = fields.String(required=True)
    description = fields.String(required=True)
    website = fields.String(required=True)
    contact_person = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    phone = fields.String(allow_none=True, required=True)
