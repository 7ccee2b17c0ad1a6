"""Alembic environment: runs against the engine matchmaker hands over in `attributes`."""

from alembic import context
from sqlmodel import SQLModel

import matchmaker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from matchmaker.db import include_name

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from matchmaker.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
