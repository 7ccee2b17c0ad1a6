"""The load benchmark's servers: gunicorn and a matching worker on loopback, in process groups
of their own, so that stopping them stops nothing else (used by `bench/load.py`)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _server_env(url: str, log: Path) -> dict[str, str]:
    return {**os.environ, "MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "development",
            "MATCHMAKER_SEMANTIC": "off", "MATCHMAKER_TRUSTED_PROXIES": "1",
            "MATCHMAKER_SECURITY_LOG": str(log.with_suffix(".security.log"))}


def start_matching_worker(url: str, log: Path) -> subprocess.Popen:
    """The matching worker beside the web workers, as in production: the listings the mixed
    traffic adds are matched there, not in the requests. Returns once its index is built and
    the search table written (its start-up writes would otherwise share the first pages'
    minutes: two cores, and a database that changes under the kept pages)."""
    command = [str(Path(sys.executable).with_name("matchmaker")), "worker"]
    worker = subprocess.Popen(command, cwd=ROOT, env=_server_env(url, log), stdout=log.open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the matching worker exited: {log.read_text()[-2000:]}")
        if "matching index ready" in log.read_text():
            return worker
        time.sleep(0.3)
    raise RuntimeError("the matching worker was not ready in 600 s")


def start_gunicorn(url: str, port: int, workers: int, log: Path, warm: bool) -> subprocess.Popen:
    env = _server_env(url, log)
    app = ["--preload", "bench.wsgi_warm:app"] if warm else ["wsgi:app"]
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}",
               "--timeout", "120", "--log-level", "warning", *app]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in 300 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group only
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
