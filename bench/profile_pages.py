"""Where a page's time goes: SQL statements, database time and Python time per page view.

    python bench/profile_pages.py --database-url URL [--views 100] [--profile /directory]

Runs page views through Flask's test client (no HTTP server, one process) against a database
made by `bench/pages_data.py`, logged in as a demo company and as the demo coordinator, and
prints per page: milliseconds per view (mean, after one warm-up view; CPU: mean, and the best of
ten rounds, which a busy machine disturbs least), SQL statements per view,
and the milliseconds spent inside the database driver. ``--profile PATH`` also prints the
cProfile top 25 (cumulative; ``--sort tottime --top 40`` for another view) of that page.
Pages are rendered every time (the page cache off) unless ``--kept``: then the views after the
warm-up are kept pages, as a reload is when nothing changed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.pages_data import bench_app  # noqa: E402
from matchmaker.commands import DEMO_COORDINATOR, DEMO_PASSWORD  # noqa: E402

MEMBER = "post@granli-sag.example"
PAGES: tuple[tuple[str, str], ...] = (  # (who, path)
    ("visitor", "/"),
    ("member", "/company"),
    ("member", "/directory"),
    ("member", "/directory?q=sagflis"),
    ("member", "/directory?q=heat&page=2"),
    ("member", "/partners"),
    ("member", "/partners?strength=strong"),
    ("member", "/listings/1"),
    ("member", "/companies/2"),
    ("coordinator", "/coordinator/"),
    ("coordinator", "/coordinator/matches"),
    ("coordinator", "/coordinator/matches?sort=distance_asc&page=3"),
    ("coordinator", "/coordinator/matches?sort=distance_desc&page=3"),
    ("coordinator", "/coordinator/matches?sort=newest&page=3"),
    ("coordinator", "/coordinator/matches?sort=updated&page=3"),
    ("member", "/directory?q=%C3%A5snes"),
    ("member", "/directory?q=s%C3%B8ppel"),
    ("member", "/directory?q=tr"),
)


class SqlMeter:
    """Counts statements and the time spent executing them."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.statements = 0
        self.seconds = 0.0
        self._started: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args) -> None:  # noqa: ANN002
        self._started.append(time.perf_counter())

    def _after(self, *_args) -> None:  # noqa: ANN002
        self.statements += 1
        self.seconds += time.perf_counter() - self._started.pop()

    def reset(self) -> None:
        self.statements, self.seconds = 0, 0.0


def logged_in(app, email: str | None):  # noqa: ANN001, ANN201  (a test client)
    client = app.test_client()
    if email:
        client.get("/login")
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"login as {email} failed: {response.status_code}")
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--views", type=int, default=100)
    parser.add_argument("--member", default=MEMBER)
    parser.add_argument("--profile", action="append", default=[], help="a path to cProfile")
    parser.add_argument("--only", default="", help="only paths starting with this")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, …")
    parser.add_argument("--top", type=int, default=25, help="cProfile lines printed")
    parser.add_argument("--kept", action="store_true",
                        help="with the page cache (the views after the first are kept pages)")
    args = parser.parse_args(argv)

    app = bench_app(args.database_url, kept_pages=args.kept)
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    meter = SqlMeter(app.extensions["matchmaker_engine"])
    clients = {"visitor": logged_in(app, None), "member": logged_in(app, args.member),
               "coordinator": logged_in(app, DEMO_COORDINATOR)}
    gc.freeze()  # as a server process does (matchmaker.serving_app)
    print(f"{'page':<52} {'ms/view':>8} {'CPU ms':>7} {'best':>7} {'SQL/view':>9} {'SQL ms':>7}")
    for who, path in PAGES:
        if args.only and not path.startswith(args.only):
            continue
        client = clients[who]
        started = time.perf_counter()
        response = client.get(path)
        first = time.perf_counter() - started
        if response.status_code != 200:
            print(f"{who} {path}: {response.status_code}")
            continue
        meter.reset()
        profiler = cProfile.Profile() if path in args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        best = float("inf")  # the least disturbed tenth of the views: a shared machine's figure
        for _ in range(10):
            round_cpu = time.process_time()
            for _ in range(max(1, args.views // 10)):
                client.get(path)
            best = min(best, (time.process_time() - round_cpu) / max(1, args.views // 10))
        if profiler:
            profiler.disable()
        per_view = (time.perf_counter() - started) / args.views
        cpu = (time.process_time() - cpu) / args.views
        print(f"{who + ' ' + path:<52} {per_view * 1000:8.1f} {cpu * 1000:7.1f} {best * 1000:7.1f} "
              f"{meter.statements / args.views:9.1f} "
              f"{meter.seconds / args.views * 1000:7.1f}   (first view {first * 1000:.0f} ms)")
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
