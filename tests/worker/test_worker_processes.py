"""Real `matchmaker worker` processes: two against one database match each change once; with
a queue, a web request's wake-up reaches a worker (Redis; CI has it, elsewhere skipped)."""

from __future__ import annotations

import time

import pytest

from matchmaker.models import Suggestion
from tests.conftest import SAWDUST, app_for, login, make_company, migrated_database
from tests.worker.support import (
    drop_queue,
    fresh_queue_name,
    matched_by,
    require_redis,
    service_env,
    wait_until_matched,
    workers,
)


@pytest.fixture
def own_database(tmp_path_factory):
    """A database of its own: worker processes see it, and the suite's tables stay apart."""
    yield from migrated_database(tmp_path_factory, "workers")


def _web(url: str, **settings: str):
    return app_for(url, MATCHMAKER_MATCHING="worker", MATCHMAKER_SEMANTIC="off", **settings)


def _members(app) -> None:
    from sqlmodel import Session

    with Session(app.extensions["matchmaker_engine"]) as session:
        make_company(session, "Granli Sag AS", "a@granli.example")
        make_company(session, "Vinger Pellets AS", "b@vinger.example", lat=60.46, lon=12.06)


def _post(client, email: str, titles: list[str], direction: str = "offer") -> None:
    login(client, email)
    for title in titles:
        assert client.post("/listings/new", data={**SAWDUST, "title": title,
                                                  "direction": direction}).status_code == 302
    client.post("/logout")


def test_two_workers_match_every_change_exactly_once(own_database, tmp_path):
    for app in _web(own_database):
        _members(app)
        client = app.test_client()
        with workers(service_env(own_database), tmp_path) as started:
            # changes arrive while both workers poll, in bursts they race for
            for burst in range(4):
                _post(client, "a@granli.example", [f"Sagflis parti {burst}-{i}" for i in range(8)])
                _post(client, "b@vinger.example", [f"Sagflis til pellets {burst}-{i}" for i in range(4)],
                      direction="need")
            changes = wait_until_matched(own_database)
            time.sleep(0.5)  # the last batch's log line follows its commit
            counts = matched_by(started)
        assert len(changes) == 48
        assert sorted(counts) == sorted(changes) and set(counts.values()) == {1}, counts
        from sqlmodel import Session, select

        with Session(app.extensions["matchmaker_engine"]) as session:
            assert session.exec(select(Suggestion)).first() is not None


def test_a_request_wakes_a_worker_through_the_queue(own_database, tmp_path):
    redis_url = require_redis()
    queue = fresh_queue_name()
    try:
        for app in _web(own_database, MATCHMAKER_QUEUE_URL=redis_url, MATCHMAKER_QUEUE_NAME=queue):
            _members(app)
            env = service_env(own_database, MATCHMAKER_QUEUE_URL=redis_url, MATCHMAKER_QUEUE_NAME=queue,
                              MATCHMAKER_WORKER_POLL_SECONDS="3600")
            with workers(env, tmp_path, count=1) as [worker]:
                worker.wait_for("taking wake-ups")
                started = time.monotonic()
                _post(app.test_client(), "a@granli.example", ["Sagflis, tørr"])
                [change] = wait_until_matched(own_database, timeout=30)
                # no poll (an hour) nor sweep (a minute) came in between: the queue woke it
                assert time.monotonic() - started < 30
                time.sleep(0.5)
                assert matched_by([worker]) == {change: 1}
    finally:
        drop_queue(queue)


def test_serve_keeps_one_worker_running_beside_it(own_database, monkeypatch, tmp_path):
    """The quick start's worker: started with `serve`/`demo`, started again when it dies,
    stopped with them."""
    import os
    import signal

    from matchmaker.config import Settings
    from matchmaker.worker import commands as worker_commands

    for key, value in service_env(own_database).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(worker_commands, "RESTART_PAUSE", 0.1)
    spawned = []
    real_popen = worker_commands.subprocess.Popen

    def popen(*args, **kwargs):
        spawned.append(real_popen(*args, **kwargs))
        return spawned[-1]

    monkeypatch.setattr(worker_commands.subprocess, "Popen", popen)
    settings = Settings.from_env(os.environ, tmp_path)
    with worker_commands.supervised_worker(settings, quiet=True):
        _wait(lambda: len(spawned) == 1)
        os.kill(spawned[0].pid, signal.SIGKILL)
        _wait(lambda: len(spawned) == 2)
    assert [child.poll() is not None for child in spawned] == [True, True]
    with worker_commands.supervised_worker(settings, start=False):
        pass
    assert len(spawned) == 2


def _wait(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_worker_once_matches_what_is_pending(database_url, tmp_path):
    for app in _web(database_url):
        _members(app)
        _post(app.test_client(), "a@granli.example", ["Sagflis, tørr"])
        result = app.test_cli_runner().invoke(args=["worker", "--once", "--quiet"])
        assert result.exit_code == 0 and "1 changes matched" in result.output, result.output
        assert app.test_cli_runner().invoke(args=["worker", "--once"]).output.endswith("0 changes matched\n")
