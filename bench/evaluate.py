"""Quality on the labelled evaluation set: recall@1/5/10 and MRR, engine vs naive baseline.

    python bench/evaluate.py [--data tests/data/match_eval.json] [--by-tag] [--misses]

For every true pair (supplier listing, receiving listing) the partner's rank is looked up
in *both* listings' own ranked lists (the supplier's list of receivers and the receiver's
list of suppliers); each look-up counts once. A partner absent from a list has rank
infinity (reciprocal rank 0). The engine's list is ``MatchIndex.ranked_for`` (all
candidates with score >= min_score); the naive list ranks every compatible pair in radius.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.naive import naive_all_pairs  # noqa: E402
from matchmaker.matching import ListingRecord, MatchIndex, MatchSettings, Thesaurus  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data" / "match_eval.json"
KS = (1, 5, 10)


@dataclass
class TruePair:
    offer: int
    need: int
    type: str
    tags: tuple[str, ...] = ()
    label: str = ""


@dataclass
class EvalSet:
    records: list[ListingRecord]
    pairs: list[TruePair]
    names: dict[int, str] = field(default_factory=dict)  # listing id -> "c01/l1"


def records_from_document(data: dict) -> tuple[list[ListingRecord], dict[str, int]]:
    """Listings of an interchange-style document as engine records, with ids 1..n and a map
    from "company-id/listing-id" to those ids (company ids are 1..m in file order)."""
    records: list[ListingRecord] = []
    ids: dict[str, int] = {}
    for ci, company in enumerate(data["companies"], start=1):
        for listing in company["listings"]:
            lid = len(records) + 1
            ids[f"{company['id']}/{listing['id']}"] = lid
            records.append(
                ListingRecord(
                    listing_id=lid,
                    company_id=ci,
                    direction=listing["direction"],
                    kind=listing["kind"],
                    title=listing.get("title") or "",
                    description=listing.get("description") or "",
                    quantity=listing.get("quantity"),
                    unit=listing.get("unit"),
                    frequency=listing.get("frequency"),
                    lat=company.get("lat"),
                    lon=company.get("lon"),
                    active=listing.get("active", True),
                )
            )
    return records, ids


def load_eval(path: str | Path = DEFAULT_DATA) -> EvalSet:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    records, ids = records_from_document(data)
    names = {lid: key for key, lid in ids.items()}
    pairs = [
        TruePair(
            ids[p["offer"]],
            ids[p["need"]],
            p.get("type", ""),
            tuple(p.get("tags", ())),
            f"{p['offer']}->{p['need']}",
        )
        for p in data["true_pairs"]
    ]
    return EvalSet(records, pairs, names)


Ranking = dict[int, list[int]]  # listing id -> partner ids, best first


def engine_rankings(
    ev: EvalSet, settings: MatchSettings | None = None, thesaurus: Thesaurus | None = None
) -> Ranking:
    index = MatchIndex.build(ev.records, settings or MatchSettings(), thesaurus or Thesaurus.load())
    out: Ranking = {}
    for r in ev.records:
        out[r.listing_id] = [
            s.need_listing_id if s.offer_listing_id == r.listing_id else s.offer_listing_id
            for s in index.ranked_for(r.listing_id)
        ]
    return out


def naive_rankings(ev: EvalSet) -> Ranking:
    scored: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for a, b, score in naive_all_pairs(ev.records):
        scored[a].append((score, b))
        scored[b].append((score, a))
    return {lid: [p for _, p in sorted(v, key=lambda t: (-t[0], t[1]))] for lid, v in scored.items()}


@dataclass
class Metrics:
    n: int
    recall: dict[int, float]
    mrr: float

    def line(self, name: str) -> str:
        rec = "  ".join(f"R@{k}={self.recall[k]:.3f}" for k in KS)
        return f"{name:<8} n={self.n:<4} {rec}  MRR={self.mrr:.3f}"


def ranks(ev: EvalSet, ranking: Ranking, pairs: Sequence[TruePair] | None = None) -> list[float]:
    out: list[float] = []
    for p in pairs if pairs is not None else ev.pairs:
        for me, partner in ((p.offer, p.need), (p.need, p.offer)):
            lst = ranking.get(me, [])
            out.append(float(lst.index(partner) + 1) if partner in lst else float("inf"))
    return out


def metrics(rank_list: Sequence[float]) -> Metrics:
    n = len(rank_list)
    if n == 0:
        return Metrics(0, dict.fromkeys(KS, 0.0), 0.0)
    recall = {k: sum(1 for r in rank_list if r <= k) / n for k in KS}
    mrr = sum(1.0 / r for r in rank_list) / n
    return Metrics(n, recall, mrr)


def evaluate(ev: EvalSet, ranker: Callable[[EvalSet], Ranking]) -> Metrics:
    return metrics(ranks(ev, ranker(ev)))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--by-tag", action="store_true", help="metrics per tag of the true pairs")
    ap.add_argument("--misses", action="store_true", help="list true pairs the engine ranks below 5")
    args = ap.parse_args(argv)
    ev = load_eval(args.data)
    rankings = {"engine": engine_rankings(ev), "naive": naive_rankings(ev)}
    print(f"{len(ev.records)} listings, {len(ev.pairs)} true pairs ({2 * len(ev.pairs)} look-ups)")
    for name, ranking in rankings.items():
        print(metrics(ranks(ev, ranking)).line(name))
    if args.by_tag:
        tags = sorted({t for p in ev.pairs for t in p.tags} | {p.type for p in ev.pairs})
        for tag in tags:
            subset = [p for p in ev.pairs if tag in p.tags or p.type == tag]
            for name, ranking in rankings.items():
                print(metrics(ranks(ev, ranking, subset)).line(f"{name}") + f"  [{tag}]")
    if args.misses:
        eng = rankings["engine"]
        for p in ev.pairs:
            r = ranks(ev, eng, [p])
            if max(r) > 5:
                print(
                    f"miss {p.label:<16} ranks offer-side={r[0]:g} need-side={r[1]:g} "
                    f"{p.type} {','.join(p.tags)}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
