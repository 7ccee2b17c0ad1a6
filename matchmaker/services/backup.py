"""Backup and restore of the configured database: one file out, the same file back in.

SQLite goes through the online backup API, so a copy taken while the service writes is a
consistent snapshot; PostgreSQL goes through `pg_dump --format=custom` and `pg_restore`. Every
failure raises `BackupError` with a message that names the file and the reason, and leaves both
the database and any earlier file at the target path as they were.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

VERSION_TABLE = "alembic_version"
BUSY_TIMEOUT_S = 15.0
# a restore must not wait forever behind a service that still holds its tables
RESTORE_LOCK_TIMEOUT = "-c lock_timeout=30s"
# libpq settings that may come in the URL's query, and the variable each one maps to
_LIBPQ_QUERY_ENV = {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE",
                    "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
                    "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME"}
_SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*(\S+)")
_TOC_VERSION_TABLE = re.compile(rf"^\d+; \d+ \d+ TABLE (\S+) {VERSION_TABLE} ", re.MULTILINE)


class BackupError(Exception):
    """A backup or restore that did not happen; nothing was changed."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int  # bytes of the backup file


def backup(database_url: str, target: Path) -> BackupReport:
    """Write a consistent copy of the database to `target` (replaced only once it is complete)."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"{target}: directory {target.parent} does not exist")
    url = make_url(database_url)
    try:
        _write_backup(url, target)
    except OSError as exc:  # e.g. an unwritable directory, or FILE names a directory
        raise BackupError(f"{target}: {exc.strerror or exc}") from exc
    return BackupReport(target, target.stat().st_size)


def _write_backup(url: URL, target: Path) -> None:
    with _temp_file_beside(target) as temp:
        if url.get_backend_name() == "sqlite":
            live = _sqlite_path(url)
            if live.resolve() == target.resolve():
                raise BackupError(f"{target}: is the live database itself")
            _sqlite_backup(live, temp)
            _check_sqlite_file(temp, label=target)
        elif url.get_backend_name() == "postgresql":
            _pg_run(url, ["pg_dump", "--format=custom", "--no-password", f"--file={temp}",
                          *[f"--schema={_pattern(s)}" for s in _pg_schema(url)[:1]]],
                    f"{target}: pg_dump failed")
            _check_pg_archive(url, temp, label=target)
        else:
            raise BackupError(f"{target}: backups of {url.get_backend_name()} databases are "
                              "not supported")
        os.replace(temp, target)


def check_backup(database_url: str, source: Path) -> None:
    """Refuse a file that is missing, unreadable or not a matchmaker backup for this database."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(source, label=source)
    elif url.get_backend_name() == "postgresql":
        _check_pg_archive(url, source, label=source)
    else:
        raise BackupError(f"{source}: restores into {url.get_backend_name()} are not supported")


def restore(database_url: str, source: Path) -> BackupReport:
    """Replace the database's content with the backup in `source`, all or nothing.

    The service should be stopped: running workers keep in-memory state (the matching index)
    built from the old content.
    """
    source = Path(source)
    check_backup(database_url, source)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(source, _sqlite_path(url))
    else:
        # one transaction: a failure half-way rolls everything back
        _pg_run(url, ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                      "--no-password", f"--dbname={url.database}", str(source)],
                f"{source}: pg_restore failed, nothing was changed", options=RESTORE_LOCK_TIMEOUT)
    return BackupReport(source, source.stat().st_size)


# --- SQLite ---------------------------------------------------------------------------------------

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("the database URL names no SQLite file (an in-memory database)")
    return Path(url.database)


def _sqlite_backup(live: Path, temp: Path) -> None:
    if not live.is_file():
        raise BackupError(f"{live}: the database file does not exist")
    source = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
    copy = sqlite3.connect(temp)
    try:
        # all pages in one step: one read snapshot, which in WAL mode does not block writers
        # (a stepwise copy restarts whenever another connection writes, maybe forever)
        source.backup(copy)
        # a self-contained file: no -wal beside the copy
        copy.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{live}: could not copy the database: {exc}") from exc
    finally:
        copy.close()
        source.close()


def _sqlite_restore(source: Path, live: Path) -> None:
    """Copy the backup into the live file with the backup API: one write transaction.

    A rename over the live file would be unsafe: a leftover `-wal` of the old database would be
    replayed onto the new file, and open connections would keep writing to the old one.
    """
    live.parent.mkdir(parents=True, exist_ok=True)
    backup_db = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
    try:
        target.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        backup_db.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: could not restore into {live}: {exc}") from exc
    finally:
        target.close()
        backup_db.close()
    if result != "ok":  # not expected after a checked source; say so rather than stay silent
        raise BackupError(f"{source}: {live} fails the integrity check after the restore: {result}")


def _check_sqlite_file(path: Path, label: Path) -> None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{label}: cannot open: {exc}") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                   (VERSION_TABLE,)).fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{label}: not a SQLite database ({exc})") from exc
    finally:
        conn.close()
    if result != [("ok",)]:
        problems = "; ".join(row[0] for row in result[:5])
        raise BackupError(f"{label}: fails the SQLite integrity check: {problems}")
    if not has_version:
        raise BackupError(f"{label}: not a matchmaker database (no {VERSION_TABLE} table)")


# --- PostgreSQL -----------------------------------------------------------------------------------

def _pg_schema(url: URL) -> list[str]:
    """Schemas the URL's `options=-csearch_path=...` names (the test suite uses one per run)."""
    options = url.query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    match = _SEARCH_PATH.search(options)
    if not match:
        return []
    names = (name.strip().strip('"') for name in match.group(1).split(","))
    return [name for name in names if name and name != "$user"]


def _pattern(schema: str) -> str:
    """A pg_dump pattern that matches exactly this name (no wildcards, case kept)."""
    return '"' + schema.replace('"', '""') + '"'


def pg_environment(url: URL, options: str = "") -> dict[str, str]:
    """libpq variables for the URL: the password travels in PGPASSWORD, never in argv."""
    env = dict(os.environ)
    values = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username,
              "PGPASSWORD": url.password, "PGDATABASE": url.database}
    for key, var in _LIBPQ_QUERY_ENV.items():
        if key in url.query:  # e.g. ?host=/run/postgresql for a Unix socket
            value = url.query[key]
            values[var] = value[0] if isinstance(value, tuple) else value
    env.update({var: str(value) for var, value in values.items() if value not in (None, "")})
    if options:
        env["PGOPTIONS"] = options
    return env


def _pg_run(url: URL, args: list[str], failure: str, options: str = "") -> str:
    """Run a PostgreSQL client tool; on failure raise `failure` with the tool's own words."""
    if not url.database:
        raise BackupError(f"{failure}: the database URL names no database")
    try:  # an argument list (no shell) of our own tool names and the operator's file paths
        done = subprocess.run(args, check=False, capture_output=True, text=True,  # noqa: S603
                              env=pg_environment(url, options))
    except FileNotFoundError as exc:
        raise BackupError(f"{failure}: {args[0]} is not installed (install the PostgreSQL "
                          "client of the server's major version)") from exc
    if done.returncode != 0:
        reason = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise BackupError(f"{failure}: {reason}")
    return done.stdout


def _check_pg_archive(url: URL, path: Path, label: Path) -> None:
    listing = _pg_run(url, ["pg_restore", "--list", str(path)],
                      f"{label}: not a pg_dump custom-format archive")
    schemas = set(_TOC_VERSION_TABLE.findall(listing))
    if not schemas:
        raise BackupError(f"{label}: not a matchmaker database (no {VERSION_TABLE} table)")
    wanted = _pg_schema(url)[:1]
    if wanted and wanted[0] not in schemas:
        raise BackupError(f"{label}: holds schema {', '.join(sorted(schemas))}, but the "
                          f"database URL names schema {wanted[0]}")


@contextlib.contextmanager
def _temp_file_beside(target: Path) -> Iterator[Path]:
    """A temporary file in the target's directory, so the final rename is atomic."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)
