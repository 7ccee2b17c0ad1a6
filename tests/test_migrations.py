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
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
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
