"""Each service's migrations build exactly the schema its code declares, on PostgreSQL and SQLite."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from haat import migrations
from haat.db import make_engine
from haat.service import discover_services

SERVICES = list(discover_services())


@pytest.mark.parametrize("name", SERVICES)
def test_migrated_postgresql_schema_matches_the_tables_in_code(service, name):
    runtime = service(name)
    with runtime.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), runtime.definition.metadata) == []


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_run_on_sqlite_and_match_too(tmp_path, name):
    definition = discover_services()[name]
    url = f"sqlite:///{tmp_path / (name + '.db')}"
    migrations.upgrade(definition.migrations_dir, url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), definition.metadata) == []
    engine.dispose()
