"""Schemathesis hooks for the fuzzing run (loaded by schemathesis.toml).

One only: a request whose request line is longer than gunicorn's limit never reaches the app.
gunicorn answers it with its own 414 page in HTML (as nginx would in production), so the
API's documented statuses and problem+json do not apply. Every request the API's document
calls valid fits within the limit (tests/api/test_api_contract.py checks each operation's longest
one), so only invalid, over-long requests meet it.
"""

from __future__ import annotations

import schemathesis

LIMIT_REQUEST_LINE = 4094  # gunicorn's default --limit-request-line, in bytes (also in the test)


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:  # noqa: ANN001
    request = response.request
    request_line = f"{request.method} {request.path_url} HTTP/1.1"
    return not (response.status_code == 414 and len(request_line.encode()) > LIMIT_REQUEST_LINE)
