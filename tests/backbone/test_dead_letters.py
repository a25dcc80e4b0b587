"""A message that always fails lands in `<topic>.dlq` with its error, the partition moves on, nothing of
the failed attempts is stored, and the dead letter can be replayed once the cause is fixed."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from kafka import KafkaProducer
from sqlalchemy import func, select

from haat.messaging.consumer import ConsumerSpec
from haat.messaging.dead_letters import list_dead_letters, replay_dead_letters
from haat_orders.service_layer.catalog_events import on_product_event
from haat_testkit.catalog_factories import clf_with_shgs, submitted_product
from haat_testkit.waiting import wait_for

SUBMITTED = "haat.catalog.product.submitted.v1"
TOPICS = ("haat.catalog.products",)


def test_always_failing_message_is_dead_lettered_then_replayed(service, broker):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    orders = service("orders", consumer_max_attempts=3)
    snapshots = orders.definition.metadata.tables["product_snapshots"]
    attempts = []

    def broken_handler(uow, event):
        on_product_event(uow, event)  # writes the snapshot, which must be rolled back
        attempts.append(event.id)
        raise RuntimeError("snapshot store is broken")

    # One event that the handler cannot process, and one record that is not an event at all.
    with catalog.unit_of_work() as uow:
        submitted_product(uow)
    catalog.make_relay().drain()
    raw = KafkaProducer(bootstrap_servers=broker.bootstrap_servers)
    raw.send("haat.catalog.products", key=b"junk", value=b"{not json").get(timeout=10)
    raw.close()

    with running(orders, ConsumerSpec("orders.test", TOPICS, {SUBMITTED: broken_handler})) as runner:
        wait_for(lambda: runner.dead_lettered == 2, what="two dead letters")

    assert len(attempts) == 3, "bounded retries: three attempts, then the DLQ"
    with orders.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(snapshots)) == 0
        assert conn.scalar(select(func.count()).select_from(orders.definition.inbox_table)) == 0

    letters = sorted(list_dead_letters(orders.settings, "haat.catalog.products"), key=lambda d: d.key or b"")
    assert [d.key for d in letters] == [b"KHES-DOUBLE", b"junk"]
    assert "RuntimeError: snapshot store is broken" in letters[0].error
    assert "not a valid CloudEvent" in letters[1].error
    assert {d.consumer for d in letters} == {"orders.test"}

    # The cause is fixed (the real handler, same consumer group, which has moved past both records):
    # replaying brings them back; the event is applied once and the junk is dead-lettered again.
    with running(orders, ConsumerSpec("orders.test", TOPICS, {SUBMITTED: on_product_event})) as runner:
        assert replay_dead_letters(orders.settings, "haat.catalog.products", orders.producer) == 2
        wait_for(lambda: _snapshot_count(orders, snapshots) == 1, what="the replayed event to be applied")
        wait_for(lambda: runner.dead_lettered == 1, what="the junk to fail again")
        assert runner.processed == 1


@contextmanager
def running(runtime, spec):
    stop = threading.Event()
    runner = runtime.make_consumer(spec)
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield runner
    finally:
        stop.set()
        thread.join(timeout=10)


def _snapshot_count(runtime, table) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)
