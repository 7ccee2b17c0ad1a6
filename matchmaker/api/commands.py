"""`matchmaker api-token create`: a personal API token for a user, from the command line.

For operators wiring up an integration (and for the fuzzing run in `.ci/`), where nobody logs
in to the account page. The same rules and security log as the web's tokens page.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from matchmaker.commands import _fail, _session
from matchmaker.domain.errors import InvalidData
from matchmaker.services import accounts, api_tokens

DAYS = [str(days) for days in (*api_tokens.EXPIRY_DAYS, 0)]


@click.group("api-token")
def api_token_group() -> None:
    """Personal API tokens."""


@api_token_group.command("create")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="What the token is for (1 to 100 characters).")
@click.option("--days", type=click.Choice(DAYS), default=str(api_tokens.DEFAULT_EXPIRY_DAYS),
              show_default=True, help="Days until it expires; 0: never.")
def create_command(email: str, name: str, days: str) -> None:
    """Create a token for the user EMAIL and print its secret (alone on standard output, once:
    only its hash is stored)."""
    with _session() as session:
        user = accounts.find_user_by_email(session, email)
        if user is None or not user.active:
            _fail([f"{email}: no active user with this email"])
        try:
            token, secret = api_tokens.create(session, user, name, int(days), by="command line")
        except InvalidData as exc:
            _fail(exc.problems)
    expires = f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "never expires"
    click.echo(f"API token {token.name!r} (id {token.id}) for {user.email}, {expires}. "
               "Its secret, shown only now:", err=True)
    click.echo(secret)


def init_app(app: Flask) -> None:
    app.cli.add_command(api_token_group)
