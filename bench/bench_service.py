"""The request path, measured: listing edits through the service layer on a real database.

    python bench/bench_service.py [--companies 10000] [--edits 200] [--database-url URL]

Fills a fresh database (SQLite in a temp folder by default) with a synthetic registry, runs the
full recompute (`matchmaker match`) through the database, then times `update_listing` — what a
listing edit costs in a web request: validation aside, the save, the change feed, the
incremental match and the suggestion upserts, in one transaction — and prints p50/p95.

Sentence vectors are off here (``MATCHMAKER_SEMANTIC=off``): embedding a synthetic registry
costs about 40 ms a listing (35 minutes for 10k companies) the first time, which is the
embedding model's speed, not the database path's; ``--semantic`` measures with it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.synth import generate  # noqa: E402
from matchmaker import create_app  # noqa: E402
from matchmaker.db import upgrade  # noqa: E402
from matchmaker.domain.vocab import Role  # noqa: E402
from matchmaker.models import Company, Listing, Suggestion, User  # noqa: E402
from matchmaker.services.listings import update_listing  # noqa: E402
from matchmaker.services.matching import recompute_all  # noqa: E402


def fill(session: Session, n_companies: int, seed: int, after: tuple[int, int] = (0, 0)) -> int:
    """Insert a synthetic registry in bulk; its ids start after ``after`` = (the highest company
    id, the highest listing id) already in the database (0, 0 for an empty one)."""
    company_base, listing_base = after
    companies: dict[int, dict] = {}
    listings = []
    for record in generate(n_companies, seed=seed):
        companies.setdefault(
            record.company_id,
            {
                "id": company_base + record.company_id,
                "name": f"Bedrift {company_base + record.company_id} AS",
                "lat": record.lat,
                "lon": record.lon,
                "country": "NO",
            },
        )
        listings.append(
            {
                "id": listing_base + record.listing_id,
                "company_id": company_base + record.company_id,
                "direction": record.direction,
                "kind": record.kind,
                "title": record.title[:200],
                "description": record.description[:4000],
                "quantity": record.quantity,
                "unit": record.unit,
                "frequency": record.frequency,
                "active": True,
                "visibility": "public",
            }
        )
    defaults = {
        f: ""
        for f in (
            "address",
            "postcode",
            "city",
            "municipality",
            "description",
            "industry",
            "nace_code",
            "website",
            "contact_person",
            "email",
            "phone",
        )
    }
    now = Company().created_at
    session.execute(
        insert(Company), [{**defaults, **c, "created_at": now, "updated_at": now} for c in companies.values()]
    )
    for start in range(0, len(listings), 20_000):
        session.execute(
            insert(Listing),
            [{**row, "created_at": now, "updated_at": now} for row in listings[start : start + 20_000]],
        )
    if session.get_bind().dialect.name == "postgresql":  # explicit ids leave the sequences behind
        session.execute(text("SELECT setval(pg_get_serial_sequence('company', 'id'), "
                             "(SELECT max(id) FROM company))"))
        session.execute(text("SELECT setval(pg_get_serial_sequence('listing', 'id'), "
                             "(SELECT max(id) FROM listing))"))
    session.commit()
    return len(listings)


def cpu_seconds() -> float:
    """CPU time of this process and its ended workers: on a shared machine it varies less
    with the load than the wall time (the database server's own time is not in it)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="as `match --processes`")
    parser.add_argument("--semantic", action="store_true", help="with sentence vectors (slow to fill)")
    args = parser.parse_args(argv)

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "testing",
                      "MATCHMAKER_SEMANTIC": "on" if args.semantic else "off"})
    engine = app.extensions["matchmaker_engine"]
    upgrade(engine)
    matcher = app.extensions["matchmaker_matcher"]
    with Session(engine, expire_on_commit=False) as session:
        if session.exec(select(func.count()).select_from(Listing)).one():
            print("error: the database is not empty", file=sys.stderr)
            return 1
        started = time.perf_counter()
        n_listings = fill(session, args.companies, args.seed)
        print(
            f"{args.companies} companies, {n_listings} listings loaded in "
            f"{time.perf_counter() - started:.1f} s ({engine.dialect.name})"
        )

        cpu = cpu_seconds()
        report = recompute_all(session, matcher, args.processes)
        cpu, used = cpu_seconds(), cpu_seconds() - cpu
        print(
            f"full recompute through the database ({args.processes} processes): {report.seconds:.1f} s "
            f"(CPU {used:.1f} s, this process and its workers), {report.suggestions} suggestions stored"
        )
        report = recompute_all(session, matcher, args.processes)
        print(f"  again (nothing changed): {report.seconds:.1f} s (CPU {cpu_seconds() - cpu:.1f} s), "
              f"{report.unchanged} unchanged")

        # One member per edited company, as the web layer would have.
        rng = random.Random(args.seed)
        ids = rng.sample(range(1, n_listings + 1), args.edits)
        timings = []
        for listing_id in ids:
            listing = session.get(Listing, listing_id)
            user = User(
                id=None,
                email=f"u{listing_id}@bench.example",
                password_hash="x",
                role=Role.MEMBER.value,
                company_id=listing.company_id,
            )
            fields = {
                "quantity": (listing.quantity or 10) * 1.5,
                "title": listing.title,
                "description": listing.description + " (oppdatert)",
            }
            t0 = time.perf_counter()
            update_listing(session, user, listing_id, fields, matcher)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"listing edit with incremental re-match ({args.edits} edits): "
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {timings[-1]:.1f} ms"
        )
        total = session.exec(select(func.count()).select_from(Suggestion)).one()
        print(f"suggestions stored after the edits: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
