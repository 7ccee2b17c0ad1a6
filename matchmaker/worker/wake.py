"""Waking the matching workers once a transaction that recorded a change has committed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlmodel import Session

from matchmaker.config import Settings

log = logging.getLogger("matchmaker.worker")
JOB = "matchmaker.worker.jobs.match_pending"
_FLAG = "matchmaker_wake"


def rq_queue(settings: Settings):  # noqa: ANN201 -- rq.Queue, imported only with a queue
    from redis import Redis
    from rq import Queue

    return Queue(settings.queue_name, connection=Redis.from_url(settings.queue_url))


def deferring(settings: Settings) -> Callable[[Session], None]:
    """What `Matcher.defer` calls in a web process. Without a queue the workers poll the feed,
    so there is nothing to do; with one, one wake-up job is queued after the commit (a job
    queued before it could find the change not yet visible)."""
    if not settings.queue_url:
        return lambda session: None
    queue = rq_queue(settings)

    def wake(session: Session) -> None:
        session.info.pop(_FLAG, None)
        try:
            queue.enqueue(JOB, result_ttl=0, failure_ttl=3600)
        except Exception as exc:  # noqa: BLE001 -- Redis away: the change waits in the feed
            log.warning("could not wake the matching workers (%s); the next poll finds the change",
                        exc.__class__.__name__)

    def defer(session: Session) -> None:
        if not session.info.get(_FLAG):
            session.info[_FLAG] = True
            event.listen(session, "after_commit", wake, once=True)

    return defer
