"""The directory's text search in a process without a matching index (a web worker when a
`matchmaker worker` matches).

The query is read as matching reads it (the thesaurus's analyser, no index); the listings'
side was read by the matching workers into ``listingsearch`` (``worker.search_table``), so
the answer is one SQL query (its `LIKE`s read a `pg_trgm` index on PostgreSQL and check the
candidates of an FTS5 trigram table on SQLite: migration 0012). A listing changed a moment
ago is found once a worker has matched it, like its suggestions.
"""

from __future__ import annotations

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from matchmaker.domain.vocab import Membership
from matchmaker.matching.features import Analyser
from matchmaker.matching.search import read_query
from matchmaker.models import Company, Listing, ListingSearch
from matchmaker.services.text_index import matching_rowids, words_match
from matchmaker.worker.search_table import CONCEPT_MARK


def _contains(term: str):  # noqa: ANN202 -- a SQL condition
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(ListingSearch.terms).like(f"% {escaped} %", escape="\\")


def search_listing_ids(session: Session, analyser: Analyser, query: str) -> set[int]:
    """Ids of active listings of approved companies that answer `query`."""
    heads, words = read_query(analyser, query)
    answers = [_contains(CONCEPT_MARK + head) for head in heads]
    if words:
        answers.append(and_(*(_contains(word) for word in words)))
    if not answers:
        return set()
    query = (select(ListingSearch.listing_id)
             .join(Listing, col(Listing.id) == ListingSearch.listing_id)
             .join(Company, col(Company.id) == Listing.company_id)
             .where(col(Listing.active), Company.membership == Membership.APPROVED.value,
                    or_(*answers)))
    if session.get_bind().dialect.name == "sqlite":  # the trigram table names the candidates
        match = words_match([[CONCEPT_MARK + head] for head in heads] + ([words] if words else []))
        if match is not None:
            query = query.where(col(ListingSearch.listing_id).in_(
                matching_rowids("listingsearch_fts", match)))
    return set(session.exec(query))
