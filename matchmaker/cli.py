"""Entry point of the `matchmaker` console script: the Flask CLI with our app factory."""

from flask.cli import FlaskGroup

from matchmaker import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, add_version_option=False,
               help="matchmaker: local value-chain matchmaking.")(prog_name="matchmaker")
