"""Several relay processes on one PostgreSQL outbox: every event is published once, in order per key."""

from __future__ import annotations

import threading
from collections import defaultdict

from haat.events.catalog import ProductSubmittedV1
from haat.kafka.producer import make_producer
from haat_testkit.topic_reader import read_topic
from haat_testkit.waiting import wait_for

EVENTS = 1200
SKUS = 30


def test_concurrent_relays_publish_each_event_once_and_keep_per_key_order(service, broker):
    catalog = service("catalog", outbox_batch_size=50)
    # Events for 30 SKUs, interleaved, each carrying its position in its SKU's sequence.
    for start in range(0, EVENTS, 200):
        with catalog.unit_of_work() as uow:
            for i in range(start, start + 200):
                uow.emit(
                    ProductSubmittedV1(
                        sku=f"SKU-{i % SKUS}",
                        clf_id="clf-1",
                        title_en=f"revision {i // SKUS}",
                        hsn_code="2001",
                        gst_rate_bp=500,
                        mrp_paise=100,
                        price_paise=100 - (i // SKUS) % 50,
                    )
                )
            uow.commit()

    producers = [make_producer(catalog.settings, client_id=f"relay-{n}") for n in range(3)]
    relays = [catalog.make_relay() for _ in producers]
    for relay, producer in zip(relays, producers, strict=True):
        relay.producer = producer
    stop = threading.Event()
    threads = [threading.Thread(target=relay.run, args=(stop,), daemon=True) for relay in relays]
    for thread in threads:
        thread.start()
    wait_for(lambda: relays[0].unsent_count() == 0, timeout_s=60, what="the outbox to drain")
    stop.set()
    for relay in relays:
        relay.wakeup.set()
    for thread in threads:
        thread.join(timeout=10)
    for producer in producers:
        producer.close()

    assert sum(relay.published for relay in relays) == EVENTS
    records = read_topic(broker.bootstrap_servers, "haat.catalog.products", at_least=EVENTS, timeout_s=30)
    assert len(records) == EVENTS, "no event published twice, none lost"
    revisions: dict[bytes, list[int]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        title = record.value.decode().split('"title_en":"revision ')[1].split('"')[0]
        revisions[record.key].append(int(title))
    assert len(revisions) == SKUS
    for key, sequence in revisions.items():
        assert sequence == sorted(sequence), f"{key!r} events out of order"


def test_a_relay_stands_by_while_another_holds_the_outbox(service, broker):
    from sqlalchemy import func, select

    from haat.messaging.outbox import RELAY_LOCK_KEY

    catalog = service("catalog")
    with catalog.unit_of_work() as uow:
        uow.emit(
            ProductSubmittedV1(
                sku="S-1", clf_id="clf-1", title_en="t", hsn_code="2001", gst_rate_bp=0, mrp_paise=1, price_paise=1
            )
        )
        uow.commit()
    relay = catalog.make_relay()
    with catalog.engine.connect() as peer:  # another relay, in the middle of its batch
        peer.begin()
        assert peer.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_KEY)))
        assert relay.publish_batch() == 0, "the standby publishes nothing while the peer works"
        peer.rollback()
    assert relay.publish_batch() == 1
