"""Quality on the labelled sets, tuning part beside the frozen held-out part, engine
beside the naive and the embedding baseline.

    python bench/evaluate.py [--set NAME] [--part tuning] [--by-tag] [--misses] [--no-embedding]
                             [--settings FILE]

Sets (``matchmaker.learning.labelled.SETS``, NAME one of them): ``regional`` — Kongsvinger-style listings
written by hand from domain knowledge; ``symbiosis`` — companies of published
industrial-symbiosis networks, the two sides of each exchange written by different
writers from neutral hints; ``unseen`` — six more networks written the same way, all held
out (made after the engine's rules of 2026.12-4 were settled); ``symbiosis2`` — eight more
networks written the same way, half of them held out (made 2026-12-01); ``symbiosis3`` and
``symbiosis4`` — eight more each, half held out, from which the thesaurus is never extended
(their tuning parts stand for wording the rules were not written for). Metrics: recall@1/5/10 and
MRR over both look-ups of each true pair (``matchmaker.learning.metrics``). The held-out
part is never tuned on: while trying a change, ``--part tuning`` prints the tuning parts only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.baselines import embedding_rankings, naive_rankings, with_stored_vectors  # noqa: E402
from matchmaker.learning.labelled import PARTS, SETS, LabelledSet, load_shipped  # noqa: E402
from matchmaker.learning.metrics import Ranking, measure, ranks, true_partners  # noqa: E402
from matchmaker.learning.rankers import engine_rankings  # noqa: E402
from matchmaker.matching import MatchSettings  # noqa: E402


def rankings(
    ls: LabelledSet, with_embedding: bool = True, settings: MatchSettings | None = None
) -> dict[str, Ranking]:
    """The engine (with the listings' sentence vectors, as the service stores them, when the
    model is installed) and the two baselines."""
    out = {
        "engine": engine_rankings(with_stored_vectors(ls.records), settings),
        "naive": naive_rankings(ls.records),
    }
    if with_embedding:
        emb = embedding_rankings(ls.records)
        if emb is not None:
            out["embedding"] = emb
    return out


def report(
    ls: LabelledSet, ranked: dict[str, Ranking], by_tag: bool, misses: bool, parts: Sequence[str] = PARTS
) -> None:
    print(f"\n== {ls.name}: {len(ls.records)} listings, {len(ls.pairs)} true pairs")
    known = true_partners(ls.pairs)  # filtered ranks: a listing's other true partners do not count
    for part in parts:
        pairs = ls.part(part)
        if not pairs:  # the unseen set is all held out
            continue
        print(f"-- {part} ({len(pairs)} pairs, {2 * len(pairs)} look-ups)")
        for name, ranking in ranked.items():
            filtered = measure(ranking, pairs, known)
            print("   " + measure(ranking, pairs).line(name)
                  + f"  | filtered R@1={filtered.recall[1]:.3f} R@5={filtered.recall[5]:.3f} "
                  f"MRR={filtered.mrr:.3f}")
    if by_tag:
        print("-- by tag (tuning part only)")
        tuning = ls.part("tuning")
        for tag in ls.tags():
            subset = [p for p in tuning if tag in p.tags or p.type == tag]
            if subset:
                cells = "  ".join(
                    f"{name} R@5={m.recall[5]:.2f} MRR={m.mrr:.2f}"
                    for name, m in ((n, measure(r, subset)) for n, r in ranked.items())
                )
                print(f"   {tag:<18} n={2 * len(subset):<4} {cells}")
    if misses:
        print("-- engine misses beyond rank 5 (tuning part only)")
        for p in ls.part("tuning"):
            r = ranks(ranked["engine"], [p])
            if max(r) > 5:
                print(f"   {p.label:<28} offer-side={r[0]:g} need-side={r[1]:g} {p.type} {','.join(p.tags)}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="only this set (repeatable)")
    ap.add_argument("--part", choices=PARTS, action="append", help="only this part (repeatable)")
    ap.add_argument("--by-tag", action="store_true", help="metrics per tag (tuning part)")
    ap.add_argument("--misses", action="store_true", help="true pairs the engine ranks below 5 (tuning part)")
    ap.add_argument("--no-embedding", action="store_true", help="skip the embedding baseline")
    ap.add_argument("--settings", metavar="FILE", help="a settings file (`matchmaker learn --write`)")
    args = ap.parse_args(argv)
    settings = MatchSettings.load(args.settings) if args.settings else MatchSettings()
    print(f"settings {settings.version_label()}")
    for ls in load_shipped(args.set):
        ranked = rankings(ls, not args.no_embedding, settings)
        report(ls, ranked, args.by_tag, args.misses, args.part or PARTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
