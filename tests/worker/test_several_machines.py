"""Beyond one machine, on this one: two app servers (gunicorn, two processes each) and two
matching workers against one PostgreSQL, woken through one Redis.

Runs where PostgreSQL (MATCHMAKER_TEST_DATABASE_URL) and Redis are reachable: CI's PostgreSQL
pass, with MATCHMAKER_REQUIRE_SERVICES set so that a missing Redis fails instead of skipping.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest
from sqlmodel import Session, select

from matchmaker.models import Suggestion
from tests.conftest import PASSWORD, SAWDUST, app_for, make_company
from tests.worker.support import (
    REPO,
    drop_queue,
    fresh_queue_name,
    matched_by,
    require_redis,
    service_env,
    wait_until_matched,
    workers,
)
from tests.worker.test_worker_processes import own_database  # noqa: F401 -- a fixture

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket" for setting in KNOWN_SETTINGS)


class Server:
    def __init__(self, env: dict[str, str], log) -> None:  # noqa: ANN001
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # newer gunicorns open a control socket, at one path for every server on the host
        control = ["--no-control-socket"] if _has_control_socket() else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", *control,
             "--chdir", str(REPO), "wsgi:app"], env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            assert self.process.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """One person's cookies, used against whichever server the proxy picks."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def post(self, url: str, form_url: str, data: dict[str, str]) -> int:
        """Fetch the form (for its CSRF token), then post it; the final status."""
        token = _CSRF.search(self.get(form_url)).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


def _add_listing(browser: Browser, server: Server, **fields: str) -> None:
    form = f"{server.base}/listings/new"
    assert browser.post(form, form, {**SAWDUST, **fields}) == 200  # redirected to the listing


def test_two_app_servers_and_two_workers_on_one_postgresql(own_database, tmp_path):  # noqa: F811
    if not own_database.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set MATCHMAKER_TEST_DATABASE_URL (CI's PostgreSQL pass does)")
    redis_url = require_redis()
    queue = fresh_queue_name()
    env = service_env(own_database, MATCHMAKER_QUEUE_URL=redis_url, MATCHMAKER_QUEUE_NAME=queue,
                      MATCHMAKER_WORKER_POLL_SECONDS="3600")
    for app in app_for(own_database):
        with Session(app.extensions["matchmaker_engine"]) as session:
            make_company(session, "Granli Sag AS", "a@granli.example")
            make_company(session, "Vinger Pellets AS", "b@vinger.example", lat=60.46, lon=12.06)
        with ExitStack() as stack, (tmp_path / "servers.log").open("w") as log:
            stack.callback(drop_queue, queue)
            started = stack.enter_context(workers(env, tmp_path))
            one, two = servers = [Server(env, log), Server(env, log)]
            for server in servers:
                stack.callback(server.stop)
            for server in servers:
                server.wait_ready()

            # sessions are signed cookies: logged in through one server, known to the other
            a, b = Browser(), Browser()
            for browser, server, email in ((a, one, "a@granli.example"), (b, two, "b@vinger.example")):
                login = f"{server.base}/login"
                assert browser.post(login, login, {"email": email, "password": PASSWORD}) == 200
            _add_listing(a, one, title="Sagflis fra gran")
            _add_listing(a, two, title="Kutterflis, tørr")
            _add_listing(b, two, title="Sagflis til pellets", direction="need")
            _add_listing(b, one, title="Tørr flis til pelletsproduksjon", direction="need")

            changes = wait_until_matched(own_database, timeout=60)
            time.sleep(0.5)  # the last batch's log line follows its commit
            counts = matched_by(started)
            assert len(changes) == 4 and sorted(counts) == sorted(changes)
            assert set(counts.values()) == {1}, counts  # each change matched by one worker, once
            for server in servers:  # the suggestions, through either server
                assert "Granli Sag AS" in b.get(f"{server.base}/partners")
                assert "Vinger Pellets AS" in a.get(f"{server.base}/partners")

            # the login throttle counts in the shared database: 10 failures spread over both
            # servers lock the account on either
            stranger = Browser()
            wrong = {"email": "a@granli.example", "password": "not-the-password-1"}
            for attempt in range(10):
                server = servers[attempt % 2]
                assert stranger.post(f"{server.base}/login", f"{server.base}/login", wrong) == 200
            assert stranger.post(f"{one.base}/login", f"{one.base}/login", wrong) == 429
        with Session(app.extensions["matchmaker_engine"]) as session:
            assert session.exec(select(Suggestion)).first() is not None
