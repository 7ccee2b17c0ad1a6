"""Worker processes for tests: started as `python -m matchmaker worker`, logs kept, stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from matchmaker import db
from matchmaker.models import ListingChange

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
_MATCHED = re.compile(r"matched changes ([\d,]+)")


def require_redis() -> str:
    """The test Redis's URL; skipped without one, except where CI says it must be there."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as exc:
        if os.environ.get("MATCHMAKER_REQUIRE_SERVICES"):
            raise RuntimeError(f"MATCHMAKER_REQUIRE_SERVICES is set but Redis is not at {REDIS_URL}") from exc
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


def fresh_queue_name() -> str:
    return f"mm-test-{uuid.uuid4().hex[:10]}"


def drop_queue(name: str) -> None:
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"rq:*{name}*"):
        redis.delete(key)
    redis.srem("rq:queues", f"rq:queue:{name}")  # (worker keys expire by themselves)


def service_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env.update({"MATCHMAKER_ENV": "development", "MATCHMAKER_DATABASE_URL": database_url,
                "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789", "MATCHMAKER_SEMANTIC": "off",
                "MATCHMAKER_WORKER_POLL_SECONDS": "0.2", "PYTHONUNBUFFERED": "1", **extra})
    return env


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "matchmaker", "worker"], cwd=REPO,
                                        env=env, stdout=self._out, stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, words: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not say {words!r}:\n{self.text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._out.close()


@contextmanager
def workers(env: dict[str, str], logs: Path, count: int = 2) -> Iterator[list[Worker]]:
    started = [Worker(env, logs / f"worker{i}.log") for i in range(count)]
    try:
        for worker in started:
            worker.wait_for("matching index ready")
        yield started
    finally:
        for worker in started:
            worker.stop()


def matched_by(started: list[Worker]) -> Counter:
    """How often each change id was matched, over every worker's log."""
    counts: Counter = Counter()
    for worker in started:
        for found in _MATCHED.findall(worker.text()):
            counts.update(int(i) for i in found.split(","))
    return counts


def wait_until_matched(database_url: str, timeout: float = 120) -> list[int]:
    """Every change id, once none is pending."""
    engine = db.make_engine(database_url)
    try:
        deadline = time.monotonic() + timeout
        with Session(engine) as session:
            while session.exec(select(func.count()).where(col(ListingChange.matched_at).is_(None))).one():
                assert time.monotonic() < deadline, "changes still pending"
                session.rollback()
                time.sleep(0.2)
            return list(session.exec(select(ListingChange.id)))
    finally:
        engine.dispose()
