"""The broker restarted with nothing in it (the embedded broker keeps everything in memory): what was
published to it and not yet consumed is published again from the outbox, and nothing applies twice."""

from __future__ import annotations

from sqlalchemy import func, select

from haat_testkit.catalog_factories import clf_with_shgs, submitted_product
from haat_testkit.waiting import wait_for


def snapshot_skus(orders) -> list[str]:
    snapshots = orders.definition.metadata.tables["product_snapshots"]
    with orders.engine.connect() as conn:
        return sorted(conn.scalars(select(snapshots.c.sku)))


def inbox_rows(orders) -> int:
    with orders.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(orders.definition.inbox_table)) or 0)


def test_events_the_lost_broker_held_are_published_again_and_applied_once(service, broker):
    catalog = service("catalog", broker_check_interval_s=0.5)
    clf_with_shgs(catalog, announce=False)
    catalog.start_workers(consumers=False)
    orders = service("orders")
    orders.start_workers(relay=False)

    with catalog.unit_of_work() as uow:  # consumed before the loss
        submitted_product(uow, sku="BEFORE-1")
        uow.commit()
    wait_for(lambda: snapshot_skus(orders) == ["BEFORE-1"], what="the first snapshot")
    wait_for(lambda: catalog.broker_watch and catalog.broker_watch.known, what="the watch to know the broker")

    # Published to the broker but never consumed: orders' consumers are stopped first.
    orders.stop()
    with catalog.unit_of_work() as uow:
        submitted_product(uow, sku="LOST-1")
        uow.commit()
    assert catalog.relay is not None
    wait_for(lambda: catalog.relay.unsent_count() == 0, what="the relay to publish LOST-1")

    broker.stop()
    broker.start()
    wait_for(lambda: catalog.broker_watch.replacements == 1, timeout_s=30, what="the watch to notice the loss")
    with catalog.unit_of_work() as uow:  # and the relay publishes to the new broker (a new producer id)
        submitted_product(uow, sku="AFTER-1")
        uow.commit()

    orders = service("orders", database_url=orders.settings.database_url)
    orders.start_workers(relay=False)
    wait_for(lambda: snapshot_skus(orders) == ["AFTER-1", "BEFORE-1", "LOST-1"], timeout_s=60, what="all three")
    wait_for(lambda: orders.consumers[0].duplicates >= 1, what="BEFORE-1 published again and skipped")
    assert inbox_rows(orders) == 3, "each event applied once"
    assert catalog.producer.renewals >= 1


def test_running_consumers_follow_a_replaced_broker(service, broker):
    catalog = service("catalog", broker_check_interval_s=0.5)
    clf_with_shgs(catalog, announce=False)
    catalog.start_workers(consumers=False)
    orders = service("orders", broker_check_interval_s=0.5)
    orders.start_workers()  # its consumers run through the loss, each rejoining the new broker
    with catalog.unit_of_work() as uow:
        submitted_product(uow, sku="BEFORE-1")
        uow.commit()
    wait_for(lambda: snapshot_skus(orders) == ["BEFORE-1"], what="the first snapshot")
    wait_for(lambda: orders.broker_watch.known and catalog.broker_watch.known, what="both watches")

    broker.stop()
    broker.start()
    wait_for(lambda: orders.broker_watch.replacements == 1, timeout_s=30, what="orders to notice the loss")
    with catalog.unit_of_work() as uow:
        submitted_product(uow, sku="AFTER-1")
        uow.commit()
    wait_for(lambda: snapshot_skus(orders) == ["AFTER-1", "BEFORE-1"], timeout_s=60, what="the event after the loss")
    assert inbox_rows(orders) == 2
