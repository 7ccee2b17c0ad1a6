"""Several processes: analysing listings and scoring pairs in forked workers, and keeping
the garbage collector out of the way of both.

Workers inherit the index copy-on-write (module globals, not pickled), so the collector is
frozen across each fork: a collection would otherwise touch, and so copy, every page.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from matchmaker.matching.packing import PackedFeatures, pack_features
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.scored import ScoredPairs

if TYPE_CHECKING:
    from matchmaker.matching.engine import MatchIndex

PARALLEL_MIN_LISTINGS = 20_000  # below this a worker process costs more than it saves
# from this many listings the main process analyses a share itself, one forked worker fewer:
# slower by about a tenth of the build, but at 500k listings a worker held 0.6 GB
SHARED_ANALYSIS_MIN_LISTINGS = 200_000
#: analysis slices per process: several each, so the store fills while workers go on; smaller
#: ones when the main process analyses a share too (a national registry): a worker's heap
#: holds about one slice's leftovers, and at 200,000 listings 16 a process took the build's
#: peak from 813-820 to 759-761 MB
SLICES_PER_PROCESS = 4
SHARED_SLICES_PER_PROCESS = 16
_FORKED: MatchIndex | None = None  # the index forked workers score (inherited, not pickled)
_TO_ANALYSE: list[ListingRecord] = []  # the records forked workers analyse (likewise)


def worth_forking(processes: int, listings: int) -> bool:
    return processes > 1 and hasattr(os, "fork") and listings >= PARALLEL_MIN_LISTINGS


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while creating many small acyclic objects.

    Python otherwise runs ever longer full collections as the object count grows, which
    costs about a third of the time of building a large list of suggestions.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def gc_frozen() -> Iterator[None]:
    """The objects alive now (the index) frozen out of the garbage collector meanwhile: its
    passes then skip them — in a forked worker a pass would also write to, and so copy,
    every page of the index it shares copy-on-write."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _forked_pool(workers: int) -> Iterator[Any]:
    """A pool of forked workers sharing this process's index copy-on-write."""
    with gc_frozen(), multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool


def analyse_in_workers(index: MatchIndex, records: list[ListingRecord]) -> list[int]:
    """Add ``records`` to the index's store, analysed by this process and forked workers;
    their slots.

    Analysis is pure Python per listing: ``processes`` workers share it out while this
    process stores what they send; from ``SHARED_ANALYSIS_MIN_LISTINGS`` on, every
    ``processes``-th slice is analysed here and the others by ``processes - 1`` workers.
    The slices are stored in order, so slots are the same as in one process."""
    global _FORKED, _TO_ANALYSE
    here = index.processes if len(records) >= SHARED_ANALYSIS_MIN_LISTINGS else 0  # 0: no share here
    parts = index.processes * (SHARED_SLICES_PER_PROCESS if here else SLICES_PER_PROCESS)
    bounds = [len(records) * i // parts for i in range(parts + 1)]
    jobs = [(bounds[i], bounds[i + 1]) for i in range(parts)]
    _FORKED, _TO_ANALYSE = index, records
    slots: list[int] = []
    try:
        with _forked_pool(index.processes - (1 if here else 0)) as pool:
            theirs = pool.imap(_analysed_part, [job for i, job in enumerate(jobs) if not here or i % here])
            for i, (lo, hi) in enumerate(jobs):
                packed = _analysed_part((lo, hi)) if here and i % here == 0 else next(theirs)
                slots.extend(index.store.add_packed(records[lo:hi], packed))
    finally:
        _FORKED, _TO_ANALYSE = None, []
    return slots


def _analysed_part(bounds: tuple[int, int]) -> PackedFeatures:
    """Worker-process entry: the packed features of one slice of ``_TO_ANALYSE``."""
    lo, hi = bounds
    index = _FORKED
    if index is None:
        raise RuntimeError("worker started without the forked index")
    with gc_paused():
        analyse = index.analyser.analyse
        return pack_features([analyse(r) for r in _TO_ANALYSE[lo:hi]])


def kept_in_workers(index: MatchIndex) -> list[ScoredPairs]:
    """``index._kept_parts`` over all candidate batches, partition ``w`` of
    ``index.processes`` scored by worker ``w`` — partition 0 by this process itself (one
    forked copy fewer in memory). The bundles of every partition, in partition order."""
    global _FORKED
    workers = index.processes
    index.store.compact_texts()
    _FORKED = index
    try:
        with gc_frozen(), gc_paused():
            ctx = multiprocessing.get_context("fork")
            senders = []
            for w in range(1, workers):
                receiver, sender = ctx.Pipe(duplex=False)
                worker = ctx.Process(target=_send_kept_parts, args=(sender, w, workers), daemon=True)
                worker.start()
                sender.close()
                senders.append((receiver, worker))
            parts = index._kept_parts(0, workers)
            for receiver, worker in senders:
                while (got := receiver.recv()) is not None:
                    if isinstance(got, BaseException):
                        raise got
                    parts.append(got)
                receiver.close()
                worker.join()
    finally:
        _FORKED = None
    return parts


def _send_kept_parts(conn: Connection, part: int, parts: int) -> None:
    """Worker-process entry: one partition's kept pairs, sent bundle by bundle (numpy arrays
    pickle cheaply; one at a time, so no side holds them all twice), then ``None``."""
    index = _FORKED
    if index is None:
        raise RuntimeError("worker started without the forked index")
    try:
        with gc_paused():
            bundles = index._kept_parts(part, parts)
            bundles.reverse()
            while bundles:
                conn.send(bundles.pop())
        conn.send(None)
    except Exception as exc:  # reported to the parent, which raises it
        conn.send(RuntimeError(f"scoring worker {part}: {exc!r}"))
    finally:
        conn.close()
