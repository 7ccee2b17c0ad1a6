"""The API's contract: the generated OpenAPI 3.1 document, the docs page served by the app,
and the per-token rate limit."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from matchmaker import create_app
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
                      "API_RATE_LIMIT": "3 per minute"})
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
