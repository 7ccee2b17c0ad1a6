"""Ranking quality: where does the true partner land in a listing's own ranked list?

For every true pair (supplier, receiver) the partner's rank is looked up in *both*
listings' lists (the supplier's list of receivers and the receiver's list of suppliers);
each look-up counts once. A partner absent from a list has rank infinity (reciprocal rank
0): silence costs as much as a wrong answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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


def ranks(ranking: Ranking, pairs: Sequence[TruePair]) -> list[float]:
    """Rank of the partner in each of the two look-ups per pair (inf when absent)."""
    out: list[float] = []
    for p in pairs:
        for me, partner in ((p.offer, p.need), (p.need, p.offer)):
            lst = ranking.get(me, [])
            out.append(float(lst.index(partner) + 1) if partner in lst else math.inf)
    return out


def metrics(rank_list: Sequence[float]) -> Metrics:
    n = len(rank_list)
    if n == 0:
        return Metrics(0, dict.fromkeys(KS, 0.0), 0.0)
    recall = {k: sum(1 for r in rank_list if r <= k) / n for k in KS}
    return Metrics(n, recall, sum(1.0 / r for r in rank_list) / n)


def measure(ranking: Ranking, pairs: Sequence[TruePair]) -> Metrics:
    return metrics(ranks(ranking, pairs))
