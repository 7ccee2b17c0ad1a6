"""Login throttling holds across web workers out of the box: the default limiter storage is
the database, which every worker and process shares; limits per address and per account."""

from __future__ import annotations

import json
import logging

import pytest

from matchmaker import create_app, security_log
from matchmaker.auth.throttle import PER_ACCOUNT_FAILURES, PER_ADDRESS
from matchmaker.extensions import limiter
from tests.conftest import PASSWORD

ACCOUNT_LIMIT = int(PER_ACCOUNT_FAILURES.split()[0])
ADDRESS_LIMIT = int(PER_ADDRESS.split()[0])


@pytest.fixture
def workers(database_url, two_companies):
    """Four app instances on one database, as four gunicorn workers would be, with the
    default limiter configuration."""
    apps = [create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": database_url,
                        "WTF_CSRF_ENABLED": False}) for _ in range(4)]
    assert all(a.config["RATELIMIT_STORAGE_URI"] == "matchmaker+db://" for a in apps)
    clients = [a.test_client() for a in apps]
    clients[0].get("/login")  # the limiter opens its storage on the first request
    limiter.reset()
    yield clients
    limiter.reset()


def attempt(client, email: str, password: str, address: str) -> int:
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_one_address_is_limited_across_workers(workers):
    statuses = [attempt(workers[i % 4], f"nobody{i}@example.no", "wrong-password", "203.0.113.7")
                for i in range(100)]
    assert statuses.count(200) == ADDRESS_LIMIT  # not 4 x the limit
    assert set(statuses[ADDRESS_LIMIT:]) == {429}


def test_one_account_is_locked_from_any_address_and_the_lockout_is_logged(workers, caplog):
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)
    statuses = [attempt(workers[i % 4], "a@granli.example", "wrong-password", f"198.51.100.{i}")
                for i in range(30)]
    assert statuses.count(200) == ACCOUNT_LIMIT
    assert set(statuses[ACCOUNT_LIMIT:]) == {429}
    # locked: even the right password, from a fresh address, waits for the window to end
    assert attempt(workers[1], "a@granli.example", PASSWORD, "192.0.2.1") == 429
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == security_log.LOGGER_NAME]
    assert any(line["what"] == "lockout" and line["account"] == "a@granli.example" for line in lines)
    # other accounts are not affected
    assert attempt(workers[2], "b@vinger.example", PASSWORD, "192.0.2.2") == 302


def test_successful_logins_do_not_count_against_the_account(workers):
    for i in range(ACCOUNT_LIMIT + 2):
        assert attempt(workers[i % 4], "a@granli.example", PASSWORD, f"192.0.2.{i}") == 302
        workers[i % 4].post("/logout")
