"""`matchmaker backup` and `matchmaker restore`: a copy taken under write load restores every
acknowledged row, and a bad file or a missing confirmation changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlmodel import Session, func, select

from matchmaker import create_app, db
from matchmaker.domain.vocab import Role
from matchmaker.models import Company
from matchmaker.services import accounts
from matchmaker.services import backup as backups
from tests.conftest import PASSWORD, drop_database, fresh_database_url, login

ON_POSTGRES = os.environ.get("MATCHMAKER_TEST_DATABASE_URL", "").startswith("postgresql")
COORDINATOR = "backup-koordinator@example.no"
BULK = 1000  # companies of ~2 kB each, so a copy takes a moment


def _app(url: str):
    return create_app({"MATCHMAKER_ENV": "testing", "MATCHMAKER_DATABASE_URL": url,
                       "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})


class Writer(threading.Thread):
    """Commits one company at a time and records each commit once it is acknowledged."""

    def __init__(self, url: str, limit: int = 3000) -> None:
        super().__init__(daemon=True)
        self.engine = db.make_engine(url)
        self.limit = limit
        self.acknowledged: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with Session(self.engine) as session:
                for i in range(self.limit):
                    if self.stop.is_set():
                        return
                    session.add(Company(name=f"Writer {i:05d}"))
                    session.commit()
                    self.acknowledged.append(i)
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            self.error = exc

    def wait_for(self, count: int) -> None:
        for _ in range(2000):  # bounded: at most ~20 s
            if len(self.acknowledged) >= count or not self.is_alive():
                return
            time.sleep(0.01)


def _populate(url: str) -> None:
    """Migrate; add a coordinator and a few MB of companies, so a copy takes a while."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        accounts.create_user(session, email=COORDINATOR, password=PASSWORD,
                             role=Role.COORDINATOR, name="Kari")
        session.execute(insert(Company), [
            {"name": f"Bulk {i:04d}", "description": "sagflis " * 248} for i in range(BULK)])
        session.commit()
    engine.dispose()


def _backup_under_writes(url: str, file: Path) -> tuple[Writer, int]:
    """Take a backup with the CLI while a writer commits; returns it and the commits before."""
    writer = Writer(url)
    writer.start()
    try:
        writer.wait_for(50)
        acknowledged_before = len(writer.acknowledged)
        result = _app(url).test_cli_runner().invoke(args=["backup", str(file)])
    finally:
        writer.stop.set()
        writer.join(timeout=60)
        writer.engine.dispose()
    assert result.exit_code == 0, result.output
    assert writer.error is None, writer.error
    assert acknowledged_before >= 50
    return writer, acknowledged_before


def _check_restored(url: str, writer: Writer, acknowledged_before: int) -> None:
    """Every commit acknowledged before the backup is there, and the copy is one snapshot: the
    writer's rows are an unbroken prefix (a torn copy would have holes)."""
    app = _app(url)
    with Session(app.extensions["matchmaker_engine"]) as session:
        names = session.exec(select(Company.name).where(Company.name.like("Writer %"))).all()
        assert session.exec(select(func.count()).select_from(Company)
                             .where(Company.name.like("Bulk %"))).one() == BULK
    restored = sorted(int(name.split()[1]) for name in names)
    assert restored == list(range(len(restored)))
    assert acknowledged_before <= len(restored) <= len(writer.acknowledged) + 1
    # the app boots on it: the coordinator logs in and sees the companies
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    client = app.test_client()
    assert login(client, COORDINATOR).status_code == 302
    last = f"Writer {acknowledged_before - 1:05d}"
    page = client.get("/coordinator/", query_string={"q": last})  # the overview is paged
    assert page.status_code == 200
    assert last in page.get_data(as_text=True)
    app.extensions["matchmaker_engine"].dispose()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite online backup")
def test_sqlite_backup_under_writes_restores_every_acknowledged_row(tmp_path_factory, tmp_path):
    url = fresh_database_url(tmp_path_factory, "live")
    _populate(url)
    file = tmp_path / "nightly.sqlite3"
    writer, acknowledged_before = _backup_under_writes(url, file)
    assert not list(tmp_path.glob("*.tmp")) and not Path(f"{file}-wal").exists()

    restored_url = fresh_database_url(tmp_path_factory, "restored")
    restored_path = Path(restored_url.removeprefix("sqlite:///"))
    assert not restored_path.exists()
    result = _app(restored_url).test_cli_runner().invoke(args=["restore", str(file), "--yes"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(restored_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    _check_restored(restored_url, writer, acknowledged_before)


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump/pg_restore")
def test_postgres_backup_under_writes_restores_every_acknowledged_row(tmp_path_factory, tmp_path):
    url = fresh_database_url(tmp_path_factory, "live")
    try:
        _populate(url)
        file = tmp_path / "nightly.dump"
        writer, acknowledged_before = _backup_under_writes(url, file)
        assert not list(tmp_path.glob("*.tmp"))
        # the writer went on after the backup; the restore replaces those rows too
        result = _app(url).test_cli_runner().invoke(args=["restore", str(file), "--yes"])
        assert result.exit_code == 0, result.output
        _check_restored(url, writer, acknowledged_before)
    finally:
        drop_database(url)


def _add_company(session: Session, name: str) -> None:
    session.add(Company(name=name))
    session.commit()
    session.close()  # no open transaction may hold the tables a restore replaces


def _names(session: Session) -> list[str]:
    names = sorted(session.exec(select(Company.name)).all())
    session.close()
    return names


def test_restore_refuses_a_missing_or_foreign_file_and_changes_nothing(runner, session, tmp_path):
    _add_company(session, "Granli Sag AS")
    random_bytes = tmp_path / "random.bin"
    random_bytes.write_bytes(os.urandom(64 * 1024))
    not_matchmaker = tmp_path / "other.sqlite3"
    with sqlite3.connect(not_matchmaker) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    expected = {
        tmp_path / "missing.sqlite3": "no such file",
        random_bytes: ("not a pg_dump custom-format archive" if ON_POSTGRES
                       else "not a SQLite database"),
        not_matchmaker: ("not a pg_dump custom-format archive" if ON_POSTGRES
                         else "not a matchmaker database"),
    }
    for file, reason in expected.items():
        result = runner.invoke(args=["restore", str(file), "--yes"])
        assert result.exit_code == 1, result.output
        assert str(file) in result.output and reason in result.output, result.output
        assert "nothing was changed" in result.output
        assert _names(session) == ["Granli Sag AS"]


def test_restore_asks_first_and_refuses_without_yes(runner, session, tmp_path):
    _add_company(session, "Granli Sag AS")
    file = tmp_path / "before.backup"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    _add_company(session, "Vinger Pellets AS")
    for answer in ("n\n", None):  # "no", and no terminal to answer at all
        result = runner.invoke(args=["restore", str(file)], input=answer)
        assert result.exit_code == 1 and "not restored" in result.output, result.output
        assert _names(session) == ["Granli Sag AS", "Vinger Pellets AS"]
    result = runner.invoke(args=["restore", str(file)], input="y\n")
    assert result.exit_code == 0, result.output
    assert _names(session) == ["Granli Sag AS"]


def test_backup_failure_keeps_the_earlier_file_and_never_shows_the_password(monkeypatch, tmp_path):
    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs["env"]))
        return subprocess.CompletedProcess(args, 1, "", "pg_dump: error: connection refused\n")

    monkeypatch.setattr(backups.subprocess, "run", fake_run)
    target = tmp_path / "nightly.dump"
    target.write_text("yesterday")
    url = "postgresql+psycopg://mm:s3cret@db.example:5433/mm?options=-csearch_path%3Dmm_x"
    with pytest.raises(backups.BackupError) as caught:
        backups.backup(url, target)
    assert str(target) in str(caught.value) and "connection refused" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert target.read_text() == "yesterday" and list(tmp_path.iterdir()) == [target]
    [(args, env)] = calls
    assert args[0] == "pg_dump" and '--schema="mm_x"' in args and "s3cret" not in " ".join(args)
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) \
        == ("s3cret", "db.example", "5433", "mm", "mm")


def test_backup_of_a_missing_sqlite_database_fails_clearly(tmp_path):
    with pytest.raises(backups.BackupError, match="does not exist"):
        backups.backup(f"sqlite:///{tmp_path / 'nowhere.sqlite3'}", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite only")
def test_restore_over_a_live_sqlite_database_replaces_its_wal_content(tmp_path):
    """Commits still in the live database's WAL (pooled connection open) do not leak into it."""
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    file = tmp_path / "copy.sqlite3"
    backups.backup(url, file)
    with Session(engine) as session:
        session.add(Company(name="After the backup"))
        session.commit()
    backups.restore(url, file)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM company")).scalar() == 0
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()


def test_backup_into_a_directory_or_a_missing_one_fails_clearly(runner, tmp_path):
    for target, reason in ((tmp_path, "directory"), (tmp_path / "no" / "x.bak", "does not exist")):
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code != 0 and str(target) in result.output, result.output
        assert reason in result.output.lower(), result.output
    assert list(tmp_path.iterdir()) == []
