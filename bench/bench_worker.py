"""Web requests against the matching worker, measured on a real database.

    python bench/bench_worker.py [--companies 10000] [--edits 200] [--database-url URL]

Fills a fresh database (SQLite in a temp folder by default) with a synthetic registry and runs
one full recompute, then runs each side in a process of its own, as in production:

1. a web process (`MATCHMAKER_MATCHING=worker`): listing edits, each the save and its
   change-feed row and nothing else (p50/p95);
2. a matching worker: building its index and the search table at start (time, resident
   memory), then matching the pending edits (changes per second);
3. a web process: the directory's text search without an index (p50/p95 over a few queries)
   and its resident memory.

Sentence vectors are off, as in `bench_service.py`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess  # noqa: S404 -- the bench's own phases
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.bench_service import fill  # noqa: E402
from matchmaker import create_app  # noqa: E402
from matchmaker.db import upgrade  # noqa: E402
from matchmaker.domain.vocab import Role  # noqa: E402
from matchmaker.models import Listing, User  # noqa: E402
from matchmaker.services.listings import update_listing  # noqa: E402
from matchmaker.services.matching import recompute_all  # noqa: E402
from matchmaker.worker import search_table  # noqa: E402
from matchmaker.worker.runner import Runner  # noqa: E402

QUERIES = ("sagflis", "sawdust", "bark", "wood chips", "steel", "spillvarme", "fish silage", "pellets")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"


def _settings(url: str) -> dict[str, str]:
    return {"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "testing", "MATCHMAKER_SEMANTIC": "off",
            "MATCHMAKER_MATCHING": "worker"}


def edits(url: str, count: int, seed: int) -> None:
    app = create_app(_settings(url))
    web = app.extensions["matchmaker_matcher"]
    with Session(app.extensions["matchmaker_engine"], expire_on_commit=False) as session:
        n_listings = session.exec(select(func.max(Listing.id))).one()
        timings = []
        for listing_id in random.Random(seed).sample(range(1, n_listings + 1), count):
            listing = session.get(Listing, listing_id)
            user = User(email=f"u{listing_id}@bench.example", password_hash="x",
                        role=Role.MEMBER.value, company_id=listing.company_id)
            fields = {"quantity": (listing.quantity or 10) * 1.5, "title": listing.title,
                      "description": listing.description + " (oppdatert)"}
            started = time.perf_counter()
            update_listing(session, user, listing_id, fields, web)
            timings.append((time.perf_counter() - started) * 1000)
    print(f"1. web: listing edit, matched later by the worker ({count}): {percentiles(timings)}")


def worker(url: str) -> None:
    app = create_app(_settings(url))
    engine = app.extensions["matchmaker_engine"]
    matcher = app.extensions["matchmaker_matcher"]
    matcher.defer = None
    before = rss_mb()
    started = time.perf_counter()
    with Session(engine) as session:
        index = matcher.current(session)
        rows = search_table.sync_all(session, index)
        session.commit()
    print(f"2. worker: index of {len(index)} listings and {rows} search rows in "
          f"{time.perf_counter() - started:.1f} s; resident {before:.0f} MB before, {rss_mb():.0f} MB after")
    started = time.perf_counter()
    matched = Runner(engine, matcher).run_pending()
    seconds = time.perf_counter() - started
    print(f"   {matched} pending changes matched in {seconds:.1f} s ({matched / seconds:.0f} changes/s)")


def searches(url: str) -> None:
    app = create_app(_settings(url))
    web = app.extensions["matchmaker_matcher"]
    with Session(app.extensions["matchmaker_engine"]) as session:
        web.search(session, "flis")  # the thesaurus loads on first use
        timings, found = [], 0
        for _ in range(5):
            for query in QUERIES:
                started = time.perf_counter()
                found += len(web.search(session, query))
                timings.append((time.perf_counter() - started) * 1000)
    print(f"3. web: directory text search ({len(timings)} queries, {found // 5} listings found per "
          f"round): {percentiles(timings)}; resident {rss_mb():.0f} MB, index built: "
          f"{web._index is not None}")  # noqa: SLF001


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--phase", choices=("edits", "worker", "searches"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        {"edits": lambda: edits(args.database_url, args.edits, args.seed),
         "worker": lambda: worker(args.database_url),
         "searches": lambda: searches(args.database_url)}[args.phase]()
        return 0

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    batch = create_app({**_settings(url), "MATCHMAKER_MATCHING": "inline"})
    engine = batch.extensions["matchmaker_engine"]
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        n_listings = fill(session, args.companies, args.seed)
        report = recompute_all(session, batch.extensions["matchmaker_matcher"], os.cpu_count() or 1)
    print(f"{args.companies} companies, {n_listings} listings, {report.suggestions} suggestions "
          f"({engine.dialect.name})", flush=True)
    for phase in ("edits", "worker", "searches"):
        subprocess.run([sys.executable, __file__, "--phase", phase, "--database-url", url,  # noqa: S603
                        "--edits", str(args.edits), "--seed", str(args.seed)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
