"""A national registry through the command line: `matchmaker import` of a synthetic file, timed.

    python bench/bench_import.py [--companies 10000] [--database-url URL] [--semantic] [--again]

Writes a synthetic registry (`bench/synth.py`) as a `matchmaker/v1` JSON file, creates a fresh
database (SQLite in a temp folder by default; an empty PostgreSQL database with
``--database-url``), and runs the real commands in a child process: ``matchmaker init-db`` and
``matchmaker import FILE``, which writes the rows in bulk and then computes every suggestion
once — import and first match, end to end. Prints the import's wall and CPU time, its own report,
the suggestions stored and the peak memory of the command's process tree (summed PSS, `bench/memory.py`;
since 2026-12-01 without this harness's own process, which holds the generated registry).
``--again`` imports the same file a second time (every company and listing updated, nothing
changed).

Sentence vectors are off (``MATCHMAKER_SEMANTIC=off``) unless ``--semantic``: the model embeds
about 25 listings a second on one core, so 50,000 listings take about half an hour the first
time, which is the model's speed, not the import's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select  # noqa: E402

from bench.memory import PeakTreePss  # noqa: E402
from bench.synth import generate  # noqa: E402
from matchmaker.models import Suggestion  # noqa: E402


def write_registry(path: Path, n_companies: int, seed: int) -> int:
    """The synthetic registry as an interchange document; how many listings it has."""
    companies: dict[int, dict] = {}
    count = 0
    for record in generate(n_companies, seed=seed):
        company = companies.setdefault(record.company_id, {
            "id": f"c{record.company_id}", "name": f"Bedrift {record.company_id} AS",
            "country": "NO", "lat": record.lat, "lon": record.lon, "listings": []})
        company["listings"].append({
            "id": f"l{record.listing_id}", "direction": record.direction, "kind": record.kind,
            "title": record.title[:200], "description": record.description[:4000],
            "quantity": record.quantity, "unit": record.unit, "frequency": record.frequency})
        count += 1
    path.write_text(json.dumps({"format": "matchmaker/v1", "companies": list(companies.values())},
                               ensure_ascii=False), encoding="utf-8")
    return count


def cpu_seconds() -> float:
    """CPU time of the ended child processes (the command and its forked workers): on a
    shared machine it varies less with the load than the wall time does."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Seconds, CPU seconds, peak tree memory (MB) and output of one `matchmaker` command."""
    command = [str(Path(sys.executable).with_name("matchmaker")), *args]
    with PeakTreePss(0.1, descendants_only=True) as peak:  # the import's processes, not this harness
        started, cpu = time.perf_counter(), cpu_seconds()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode})")
    return seconds, cpu, peak.mb, done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="an empty database (default: a temp SQLite)")
    parser.add_argument("--semantic", action="store_true", help="with sentence vectors (~40 ms a listing)")
    parser.add_argument("--again", action="store_true", help="then import the same file again")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_ENV": "development",
           "MATCHMAKER_SEMANTIC": "on" if args.semantic else "off"}
    path = folder / "registry.json"
    started = time.perf_counter()
    n_listings = write_registry(path, args.companies, args.seed)
    print(f"{args.companies} companies, {n_listings} listings written to {path.name} "
          f"({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
    run(["init-db"], env)
    rounds = ("import", "import again") if args.again else ("import",)
    engine = create_engine(url)
    for label in rounds:
        seconds, cpu, peak_mb, output = run(["import", str(path)], env)
        with engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(Suggestion)).scalar_one()
        print(f"{label} + match ({engine.dialect.name}, vectors {'on' if args.semantic else 'off'}): "
              f"{seconds:.1f} s (CPU {cpu:.1f} s), {stored} suggestions stored, peak memory {peak_mb:.0f} MB")
        for line in output.splitlines():
            print(f"  {line}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
