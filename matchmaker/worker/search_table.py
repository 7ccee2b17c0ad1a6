"""The ``listingsearch`` table: the directory's text search, kept by the matching workers.

A row holds the concepts a listing names, with their broader ones (``~concept``), and its
normalised words: what ``matching.search`` reads from the index. A web process analyses
the query with the thesaurus alone and asks SQL (``services.listing_search``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from matchmaker.matching.engine import MatchIndex
from matchmaker.matching.features import BROADER1, BROADER2, DIRECT, ListingFeatures
from matchmaker.models import ListingSearch
from matchmaker.services.text_index import bulk_writes, defers_triggers

CONCEPT_MARK = "~"
_NAMED = (DIRECT, BROADER1, BROADER2)
_CHUNK = 5000


def terms(features: ListingFeatures) -> str:
    named = {CONCEPT_MARK + h.concept for h in features.concepts if h.type in _NAMED}
    return " " + " ".join(sorted(named | set(features.full_text.split()))) + " "


def _upsert(session: Session, rows: list[dict]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), _CHUNK):
        statement = insert(ListingSearch).values(rows[start:start + _CHUNK])
        session.execute(statement.on_conflict_do_update(
            index_elements=["listing_id"], set_={"terms": statement.excluded.terms}))


def _delete(session: Session, listing_ids: list[int]) -> None:
    for start in range(0, len(listing_ids), _CHUNK):
        chunk = listing_ids[start:start + _CHUNK]
        session.execute(delete(ListingSearch).where(col(ListingSearch.listing_id).in_(chunk)))


def write(session: Session, index: MatchIndex, listing_ids: Iterable[int]) -> None:
    """The rows of these listings as the index now has them (none for a listing it does not
    hold: inactive, deleted, or of a company not approved). Does not commit."""
    rows, gone = [], []
    for listing_id in listing_ids:
        features = index.features(listing_id)
        if features is None:
            gone.append(listing_id)
        else:
            rows.append({"listing_id": listing_id, "terms": terms(features)})
    _delete(session, gone)
    if rows:
        _upsert(session, rows)


def sync_all(session: Session, index: MatchIndex) -> int:
    """Make the table match a freshly built index (a worker's start): rows that differ are
    written, rows of listings it does not hold removed. Returns the rows changed. Does not
    commit."""
    stored = dict(session.exec(select(ListingSearch.listing_id, ListingSearch.terms)).all())
    store = index.store
    live = store.listing_id[:store.size][store.alive[:store.size]].tolist()
    rows = []
    for listing_id in live:
        text = terms(index.features(listing_id))
        if stored.pop(listing_id, None) != text:
            rows.append({"listing_id": listing_id, "terms": text})
    changed = len(rows) + len(stored)
    # a fresh registry's first sync writes every row: its trigram table is rebuilt once
    with bulk_writes(session, defers_triggers(session, changed, "listingsearch"), ("listingsearch",)):
        if rows:
            _upsert(session, rows)
        _delete(session, list(stored))
    return changed
