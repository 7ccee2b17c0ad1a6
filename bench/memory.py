"""Peak memory of a process *tree*, sampled: the main process plus its forked workers.

``ru_maxrss`` counts pages a forked worker shares copy-on-write with its parent in both, so
adding the two overstates, and taking the larger understates. The proportional set size
(PSS, Linux ``/proc/<pid>/smaps_rollup``) splits each shared page between the processes
that map it; summed over the tree it is what the machine really holds. Sampling misses
short spikes between samples, so the figure is a lower bound of the true peak (the
per-process ``ru_maxrss`` peaks are printed beside it).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out.extend(int(c) for c in task.read_text().split())
        except OSError:
            continue
    return out


def tree_pss_mb(root: int, descendants_only: bool = False) -> float:
    """Summed PSS of ``root`` and all its descendants (or the descendants alone), in MB (0
    where /proc is missing)."""
    total_kb, stack = 0, _children(root) if descendants_only else [root]
    while stack:
        pid = stack.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except OSError:
            continue  # a worker that just ended
        stack.extend(_children(pid))
    return total_kb / 1024.0


class PeakTreePss:
    """``with PeakTreePss() as peak: ...`` then ``peak.mb``: the highest sample seen.

    ``descendants_only``: the processes this one starts and theirs, without this one (a harness
    that runs the measured command in a child process holds memory of its own)."""

    def __init__(self, interval_s: float = 0.1, enabled: bool = True, descendants_only: bool = False) -> None:
        self.interval_s = interval_s
        self.enabled = enabled
        self.descendants_only = descendants_only
        self.mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            self.mb = max(self.mb, tree_pss_mb(pid, self.descendants_only))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakTreePss:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._stop.set()
            self._thread.join()
            self.mb = max(self.mb, tree_pss_mb(os.getpid(), self.descendants_only))
