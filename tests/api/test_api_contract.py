"""The API's contract: the generated OpenAPI 3.1 document, the docs page served by the app,
and the per-token rate limit."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from matchmaker import create_app
from matchmaker.config import ConfigError
from matchmaker.extensions import limiter
from tests.api.api_support import bearer, is_problem, token_for


def test_the_document_is_valid_openapi_3_1_with_bearer_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)  # raises on an invalid document
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]


def test_the_document_lists_every_route_of_the_api(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method != "parameters"}
    served = {(rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"), method)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served and served == documented


def test_errors_are_documented_as_problem_json(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "application/problem+json" in spec["components"]["responses"]["UNAUTHORIZED"]["content"]
    answer = spec["paths"]["/api/v1/suggestions/{suggestion_id}/answer"]["post"]
    assert {"401", "404", "409", "422"} <= set(answer["responses"])


def test_the_docs_page_is_served_by_the_app_without_a_cdn(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/openapi.json" in page and "<script>" not in page and "https://" not in page
    for src in ("/api/v1/docs/assets/swagger-ui-bundle.js", "/api/v1/docs/assets/swagger-ui.css",
                "/static/api-docs.js"):
        assert src in page and client.get(src).status_code == 200, src
    assert client.get("/api/v1/docs/assets/index.html").status_code == 404  # only what it needs


@pytest.fixture
def limited(database_url, two_companies):
    """An app with the limiter on; made after the test app, as the limiter is one shared object
    and the last app made sets whether it is on."""
    app = create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                      "MATCHMAKER_API_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    client.get("/login")  # the limiter opens its storage on the first request
    limiter.reset()
    yield client
    limiter.reset()


def test_the_rate_limit_counts_per_token(limited, session, two_companies):
    a = bearer(token_for(session, "a@granli.example"))
    b = bearer(token_for(session, "b@vinger.example"))
    assert [limited.get("/api/v1/suggestions", headers=a).status_code for _ in range(3)] == [200] * 3
    refused = limited.get("/api/v1/suggestions", headers=a)
    assert is_problem(refused, 429) and "Retry-After" in refused.headers
    assert limited.get("/api/v1/suggestions", headers=b).status_code == 200


def test_a_rate_limit_that_does_not_parse_stops_the_start():
    with pytest.raises(ConfigError, match="MATCHMAKER_API_RATE_LIMIT"):
        create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": "sqlite://",
                    "MATCHMAKER_API_RATE_LIMIT": "lots"})


GUNICORN_LIMIT_REQUEST_LINE = 4094  # bytes; a longer request line gets gunicorn's 414, not ours


def _operations(path_item: dict) -> list[tuple[str, dict]]:
    return [(method, op) for method, op in path_item.items() if method != "parameters"]


def _longest(schema: dict) -> int:
    """The most bytes a valid query value can take in a URL: any character percent-encodes to
    at most 12 bytes (4 in UTF-8, 3 each)."""
    if "enum" in schema:
        return max(len(str(value)) * 12 for value in schema["enum"])
    if schema.get("type") in ("integer", "number", "boolean"):
        return 25  # a float's repr at most; "false"
    assert "maxLength" in schema, f"a request string without a max length: {schema}"
    return schema["maxLength"] * 12


def test_every_valid_request_fits_in_the_servers_request_line(client):
    """So the fuzzing run may set aside gunicorn's 414s (.ci/schemathesis_hooks.py): only a
    request the document calls invalid can be that long."""
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in _operations(operations):
            query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            line = (len(f"{method.upper()} {path} HTTP/1.1") + 19 * path.count("{")
                    + sum(len(p["name"]) + 2 + _longest(p["schema"]) for p in query))
            assert line <= GUNICORN_LIMIT_REQUEST_LINE, (method, path, line)


def test_request_strings_refuse_a_nul_character_as_documented(client, session, two_companies):
    """Found by the fuzzing run: a NUL in a query answered 400, which the document neither
    listed nor ruled out (its strings allowed any character)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    companies = spec["paths"]["/api/v1/companies"]["get"]
    q = next(p for p in companies["parameters"] if p["name"] == "q")
    assert q["schema"]["pattern"] == "^[^\\x00]*$"
    assert all("400" in op["responses"] for ops in spec["paths"].values() for _m, op in _operations(ops))
    headers = bearer(token_for(session, "a@granli.example"))
    assert is_problem(client.get("/api/v1/companies?q=sag%00flis", headers=headers), 400)
    assert client.get("/api/v1/companies?q=sagflis", headers=headers).status_code == 200
