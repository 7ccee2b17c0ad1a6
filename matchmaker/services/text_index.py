"""Substring search through SQLite's FTS5 trigram tables (migration 0012).

The directory compares `lower(col)` (an ASCII query) or `casefold(col)` (any other) with
`LIKE '%query%'`. On PostgreSQL the `pg_trgm` indexes answer that very `LIKE`. On SQLite an
FTS5 table with the trigram tokenizer finds the candidate rows, and the `LIKE` of before then
checks each candidate, so the answer stays exactly what it was, as long as the candidates hold
every true match. They do when the trigram table is asked for pieces of the query that its
own case folding cannot miss:

- An ASCII query matches ASCII text only (SQLite's `lower()` and `LIKE` fold ASCII letters
  alone), and the trigram tokenizer folds ASCII letters as `lower()` does: the whole query is
  one phrase.
- A query beyond ASCII is compared as Python's `str.casefold` folds, which the tokenizer does
  not always do: it folds a character to one character, while casefold turns "ß" into "ss",
  "ﬁ" into "fi", "İ" into "i̇" (these Latin ones, `INDEX_FOLDS`, the triggers write folded
  into the tables), and Python's Unicode tables are newer than SQLite's (Cherokee, Georgian,
  Greek with iota, …). The query is cut at every character such a fold can produce
  (`unsure_characters`); the pieces of three characters or more must all be found (FTS5's
  AND), and the shorter ones are left to the `LIKE`.

A query with no such piece (one or two characters) is answered by the `LIKE` over every row,
as before.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import column, literal_column, table, text
from sqlmodel import Session, select

from matchmaker.db import begin_before_ddl

MIN_PIECE = 3  # the trigram tokenizer finds nothing shorter
CASED_BELOW = 0x20000  # no letter beyond Unicode's first two planes has a case
# Letters the company and listing trigram tables hold case-folded (`str.casefold`: "ß" as
# "ss", "ﬁ" as "fi"), as migration 0012's triggers write them
INDEX_FOLDS = frozenset(chr(cp) for cp in (
    0x00DF, 0x0130, 0x0149, 0x01F0, 0x1E96, 0x1E97, 0x1E98, 0x1E99, 0x1E9A, 0x1E9E,
    0xFB00, 0xFB01, 0xFB02, 0xFB03, 0xFB04, 0xFB05, 0xFB06))


@functools.cache
def unsure_characters() -> frozenset[str]:
    """Characters of a casefolded query at which a trigram look-up might miss a row that the
    `casefold(col) LIKE` finds: every character of `c.casefold()` for each `c` that the running
    SQLite's trigram tokenizer folds differently (asked of it here, once a process),
    the characters it folds although casefold does not, and NUL (no text in a phrase)."""
    changed = []
    for start in range(0, CASED_BELOW, 256):  # a block that casefold leaves alone is skipped whole
        block = "".join(map(chr, range(start, start + 256))).encode("utf-8", "surrogatepass") \
            .decode("utf-8", "ignore")
        if block.casefold() != block:
            changed += [c for c in block if c.casefold() != c]
    outputs = {ch for c in changed for ch in c.casefold()}
    asked = sorted(set(changed) | outputs)
    fold = _trigram_fold(asked)
    unsure = {"\0"}
    for c in changed:
        if c not in INDEX_FOLDS and fold.get(c) != c.casefold():
            unsure.update(c.casefold())
    unsure.update(c for c in outputs if fold.get(c) != c or c.casefold() != c)
    return frozenset(unsure)


def _trigram_fold(characters: list[str]) -> dict[str, str]:
    """How SQLite's FTS5 trigram tokenizer folds each character (by the vocabulary of a table
    holding each character three times: one trigram a row)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        connection.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)",
                               [(i, c * 3) for i, c in enumerate(characters, 1)])
        fold = {}
        for term, row in connection.execute("SELECT term, doc FROM v"):
            if len(term) == 3 and term[0] * 3 == term:
                fold[characters[row - 1]] = term[0]
        return fold
    finally:
        connection.close()


def _phrase(piece: str) -> str:
    return '"' + piece.replace('"', '""') + '"'


def trigram_match(text: str) -> str | None:
    """An FTS5 MATCH expression whose rows include every row where the directory's `LIKE`
    finds `text` (stripped, as the directory strips it), or None when the trigram table cannot
    narrow the search (then every row is checked)."""
    folded = text.casefold()
    if text.isascii():
        pieces = [folded] if "\0" not in folded else []
    else:
        unsure = unsure_characters()
        pieces, piece = [], []
        for ch in folded + "\0":
            if ch in unsure:
                pieces.append("".join(piece))
                piece = []
            else:
                piece.append(ch)
    pieces = [p for p in pieces if len(p) >= MIN_PIECE]
    return " AND ".join(_phrase(p) for p in pieces) if pieces else None


def words_match(words: list[list[str]]) -> str | None:
    """An FTS5 MATCH expression for `listingsearch.terms LIKE '% w %'` terms: any of the
    groups, each with all its words (a group's phrase is " word ", spaces included; SQLite's
    `LIKE` folds ASCII letters only, and the tokenizer folds each character one way, so equal
    text under `LIKE` is equal text to it)."""
    groups = []
    for group in words:
        if not group or any("\0" in w for w in group):
            return None
        groups.append("(" + " AND ".join(_phrase(f" {w} ") for w in group) + ")")
    return " OR ".join(groups) if groups else None


def matching_rowids(fts_table: str, match: str):  # noqa: ANN201 -- a subquery
    """`SELECT rowid FROM fts_table WHERE fts_table MATCH :match`."""
    fts = table(fts_table, column("rowid"))
    return select(fts.c.rowid).where(literal_column(fts_table).op("MATCH")(match))


# -- bulk writes --------------------------------------------------------------------------

#: a write of at least this many listings, and of at least this share of those already
#: there, keeps the trigram tables by one rebuild instead of a trigger a row: the rebuild
#: reads every row (about 3 s for 50k listings and their companies), the triggers cost about
#: three times that for the same rows
BULK_MIN_ROWS, BULK_MIN_SHARE = 1000, 0.5
_TRIGGER_BODY = re.compile(r"\bBEGIN\s+(INSERT INTO \w+\([^)]*\)) VALUES \((.*)\);\s*END\s*$", re.S | re.I)


TEXT_TABLES = ("company", "listing", "listingsearch")  # the tables with a trigram table


def defers_triggers(session: Session, incoming: int, table: str = "listing") -> bool:
    """Whether a write of `incoming` rows of `table` is one for `bulk_writes`."""
    if session.get_bind().dialect.name != "sqlite" or incoming < BULK_MIN_ROWS:
        return False
    present = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    return incoming >= BULK_MIN_SHARE * present


@contextmanager
def bulk_writes(session: Session, defer: bool, tables: tuple[str, ...] = TEXT_TABLES) -> Iterator[None]:
    """With `defer` (SQLite only): the trigram tables' triggers on `tables` are dropped for
    the writes inside, and the trigram tables rebuilt and the triggers made again after them,
    all in the caller's transaction, so a write that fails and rolls back leaves the triggers
    as they were. The rebuild reads each table's insert trigger for what it writes (the fold
    of migration 0012), so the two cannot differ."""
    if not defer:
        yield
        return
    begin_before_ddl(session)
    triggers = [row for row in session.execute(text(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_fts\\_%' "
        "ESCAPE '\\' ORDER BY name")).all() if row[1] in tables]
    for name, _, _ in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for name, table_name, sql in triggers:
        if not name.endswith("_insert"):
            continue
        found = _TRIGGER_BODY.search(sql)
        if found is None:
            raise RuntimeError(f"trigger {name} is not the insert a trigram table is kept by")
        fts = name.removesuffix("_insert")
        head, values = found.groups()
        # names and expressions from the schema itself, none from a user
        if "content=''" in _fts_sql(session, fts).replace(" ", ""):  # contentless: insert each row
            session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')"))  # noqa: S608
            session.execute(text(f"{head} SELECT {values.replace('new.', '')} FROM {table_name}"))  # noqa: S608
        else:  # external content: its own rebuild
            session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))  # noqa: S608
    for _, _, sql in triggers:
        session.execute(text(sql))


def _fts_sql(session: Session, fts: str) -> str:
    return session.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": fts}).scalar_one()
