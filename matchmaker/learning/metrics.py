"""Ranking quality: where does the true partner land in a listing's own ranked list?

For every true pair (supplier, receiver) the partner's rank is looked up in *both*
listings' lists (the supplier's list of receivers and the receiver's list of suppliers);
each look-up counts once. A partner absent from a list has rank infinity (reciprocal rank
0): silence costs as much as a wrong answer.

*Raw* ranks count every listing above the partner. *Filtered* ranks (the "filtered setting"
of link-prediction evaluation) do not count the listing's other documented partners: a need
with two true suppliers whose lists reads [supplier 2, supplier 1] is answered perfectly, yet
the raw rank of supplier 1 is 2. Both are reported; the raw one is the stricter.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matchmaker.learning.labelled import TruePair

KS: tuple[int, ...] = (1, 5, 10)
Ranking = dict[int, list[int]]  # listing id -> partner listing ids, best first


@dataclass(frozen=True)
class Metrics:
    n: int
    recall: dict[int, float]
    mrr: float

    def line(self, name: str) -> str:
        rec = "  ".join(f"R@{k}={self.recall[k]:.3f}" for k in KS)
        return f"{name:<10} n={self.n:<4} {rec}  MRR={self.mrr:.3f}"


def true_partners(pairs: Sequence[TruePair]) -> dict[int, set[int]]:
    """Every listing's documented partners (for filtered ranks)."""
    out: dict[int, set[int]] = defaultdict(set)
    for p in pairs:
        out[p.offer].add(p.need)
        out[p.need].add(p.offer)
    return out


def ranks(
    ranking: Ranking, pairs: Sequence[TruePair], filter_by: Mapping[int, set[int]] | None = None
) -> list[float]:
    """Rank of the partner in each of the two look-ups per pair (inf when absent); with
    ``filter_by``, the listing's other true partners ranked above it do not count."""
    out: list[float] = []
    for p in pairs:
        for me, partner in ((p.offer, p.need), (p.need, p.offer)):
            lst = ranking.get(me, [])
            if partner not in lst:
                out.append(math.inf)
                continue
            above = lst[: lst.index(partner)]
            others = filter_by.get(me, set()) if filter_by is not None else set()
            out.append(float(1 + sum(1 for x in above if x not in others)))
    return out


def metrics(rank_list: Sequence[float]) -> Metrics:
    n = len(rank_list)
    if n == 0:
        return Metrics(0, dict.fromkeys(KS, 0.0), 0.0)
    recall = {k: sum(1 for r in rank_list if r <= k) / n for k in KS}
    return Metrics(n, recall, sum(1.0 / r for r in rank_list) / n)


def measure(
    ranking: Ranking, pairs: Sequence[TruePair], filter_by: Mapping[int, set[int]] | None = None
) -> Metrics:
    return metrics(ranks(ranking, pairs, filter_by))
