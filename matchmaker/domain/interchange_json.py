"""The JSON side of the interchange format: read a document safely, write one that is valid JSON."""

from __future__ import annotations

import json
import math
import re
from datetime import date

from matchmaker.domain.errors import InvalidData, Unreadable
from matchmaker.domain.interchange_records import (
    FORMAT,
    CompanyEntry,
    NonFinite,
    check_unique,
    decode,
    read_company,
)

# A document is nested five deep (document, companies, company, listings, listing); anything far
# deeper is refused before parsing, since json.loads would recurse until RecursionError.
MAX_DEPTH = 32
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def _check_depth(text: str) -> None:
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                raise Unreadable([f"line {line}, column {column}: invalid JSON: nested deeper "
                                   f"than {MAX_DEPTH} levels"])
        elif piece in "]}":
            depth -= 1


def _number(token: str) -> float | NonFinite:
    value = float(token)
    return NonFinite(token) if math.isinf(value) else value


def _integer(token: str) -> int | NonFinite:
    try:
        return int(token)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        return NonFinite(token)


def parse_json(data: bytes) -> list[CompanyEntry]:
    text = decode(data)
    _check_depth(text)
    try:
        # NaN, Infinity and numbers beyond float range stay tokens, refused by field below.
        document = json.loads(text, parse_constant=NonFinite, parse_float=_number,
                              parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise Unreadable([f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
                          ) from None
    except RecursionError:  # the depth check should make this unreachable
        raise Unreadable([f"line 1: invalid JSON: nested deeper than {MAX_DEPTH} levels"]) from None
    if not isinstance(document, dict):
        raise InvalidData(["document: must be a JSON object with 'format' and 'companies'"])
    problems: list[str] = []
    if document.get("format") != FORMAT:
        problems.append(f"document, field 'format': expected {FORMAT!r}, "
                        f"got {document.get('format')!r}")
    raw_companies = document.get("companies")
    if not isinstance(raw_companies, list):
        raise InvalidData([*problems, "document, field 'companies': must be a list"])
    companies = []
    for number, raw in enumerate(raw_companies, start=1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"company {number}" + (f" (id {ident!r})" if ident else "")
        entry = read_company(raw, where, problems)
        if entry is not None:
            companies.append(entry)
    check_unique(companies, problems)
    if problems:
        raise InvalidData(problems)
    return companies


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of the interchange format")


def to_json(document: dict[str, object]) -> str:
    """Strict JSON: a non-finite float raises ValueError instead of writing NaN or Infinity."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False, default=_plain) + "\n"
