"""`matchmaker chains`: the cluster's value chains on standard output (the coordinator's view)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from matchmaker import db
from matchmaker.commands import _fail, write_output
from matchmaker.models import Company
from matchmaker.services import chains as chain_service


def _company(session: Session, ref: str) -> Company | None:
    """A company by its interchange id (``external_id``), else by its numeric database id."""
    company = session.exec(select(Company).where(Company.external_id == ref)).first()
    if company is None and ref.isascii() and ref.isdigit() and len(ref) < 19:
        company = session.get(Company, int(ref))
    return company


@click.command("chains")
@with_appcontext
@click.option("--company", "company_ref",
              help="Only chains this company takes part in (interchange id, or database id).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Language of the reasons.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def chains_command(company_ref: str | None, fmt: str, lang: str, output: Path | None) -> None:
    """Print local value chains, best first: each link's listings, companies, score, distance.

    Run by the operator, so it is the coordinator's view (confidential listings included).
    """
    min_score = current_app.extensions["matchmaker_matcher"].settings.min_score
    with Session(db.get_engine(), expire_on_commit=False) as session:
        if company_ref is not None:
            company = _company(session, company_ref)
            if company is None:
                _fail([f"--company: no company with id {company_ref!r}"], "nothing was printed")
            views = chain_service.company_chains(session, company.id, min_score=min_score)
        else:
            views = chain_service.all_chains(session, min_score=min_score)
        text = chain_service.chains_export(views, fmt, lang)
    write_output(text, output)


def init_app(app: Flask) -> None:
    app.cli.add_command(chains_command)
