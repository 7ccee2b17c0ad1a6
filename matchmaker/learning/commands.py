"""`matchmaker learn`: refit the score weights, show the held-out effect, write on request."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from matchmaker import db
from matchmaker.learning.labelled import DATA_DIR, SETS, load_shipped
from matchmaker.services.learning import refit, write_settings


@click.command("learn")
@with_appcontext
@click.option("--set", "names", multiple=True, type=click.Choice(sorted(SETS)),
              help="Labelled set to fit on (repeatable; default: all there are).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=DATA_DIR,
              show_default=True, help="Folder of the labelled sets.")
@click.option("--decisions/--no-decisions", default=True, show_default=True,
              help="Also learn from the coordinator's decisions (introduced+ right, rejected wrong).")
@click.option("--write", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the learned settings to this file (use it with MATCHMAKER_MATCH_SETTINGS).")
@click.option("--version", "version", help="Version name of the learned settings (default learned-DATE).")
@click.option("--levels", is_flag=True,
              help="First choose the comparisons' level values on the tuning parts (a few minutes).")
def learn_command(names: tuple[str, ...], data_dir: Path, decisions: bool, output: Path | None,
                  version: str | None, levels: bool) -> None:
    """Refit weights and threshold on the tuning parts; print tuning and held-out effect."""
    if importlib.util.find_spec("sklearn") is None:
        click.echo("error: matchmaker learn needs scikit-learn: pip install -e '.[learn]'", err=True)
        sys.exit(1)
    try:
        sets = load_shipped(names or None, data_dir)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not sets:
        click.echo(f"error: no labelled sets in {data_dir}", err=True)
        sys.exit(1)
    cache = Path(current_app.instance_path) / "embedding-cache.npz"
    with Session(db.get_engine(), expire_on_commit=False) as session:
        try:
            report = refit(session, current_app.extensions["matchmaker_matcher"], sets,
                           use_decisions=decisions, cache=cache, version=version,
                           levels=levels)
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    for line in report.lines():
        click.echo(line)
    if output is None:
        click.echo("nothing written (use --write FILE to keep these settings)")
        return
    write_settings(output, report)
    click.echo(f"wrote {output} (version {report.learned.version_label()}); "
               f"use it with MATCHMAKER_MATCH_SETTINGS={output}")


def init_app(app: Flask) -> None:
    app.cli.add_command(learn_command)
