"""A consumer whose database goes away waits for it (no dead letters, no loss) and carries on."""

from __future__ import annotations

import logging

from sqlalchemy import create_engine, func, make_url, select, text

from haat_testkit.catalog_factories import clf_with_shgs, submitted_product
from haat_testkit.waiting import wait_for


def test_a_database_outage_is_waited_out_not_dead_lettered(service, postgres_url, caplog):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    orders = service("orders")
    snapshots = orders.definition.metadata.tables["product_snapshots"]
    database = make_url(orders.settings.database_url).database
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def cut_off(allow: bool) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allow).lower()}'))
            if not allow:
                conn.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"), {"db": database}
                )

    orders.start_workers(relay=False)
    wait_for(lambda: orders.consumers[0].ready.is_set(), what="the consumer to join")
    cut_off(allow=False)
    try:
        with caplog.at_level(logging.WARNING, logger="haat.messaging.consumer"):
            with catalog.unit_of_work() as uow:
                submitted_product(uow)
            catalog.make_relay().drain()
            wait_for(lambda: "database unavailable" in caplog.text, what="the consumer to notice the outage")
    finally:
        cut_off(allow=True)
        admin.dispose()

    def applied() -> int:
        with orders.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(snapshots)) or 0)

    wait_for(applied, timeout_s=30, what="the event to be applied once the database is back")
    assert orders.consumers[0].dead_lettered == 0
    assert orders.consumers[0].processed == 1
