"""A database for the page benchmarks: the demo cluster, optionally with a synthetic registry.

    python bench/pages_data.py --database-url URL [--companies 10000]

Migrates an empty database, seeds the demo cluster with its logins (as `matchmaker seed`),
adds ``--companies`` synthetic companies (`bench/synth.py`, loaded in bulk as in
`bench/bench_service.py`) with a login for the first few of them, and runs one full
recompute, so the pages show what a real registry of that size would. The synthetic listings
have no sentence vectors; run with ``MATCHMAKER_SEMANTIC=off`` (the default here) unless
you mean to wait for the model.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session, func, select  # noqa: E402

from bench.bench_service import fill  # noqa: E402
from matchmaker import create_app  # noqa: E402
from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD  # noqa: E402
from matchmaker.domain.vocab import Role  # noqa: E402
from matchmaker.models import Company, Listing, Suggestion, User  # noqa: E402
from matchmaker.services import accounts  # noqa: E402
from matchmaker.services.matching import recompute_all  # noqa: E402

SYNTH_LOGINS = 20  # synthetic companies that get a login (the busiest ones: most suggestions)


@dataclass
class BenchData:
    """Who logs in, and what the pages can be asked about."""

    members: list[str] = field(default_factory=list)  # emails, demo companies first
    coordinator: str = DEMO_COORDINATOR
    password: str = DEMO_PASSWORD
    companies: int = 0
    listings: int = 0
    suggestions: int = 0


def bench_app(url: str, semantic: bool = False, kept_pages: bool = False):  # noqa: ANN201  (a Flask app)
    """`kept_pages`: with the page cache (`matchmaker.page_cache`); without it a page view is
    rendered every time, which is what a profile of the pages wants to see."""
    return create_app({"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "development",
                       "MATCHMAKER_SEMANTIC": "on" if semantic else "off",
                       "MATCHMAKER_PAGE_CACHE_ENTRIES": "300" if kept_pages else "0"})


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _busiest_companies(session: Session, first_id: int, n: int) -> list[int]:
    counts = func.count(Suggestion.id)
    rows = session.exec(select(Suggestion.offer_company_id, counts)
                        .where(Suggestion.offer_company_id > first_id)
                        .group_by(Suggestion.offer_company_id).order_by(counts.desc()).limit(n))
    return [company_id for company_id, _ in rows]


def prepare(url: str, companies: int = 0, semantic: bool = False, seed: int = 7) -> BenchData:
    """Fill an empty database at `url`; the accounts to log in with."""
    app = bench_app(url, semantic)
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["seed"])
    if result.exit_code != 0:
        raise RuntimeError(f"seed failed: {result.output}")
    _say(f"demo cluster seeded in {time.perf_counter() - started:.1f} s")
    engine = app.extensions["matchmaker_engine"]
    with Session(engine, expire_on_commit=False) as session:
        last_demo = session.exec(select(func.max(Company.id))).one() or 0
        if companies:
            started = time.perf_counter()
            last_listing = session.exec(select(func.max(Listing.id))).one() or 0
            n = fill(session, companies, seed, after=(last_demo, last_listing))
            _say(f"{companies} synthetic companies, {n} listings loaded in "
                 f"{time.perf_counter() - started:.1f} s; full recompute…")
            report = recompute_all(session, app.extensions["matchmaker_matcher"],
                                   app.config["MATCHMAKER"].match_processes)
            _say(f"recomputed in {report.seconds:.1f} s: {report.suggestions} suggestions")
            synth = _busiest_companies(session, last_demo, SYNTH_LOGINS)
            accounts.create_users_sharing_password(
                session, [(f"bedrift{i}@synth.example", Role.MEMBER, i, f"Bedrift {i}")
                          for i in synth], DEMO_PASSWORD)
        members = [u.email for u in session.exec(
            select(User).where(User.role == Role.MEMBER.value).order_by(User.id))]
        data = BenchData(
            members=members,
            companies=session.exec(select(func.count()).select_from(Company)).one(),
            listings=session.exec(select(func.count()).select_from(Listing)).one(),
            suggestions=session.exec(select(func.count()).select_from(Suggestion)).one(),
        )
    engine.dispose()
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--companies", type=int, default=0)
    parser.add_argument("--semantic", action="store_true")
    args = parser.parse_args(argv)
    data = prepare(args.database_url, args.companies, args.semantic)
    print(f"{data.companies} companies, {data.listings} listings, {data.suggestions} suggestions; "
          f"{len(data.members)} member logins")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
