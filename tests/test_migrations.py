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


def test_catalog_upgrade_from_0001_keeps_existing_products_searchable(databases):
    from sqlalchemy import text

    definition = discover_services()["catalog"]
    url = databases.create("haat_upgrade")
    migrations.upgrade(definition.migrations_dir, url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO products (sku, clf_id, title_en, title_hi, hsn_code, gst_rate_bp, mrp_paise, "
                "price_paise, status, created_at) VALUES ('OLD-1', 'clf-1', 'Old Pickle', 'पुराना अचार', '2001', "
                "1200, 100, 90, 'submitted', now())"
            )
        )
    migrations.upgrade(definition.migrations_dir, url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT search_text, category, shg_ids, updated_at FROM products")).one()
    engine.dispose()
    assert "old pickle" in row.search_text
    assert "पुराना अचार" in row.search_text
    assert (row.category, row.shg_ids) == ("general", [])
    assert row.updated_at is not None


def test_gateway_upgrade_seals_webhook_secrets_stored_in_clear(databases):
    from sqlalchemy import text

    from haat.secret_box import SecretBox
    from haat.settings import CommonSettings

    definition = discover_services()["gateway"]
    url = databases.create("haat_upgrade")
    migrations.upgrade(definition.migrations_dir, url, "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO webhook_endpoints (id, owner_key_id, url, description, event_types, secret, enabled, "
                "created_at, updated_at) VALUES ('ep_old', 'k', 'https://example.org/h', '', '[]', "
                "'whsec_b2xkLXNlY3JldA==', true, now(), now())"
            )
        )
    migrations.upgrade(definition.migrations_dir, url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT secret FROM webhook_endpoints")).scalar_one()
    engine.dispose()
    assert not stored.startswith("whsec_")
    assert SecretBox(CommonSettings().encryption_keys).open_text(stored) == "whsec_b2xkLXNlY3JldA=="
