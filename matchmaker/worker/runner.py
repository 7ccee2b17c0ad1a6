"""One matching worker's loop body: claim pending changes, re-match them, commit."""

from __future__ import annotations

import logging
import time

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

from matchmaker.services.matcher import Matcher
from matchmaker.services.matching import rematch_listings
from matchmaker.worker import feed, search_table

log = logging.getLogger("matchmaker.worker")
#: changes claimed per transaction: on SQLite the claim holds the write lock until the commit,
#: so a batch must stay short (about 10 ms a listing, 40 ms more for a new text's vector)
BATCH = 50
ATTEMPTS = 3  # a batch that collides with another worker's writes is retried


class Runner:
    def __init__(self, engine: Engine, matcher: Matcher, batch: int = BATCH) -> None:
        self.engine, self.matcher, self.batch = engine, matcher, batch
        self.matched = 0  # changes this process has matched

    def run_pending(self) -> int:
        """Match every pending change; the number of changes this call matched."""
        done = 0
        while (count := self._one_batch()) > 0:
            done += count
        return done

    def _one_batch(self) -> int:
        for attempt in range(1, ATTEMPTS + 1):
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    claimed = feed.claim(session, self.batch)
                    if not claimed:
                        session.rollback()
                        return 0
                    listings = {lst for _, lst in claimed}
                    report = rematch_listings(session, self.matcher, listings)
                    search_table.write(session, self.matcher.current(session), listings)
                    session.commit()
                except (IntegrityError, OperationalError):
                    # two workers inserted the same pair, or locked two pairs in turn
                    # (PostgreSQL ends one of them as a deadlock): the batch once more
                    session.rollback()
                    if attempt == ATTEMPTS:
                        raise
                    time.sleep(0.05 * attempt)
                    continue
            self.matched += len(claimed)
            log.info("matched changes %s (%d listings; %d created, %d updated, %d removed)",
                     ",".join(str(change) for change, _ in claimed),
                     len({lst for _, lst in claimed}), report.created, report.updated,
                     report.removed)
            return len(claimed)
        return 0

    def run_safely(self) -> int:
        """`run_pending`, logging a database that is away instead of dying (it comes back)."""
        try:
            return self.run_pending()
        except DBAPIError as exc:
            log.warning("matching paused: %s", exc.__class__.__name__)
            self.engine.dispose()
            return 0
