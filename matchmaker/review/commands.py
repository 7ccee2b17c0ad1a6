"""Cron-friendly commands: send queued mail, send digests, export the audit log."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from matchmaker import db
from matchmaker.commands import write_output
from matchmaker.services import audit, digests, mail


def _session() -> Session:
    return Session(db.get_engine(), expire_on_commit=False)


def _send(session: Session) -> None:
    report = mail.send_outbox(session, current_app.config["MATCHMAKER"])
    click.echo(f"mail: {report.sent} sent, {report.logged} only logged (no mail server), "
               f"{report.retry} to retry, {report.failed} refused")
    if report.retry:
        click.echo(f"warning: {report.retry} mail(s) could not be sent; they stay queued for the "
                   "next `matchmaker send-outbox`", err=True)


@click.command("send-outbox")
@with_appcontext
def send_outbox_command() -> None:
    """Send queued mail (introductions, digests); safe to run as often as you like."""
    with _session() as session:
        _send(session)


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Mail each company user their new suggested partners (for a daily or weekly cron)."""
    with _session() as session:
        report = digests.queue_digests(session, current_app.config["MATCHMAKER"])
        click.echo(f"digests: {report.users_mailed} queued, {report.users_skipped} users with "
                   "nothing new")
        _send(session)


@click.command("export-audit")
@with_appcontext
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def export_audit_command(fmt: str, output: Path | None) -> None:
    """Write the audit log of every match decision (who, when, from, to, note)."""
    with _session() as session:
        text = audit.audit_export(session, fmt)
    write_output(text, output)


def init_app(app: Flask) -> None:
    for command in (send_outbox_command, send_digests_command, export_audit_command):
        app.cli.add_command(command)
