"""Web requests against the matching worker, measured on a real database.

    python bench/bench_worker.py [--companies 10000] [--edits 200] [--database-url URL]

Fills a fresh database (SQLite in a temp folder by default) with a synthetic registry and runs
one full recompute, then measures, in one process and in this order:

1. what a listing edit costs a web request when a worker matches (`MATCHMAKER_MATCHING=worker`):
   the save and its change-feed row, nothing else (p50/p95);
2. the directory's text search without an index (what a web worker does now), p50/p95 over a
   few queries, and this process's resident memory: no index was built;
3. the worker: building its index (time and memory added), then matching the pending edits
   (changes per second).

Sentence vectors are off, as in `bench_service.py`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bench.bench_service import fill  # noqa: E402
from matchmaker import create_app  # noqa: E402
from matchmaker.db import upgrade  # noqa: E402
from matchmaker.domain.vocab import Role  # noqa: E402
from matchmaker.models import Listing, User  # noqa: E402
from matchmaker.services.listings import update_listing  # noqa: E402
from matchmaker.services.matcher import Matcher  # noqa: E402
from matchmaker.services.matching import recompute_all  # noqa: E402
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    settings = {"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "testing", "MATCHMAKER_SEMANTIC": "off"}
    batch = create_app(settings)
    engine = batch.extensions["matchmaker_engine"]
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        n_listings = fill(session, args.companies, args.seed)
        report = recompute_all(session, batch.extensions["matchmaker_matcher"], os.cpu_count() or 1)
    print(f"{args.companies} companies, {n_listings} listings, {report.suggestions} suggestions "
          f"({engine.dialect.name}); the full recompute's index is dropped now")
    batch.extensions["matchmaker_matcher"]._index = None  # noqa: SLF001 -- a web process has none

    web = create_app({**settings, "MATCHMAKER_MATCHING": "worker"}).extensions["matchmaker_matcher"]
    rng = random.Random(args.seed)
    with Session(engine, expire_on_commit=False) as session:
        timings = []
        for listing_id in rng.sample(range(1, n_listings + 1), args.edits):
            listing = session.get(Listing, listing_id)
            user = User(email=f"u{listing_id}@bench.example", password_hash="x",
                        role=Role.MEMBER.value, company_id=listing.company_id)
            fields = {"quantity": (listing.quantity or 10) * 1.5, "title": listing.title,
                      "description": listing.description + " (oppdatert)"}
            started = time.perf_counter()
            update_listing(session, user, listing_id, fields, web)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"1. listing edit in a web request, matched later by the worker ({args.edits}): "
              f"{percentiles(timings)}")

        searches, found = [], 0
        for _ in range(3):
            for query in QUERIES:
                started = time.perf_counter()
                found += len(web.search(session, query))
                searches.append((time.perf_counter() - started) * 1000)
        print(f"2. directory text search without an index ({len(searches)} queries, "
              f"{found // 3} listings found per round): {percentiles(searches)}; "
              f"this process: {rss_mb():.0f} MB resident, index built: {web._index is not None}")  # noqa: SLF001

    worker = Matcher(web.settings, lambda: web.thesaurus)
    before = rss_mb()
    started = time.perf_counter()
    with Session(engine) as session:
        worker.current(session)
    print(f"3. worker: index built in {time.perf_counter() - started:.1f} s, "
          f"+{rss_mb() - before:.0f} MB resident")
    started = time.perf_counter()
    matched = Runner(engine, worker).run_pending()
    seconds = time.perf_counter() - started
    print(f"   {matched} pending changes matched in {seconds:.1f} s ({matched / seconds:.0f} changes/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
