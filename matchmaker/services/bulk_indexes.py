"""A table's secondary indexes set aside while a bulk write fills it, and built once after.

SQLite keeps every index of a row up to date as the row goes in: the suggestion table's eight
cost its first full recompute at 10,000 companies (323,000 new rows) about 8 s of an 11.5 s
insert, against 3.4 s for the rows alone and 3.1 s to build the eight from them afterwards
(each index is then one sort instead of 323,000 random inserts). Only for SQLite, where the
drop stays inside the writer's transaction and readers keep seeing the indexes of the last
commit; on PostgreSQL a dropped index would lock every reader of the table out until the
commit, and COPY already writes in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlmodel import Session

from matchmaker.db import begin_before_ddl

#: set aside only for a write of at least this many rows, and only into a table that holds
#: fewer rows than are coming: a registry's first match, not a recompute that finds most pairs
#: stored already (there the indexes serve the merge's look-ups and few rows are new)
BULK_INDEX_MIN_ROWS = 10_000
#: SQLite's page cache meanwhile (KiB; its default is 2 MB): each new row's foreign keys are
#: looked up in the listing and company tables, which a large registry's rows spread over
#: hundreds of megabytes
BULK_CACHE_KIB = 65_536


def sets_indexes_aside(session: Session, table: str, incoming: int) -> bool:
    """Whether a write of about `incoming` rows into `table` is one for `indexes_set_aside`."""
    if session.get_bind().dialect.name != "sqlite" or incoming < BULK_INDEX_MIN_ROWS:
        return False
    present = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    return present < incoming


@contextmanager
def indexes_set_aside(session: Session, table: str, aside: bool) -> Iterator[None]:
    """With `aside` (see `sets_indexes_aside`): `table`'s secondary indexes are dropped for
    the writes inside and made again from their own definitions after them, all in the
    caller's transaction, so a write that fails and rolls back leaves them as they were.
    The primary key and unique constraints stay (the writes inside may look rows up by them)."""
    if not aside:
        yield
        return
    begin_before_ddl(session)
    indexes = session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
        "AND sql IS NOT NULL ORDER BY name"), {"table": table}).all()
    for name, _sql in indexes:
        session.execute(text(f'DROP INDEX "{name}"'))
    # on the driver's connection: restored after a failed statement too, which leaves the
    # session refusing statements until it is rolled back
    sqlite = session.connection().connection.dbapi_connection
    cache = int(sqlite.execute("PRAGMA cache_size").fetchone()[0])
    sqlite.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
        for _name, sql in indexes:  # (the schema's own statements, nothing from a user)
            session.execute(text(sql))
    finally:  # the connection goes back to its pool with the cache it had
        sqlite.execute(f"PRAGMA cache_size = {cache}")
