"""Value chains through the cluster, from the suggestions the engine stored. Pure: no Flask, no DB.

A *link* is one suggestion: its offer side supplies, its need side receives. A *chain* is two to
four links L1..Lk where the company receiving Li supplies Li+1 (it is a processor), no company
appears twice, L1 offers a raw material or a by-product and Lk ends at a need (an end user).
Only goods move along a chain (pair types supply, processing, product — not service); inactive
listings, rejected pairs and pairs that ended without a deal are not used.

A chain is as good as its weakest link; among equals the shorter total distance wins.
The search is bounded so that a 10k-company registry takes seconds, not hours: from each start
it follows only the ``BRANCH`` best links of each company (by score) and keeps the
``PER_START`` best chains of each length.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from matchmaker.matching.parallel import gc_paused

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
# at 4 + 16 + 64 + 256 partial chains at most (fewer after the bound in ``_search``), and the
# weaker links would rarely survive as a chain's weakest link anyway.
BRANCH = 4
# Best chains kept per start and per length: a 4-link chain is never better than its own
# 2-link prefix, so a single quota would crowd out every longer chain.
PER_START = 3
# Below the engine's threshold a pair is not suggested at all; the service passes its setting.
# Stored scores are locally scaled (matching.scaling): a pair chosen on its raw score whose
# scaled score falls below the threshold — a weak pair of a listing that matches others
# better — is shown as a suggestion but carries no chain.
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
    weakest: float
    total_km: float  # sum of the known distances (an unknown distance counts as nothing)

    @classmethod
    def of(cls, links: Sequence[Link]) -> Chain:
        links = tuple(links)
        return cls(links, min(x.score for x in links), sum(x.km for x in links))

    @property
    def companies(self) -> tuple[int, ...]:
        return (self.links[0].offer_company_id, *(link.need_company_id for link in self.links))

    @property
    def suggestion_ids(self) -> tuple[int, ...]:
        return tuple(link.suggestion_id for link in self.links)

    def rank_key(self) -> tuple[float, float, tuple[int, ...]]:
        return (-self.weakest, self.total_km, self.suggestion_ids)


def _cheap_key(chain: Chain) -> tuple[float, float]:
    return (-chain.weakest, chain.total_km)


def rank(chains: Iterable[Chain]) -> list[Chain]:
    """Best first: weakest link descending, then total distance, then ids (deterministic).

    Sorted on score and distance, then only runs of equal ones by their ids: the same order as
    one sort on all three, without an id tuple for each of 100,000s of chains."""
    out = sorted(chains, key=_cheap_key)
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and out[j].weakest == out[i].weakest and out[j].total_km == out[i].total_km:
            j += 1
        if j - i > 1:
            out[i:j] = sorted(out[i:j], key=Chain.rank_key)
        i = j
    return out


def usable(link: Link, min_score: float) -> bool:
    return (link.pair_type in GOODS_FLOW and link.status not in UNUSABLE_STATUSES
            and link.active and link.score >= min_score
            and link.offer_company_id != link.need_company_id)


# A chain has visited at most MAX_LINKS companies when it takes its next link: the best
# BRANCH + MAX_LINKS links of a company always leave BRANCH that do not revisit one.
_KEEP = BRANCH + MAX_LINKS


def _best_first_key(x: Link) -> tuple[float, float, int]:
    return (-x.score, x.distance_km or 0.0, x.suggestion_id)


class ChainGraph:
    """The usable links, indexed both ways and sorted best first once."""

    def __init__(self, links: Iterable[Link], min_score: float = DEFAULT_MIN_SCORE) -> None:
        with gc_paused():  # many small acyclic objects: full collections would cost a third
            self._index(links, min_score)

    def _index(self, links: Iterable[Link], min_score: float) -> None:
        out_c: dict[int, list[Link]] = defaultdict(list)
        out_l: dict[int, list[Link]] = defaultdict(list)
        # sorted once, so that every bucket below is filled best first: three stable sorts on
        # one attribute each give the order of ``_best_first_key`` at half the cost of tuples
        ordered = [x for x in links if usable(x, min_score)]
        ordered.sort(key=attrgetter("suggestion_id"))
        ordered.sort(key=Link.km.fget)  # type: ignore[attr-defined]
        ordered.sort(key=attrgetter("score"), reverse=True)  # stable: ties keep the order above
        self._links = ordered
        for link in ordered:
            out_c[link.offer_company_id].append(link)
            out_l[link.offer_listing_id].append(link)
        self.out_by_company = {k: v[:_KEEP] for k, v in out_c.items()}
        self.out_by_listing = {k: v[:BRANCH] for k, v in out_l.items()}
        self._incoming: tuple[dict[int, list[Link]], dict[int, list[Link]]] | None = None

    @property
    def in_by_company(self) -> dict[int, list[Link]]:
        return self._reverse_index()[0]

    @property
    def in_by_listing(self) -> dict[int, list[Link]]:
        return self._reverse_index()[1]

    def _reverse_index(self) -> tuple[dict[int, list[Link]], dict[int, list[Link]]]:
        """Built on the first reverse search only: the forward search does not need it."""
        if self._incoming is None:
            in_c: dict[int, list[Link]] = defaultdict(list)
            in_l: dict[int, list[Link]] = defaultdict(list)
            for link in self._links:
                in_c[link.need_company_id].append(link)
                in_l[link.need_listing_id].append(link)
            self._incoming = ({k: v[:_KEEP] for k, v in in_c.items()},
                              {k: v[:BRANCH] for k, v in in_l.items()})
        return self._incoming

    # --- forward: from an offered raw material or by-product to its users --------------------

    def start_listings(self) -> list[int]:
        """Offers a forward chain can start from, in id order."""
        return sorted(lid for lid, links in self.out_by_listing.items()
                      if links[0].offer_kind in START_KINDS)

    def forward(self, start_listing_ids: Iterable[int] | None = None) -> list[Chain]:
        """The best chains from each start (all raw-material and by-product offers by default)."""
        starts = self.start_listings() if start_listing_ids is None else start_listing_ids
        found: list[Chain] = []
        with gc_paused():
            for listing_id in starts:
                first = self.out_by_listing.get(listing_id, [])
                if first and first[0].offer_kind in START_KINDS:
                    found.extend(self._search(first, forward=True))
            return rank(found)

    # --- reverse: from a need back to the raw materials that could supply it locally ---------

    def reverse(self, need_listing_ids: Iterable[int]) -> list[Chain]:
        found: list[Chain] = []
        with gc_paused():
            for listing_id in need_listing_ids:
                last = [x for x in self.in_by_listing.get(listing_id, [])
                        if x.pair_type in ENDS_AT_NEED]
                found.extend(self._search(last, forward=False))
            return rank(found)

    def _search(self, seeds: Sequence[Link], forward: bool) -> list[Chain]:
        """The ``PER_START`` best chains of each length growing from the seeds along the
        ``BRANCH`` best links of each company.

        Depth-first, best links first, with a bound: adding a link never raises the weakest
        score nor shortens the distance, so a partial chain that is not better than the
        worst kept chain of every longer length cannot lead to a kept chain and is not
        grown. Without the bound a start costs up to 4 + 16 + 64 + 256 steps."""
        # per length, a min-heap whose root is the worst kept: (weakest, -km, -seq, links)
        kept: list[list[tuple[float, float, int, tuple[Link, ...]]]] = [
            [] for _ in range(MAX_LINKS + 1)]
        adjacency = self.out_by_company if forward else self.in_by_company
        seq = 0

        def better(weakest: float, km: float, heap: list) -> bool:
            worst = heap[0]
            return weakest > worst[0] or (weakest == worst[0] and -km > worst[1])

        def keep(links: tuple[Link, ...], n: int, weakest: float, km: float) -> None:
            nonlocal seq
            if links[0].offer_kind in START_KINDS and links[-1].pair_type in ENDS_AT_NEED:
                heap = kept[n]
                seq += 1
                if len(heap) < PER_START:
                    heapq.heappush(heap, (weakest, -km, -seq, links))
                elif better(weakest, km, heap):
                    heapq.heapreplace(heap, (weakest, -km, -seq, links))

        def grow(links: tuple[Link, ...], companies: tuple[int, ...], n: int, weakest: float,
                 km: float) -> None:
            """Extend a chain of n links (n < MAX_LINKS) that is worth extending."""
            followed = 0
            for link in adjacency.get(companies[-1] if forward else companies[0], ()):
                other = link.need_company_id if forward else link.offer_company_id
                if other in companies:
                    continue
                followed += 1
                if followed > BRANCH:
                    break
                score = link.score
                w = score if score < weakest else weakest
                d = km + (link.distance_km or 0.0)
                # could the child, or a longer chain from it, still be kept? (inlined: hot)
                useful, hopeless = False, True
                for m in range(n + 1, MAX_LINKS + 1):
                    heap = kept[m]
                    if len(heap) < PER_START:
                        useful = True
                        break
                    worst_w, worst_neg_km = heap[0][0], heap[0][1]
                    if w > worst_w or (w == worst_w and -d > worst_neg_km):
                        useful = True
                        break
                    if w == worst_w:
                        hopeless = False  # a later, shorter sibling might still be kept
                if not useful:
                    if hopeless:  # later siblings score no higher: none can be kept
                        break
                    continue
                child = (*links, link) if forward else (link, *links)
                keep(child, n + 1, w, d)
                if n + 1 < MAX_LINKS:
                    grow(child, (*companies, other) if forward else (other, *companies),
                         n + 1, w, d)

        for link in seeds:
            grow((link,), (link.offer_company_id, link.need_company_id), 1, link.score,
                 link.distance_km or 0.0)
        return [Chain(links, weakest, -neg_km) for heap in kept
                for weakest, neg_km, _seq, links in heap]


def find_chains(links: Iterable[Link], min_score: float = DEFAULT_MIN_SCORE) -> list[Chain]:
    """Every forward chain of the registry, best first."""
    return ChainGraph(links, min_score).forward()


def chains_to(links: Iterable[Link], need_listing_ids: Iterable[int],
              min_score: float = DEFAULT_MIN_SCORE) -> list[Chain]:
    """The chains that could supply these needs locally, best first."""
    return ChainGraph(links, min_score).reverse(need_listing_ids)


def involving(chains: Iterable[Chain], company_id: int) -> list[Chain]:
    return [c for c in chains if company_id in c.companies]
