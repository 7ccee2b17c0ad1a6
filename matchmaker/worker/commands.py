"""`matchmaker worker`, and the supervised worker that `serve` and `demo` start beside gunicorn."""

from __future__ import annotations

import logging
import signal
import subprocess  # noqa: S404 -- starts our own `matchmaker worker`
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from matchmaker import db
from matchmaker.config import Settings
from matchmaker.worker import jobs, search_table
from matchmaker.worker.runner import Runner
from matchmaker.worker.wake import rq_queue

log = logging.getLogger("matchmaker.worker")
SWEEP_SECONDS = 60  # with a queue: how often a worker looks at the feed for lost wake-ups
RESTART_PAUSE = 2.0  # seconds before the supervisor starts a worker that died again


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Match the pending changes, then exit.")
@click.option("--quiet", is_flag=True, help="Log warnings only (the demo's worker).")
def worker_command(once: bool, quiet: bool) -> None:
    """Hold the matching index; re-match changed listings as the change feed reports them."""
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(name)s %(message)s")
    settings: Settings = current_app.config["MATCHMAKER"]
    matcher = current_app.extensions["matchmaker_matcher"]
    matcher.defer = None  # this process is the one that matches
    runner = Runner(db.get_engine(), matcher)
    with Session(db.get_engine()) as session:
        index = matcher.current(session)  # build now: the first change is then quick
        changed = search_table.sync_all(session, index)
        if changed:  # a table written afresh: the directory's search plans by its statistics
            db.refresh_planner_statistics(session)
        session.commit()
    log.info("matching index ready: %d listings (%d search rows written)", len(index), changed)
    if once:
        click.echo(f"{runner.run_pending()} changes matched")
        return
    if settings.queue_url:
        _work_queue(settings, runner)
    else:
        _poll(settings, runner)


def _poll(settings: Settings, runner: Runner) -> None:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log.info("polling the change feed every %.1f s", settings.worker_poll_seconds)
    while not stop.is_set():
        runner.run_safely()
        stop.wait(settings.worker_poll_seconds)


def _work_queue(settings: Settings, runner: Runner) -> None:
    """RQ's SimpleWorker runs the wake-up jobs in this process (no fork per job), so the index
    stays warm; it returns after SWEEP_SECONDS idle, and the feed is swept for wake-ups lost
    while Redis or a web process was away."""
    from rq import SimpleWorker

    queue = rq_queue(settings)
    jobs.install(runner)
    log.info("taking wake-ups from queue %r", settings.queue_name)
    while True:
        runner.run_safely()
        worker = SimpleWorker([queue], connection=queue.connection)
        worker.work(max_idle_time=SWEEP_SECONDS, logging_level="WARNING")
        if worker._stop_requested:  # SIGTERM/SIGINT: RQ finished the job at hand  # noqa: SLF001
            return


@contextmanager
def supervised_worker(settings: Settings, start: bool = True, quiet: bool = False) -> Iterator[None]:
    """Run `matchmaker worker` as a child process while the block runs, restarting it when it
    dies: the quick start's matching worker, with no other service to install."""
    if not start or settings.matching != "worker":
        yield
        return
    stop = threading.Event()
    current: list[subprocess.Popen] = []

    def supervise() -> None:
        while not stop.is_set():
            child = subprocess.Popen([sys.executable, "-m", "matchmaker", "worker",  # noqa: S603
                                      *(["--quiet"] if quiet else [])])
            current[:] = [child]
            while child.poll() is None and not stop.wait(0.5):
                pass
            # Ctrl+C reaches the whole process group: the worker may end a moment before this
            # block does, which is no reason to say it died
            if stop.wait(RESTART_PAUSE):
                break
            log.warning("the matching worker stopped (%s); starting it again", child.returncode)

    thread = threading.Thread(target=supervise, name="matching-worker-supervisor", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        for child in current:
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
