"""Load benchmark: page views (wrk) and mixed traffic with writes, against gunicorn on loopback.

    python bench/load.py [--companies 10000] [--workers 4] [--connections 8] [--seconds 10]
                         [--mixed] [--users 50] [--mixed-seconds 60] [--database-url URL]

Fills a fresh database (SQLite in a temporary folder, or ``--database-url``: an EMPTY
PostgreSQL database) with the demo cluster plus ``--companies`` synthetic companies
(`bench/pages_data.py`), starts gunicorn on a free port of 127.0.0.1, logs in a demo company
and the demo coordinator, and drives each page with wrk (``apt-get install wrk``) for
``--seconds`` (and at most ``--max-requests`` per wrk thread): requests/s, p50/p95/p99 and
errors per page (an error: any answer but 200, or a socket error).

``--mixed``: ``--users`` logged-in members browse for ``--mixed-seconds`` (threads of this
process, each with its own connection and session); one request in ten is a write — an answer
to a suggestion or a new listing, half each. Every write must be answered with its redirect,
and afterwards the database must hold exactly the rows the acknowledged writes made (answers
in the audit log, listings by their marked titles): "lost writes" counts any difference.

Only loopback addresses are used; every loop is bounded in time and count. Each user's login
carries its own X-Forwarded-For address (gunicorn runs with MATCHMAKER_TRUSTED_PROXIES=1), so
the login throttle (20 per address per 15 minutes) sees 50 users rather than one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session, col, func, select  # noqa: E402

from bench.load_servers import HOST, free_port, start_gunicorn, start_matching_worker, stop  # noqa: E402
from bench.pages_data import BenchData, bench_app, prepare  # noqa: E402
from matchmaker.domain.workflow import ANSWERABLE  # noqa: E402
from matchmaker.models import Listing, Suggestion, SuggestionEvent, User  # noqa: E402
from matchmaker.services.partners import company_suggestions_query  # noqa: E402

MEMBER = "post@granli-sag.example"
MARK = "Lasttest"  # titles of the listings the mixed run adds
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 60.0


# --- HTTP ------------------------------------------------------------------------------------

class Client:
    """One user: a keep-alive connection and the session cookie (no redirects followed)."""

    def __init__(self, port: int, forwarded_for: str = "") -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, str]:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # a worker closed an idle keep-alive: reconnect once
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def csrf(self, path: str) -> str:
        status, text = self.request("GET", path)
        found = CSRF.search(text)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path}: {status}")
        return found.group(1)

    def login(self, email: str, password: str) -> None:
        token = self.csrf("/login")
        status, _ = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                    "password": password})
        if status != 302:
            raise RuntimeError(f"login as {email}: {status}")


# --- page views ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageFigures:
    name: str
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(name: str, port: int, path: str, cookie: str, args: argparse.Namespace) -> PageFigures:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
               "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    env = {**os.environ, "WRK_MAX_REQUESTS": str(args.max_requests)}
    out = subprocess.run(command, capture_output=True, text=True, env=env,
                         timeout=args.seconds + 60, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return PageFigures(name, figures["requests"], figures["seconds"], figures["p50_ms"],
                       figures["p95_ms"], figures["p99_ms"],
                       figures["not_ok"] + figures["socket_errors"])


def page_views(port: int, data: BenchData, url: str, args: argparse.Namespace) -> list[PageFigures]:
    member, coordinator = Client(port, "127.0.1.1"), Client(port, "127.0.1.2")
    member.login(MEMBER, data.password)
    coordinator.login(data.coordinator, data.password)
    with Session(bench_app(url).extensions["matchmaker_engine"]) as session:
        company_id = session.exec(select(User.company_id).where(User.email == MEMBER)).one()
        listing_id = session.exec(select(Listing.id).where(Listing.company_id == company_id)
                                  .order_by(Listing.id)).first()
    pages = [
        ("landing (visitor)", "", "/"),
        ("/company", member.cookie_header, "/company"),
        ("/directory", member.cookie_header, "/directory"),
        ("/directory?q=sagflis", member.cookie_header, "/directory?q=sagflis"),
        ("/directory?q=varme&page=2", member.cookie_header, "/directory?q=varme&page=2"),
        ("/partners", member.cookie_header, "/partners"),
        (f"/listings/{listing_id} (own)", member.cookie_header, f"/listings/{listing_id}"),
        ("/coordinator/matches", coordinator.cookie_header, "/coordinator/matches"),
        ("/coordinator/ (overview)", coordinator.cookie_header, "/coordinator/"),
    ]
    results = []
    for name, cookie, path in pages:
        check = Client(port)
        if cookie:
            check.cookies = dict(c.split("=", 1) for c in cookie.split("; "))
        status, _ = check.request("GET", path)  # one view first: a page that is not 200 is a bug
        if status != 200:
            raise RuntimeError(f"{path}: {status} before the load")
        results.append(run_wrk(name, port, path, cookie, args))
        print(format_page(results[-1]), flush=True)
    return results


def format_page(f: PageFigures) -> str:
    return (f"{f.name:<30} {f.rate:8.0f} req/s  p50 {f.p50:6.1f}  p95 {f.p95:6.1f}  "
            f"p99 {f.p99:6.1f} ms  {f.requests:6d} requests  {f.errors} errors")


# --- mixed traffic ---------------------------------------------------------------------------

@dataclass
class UserPlan:
    email: str
    company_id: int
    listing_id: int
    answerable: list[int]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    answers_acknowledged: int = 0
    listings_acknowledged: int = 0
    failures: list[str] = field(default_factory=list)

    def record(self, kind: str, seconds: float, ok: bool, what: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds * 1000)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.failures) < 10:
                    self.failures.append(what)


def user_plans(url: str, data: BenchData) -> list[UserPlan]:
    plans = []
    with Session(bench_app(url).extensions["matchmaker_engine"]) as session:
        for email in data.members:
            user = session.exec(select(User).where(User.email == email)).one()
            listing_id = session.exec(select(Listing.id).where(
                Listing.company_id == user.company_id).order_by(Listing.id)).first()
            rows = session.exec(company_suggestions_query(user.company_id).where(
                col(Suggestion.status).in_([s.value for s in ANSWERABLE])).limit(50))
            plans.append(UserPlan(email, user.company_id, listing_id, [s.id for s, _o, _n in rows]))
    return plans


def browse(client: Client, plan: UserPlan, rng: random.Random, tally: Tally, deadline: float,
           max_requests: int) -> None:
    pages = ["/company", "/directory", "/directory?q=sagflis", "/partners",
             f"/listings/{plan.listing_id}", "/partners?group=waiting", "/directory?page=2"]
    token = client.csrf("/listings/new")
    for n in range(max_requests):
        if time.monotonic() >= deadline:
            return
        if rng.random() < 0.1:  # a write
            if plan.answerable and n % 2 == 0:
                suggestion_id = rng.choice(plan.answerable)
                kind, path = "write: answer", f"/partners/{suggestion_id}/answer"
                form = {"csrf_token": token, "answer": "interested"}
            else:
                kind, path = "write: new listing", "/listings/new"
                form = {"csrf_token": token, "direction": rng.choice(["offer", "need"]),
                        "kind": "material", "title": f"{MARK} {plan.company_id} {n} sagflis",
                        "description": "lastprøve", "visibility": "public", "active": "y"}
            started = time.perf_counter()
            status, _ = client.request("POST", path, form)
            ok = status == 302
            tally.record(kind, time.perf_counter() - started, ok, f"{kind} {path}: {status}")
            if ok:
                with tally.lock:
                    if kind == "write: answer":
                        tally.answers_acknowledged += 1
                    else:
                        tally.listings_acknowledged += 1
        else:
            path = rng.choice(pages)
            started = time.perf_counter()
            status, _ = client.request("GET", path)
            tally.record("read", time.perf_counter() - started, status == 200, f"GET {path}: {status}")


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def mixed(port: int, url: str, data: BenchData, args: argparse.Namespace) -> bool:
    plans = user_plans(url, data)
    engine = bench_app(url).extensions["matchmaker_engine"]
    with Session(engine) as session:
        answers_before = session.exec(select(func.count()).select_from(SuggestionEvent)
                                      .where(SuggestionEvent.action == "answer")).one()
    clients = []
    for i in range(args.users):  # users beyond the logins share an account, each its own session
        client = Client(port, f"127.0.2.{i + 1}")
        client.login(plans[i % len(plans)].email, data.password)
        clients.append((client, plans[i % len(plans)]))
    print(f"{args.users} users logged in; mixed traffic for {args.mixed_seconds} s…", flush=True)
    tally = Tally()
    deadline = time.monotonic() + args.mixed_seconds
    started = time.monotonic()

    def user(i: int, client: Client, plan: UserPlan) -> None:
        try:
            browse(client, plan, random.Random(i), tally, deadline, args.max_requests)
        except Exception as exc:  # noqa: BLE001  (counted, and the run goes on)
            tally.record("exception", 0.0, False, repr(exc))

    threads = [threading.Thread(target=user, args=(i, c, p)) for i, (c, p) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.mixed_seconds + 2 * TIMEOUT)
    elapsed = time.monotonic() - started
    with Session(engine) as session:
        answers = session.exec(select(func.count()).select_from(SuggestionEvent)
                               .where(SuggestionEvent.action == "answer")).one() - answers_before
        listings = session.exec(select(func.count()).select_from(Listing)
                                .where(col(Listing.title).startswith(MARK))).one()
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    print(f"mixed: {total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s, {errors} errors")
    for kind, values in sorted(tally.latencies.items()):
        values.sort()
        print(f"  {kind:<20} {len(values):6d}  p50 {statistics.median(values):6.1f}  "
              f"p95 {_quantile(values, 0.95):6.1f}  p99 {_quantile(values, 0.99):6.1f} ms  "
              f"{tally.errors.get(kind, 0)} errors")
    lost = abs(answers - tally.answers_acknowledged) + abs(listings - tally.listings_acknowledged)
    print(f"  writes acknowledged: {tally.answers_acknowledged} answers, "
          f"{tally.listings_acknowledged} listings; in the database: {answers} answers, "
          f"{listings} listings; lost writes: {lost}")
    for failure in tally.failures:
        print(f"  failed: {failure}")
    return errors == 0 and lost == 0


# --- main ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=0, help="synthetic companies added to the demo")
    parser.add_argument("--database-url", default="", help="an EMPTY database (default: SQLite, temporary)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (concurrent clients)")
    parser.add_argument("--seconds", type=int, default=10, help="per page")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per wrk thread / mixed user")
    parser.add_argument("--mixed", action="store_true", help="also the mixed traffic with writes")
    parser.add_argument("--only-mixed", action="store_true", help="the mixed traffic, no page views")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--no-warm", action="store_true",
                        help="no shared index built before the fork (each worker builds its own)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None and not args.only_mixed:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1

    folder = Path(tempfile.mkdtemp(prefix="matchmaker-load-"))
    url = args.database_url or f"sqlite:///{folder / 'load.sqlite3'}"
    started = time.perf_counter()
    data = prepare(url, args.companies)
    print(f"database: {data.companies} companies, {data.listings} listings, {data.suggestions} "
          f"suggestions ({url.split(':', 1)[0]}), filled in {time.perf_counter() - started:.0f} s",
          flush=True)
    port = free_port()
    started = time.perf_counter()
    server = start_gunicorn(url, port, args.workers, folder / "gunicorn.log",
                            warm=not args.no_warm)
    try:
        matching = start_matching_worker(url, folder / "worker.log")
    except RuntimeError:
        stop(server)
        raise
    print(f"gunicorn -w {args.workers} and the matching worker on {HOST}:{port} ready in "
          f"{time.perf_counter() - started:.0f} s; "
          f"wrk -t{args.threads} -c{args.connections}, {args.seconds} s a page", flush=True)
    ok = True
    try:
        if not args.only_mixed:
            results = page_views(port, data, url, args)
            views = sum(r.requests for r in results)
            seconds = sum(r.seconds for r in results)
            print(f"{'all pages':<30} {views / seconds:8.0f} req/s  "
                  f"{sum(r.errors for r in results)} errors")
            ok = all(r.errors == 0 for r in results)
        if args.mixed or args.only_mixed:
            ok = mixed(port, url, data, args) and ok
    finally:
        stop(server)
        stop(matching)
        log = (folder / "gunicorn.log").read_text() + (folder / "worker.log").read_text()
        if "Traceback" in log or "WORKER TIMEOUT" in log:
            print(f"gunicorn's log has errors:\n{log[-3000:]}")
            ok = False
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
