"""The figures of `make bench`, each beside the raw limit it is compared with."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from sqlalchemy import MetaData, insert

from bench.imports import bulk_import
from bench.listings import listing_sync
from bench.webhooks import CountingReceiver, raw_post_rate, webhook_delivery_rate
from haat.broker import EmbeddedBroker, free_port
from haat.db import make_engine
from haat.events.catalog import ProductSubmittedV1
from haat.events.envelope import new_event
from haat.kafka.admin import ensure_topics
from haat.kafka.producer import make_producer
from haat.messaging_tables import add_messaging_tables
from haat.outbox import OutboxRelay
from haat.settings import CommonSettings
from haat.testing.postgres import DatabaseFactory, postgres_server

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    target: str

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


def measure_all(*, messages: int, postgres_url: str | None, progress: Progress) -> list[Figure]:
    with EmbeddedBroker(free_port()) as broker:
        settings = CommonSettings(
            kafka_bootstrap_servers=broker.bootstrap_servers,
            kafka_session_timeout_ms=2000,
            kafka_heartbeat_interval_ms=500,
        )
        ensure_topics(settings)
        progress(f"broker on {broker.bootstrap_servers}; raw producer, {messages:,} messages")
        raw_produce = raw_producer_rate(settings, messages)
        progress(f"raw producer: {raw_produce:,.0f} msg/s; raw produce→consume")
        raw_pipe = raw_produce_consume_rate(settings, messages)
        progress(f"raw produce→consume: {raw_pipe:,.0f} msg/s; outbox relay on SQLite")
        relay_sqlite = outbox_relay_rate(settings, "sqlite:///var/bench/outbox.db", messages, progress)
        figures = [
            Figure("raw kafka-python produce→consume", raw_pipe, "msg/s", "raw produce only", raw_produce, "(limit)"),
            Figure("outbox relay, SQLite (embedded run)", relay_sqlite, "msg/s", "raw produce", raw_produce, "≥ 50%"),
        ]
        progress("webhooks: raw aiohttp POST rate, then the delivery job's rate, same receiver")
        webhook_messages = max(200, messages // 10)
        body = _payloads(1)[0][1]
        with CountingReceiver() as receiver:
            raw_post = raw_post_rate(receiver.url, body, webhook_messages)
            delivered = webhook_delivery_rate(Path("var/bench"), body.decode(), webhook_messages, receiver)
        figures.append(
            Figure("webhook deliveries, signed (SQLite)", delivered, "msg/s", "raw aiohttp POST", raw_post, "≥ 60%")
        )
        products = max(100, messages // 25)
        scale = 10.0
        progress(f"listing sync of {products:,} products to both sandboxes (quotas x {scale:g})")
        rate, quota, throttled = listing_sync(broker.bootstrap_servers, products, scale, Path("var/bench"), progress)
        figures.append(
            Figure(
                f"listing sync, {products:,} products to both sandboxes ({throttled} x 429)",
                rate,
                "listings/s",
                f"Amazon put quota x {scale:g}",
                quota,
                "≥ 95%, 0 x 429",
            )
        )
        with _postgres(postgres_url) as databases:
            if databases:
                progress("outbox relay on PostgreSQL")
                relay_pg = outbox_relay_rate(settings, databases.create("haat_bench"), messages, progress)
                figures.append(
                    Figure("outbox relay, PostgreSQL", relay_pg, "msg/s", "raw produce", raw_produce, "≥ 50%")
                )
                rows = max(500, messages // 5)
                imported, inserted, failed = bulk_import(lambda: databases.create("haat_bench"), rows, progress)
                figures.append(
                    Figure(f"bulk import, {rows:,} rows of CSV ({failed} failed), PostgreSQL", imported, "rows/s",
                           "plain INSERTs of the same products", inserted, "≥ 50%")
                )  # fmt: skip
    return figures


@contextmanager
def _postgres(url: str | None) -> Iterator[DatabaseFactory | None]:
    with ExitStack() as stack:
        try:
            maintenance = stack.enter_context(postgres_server())
        except Exception:  # no PostgreSQL here: the SQLite figures still stand
            yield None
            return
        factory = DatabaseFactory(url or maintenance)
        try:
            yield factory
        finally:
            factory.drop_all()


def _events(messages: int) -> list[tuple[str, str]]:
    """(key, CloudEvent JSON) pairs of ~500 bytes: what the outbox holds and what the raw figures send."""
    pairs = []
    for i in range(messages):
        event = new_event(
            ProductSubmittedV1(
                sku=f"SKU-{i}",
                clf_id="clf-bench",
                title_en="Bench product " + "x" * 130,
                hsn_code="2001",
                gst_rate_bp=1200,
                mrp_paise=10000,
                price_paise=9000,
            ),
            service="bench",
        )
        pairs.append((event.subject or event.id, event.model_dump_json()))
    return pairs


def _payloads(messages: int) -> list[tuple[bytes, bytes]]:
    return [(key.encode(), value.encode()) for key, value in _events(messages)]


def raw_producer_rate(settings: CommonSettings, messages: int) -> float:
    topic = f"bench.raw-produce.{uuid.uuid4().hex[:8]}"
    ensure_topics(settings, [topic])
    producer = make_producer(settings, client_id="bench-raw")
    payloads = _payloads(messages)
    started = time.perf_counter()
    for key, value in payloads:
        producer.send(topic, key=key, value=value)
    producer.flush()
    elapsed = time.perf_counter() - started
    producer.close()
    return messages / elapsed


def raw_produce_consume_rate(settings: CommonSettings, messages: int) -> float:
    """Messages per second from the first send until the last one is consumed, consumer running alongside."""
    topic = f"bench.raw-pipe.{uuid.uuid4().hex[:8]}"
    ensure_topics(settings, [topic])
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    received = 0
    done = threading.Event()

    def consume() -> None:
        nonlocal received
        while received < messages:
            for batch in consumer.poll(timeout_ms=200, max_records=5000).values():
                received += len(batch)
        done.set()

    thread = threading.Thread(target=consume, daemon=True)
    producer: KafkaProducer = make_producer(settings, client_id="bench-pipe")
    payloads = _payloads(messages)
    thread.start()
    started = time.perf_counter()
    for key, value in payloads:
        producer.send(topic, key=key, value=value)
    producer.flush()
    if not done.wait(timeout=300):
        raise RuntimeError(f"raw consumer received {received} of {messages}")
    elapsed = time.perf_counter() - started
    producer.close()
    consumer.close()
    return messages / elapsed


def outbox_relay_rate(settings: CommonSettings, database_url: str, messages: int, progress: Progress) -> float:
    """Fill an outbox with real CloudEvents rows, then time the relay draining it to the broker."""
    engine = make_engine(database_url)
    metadata = MetaData()
    outbox, _ = add_messaging_tables(metadata)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    now = datetime.now(UTC)
    rows = [
        {
            "event_id": str(uuid.uuid4()),
            "event_type": "haat.catalog.product.submitted.v1",
            "topic": "haat.catalog.products",
            "key": key,
            "payload": payload,
            "traceparent": None,
            "created_at": now,
        }
        for key, payload in _events(messages)
    ]
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(insert(outbox), rows[start : start + 5000])
    producer = make_producer(settings, client_id="bench-relay")
    relay = OutboxRelay(engine, outbox, producer, batch_size=settings.outbox_batch_size)
    started = time.perf_counter()
    published = 0
    while batch := relay.publish_batch():
        published += batch
        if published % 10000 < batch:
            progress(f"  relay: {published:,}/{messages:,}")
    elapsed = time.perf_counter() - started
    producer.close()
    metadata.drop_all(engine)
    engine.dispose()
    if published != messages:
        raise RuntimeError(f"relay published {published} of {messages}")
    return messages / elapsed
