"""Rendered pages, kept per user until the database changes.

A member page costs 7-17 ms of Python (ORM, forms, some hundred Jinja macro calls) and two
cores serve about 2 / (that + the server's own) pages a second. Most views repeat: the same
member reloads the same partner page while nothing was written. So a GET page is kept, keyed
by the database's *write generation* read before the view runs, the user, the language and the
URL; any committed write anywhere gives a new generation, under which no page is kept yet.
The generation is the database's own counter, not one the services bump, so no write path
can forget it:

- SQLite: ``PRAGMA data_version``, which changes when any other connection (this process's
  pool, another worker, the CLI) commits;
- PostgreSQL: the current snapshot (``pg_current_snapshot()``): a write transaction takes a
  new transaction id, and while one is open its id is in the snapshot's text, so a page read
  during it is keyed under a snapshot that never recurs once it commits.

Both are asked on a connection of the process's own (`Generation`).

Never kept: anything but a 200 HTML answer to a GET, a page that shows or leaves a flashed
message, pages of an in-memory database. The CSRF token in a kept page is swapped for a
placeholder and the current request's token is put back on each hit (the signed token carries
a timestamp and would expire). The store is per process (cachelib's SimpleCache): a page is
rendered once per gunicorn worker and generation, and at most MAX_AGE seconds old whatever
happens; a new generation empties it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from cachelib import SimpleCache
from flask import Flask, Response, current_app, g, get_flashed_messages, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Engine, event

from matchmaker.extensions import has_remember_cookie

MAX_AGE = 300  # seconds; a bound for anything the generation does not see (none known)
CONNECT_TIMEOUT = 5  # seconds, PostgreSQL's watcher connection
CSRF_PLACEHOLDER = b"\x00csrf\x00"
EXTENSION = "matchmaker_page_cache"

F = TypeVar("F", bound=Callable[..., object])


class Generation:
    """The database's write generation, asked on a connection of this process's own that only
    ever asks that (outside any transaction, and without the ORM: a tenth of a millisecond).
    One per process: SQLite's counter is the connection's own, so two connections' numbers say
    nothing of each other (threads share it under a lock; a forked child opens its own).
    None when the database cannot be asked: the request then renders as without a cache."""

    QUERY = {"sqlite": "PRAGMA data_version", "postgresql": "SELECT pg_current_snapshot()::text"}

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.query = self.QUERY[engine.dialect.name]
        self.lock = threading.Lock()
        self.watcher: tuple[int, Any] | None = None
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def _connect(self) -> Any:  # noqa: ANN401 -- a DB-API connection
        cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
        if self.engine.dialect.name == "sqlite":
            return sqlite3.connect(*cargs, **{**cparams, "isolation_level": None,
                                              "check_same_thread": False})
        # a database that does not answer must not hold every request of the process at
        # the lock for the system's TCP timeout (minutes)
        return self.engine.dialect.loaded_dbapi.connect(
            *cargs, **{"connect_timeout": CONNECT_TIMEOUT, **cparams}, autocommit=True)

    def __call__(self) -> str | None:
        with self.lock:
            try:
                if self.watcher is None or self.watcher[0] != os.getpid():
                    self.watcher = (os.getpid(), self._connect())
                cursor = self.watcher[1].cursor()
                cursor.execute(self.query)
                return str(cursor.fetchone()[0])
            except Exception:  # noqa: BLE001 -- an outage: the request meets it without us
                self._drop()
                return None

    def close(self) -> None:
        with self.lock:
            self._drop()

    def _drop(self) -> None:
        watcher, self.watcher = self.watcher, None
        if watcher is not None and watcher[0] == os.getpid():
            with contextlib.suppress(Exception):
                watcher[1].close()


def generation_reader(engine: Engine) -> Generation | None:
    """How this database says "something was committed"; None where we cannot tell (another
    database; an in-memory SQLite, which another connection would not even see)."""
    if engine.dialect.name == "postgresql" or (
            engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")):
        return Generation(engine)
    return None


class PageCache:
    def __init__(self, generation: Callable[[], str | None], entries: int) -> None:
        self.generation = generation
        self.store = SimpleCache(threshold=entries, default_timeout=MAX_AGE)
        self.last_generation: str | None = None

    def note_generation(self) -> None:
        """First thing in a request, before the user or anything else is read: a page may then
        be newer than the generation it is kept under, never older."""
        view = current_app.view_functions.get(request.endpoint or "")
        if request.method == "GET" and getattr(view, "cached_page", False):
            generation = g.page_generation = self.generation()
            if generation is not None and generation != self.last_generation:
                self.store.clear()  # the kept pages will never be read again
                self.last_generation = generation

    def key(self) -> str | None:
        """The login the session claims, not the user loaded: the session is signed, and the
        page was kept only after the login was checked (and the view's gates passed) under
        this same generation, so the check would come out the same. A token rotated by a
        logout or a new password, a role or membership changed: each is a write, so a new
        generation. Without a claimed login but with a remember-me cookie, Flask-Login
        would log the request in: no key."""
        generation = g.get("page_generation")
        if generation is None or "_flashes" in session:  # a flashed message: shown once
            return None
        login = session.get("_user_id")
        if login is None and has_remember_cookie():
            return None
        # the language: the session's choice, else the account's (which the login stands for)
        return "\n".join((generation, login or "-", session.get("lang") or "",
                          request.host_url, request.full_path))

    def keep(self, key: str, response: Response, login: str | None) -> None:
        """Kept if the page is a plain 200 page for the login the key names."""
        if (response.status_code != 200 or response.mimetype != "text/html"
                or response.direct_passthrough or "_flashes" in session or get_flashed_messages()
                or (current_user.get_id() if current_user.is_authenticated else None) != login):
            return
        body = response.get_data()
        token = g.get("csrf_token")
        if token:
            body = body.replace(token.encode(), CSRF_PLACEHOLDER)
        self.store.set(key, body)

    def answer(self, key: str) -> Response | None:
        body = self.store.get(key)
        if body is None:
            return None
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, generate_csrf().encode())
        return Response(body, mimetype="text/html")


def cached_page(view: F) -> F:
    """Serve a GET page from the cache when the database has not changed since it was
    rendered for this login, language and URL (see the module's docstring). Goes outside
    the login and role gates (`login_required`, `members_only`, …): a kept page was rendered
    through them for the same login and generation."""

    @wraps(view)
    def wrapper(*args: object, **kwargs: object) -> object:
        cache: PageCache | None = current_app.extensions.get(EXTENSION)
        key = cache.key() if cache is not None else None
        if key is None:
            return view(*args, **kwargs)
        kept = cache.answer(key)
        if kept is not None:
            return kept
        login = session.get("_user_id")
        response = make_response(view(*args, **kwargs))
        cache.keep(key, response, login)
        return response

    wrapper.cached_page = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def init_app(app: Flask, entries: int) -> None:
    """``entries`` pages per process; 0 turns the cache off."""
    reader = generation_reader(app.extensions["matchmaker_engine"]) if entries > 0 else None
    if reader is not None:
        cache = app.extensions[EXTENSION] = PageCache(reader, entries)
        app.before_request(cache.note_generation)
