"""`matchmaker api-token create`: a token from the command line works in the API, its secret is
printed once and alone on standard output, and the creation is security-logged without it."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlmodel import select

from matchmaker.models import ApiToken
from matchmaker.models._time import utcnow
from matchmaker.services import accounts, api_tokens
from tests.api.api_support import bearer


def test_the_printed_secret_works_in_the_api(runner, client, session, two_companies, caplog):
    with caplog.at_level(logging.INFO, logger="matchmaker.security"):
        result = runner.invoke(args=["api-token", "create", "A@Granli.example", "--name", "ERP"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith(api_tokens.PREFIX) and "\n" not in secret
    assert "ERP" in result.stderr and secret not in result.stderr
    assert client.get("/api/v1/suggestions", headers=bearer(secret)).status_code == 200
    token = session.exec(select(ApiToken)).one()
    assert token.token_hash == api_tokens.digest(secret)
    # the web form's default expiry
    assert abs(token.expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    logged = [json.loads(r.getMessage()) for r in caplog.records]
    assert [(e["what"], e["user"], e["by"]) for e in logged] == [
        ("api token created", "a@granli.example", "command line")]
    assert all(secret not in r.getMessage() for r in caplog.records)


def test_days_zero_never_expires_and_other_days_are_refused(runner, session, two_companies):
    never = runner.invoke(args=["api-token", "create", "a@granli.example", "--name", "x", "--days", "0"])
    assert never.exit_code == 0 and session.exec(select(ApiToken)).one().expires_at is None
    odd = runner.invoke(args=["api-token", "create", "a@granli.example", "--name", "x", "--days", "7"])
    assert odd.exit_code != 0 and len(session.exec(select(ApiToken)).all()) == 1


def test_an_unknown_or_deactivated_user_gets_no_token(runner, client, session, two_companies):
    unknown = runner.invoke(args=["api-token", "create", "nobody@example.no", "--name", "x"])
    assert unknown.exit_code == 1 and "nobody@example.no" in unknown.stderr
    user = accounts.find_user_by_email(session, "b@vinger.example")
    user.active = False
    session.add(user)
    session.commit()
    inactive = runner.invoke(args=["api-token", "create", "b@vinger.example", "--name", "x"])
    assert inactive.exit_code == 1 and not inactive.stdout
    assert session.exec(select(ApiToken)).all() == []


def test_a_blank_name_is_refused_with_the_services_rule(runner, session, two_companies):
    result = runner.invoke(args=["api-token", "create", "a@granli.example", "--name", "  "])
    assert result.exit_code == 1 and "name" in result.stderr and not result.stdout
