"""Value chains through the cluster, from the suggestions the engine stored. Pure: no Flask, no DB.

A *link* is one suggestion: its offer side supplies, its need side receives. A *chain* is two to
four links L1..Lk where the company receiving Li supplies Li+1 (it is a processor), no company
appears twice, L1 offers a raw material or a by-product and Lk ends at a need (an end user).
Only goods move along a chain (pair types supply, processing, product — not service); inactive
listings, rejected pairs and pairs that ended without a deal are not used.

A chain is as good as its weakest link; among equals the shorter total distance wins.
The search is bounded so that a 10k-company registry takes seconds, not hours: from each start
it follows only the ``BRANCH`` best links of each company, best-first, and keeps the
``PER_START`` best chains of each length. Best-first by (weakest link, distance) pops chains in
rank order, because adding a link never raises the weakest score nor shortens the distance, so
the first chains found are the best ones and the search can stop early.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Goods flow along these pair types; a service (transport, lab tests) is not a link of a chain.
GOODS_FLOW: frozenset[str] = frozenset({"supply", "processing", "product"})
# A chain ends at a need: "processing" ends at a processor's capability, so it cannot be last.
ENDS_AT_NEED: frozenset[str] = frozenset({"supply", "product"})
# A forward chain starts from what leaves a company anyway: a raw material or a by-product.
START_KINDS: frozenset[str] = frozenset({"material", "by-product"})
# Pairs a person turned down, or that ended without a deal, do not carry goods.
UNUSABLE_STATUSES: frozenset[str] = frozenset({"rejected", "no_deal"})
MIN_LINKS, MAX_LINKS = 2, 4
# Each company has up to ~10 partners per listing; following the 4 best of each keeps a start
# at 4 + 16 + 64 partial chains at most, and the weaker ones rarely make a chain's weakest link.
BRANCH = 4
# Best chains kept per start and per length: a 4-link chain is never better than its own
# 2-link prefix, so a single quota would crowd out every longer chain.
PER_START = 3
# Below the engine's threshold a pair is not suggested at all; the service passes its setting.
DEFAULT_MIN_SCORE = 0.3


@dataclass(frozen=True, slots=True)
class Link:
    """One stored suggestion as a link of a chain (display fields ride along, uncompared)."""

    suggestion_id: int
    offer_listing_id: int
    need_listing_id: int
    offer_company_id: int
    need_company_id: int
    pair_type: str
    score: float
    distance_km: float | None
    status: str = "suggested"
    offer_kind: str = "material"
    need_kind: str = "material"
    active: bool = True  # both listings active
    offer_title: str = field(default="", compare=False)
    need_title: str = field(default="", compare=False)
    reasons: tuple = field(default=(), compare=False)

    @property
    def km(self) -> float:
        return self.distance_km or 0.0


@dataclass(frozen=True, slots=True)
class Chain:
    links: tuple[Link, ...]

    @property
    def weakest(self) -> float:
        return min(link.score for link in self.links)

    @property
    def total_km(self) -> float:
        """Sum of the known distances (an unknown distance counts as nothing)."""
        return sum(link.km for link in self.links)

    @property
    def companies(self) -> tuple[int, ...]:
        return (self.links[0].offer_company_id, *(link.need_company_id for link in self.links))

    @property
    def suggestion_ids(self) -> tuple[int, ...]:
        return tuple(link.suggestion_id for link in self.links)

    def rank_key(self) -> tuple[float, float, tuple[int, ...]]:
        return (-self.weakest, self.total_km, self.suggestion_ids)


def rank(chains: Iterable[Chain]) -> list[Chain]:
    """Best first: weakest link descending, then total distance, then ids (deterministic)."""
    return sorted(chains, key=Chain.rank_key)


def usable(link: Link, min_score: float) -> bool:
    return (link.pair_type in GOODS_FLOW and link.status not in UNUSABLE_STATUSES
            and link.active and link.score >= min_score
            and link.offer_company_id != link.need_company_id)


def _best_first(links: Sequence[Link]) -> list[Link]:
    return sorted(links, key=lambda x: (-x.score, x.km, x.suggestion_id))


class ChainGraph:
    """The usable links, indexed both ways and sorted best first once."""

    def __init__(self, links: Iterable[Link], min_score: float = DEFAULT_MIN_SCORE) -> None:
        out_c: dict[int, list[Link]] = defaultdict(list)
        out_l: dict[int, list[Link]] = defaultdict(list)
        in_c: dict[int, list[Link]] = defaultdict(list)
        in_l: dict[int, list[Link]] = defaultdict(list)
        for link in links:
            if usable(link, min_score):
                out_c[link.offer_company_id].append(link)
                out_l[link.offer_listing_id].append(link)
                in_c[link.need_company_id].append(link)
                in_l[link.need_listing_id].append(link)
        self.out_by_company = {k: _best_first(v) for k, v in out_c.items()}
        self.out_by_listing = {k: _best_first(v)[:BRANCH] for k, v in out_l.items()}
        self.in_by_company = {k: _best_first(v) for k, v in in_c.items()}
        self.in_by_listing = {k: _best_first(v)[:BRANCH] for k, v in in_l.items()}

    # --- forward: from an offered raw material or by-product to its users --------------------

    def start_listings(self) -> list[int]:
        """Offers a forward chain can start from, in id order."""
        return sorted(lid for lid, links in self.out_by_listing.items()
                      if links[0].offer_kind in START_KINDS)

    def forward(self, start_listing_ids: Iterable[int] | None = None) -> list[Chain]:
        """The best chains from each start (all raw-material and by-product offers by default)."""
        starts = self.start_listings() if start_listing_ids is None else start_listing_ids
        found: list[Chain] = []
        for listing_id in starts:
            first = self.out_by_listing.get(listing_id, [])
            if first and first[0].offer_kind in START_KINDS:
                found.extend(self._search(first, forward=True))
        return rank(found)

    # --- reverse: from a need back to the raw materials that could supply it locally ---------

    def reverse(self, need_listing_ids: Iterable[int]) -> list[Chain]:
        found: list[Chain] = []
        for listing_id in need_listing_ids:
            last = [x for x in self.in_by_listing.get(listing_id, [])
                    if x.pair_type in ENDS_AT_NEED]
            found.extend(self._search(last, forward=False))
        return rank(found)

    def _search(self, seeds: Sequence[Link], forward: bool) -> list[Chain]:
        """Best-first growth of the seed links, ``PER_START`` chains per length at most."""
        heap: list[tuple[float, float, int, tuple[Link, ...]]] = []
        seq = 0
        for link in seeds:
            heap.append((-link.score, link.km, seq, (link,)))
            seq += 1
        heapq.heapify(heap)
        kept: dict[int, list[Chain]] = {n: [] for n in range(MIN_LINKS, MAX_LINKS + 1)}
        while heap:
            neg_weakest, km, _seq, links = heapq.heappop(heap)
            n = len(links)
            if n >= MIN_LINKS and len(kept[n]) < PER_START and self._complete(links):
                kept[n].append(Chain(links))
            if n == MAX_LINKS or all(len(kept[m]) >= PER_START for m in range(n + 1, MAX_LINKS + 1)):
                continue
            for link in self._next(links, forward):
                heapq.heappush(heap, (max(neg_weakest, -link.score), km + link.km, seq,
                                      (*links, link) if forward else (link, *links)))
                seq += 1
        return [chain for chains in kept.values() for chain in chains]

    @staticmethod
    def _complete(links: tuple[Link, ...]) -> bool:
        return links[0].offer_kind in START_KINDS and links[-1].pair_type in ENDS_AT_NEED

    def _next(self, links: tuple[Link, ...], forward: bool) -> list[Link]:
        """The ``BRANCH`` best links that extend the chain without visiting a company twice."""
        seen = {links[0].offer_company_id, *(x.need_company_id for x in links)}
        if forward:
            candidates = self.out_by_company.get(links[-1].need_company_id, ())
            key = "need_company_id"
        else:
            candidates = self.in_by_company.get(links[0].offer_company_id, ())
            key = "offer_company_id"
        out: list[Link] = []
        for link in candidates:
            if getattr(link, key) not in seen:
                out.append(link)
                if len(out) == BRANCH:
                    break
        return out


def find_chains(links: Iterable[Link], min_score: float = DEFAULT_MIN_SCORE) -> list[Chain]:
    """Every forward chain of the registry, best first."""
    return ChainGraph(links, min_score).forward()


def chains_to(links: Iterable[Link], need_listing_ids: Iterable[int],
              min_score: float = DEFAULT_MIN_SCORE) -> list[Chain]:
    """The chains that could supply these needs locally, best first."""
    return ChainGraph(links, min_score).reverse(need_listing_ids)


def involving(chains: Iterable[Chain], company_id: int) -> list[Chain]:
    return [c for c in chains if company_id in c.companies]
