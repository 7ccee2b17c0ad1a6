"""Fuzz the JSON API with Schemathesis, as a company and as the coordinator.

    python3 .ci/fuzz_api.py [SCHEMATHESIS OPTIONS]   e.g. --max-examples 500 --seed 7

One command, from anywhere: it installs `.[fuzz]` into the repository's .venv (made if
missing), seeds the demo cluster into a throwaway SQLite database in a temporary directory (as
the README's quick start does), creates an API token for a demo company user and one for the
demo coordinator with `matchmaker api-token create`, serves the app with gunicorn on 127.0.0.1
and a free port, and runs `schemathesis run …/api/v1/openapi.json --checks all` once per token
against the whole served document. What Schemathesis generates, how much and with which seed is
in `schemathesis.toml`; options given here are passed on to `schemathesis run` (to explore
beyond the CI run's bounds). The server is stopped on every way out (also Ctrl+C and SIGTERM). Exit
status: 0 when both runs find nothing; else 1, and the temporary directory (database, server and
security logs) is kept for a look.

Only the standard library here: this runs before (and installs) the virtualenv.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
# the README's demo logins (made by `matchmaker seed`): a company user and the coordinator
CALLERS = {"company": "post@granli-sag.example", "coordinator": "koordinator@demo.example"}
TOKEN_ENV = "MATCHMAKER_FUZZ_TOKEN"  # noqa: S105 -- the variable's name; schemathesis.toml reads it
START_TIMEOUT = 120  # seconds for gunicorn's workers to answer (each builds its matching index)


def _say(text: str) -> None:
    print(f"fuzz_api: {text}", flush=True)


def _stop_on_sigterm() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl+C does, so the `finally` below stops the server."""
    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


def install() -> None:
    if not (BIN / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(BIN / "pip"), "install", "-q", "-e", f"{ROOT}[fuzz]"], check=True)


def app_environment(workdir: Path) -> dict[str, str]:
    """Only our MATCHMAKER_* settings: a developer's own (e.g. a database URL) never leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env.update({
        "MATCHMAKER_ENV": "development",  # demo logins are refused in production
        "MATCHMAKER_DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "MATCHMAKER_SECRET_KEY": secrets.token_urlsafe(32),
        "MATCHMAKER_SECURITY_LOG": str(workdir / "security.log"),
        "MATCHMAKER_WORKERS": "2",
        # thousands of requests a minute from two tokens: the limit itself is tested in tests/api
        "MATCHMAKER_API_RATE_LIMIT": "1000000 per minute",
    })
    return env


def matchmaker(env: dict[str, str], *args: str) -> str:
    """Run a `matchmaker` command; its standard output (progress goes to ours via stderr)."""
    done = subprocess.run([str(BIN / "matchmaker"), *args], env=env, cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- our own http URL
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {START_TIMEOUT} s")


def stop(server: subprocess.Popen) -> None:
    """Gunicorn's arbiter and its workers: the process group we started it in."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def fuzz(schema_url: str, role: str, token: str, options: list[str]) -> bool:
    _say(f"schemathesis as the {role}")
    env = {**os.environ, TOKEN_ENV: token}
    done = subprocess.run([str(BIN / "schemathesis"), "--config-file", str(ROOT / "schemathesis.toml"),
                           "--no-color", "run", schema_url, "--checks", "all", *options],
                          env=env, cwd=ROOT)
    return done.returncode == 0


def run(workdir: Path, options: list[str]) -> list[str]:
    """Seed, serve, fuzz as each caller; the callers for whom Schemathesis found something."""
    env = app_environment(workdir)
    _say(f"seeding the demo cluster into {workdir / 'fuzz.sqlite3'}")
    matchmaker(env, "seed")
    tokens = {role: matchmaker(env, "api-token", "create", email, "--name", "schemathesis",
                               "--days", "30").strip()
              for role, email in CALLERS.items()}
    base = f"http://127.0.0.1:{free_port()}"
    _say(f"serving at {base} (log: {workdir / 'server.log'})")
    with (workdir / "server.log").open("w") as log:
        server = subprocess.Popen([str(BIN / "matchmaker"), "serve", "--host", "127.0.0.1",
                                   "--port", base.rsplit(":", 1)[1]],
                                  env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            schema_url = f"{base}/api/v1/openapi.json"
            wait_until_serving(schema_url, server)
            return [role for role, token in tokens.items() if not fuzz(schema_url, role, token, options)]
        finally:
            stop(server)


def main(options: list[str]) -> int:
    _stop_on_sigterm()
    started = time.monotonic()
    install()
    workdir = Path(tempfile.mkdtemp(prefix="matchmaker-fuzz-"))
    failed = ["(the run did not finish)"]
    try:
        failed = run(workdir, options)
    finally:
        minutes = (time.monotonic() - started) / 60
        if failed:
            _say(f"FAILED as {' and '.join(failed)} ({minutes:.1f} min); server log, security log "
                 f"and database kept in {workdir}")
        else:
            shutil.rmtree(workdir)
            _say(f"nothing found as {' or '.join(CALLERS)} ({minutes:.1f} min)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
