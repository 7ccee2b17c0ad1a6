"""The two baselines the engine must beat, as rankings over a labelled set.

* **naive**: geopy ``geodesic`` + rapidfuzz ``token_set_ratio`` on the raw text of every
  compatible pair in radius (``bench/naive.py``);
* **embedding**: the cosine of multilingual-e5-small sentence embeddings of the two
  listing texts (``matchmaker.embedding``), with the same distance share and radius as
  the naive matcher — a plain semantic matcher with no thesaurus and no rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from geopy.distance import geodesic  # type: ignore[import-untyped]

from bench.naive import HALF_DECAY_KM, RADIUS_KM, naive_all_pairs
from matchmaker.embedding import CachedEmbedder, listing_text, load_embedder, with_vectors
from matchmaker.learning.metrics import Ranking
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.roles import pair_type_of

CACHE = Path(__file__).resolve().parent / "results" / "embeddings.npz"


@cache
def cached_embedder() -> CachedEmbedder | None:
    """The embedding model behind the on-disk vector cache, loaded once; None when not installed."""
    inner = load_embedder()
    return None if inner is None else CachedEmbedder(inner, CACHE)


def with_stored_vectors(records: Sequence[ListingRecord]) -> list[ListingRecord]:
    """The records with their sentence vectors, as the service stores them (unchanged when
    the model is not installed)."""
    embedder = cached_embedder()
    return list(records) if embedder is None else with_vectors(records, embedder)


def _ranked(scored: dict[int, list[tuple[float, int]]]) -> Ranking:
    return {lid: [p for _, p in sorted(v, key=lambda t: (-t[0], t[1]))] for lid, v in scored.items()}


def naive_rankings(records: Sequence[ListingRecord]) -> Ranking:
    scored: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for a, b, score in naive_all_pairs(records):
        scored[a].append((score, b))
        scored[b].append((score, a))
    return _ranked(scored)


def embedding_rankings(records: Sequence[ListingRecord]) -> Ranking | None:
    """None when the embedding model is not installed."""
    embedder = cached_embedder()
    if embedder is None:
        return None
    active = [r for r in records if r.active]
    vectors = embedder.embed([listing_text(r.title, r.description) for r in active])
    row = {r.listing_id: i for i, r in enumerate(active)}
    cosine = vectors @ vectors.T
    scored: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for b in active:
        for a in active:
            if a.listing_id == b.listing_id or pair_type_of(a, b) is None:
                continue
            km = None
            if a.has_location and b.has_location:
                km = geodesic((a.lat, a.lon), (b.lat, b.lon)).km
                if km > RADIUS_KM:
                    continue
            closeness = 0.5 if km is None else 0.5 ** (km / HALF_DECAY_KM)
            score = 0.8 * float(cosine[row[a.listing_id], row[b.listing_id]]) + 0.2 * closeness
            scored[a.listing_id].append((score, b.listing_id))
            scored[b.listing_id].append((score, a.listing_id))
    return _ranked(scored)
