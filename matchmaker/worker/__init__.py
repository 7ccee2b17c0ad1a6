"""The matching worker: the one kind of process that holds a matching index.

Web requests write a listing and its ``ListingChange`` feed row in one transaction, wake the
workers (``wake``) and answer at once. A `matchmaker worker` claims pending feed rows
(``feed``: each row by exactly one worker, also with several on one PostgreSQL), re-matches
those listings against its index and writes their suggestions (``runner``). The feed is the
source of truth; the queue (RQ on Redis, when ``MATCHMAKER_QUEUE_URL`` is set) only wakes a
worker sooner than its next poll.
"""
