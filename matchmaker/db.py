"""Database engine and the per-request session; the schema is managed only by Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import Engine, String, event, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class casefold(GenericFunction):  # noqa: N801  (an SQL function, named as SQL names them)
    """`casefold(text)` in SQL, as Python's `str.casefold` folds it: SQLite's own `lower()`
    leaves Æ, Ø and Å alone, so SQLite runs Python's (registered on every connection);
    PostgreSQL's `lower()` folds them already."""

    type = String()
    inherit_cache = True


@compiles(casefold)
def _casefold_as_lower(element, compiler, **kw) -> str:  # noqa: ANN001, ANN003
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_in_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001, ANN003
    return f"casefold({compiler.process(element.clauses, **kw)})"


def _python_casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


# What migrations make beside the models (0012): SQLite's FTS5 tables (with their shadow
# tables `<name>_data`, `_idx`, `_docsize`, `_config`) and the expression, GIN and sort-order
# indexes SQLAlchemy's models do not say. Left out of the models-against-migrations comparison.
FTS_TABLES = ("company_fts", "listing_fts", "listingsearch_fts")
EXTRA_INDEXES = frozenset({
    "ix_company_text_trgm", "ix_listing_text_trgm", "ix_listingsearch_terms_trgm",
    "ix_suggestion_distance",
    "ix_suggestion_created_desc", "ix_suggestion_updated_desc",
})


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name`: compare everything but `FTS_TABLES` and `EXTRA_INDEXES`."""
    if type_ == "table":
        return not any(name == t or (name or "").startswith(f"{t}_") for t in FTS_TABLES)
    if type_ == "index":
        return name not in EXTRA_INDEXES
    return True


def make_engine(url: str) -> Engine:
    """An engine with the pragmas SQLite needs to behave like a real database."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            dbapi_connection.create_function("casefold", 1, _python_casefold, deterministic=True)

        return engine
    return create_engine(url, pool_pre_ping=True)


def chunks(items: list, size: int = 5000) -> Iterator[list]:
    """Pages of a statement's parameters (drivers and databases limit how many one takes)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def begin_before_ddl(session: Session) -> None:
    """Open the session's transaction now: pysqlite opens it at the first data change, not at
    DDL, so a DROP made before any write would be committed on the spot."""
    session.execute(text("UPDATE listing SET id = id WHERE 0"))


def refresh_planner_statistics(session: Session) -> None:
    """ANALYZE, after a bulk write (a full recompute, a registry's import). SQLite keeps no
    statistics until asked, and without them picks `listing.active`'s index over
    `company_id`'s for a page's listings (19 ms instead of 0.4 at 10,000 companies);
    PostgreSQL's autovacuum would get there, minutes later. In the caller's transaction."""
    session.execute(text("ANALYZE"))


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def get_engine() -> Engine:
    return current_app.extensions["matchmaker_engine"]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask, url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.extensions["matchmaker_engine"] = make_engine(url)
    app.teardown_appcontext(close_session)
