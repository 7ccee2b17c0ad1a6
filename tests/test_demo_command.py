"""`matchmaker demo`, the first command a newcomer runs: it says what it is doing, seeds with one
password hash for every demo login, and prints the logins it made, an admin's among them."""

from sqlmodel import select

from matchmaker import commands
from matchmaker.commands import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_PASSWORD
from matchmaker.models import User
from tests.conftest import login


def test_demo_speaks_while_it_seeds_and_prints_every_login(runner, session, client, monkeypatch):
    served = []
    monkeypatch.setattr(commands, "_serve", lambda app, host, port, workers, quiet=False:
                        served.append((port, quiet)))
    result = runner.invoke(args=["demo", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served == [(8123, True)]  # the demo serves without an access log
    steps = ["Migrating the database…", "Loading 43 companies and", "Computing suggestions…",
             "Creating demo accounts…", "Serving at http://127.0.0.1:8123/"]
    positions = [result.output.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), result.output
    for email in (DEMO_COORDINATOR, DEMO_ADMIN, "@"):
        assert f"{email}" in result.output
    assert f"demo admin login:       {DEMO_ADMIN} / {DEMO_PASSWORD}" in result.output

    # the admin login works and may do what only an admin may
    assert login(client, DEMO_ADMIN, DEMO_PASSWORD).status_code == 302
    assert client.get("/coordinator/users/new").status_code == 200
    # one Argon2 hash for the shared demo password, not one per account (seconds, not tens)
    hashes = {user.password_hash for user in session.exec(select(User))}
    assert len(hashes) == 1
    assert len(session.exec(select(User)).all()) == 45

    # a second run finds the demo there: no reseeding, the logins printed again
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "Loading" not in again.output
    assert DEMO_ADMIN in again.output
