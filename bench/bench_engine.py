"""Engine benchmark on synthetic registries, plus the naive all-pairs baseline.

    python bench/bench_engine.py [--sizes 1000,10000,100000] [--naive-companies 300]
                                 [--incremental 200] [--seed 42] [--stream-from 50000]

For each size (companies, ~5 listings each) a fresh child process generates the registry
(not timed), then times ``MatchIndex.build`` + ``match_all`` — from ``--stream-from``
companies on, ``iter_all`` consumed one by one instead (a list of millions of suggestion
objects does not fit the memory budget; a caller streams them into storage) — and
reports the suggestion count, the child's peak RSS, and ``match_listing`` latency p50/p95
over random listings, each measured right after ``upsert`` of a modified copy of that
listing. Finally the naive baseline (every receiver against every supplier: geopy
geodesic + rapidfuzz token_set_ratio per pair) and the engine run on the same small
registry, and the speed-up is printed.

Peak memory of the whole process tree (main + forked workers, summed PSS; see
``bench/memory.py``) is sampled in a second child run of each size, because the sampling
itself costs CPU; that run's times are not printed.

Wall-clock times on a shared machine are noisy; CPU time of the child is printed too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.memory import PeakTreePss  # noqa: E402
from bench.naive import naive_all_pairs  # noqa: E402
from bench.synth import generate  # noqa: E402
from matchmaker.matching import MatchIndex, MatchSettings, Thesaurus  # noqa: E402


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def run_size(
    n_companies: int, seed: int, incremental: int, stream: bool, processes: int, sample_memory: bool
) -> dict[str, Any]:
    th = Thesaurus.load()
    settings = MatchSettings()
    t0 = time.perf_counter()
    records = list(generate(n_companies, seed=seed))
    gen_s = time.perf_counter() - t0
    rss_records = _peak_rss_mb()

    with PeakTreePss(enabled=sample_memory) as tree:
        t0, c0 = time.perf_counter(), time.process_time()
        index = MatchIndex.build(records, settings, th, processes=processes)
        build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
        rss_built = _peak_rss_mb()

        t0, c0 = time.perf_counter(), time.process_time()
        # streamed: as a caller writing batches to storage would (nothing is kept)
        n_sugg = sum(1 for _ in index.iter_all()) if stream else len(index.match_all())
        match_s, match_cpu = time.perf_counter() - t0, time.process_time() - c0
        rss_matched = _peak_rss_mb()

    rng = random.Random(seed + 1)
    picks = rng.sample(records, min(incremental, len(records)))
    upsert_ms: list[float] = []
    listing_ms: list[float] = []
    results = 0
    for rec in picks:
        changed = dataclasses.replace(
            rec,
            title=rec.title + " " + rng.choice(("ekstra", "sortert", "tørr", "clean")),
            quantity=(rec.quantity or 10.0) * rng.choice((0.5, 2.0)),
            unit=rec.unit or "t",
        )
        t0 = time.perf_counter()
        index.upsert(changed)
        t1 = time.perf_counter()
        results += len(index.match_listing(rec.listing_id))
        t2 = time.perf_counter()
        upsert_ms.append((t1 - t0) * 1000)
        listing_ms.append((t2 - t1) * 1000)
    return {
        "companies": n_companies,
        "listings": len(records),
        "streamed": stream,
        "processes": processes,
        "generate_s": gen_s,
        "build_s": build_s,
        "match_all_s": match_s,
        "total_s": build_s + match_s,
        "total_cpu_s": build_cpu + match_cpu,
        "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
        "suggestions": n_sugg,
        "rss_records_mb": rss_records,
        "rss_built_mb": rss_built,
        "rss_matched_mb": rss_matched,
        "peak_rss_mb": _peak_rss_mb(),
        "peak_tree_pss_mb": tree.mb,
        "upsert_p50_ms": _pct(upsert_ms, 0.5),
        "match_listing_p50_ms": _pct(listing_ms, 0.5),
        "match_listing_p95_ms": _pct(listing_ms, 0.95),
        "match_listing_mean_results": results / max(1, len(picks)),
        "load_avg_1m": os.getloadavg()[0],
    }


def run_naive(n_companies: int, seed: int) -> dict[str, Any]:
    th = Thesaurus.load()
    records = list(generate(n_companies, seed=seed))
    t0 = time.perf_counter()
    pairs = naive_all_pairs(records)
    naive_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = MatchIndex.build(records, MatchSettings(), th)
    n_sugg = len(index.match_all())
    engine_s = time.perf_counter() - t0
    return {
        "companies": n_companies,
        "listings": len(records),
        "naive_s": naive_s,
        "naive_pairs_scored": len(pairs),
        "engine_s": engine_s,
        "engine_suggestions": n_sugg,
        "speedup": naive_s / engine_s if engine_s > 0 else float("inf"),
    }


def _child(args: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, env=env
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated company counts")
    ap.add_argument("--naive-companies", type=int, default=300, help="0 skips the naive baseline")
    ap.add_argument("--incremental", type=int, default=200, help="listings upserted + match_listing'ed")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--stream-from", type=int, default=50_000, help="consume iter_all from this size on")
    ap.add_argument(
        "--processes", type=int, default=2, help="MatchIndex(processes=...) for match_all scoring"
    )
    ap.add_argument("--child", choices=("size", "naive"), help=argparse.SUPPRESS)
    ap.add_argument("--stream", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--sample-memory", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    if args.child == "size":
        print(
            json.dumps(
                run_size(
                    sizes[0], args.seed, args.incremental, args.stream, args.processes, args.sample_memory
                )
            )
        )
        return 0
    if args.child == "naive":
        print(json.dumps(run_naive(sizes[0], args.seed)))
        return 0

    print(
        f"engine on synthetic registries, MatchIndex(processes={args.processes}) "
        "(wall clock; CPU = the benchmark process's user+sys time, workers not included)"
    )
    for n in sizes:
        child_args = ["--child", "size", "--sizes", str(n), "--seed", str(args.seed)]
        child_args += ["--incremental", str(args.incremental), "--processes", str(args.processes)]
        if n >= args.stream_from:
            child_args.append("--stream")
        r = _child(child_args)
        # Sampling the process tree's memory costs CPU (reading /proc/<pid>/smaps_rollup of a
        # 1.5 GB process takes ~16 ms): a second run measures it, and its times are not shown.
        mem_args = [*child_args, "--sample-memory"]
        mem_args[mem_args.index("--incremental") + 1] = "0"
        r["peak_tree_pss_mb"] = _child(mem_args)["peak_tree_pss_mb"]
        what = "iter_all" if r["streamed"] else "match_all"
        print(
            f"  {r['companies']:>7} companies / {r['listings']:>7} listings: "
            f"build+{what} {r['total_s']:6.2f} s (build {r['build_s']:.2f} + {what} {r['match_all_s']:.2f}; "
            f"CPU {r['total_cpu_s']:.2f} s), {r['suggestions']} suggestions\n"
            f"  {'':>7} peak memory of main + workers together {r['peak_tree_pss_mb']:.0f} MB (summed PSS, "
            f"sampled every 0.1 s in a second run);\n  {'':>7} peak RSS main {r['peak_rss_mb']:.0f} MB "
            f"(records {r['rss_records_mb']:.0f}, "
            f"after build {r['rss_built_mb']:.0f}, after {what} {r['rss_matched_mb']:.0f}), "
            f"largest worker {r['children_peak_rss_mb']:.0f} MB\n"
            f"  {'':>7} match_listing right after upsert: p50 {r['match_listing_p50_ms']:.2f} ms, "
            f"p95 {r['match_listing_p95_ms']:.2f} ms over {args.incremental} listings "
            f"(upsert p50 {r['upsert_p50_ms']:.2f} ms, {r['match_listing_mean_results']:.1f} suggestions "
            f"per call); load avg {r['load_avg_1m']:.1f}",
            flush=True,
        )
    if args.naive_companies:
        r = _child(["--child", "naive", "--sizes", str(args.naive_companies), "--seed", str(args.seed)])
        print(
            f"\nnaive baseline on the same {r['companies']} companies ({r['listings']} listings): "
            f"naive {r['naive_s']:.2f} s ({r['naive_pairs_scored']} pairs within the radius scored), "
            f"engine build+match_all {r['engine_s']:.3f} s ({r['engine_suggestions']} suggestions) "
            f"-> speed-up x{r['speedup']:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
