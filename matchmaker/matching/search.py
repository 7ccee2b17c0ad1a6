"""Free-text search over the listings of an index, read the way matching reads them.

A query is analysed like a listing (folding, compounds, inflection, typo repair, thesaurus
concepts), so "sawdust" finds "sagflis", "sagfliss" finds it too, and "bark" finds
"granbark". A listing answers when it names one of the query's concepts (or a narrower
one), or when its normalised text holds every normalised word of the query (words the
thesaurus does not know still work).
"""

from __future__ import annotations

import numpy as np

from matchmaker.matching.features import BROADER1, BROADER2, DIRECT, Analyser
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.store import ListingStore

MAX_QUERY_CHARS = 200


def read_query(analyser: Analyser, query: str) -> tuple[list[str], list[str]]:
    """What a query asks for: the concepts it names (heads) and its normalised words; a
    listing answers when it names a head (or a narrower concept) or holds every word."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return [], []
    probe = analyser.analyse(ListingRecord(0, 0, "need", "material", query))
    th = analyser.thesaurus
    direct = [h.concept for h in probe.concepts if h.type == DIRECT]
    # a query naming a head and a qualifier ("granbark") asks for the head, not for everything
    # made of spruce; a query of qualifiers only ("gran") asks for them
    heads = [c for c in direct if not th.is_weak(c)] or direct
    return heads, probe.full_text.split()


def search_listings(analyser: Analyser, store: ListingStore, query: str) -> set[int]:
    """Ids of the live listings in ``store`` that answer ``query`` (empty for an empty query)."""
    heads, query_words = read_query(analyser, query)
    th = analyser.thesaurus
    size = store.size
    alive = store.alive[:size]
    found = np.zeros(size, dtype=bool)
    if heads:
        ids = np.asarray([th.concept_index[c] for c in heads], dtype=np.int32)
        named = np.isin(store.c_ids[:size], ids) & np.isin(store.c_t[:size], (DIRECT, BROADER1, BROADER2))
        found |= named.any(axis=1)
    if query_words:
        texts = store.full_text[:size]
        for slot in np.flatnonzero(alive & ~found).tolist():
            text = texts[slot]
            # a substring test first (C speed): most listings lack a query word altogether
            if all(w in text for w in query_words) and set(query_words) <= set(text.split()):
                found[slot] = True
    return set(store.listing_id[:size][found & alive].tolist())
