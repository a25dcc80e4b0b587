"""Alembic, driven from code: each service keeps its own `migrations/` folder and version table.

A service's migrations/env.py is just `run_migrations(target_metadata)`; `upgrade()` runs them.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, engine_from_config, pool

from haat.db import normalise_url


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return config


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    from haat.db import make_engine

    # Creates the SQLite file's folder when needed (var/ on a fresh checkout).
    make_engine(database_url).dispose()
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def run_migrations(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode; batch mode so SQLite can alter tables)."""
    config = context.config
    connectable = engine_from_config(
        config.get_section(config.config_ini_section) or {"sqlalchemy.url": config.get_main_option("sqlalchemy.url")},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


def create_messaging_tables() -> None:
    """Used by each service's first migration: the outbox and inbox tables of libs/haat/messaging_tables.py."""
    from alembic import op

    from haat.messaging.tables import add_messaging_tables

    metadata = MetaData()
    for table in add_messaging_tables(metadata):
        table.create(op.get_bind())


def drop_messaging_tables() -> None:
    from alembic import op

    op.drop_table("inbox")
    op.drop_table("outbox")
