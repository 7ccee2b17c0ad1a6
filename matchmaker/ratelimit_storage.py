"""A storage for the rate limiter (the ``limits`` package) in the app's own database.

With ``memory://`` every web worker counts on its own, so four workers let four times the
attempts through. This storage keeps each fixed-window counter in one row of
``ratelimitcounter``, so all workers and processes on the database count together, with
no Redis to run. One upsert per hit: it starts a new window when the old one has expired
and returns the new count, atomically on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.models import RateLimitCounter

SCHEME = "matchmaker+db"
PURGE_EVERY = 500  # hits between removals of long-expired counters


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:  # noqa: ANN003
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        engine = options.get("engine")
        if not isinstance(engine, Engine):
            raise ValueError(f"{SCHEME}:// needs the app's engine in RATELIMIT_STORAGE_OPTIONS")
        self.engine = engine
        self.table = RateLimitCounter.__table__  # type: ignore[attr-defined]
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        t = self.table
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        expired = t.c.expires_at <= now
        stmt = insert(t).values(key=key, count=amount, expires_at=now + expiry)
        stmt = stmt.on_conflict_do_update(index_elements=[t.c.key], set_={
            "count": case((expired, amount), else_=t.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=t.c.expires_at),
        }).returning(t.c.count)
        with self.engine.begin() as conn:
            count = int(conn.execute(stmt).scalar_one())
        self._purge_now_and_then(now)
        return count

    def _purge_now_and_then(self, now: float) -> None:
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            with self.engine.begin() as conn:
                conn.execute(delete(self.table).where(self.table.c.expires_at < now - 3600))

    def _row(self, key: str) -> tuple[int, float] | None:
        t = self.table
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.count, t.c.expires_at).where(t.c.key == key)).first()
        if row is None or row.expires_at <= time.time():
            return None
        return int(row.count), float(row.expires_at)

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(self.table)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(self.table).where(self.table.c.key == key))
