"""The schema comes only from migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from matchmaker import db
from tests.conftest import drop_database, fresh_database_url


def test_migrations_from_empty_up_down_and_up_again(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "migrations")
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"company", "listing", "user", "alembic_version"} <= tables
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                           "include_name": db.include_name})
            assert compare_metadata(context, SQLModel.metadata) == []
        # what the models do not say is there too (a batch migration that rebuilds a table on
        # SQLite drops its triggers and expression indexes: it must make them again)
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
                assert {f"{t}_{w}" for t in db.FTS_TABLES for w in ("insert", "update", "delete")} <= names
                assert set(db.FTS_TABLES) | {i for i in db.EXTRA_INDEXES if "trgm" not in i} <= names
            else:
                names = set(conn.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").scalars())
                assert names >= db.EXTRA_INDEXES
        db.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        db.upgrade(engine)
        assert "listing" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        drop_database(url)


def test_init_db_command_is_idempotent(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "up to date" in result.output
