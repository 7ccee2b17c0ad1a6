"""The job the queue carries: "changes are waiting". It runs inside `matchmaker worker`,
whose index stays warm between jobs (RQ's SimpleWorker: no fork per job)."""

from __future__ import annotations

from matchmaker.worker.runner import Runner

_runner: list[Runner] = []  # set by `matchmaker worker` before it takes jobs


def install(runner: Runner) -> None:
    _runner[:] = [runner]


def match_pending() -> int:
    if not _runner:
        raise RuntimeError("match_pending runs inside `matchmaker worker`")
    return _runner[0].run_safely()
