"""The `matchmaker` command line: schema, demo data, users, import/export, serving."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlmodel import Session, func, select

from matchmaker import db, security_log
from matchmaker.domain import interchange
from matchmaker.domain.errors import Conflict, InvalidData
from matchmaker.domain.vocab import Role
from matchmaker.models import Company, Suggestion, User
from matchmaker.services import accounts
from matchmaker.services import backup as backups
from matchmaker.services.demo_history import apply_demo_history
from matchmaker.services.embeddings import KnownVectors, Progress, load_known_vectors
from matchmaker.services.interchange import export_companies, import_document
from matchmaker.services.match_export import export_matches, matches_csv
from matchmaker.services.matching import recompute_all
from matchmaker.worker import feed

DEMO_PASSWORD = "demo-passord"  # noqa: S105 -- the demo's published password, printed by `demo`
DEMO_COORDINATOR = "koordinator@demo.example"
DEMO_ADMIN = "admin@demo.example"


def _session() -> Session:
    return Session(db.get_engine(), expire_on_commit=False)


def _fail(problems: list[str], outcome: str = "nothing was changed") -> None:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(problems)} problem(s); {outcome}.", err=True)
    sys.exit(1)


def write_output(text: str, output: Path | None) -> None:
    """Exports go to a file when one is named, else to standard output."""
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@contextmanager
def _progress_bars() -> Iterator[Progress | None]:
    """A progress bar per long step on standard error (`Progress` calls), none when standard
    error is not a terminal (cron, logs, pipes)."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: dict[str, Any] = {}

    def progress(step: str, done: int, total: int) -> None:
        if step not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[step] = click.progressbar(length=max(total, 1), label=f"{step:<10}", file=sys.stderr,
                                           show_percent=True, show_eta=True)
        bar = bars[step]
        bar.update(max(done, 0) - bar.pos)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.render_finish()


def _import_file(path: Path, announce: bool = False) -> None:
    def loading(entries: list) -> None:
        listings = sum(len(entry.listings) for entry in entries)
        click.echo(f"Loading {len(entries)} companies and {listings} listings…")

    try:
        with _session() as session, _progress_bars() as progress:
            report = import_document(session, path.read_bytes(), path.name,
                                     current_app.extensions["matchmaker_locate"],
                                     current_app.extensions["matchmaker_matcher"],
                                     loading if announce else None, progress,
                                     current_app.config["MATCHMAKER"].match_processes)
    except InvalidData as exc:
        _fail(exc.problems)
    click.echo(f"companies: {report.companies_created} created, {report.companies_updated} "
               f"updated; listings: {report.listings_created} created, "
               f"{report.listings_updated} updated; {report.missing_location} without location")


def _migrate() -> None:
    click.echo("Migrating the database…")
    db.upgrade(db.get_engine())


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    db.upgrade(db.get_engine())
    click.echo("database schema is up to date")


@click.command("seed")
@with_appcontext
@click.option("--accounts/--no-accounts", "with_accounts", default=True,
              help="Create a demo login for every company, a demo coordinator and a demo admin.")
def seed_command(with_accounts: bool = True) -> None:
    """Load the demo cluster (fictional companies) and, in development, demo logins."""
    settings = current_app.config["MATCHMAKER"]
    if with_accounts and settings.env == "production":
        click.echo("error: refusing to create demo accounts in production", err=True)
        sys.exit(1)
    _migrate()
    _load_demo(with_accounts)


def _load_demo(with_accounts: bool) -> None:
    """Each step says what it does before it does it: the first `demo` is not a silent wait."""
    from matchmaker import SEED_DIR

    matcher = current_app.extensions["matchmaker_matcher"]
    with matcher.embedding_through(lambda model: KnownVectors(
            model, load_known_vectors(SEED_DIR / "demo_vectors.npz", model.name))):
        _import_file(SEED_DIR / "demo_cluster.json", announce=True)
        # the first import was matched in bulk already; a second seed adds nothing, and this
        # leaves the demo as the nightly `matchmaker match` would either way
        click.echo("Computing suggestions…")
        with _session() as session:
            report = recompute_all(session, matcher)
            feed.mark_all_matched(session)  # the import's changes: recomputed just now
            session.commit()
    click.echo(f"{report.suggestions} suggestions")
    if with_accounts:
        click.echo("Creating demo accounts…")
        created = _create_demo_accounts()
        click.echo(f"demo accounts created: {created} (password {DEMO_PASSWORD!r})")
        click.echo(f"demo history: {_apply_demo_history(SEED_DIR / 'demo_history.json')} pairs decided")


def _apply_demo_history(path: Path) -> int:
    """The demo coordinator's fictional decisions, once (a second seed finds them made)."""
    with _session() as session:
        if session.exec(select(Suggestion.id).where(Suggestion.status != "suggested")).first():
            return 0
        coordinator = accounts.find_user_by_email(session, DEMO_COORDINATOR)
        return apply_demo_history(session, coordinator, json.loads(path.read_text(encoding="utf-8")))


def _create_demo_accounts() -> int:
    with _session() as session:
        existing = set(session.exec(select(User.email)))
        wanted = [(company.email, Role.MEMBER, company.id, company.contact_person)
                  for company in session.exec(select(Company).where(Company.email != ""))]
        wanted += [(DEMO_COORDINATOR, Role.COORDINATOR, None, "Demo-koordinator"),
                   (DEMO_ADMIN, Role.ADMIN, None, "Demo-administrator")]
        new = [account for account in wanted if account[0] not in existing]
        if new:
            accounts.create_users_sharing_password(session, new, DEMO_PASSWORD)
    return len(new)


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.COORDINATOR.value)
@click.option("--company", "company_ref", help="Company (interchange id) of a member.")
@click.option("--name", default="")
@click.password_option(envvar="MATCHMAKER_NEW_USER_PASSWORD")
def create_user_command(email: str, role: str, company_ref: str | None, name: str,
                        password: str) -> None:
    """Create a coordinator, an admin, or a member of an existing company."""
    with _session() as session:
        company_id = None
        if company_ref:
            company = session.exec(select(Company).where(
                Company.external_id == company_ref)).first()
            if company is None:
                _fail([f"--company: no company with id {company_ref!r}"])
            company_id = company.id
        try:
            user = accounts.create_user(session, email=email, password=password, role=Role(role),
                                        company_id=company_id, name=name)
        except InvalidData as exc:
            _fail(exc.problems)
        except Conflict:
            _fail([f"--email: {email} is registered already"])
    security_log.event("role granted", account=user.email, role=user.role, by="command line")
    click.echo(f"created {user.role} {user.email}")


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Load companies and listings from a JSON or CSV file; all or nothing."""
    _import_file(file)


@click.command("export")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def export_command(fmt: str, output: Path | None) -> None:
    """Write every company and listing in the interchange format."""
    with _session() as session:
        companies = export_companies(session)
    try:
        text = interchange.to_csv(companies) if fmt == "csv" else interchange.to_json(companies)
    except InvalidData as exc:
        _fail(exc.problems, "nothing was exported")
    write_output(text, output)


@click.command("match")
@with_appcontext
@click.option("--processes", type=click.IntRange(min=1),
              help="Worker processes (default MATCHMAKER_MATCH_PROCESSES, else the CPU count).")
def match_command(processes: int | None) -> None:
    """Recompute every suggestion from scratch (statuses people set are kept)."""
    processes = processes or current_app.config["MATCHMAKER"].match_processes
    with _session() as session:
        report = recompute_all(session, current_app.extensions["matchmaker_matcher"], processes)
    click.echo(f"{report.listings} active listings, {report.suggestions} suggestions "
               f"(settings {report.settings_version}): {report.created} new, {report.updated} "
               f"updated, {report.unchanged} unchanged, {report.removed} removed, "
               f"{report.reopened} reopened, {report.kept} kept as people left them; "
               f"{report.embedded} listing texts embedded first; {report.seconds:.2f} s")


@click.command("export-matches")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb",
              help="Language of the reasons.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def export_matches_command(fmt: str, lang: str, output: Path | None) -> None:
    """Write every stored suggestion with its score, distance, status and reasons."""
    with _session() as session:
        matches = export_matches(session, lang)
    text = (matches_csv(matches) if fmt == "csv" else
            json.dumps({"matches": matches}, ensure_ascii=False, indent=2) + "\n")
    write_output(text, output)


def _database_url() -> str:
    return current_app.config["MATCHMAKER"].database_url


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Copy the database to FILE; safe while the service runs (cron)."""
    try:
        report = backups.backup(_database_url(), file)
    except backups.BackupError as exc:
        _fail([str(exc)])
    click.echo(f"backup written to {report.path} ({report.size} bytes, checked)")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's content with the backup in FILE (stop the service first)."""
    url = _database_url()
    try:
        backups.check_backup(url, file)
    except backups.BackupError as exc:
        _fail([str(exc)])
    shown = make_url(url).render_as_string(hide_password=True)
    if not yes:
        try:
            confirmed = click.confirm(f"Replace everything in {shown} with {file}?", default=False)
        except click.Abort:  # no answer (end of input)
            click.echo("", err=True)
            confirmed = False
        if not confirmed:
            _fail([f"{file}: not restored (confirm, or pass --yes)"])
    db.get_engine().dispose()  # no pooled connection of ours holds the old database
    try:
        backups.restore(url, file)
    except backups.BackupError as exc:
        _fail([str(exc)])
    click.echo(f"restored {shown} from {file}; run `matchmaker init-db` if the backup is "
               "from an older release, then start the service")


def _serve(app: Flask, host: str, port: int, workers: int, quiet: bool = False,
           matching_worker: bool = True) -> None:
    """`quiet` (the demo): no access log and no start-up chatter, so the logins printed above
    stay in view and a normal page view logs nothing; warnings and errors are still logged.
    `matching_worker`: a supervised `matchmaker worker` runs beside gunicorn."""
    from gunicorn.app.base import BaseApplication

    from matchmaker import serving_app
    from matchmaker.worker.commands import supervised_worker

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            if quiet:
                self.cfg.set("loglevel", "warning")
            else:
                self.cfg.set("accesslog", "-")

        def load(self):  # noqa: ANN202
            return serving_app()  # each worker opens its own database connections

    db.get_engine().dispose()
    with supervised_worker(app.config["MATCHMAKER"], matching_worker, quiet):
        Server().run()


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option("--workers", type=int, help="Default: MATCHMAKER_WORKERS (2).")
@click.option("--no-matching-worker", "no_matching_worker", is_flag=True,
              help="Do not start a `matchmaker worker` beside gunicorn (you run them yourself).")
def serve_command(host: str, port: int, workers: int | None, no_matching_worker: bool) -> None:
    """Serve the app with gunicorn, and one matching worker beside it."""
    _serve(current_app, host, port, workers or current_app.config["MATCHMAKER"].workers,
           matching_worker=not no_matching_worker)


@click.command("demo")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
def demo_command(host: str, port: int) -> None:
    """Migrate, load the demo cluster once, and serve it: the quick start."""
    settings = current_app.config["MATCHMAKER"]
    if settings.env == "production":
        click.echo("error: the demo is for development only", err=True)
        sys.exit(1)
    _migrate()
    with _session() as session:
        empty = session.exec(select(func.count()).select_from(Company)).one() == 0
    if empty:
        _load_demo(with_accounts=True)
    with _session() as session:
        member = session.exec(select(User).where(User.role == Role.MEMBER.value)
                              .order_by(User.id)).first()
        admin = accounts.find_user_by_email(session, DEMO_ADMIN)  # a demo seeded before it had one
    click.echo("")
    click.echo(f"  Serving at http://{host}:{port}/")
    if member is not None:
        click.echo(f"  demo company login:     {member.email} / {DEMO_PASSWORD}")
    click.echo(f"  demo coordinator login: {DEMO_COORDINATOR} / {DEMO_PASSWORD}")
    if admin is not None:
        click.echo(f"  demo admin login:       {DEMO_ADMIN} / {DEMO_PASSWORD}")
    click.echo("  (demo accounts exist only in development; stop with Ctrl+C)")
    click.echo("")
    _serve(current_app, host, port, settings.workers, quiet=True)


def init_app(app: Flask) -> None:
    for command in (init_db_command, seed_command, create_user_command, import_command,
                    export_command, match_command, export_matches_command, backup_command,
                    restore_command, serve_command, demo_command):
        app.cli.add_command(command)
