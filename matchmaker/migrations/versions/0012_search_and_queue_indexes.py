"""indexes for the directory's text search and the review queue's sorts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

The directory's text search (`services.companies.directory`) and the search table's words
(`services.listing_search`) looked for a substring with `LIKE '%…%'` in every row, and the
review queue sorted every suggestion by distance or date for one page (issue 13).

- PostgreSQL: `pg_trgm` GIN indexes on the very expressions the search compares
  (`lower(col)`; `listingsearch.terms` as it is), so the same `LIKE` reads the index. The
  extension is trusted on PostgreSQL >= 13 (the database's owner may create it); an existing
  one is used in whatever schema it lives, a new one goes to `public` (or the current schema
  where there is no `public`), and the operator class is named with its schema, so a
  `search_path` without it (the test suite's schemas) still finds it. The downgrade leaves
  the extension: something else may use it.
- SQLite: FTS5 tables with the trigram tokenizer (SQLite >= 3.34) over the same columns,
  kept in step by triggers; contentless for company and listing text (which goes in with
  `MULTI_FOLDS` folded), `listingsearch` itself as the content of its words. None stores the
  text twice. The search looks its candidates up there and checks them with the `LIKE` of
  before, so it finds exactly what it found.
- Both: indexes in the review queue's sort orders, the `id` tie-break included, so a page
  reads its own rows: `(created_at DESC, id)`, `(updated_at DESC, id)` and `(distance_km,
  id)`, which serves both directions (`services.queue._by_distance` reads the known
  distances and then the unknown ones; one index per direction cost the full recompute's
  inserts 2.3–3.0 s of CPU each at 10k).

None of this is on the models (SQLAlchemy cannot say FTS5 tables or triggers, and alembic
reflects expression indexes poorly); `migrations/env.py` and the migration test leave these
names out of the model comparison (`SCHEMA_EXTRAS` in `matchmaker.db`). A later batch
migration that rebuilds `company`, `listing`, `listingsearch` or `suggestion` on SQLite
drops their triggers and expression indexes: recreate them there
(`tests/test_migrations.py` checks that they exist at head).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# FTS5 table: (content table, its integer key, the columns searched)
FTS_TABLES = {
    'company_fts': ('company', 'id', ('name', 'description', 'industry', 'city')),
    'listing_fts': ('listing', 'id', ('title', 'description')),
    'listingsearch_fts': ('listingsearch', 'listing_id', ('terms',)),
}
# GIN index: (table, the indexed expressions)
TRIGRAM_INDEXES = {
    'ix_company_text_trgm': ('company', ('lower(name)', 'lower(description)', 'lower(industry)',
                                         'lower(city)')),
    'ix_listing_text_trgm': ('listing', ('lower(title)', 'lower(description)')),
    'ix_listingsearch_terms_trgm': ('listingsearch', ('terms',)),
}
QUEUE_INDEXES = {
    'ix_suggestion_distance': ('distance_km', 'id'),
    'ix_suggestion_created_desc': ('created_at DESC', 'id'),
    'ix_suggestion_updated_desc': ('updated_at DESC', 'id'),
}


# The letters whose case fold is two or three characters with a Latin one among them
# ("ß" -> "ss", "ﬁ" -> "fi", "İ" -> "i" and a dot): the company and listing trigram tables hold
# their fold (`str.casefold`), so that a search folded as Python folds finds them
# (`services.text_index`). Written as escapes; each with its fold.
MULTI_FOLDS = tuple((chr(cp), chr(cp).casefold()) for cp in (
    0x00DF, 0x0130, 0x0149, 0x01F0, 0x1E96, 0x1E97, 0x1E98, 0x1E99, 0x1E9A, 0x1E9E,
    0xFB00, 0xFB01, 0xFB02, 0xFB03, 0xFB04, 0xFB05, 0xFB06))


def _folded(value: str) -> str:
    for letter, fold in MULTI_FOLDS:
        value = f"replace({value}, '{letter}', '{fold}')"
    return value


def _sqlite_fts_upgrade() -> None:
    version = tuple(int(part) for part in op.get_bind().exec_driver_sql(
        "SELECT sqlite_version()").scalar().split("."))
    if version < (3, 34):
        raise RuntimeError(f"SQLite {'.'.join(map(str, version))} has no FTS5 trigram tokenizer "
                           "(3.34 or newer is needed)")
    for fts, (table, key, columns) in FTS_TABLES.items():
        # contentless (the text is not stored twice) where the text is folded on the way in;
        # `listingsearch.terms` as it is, with its own table as the content
        fold = _folded if table != 'listingsearch' else (lambda value: value)
        content = "''" if table != 'listingsearch' else f"'{table}', content_rowid='{key}'"
        names = ", ".join(columns)
        new = ", ".join(fold(f"new.{c}") for c in columns)
        old = ", ".join(fold(f"old.{c}") for c in columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content={content}, "
                   "tokenize='trigram')")
        op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts}(rowid, {names}) VALUES (new.{key}, {new}); END")
        op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{key}, {old}); END")
        op.execute(f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {key}, {names} ON {table} "
                   f"WHEN old.{key} IS NOT new.{key} OR {changed} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{key}, {old}); "
                   f"INSERT INTO {fts}(rowid, {names}) VALUES (new.{key}, {new}); END")
        rows = ", ".join(fold(c) for c in columns)
        op.execute(f"INSERT INTO {fts}(rowid, {names}) SELECT {key}, {rows} FROM {table}")


def _postgresql_trigram_upgrade() -> None:
    bind = op.get_bind()
    schema = bind.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'").scalar()
    if schema is None:
        schema = bind.exec_driver_sql(
            "SELECT coalesce((SELECT 'public' FROM pg_namespace WHERE nspname = 'public'), "
            "current_schema())").scalar()
        op.execute(f'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA "{schema}"')
    for name, (table, expressions) in TRIGRAM_INDEXES.items():
        columns = ", ".join(f'({e}) "{schema}".gin_trgm_ops' for e in expressions)
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({columns})")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        _sqlite_fts_upgrade()
    elif dialect == 'postgresql':
        _postgresql_trigram_upgrade()
    for name, columns in QUEUE_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON suggestion ({', '.join(columns)})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in QUEUE_INDEXES:
        op.execute(f"DROP INDEX {name}")
    if dialect == 'sqlite':
        for fts in FTS_TABLES:
            for trigger in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER {fts}_{trigger}")
            op.execute(f"DROP TABLE {fts}")
    elif dialect == 'postgresql':
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX {name}")
