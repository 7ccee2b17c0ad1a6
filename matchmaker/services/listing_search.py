"""The directory's text search in a process without a matching index (a web worker when a
`matchmaker worker` matches).

The query is read as matching reads it (the thesaurus's analyser, no index). SQL first
keeps the active listings whose text holds one of the query's words or a term of a concept
it names (or of a narrower one); only those few are analysed and searched the index's way
(``matching.search``), so a query costs what its candidates cost, not the registry.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from matchmaker.domain.vocab import Membership
from matchmaker.matching.features import DIRECT, Analyser
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.search import MAX_QUERY_CHARS, search_listings
from matchmaker.matching.store import ListingStore
from matchmaker.matching.thesaurus import Thesaurus
from matchmaker.models import Company, Listing

MIN_PATTERN = 3  # shorter words would select half the registry
MAX_PATTERNS = 300
MAX_CANDIDATES = 5000  # listings analysed for one query at most


def _longest_word(term: str) -> str:
    return max(term.casefold().split(), key=len, default="")


@lru_cache(maxsize=512)
def _concept_patterns(thesaurus: Thesaurus, heads: tuple[str, ...]) -> frozenset[str]:
    """Words to look for in the raw text: one per term of the named concepts and of the
    concepts up to two levels narrower (a query for "bark" finds "granbark")."""
    wanted = set(heads) | {c for c in thesaurus.concepts
                           if any(a in heads for a, _ in thesaurus.ancestors(c, 2))}
    words = {_longest_word(term) for c in wanted
             for _, terms in thesaurus.concepts[c].terms_by_lang() for term in terms}
    return frozenset(w for w in words if len(w) >= MIN_PATTERN)


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_listing_ids(session: Session, analyser: Analyser, query: str) -> set[int]:
    """Ids of active listings of approved companies that answer `query`."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return set()
    probe = analyser.analyse(ListingRecord(0, 0, "need", "material", query))
    th = analyser.thesaurus
    direct = [h.concept for h in probe.concepts if h.type == DIRECT]
    heads = tuple(sorted([c for c in direct if not th.is_weak(c)] or direct))
    patterns = set(_concept_patterns(th, heads)) if heads else set()
    patterns |= {w for w in (*query.casefold().split(), *probe.full_text.split()) if len(w) >= MIN_PATTERN}
    if not patterns:
        return set()
    text = func.lower(Listing.title + " " + Listing.description)
    rows = session.exec(
        select(Listing.id, Listing.company_id, Listing.direction, Listing.kind, Listing.title,
               Listing.description)
        .join(Company, col(Company.id) == Listing.company_id)
        .where(col(Listing.active), Company.membership == Membership.APPROVED.value,
               or_(*(text.like(_like(p), escape="\\") for p in sorted(patterns)[:MAX_PATTERNS])))
        .limit(MAX_CANDIDATES)).all()
    if not rows:
        return set()
    store = ListingStore(th, capacity=len(rows))
    store.add_many([analyser.analyse(ListingRecord(r.id, r.company_id, r.direction, r.kind,
                                                   r.title, r.description)) for r in rows])
    return search_listings(analyser, store, query)
