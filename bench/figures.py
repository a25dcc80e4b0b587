"""The figures of `make bench`, each beside the raw limit it is compared with."""

from __future__ import annotations

import os
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
from bench.peer import sp_api_loop
from bench.pipeline import order_pipeline
from bench.read_api import read_api
from bench.stock_latency import stock_change_latency
from bench.webhooks import raw_post_rate, webhook_delivery_rate
from haat.broker import EmbeddedBroker, free_port
from haat.db import make_engine
from haat.events.catalog import ProductSubmittedV1
from haat.events.envelope import new_event
from haat.kafka.admin import ensure_topics
from haat.kafka.producer import make_producer
from haat.messaging.outbox import OutboxRelay
from haat.messaging.tables import add_messaging_tables
from haat.settings import CommonSettings
from haat_testkit.postgres import DatabaseFactory, postgres_server
from haat_testkit.receiver import CountingReceiver

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    target: str
    baseline_unit: str | None = None  # when it is not the figure's own

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


@dataclass(frozen=True)
class Sizes:
    """How much each figure works through: the full run's or the smoke run's."""

    messages: int = 50_000
    pipeline_burst: int = 2_000
    soak_s: float = 600.0
    stock_changes: int = 100
    oversell_orders: int = 20
    read_rows: int = 1_000_000
    listings: int = 10_000
    peer_listings: int = 1_000

    @classmethod
    def quick(cls, messages: int) -> Sizes:
        return cls(
            messages=messages,
            pipeline_burst=100,
            soak_s=10.0,
            stock_changes=10,
            oversell_orders=3,
            read_rows=20_000,
            listings=100,
            peer_listings=150,
        )


def measure_all(*, sizes: Sizes, postgres_url: str | None, progress: Progress) -> list[Figure]:
    messages = sizes.messages
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
        figures += listing_figures(broker.bootstrap_servers, sizes, progress)
        figures += pipeline_figures(Path("var/bench/pipeline").resolve(), sizes, raw_pipe, progress)
        progress(f"stock change → every channel, {sizes.stock_changes} changes at the published quotas")
        stock = stock_change_latency(broker.bootstrap_servers, Path("var/bench"), sizes.stock_changes, progress,
                                     orders=sizes.oversell_orders)  # fmt: skip
        changed = f"stock change → both channels told, p99 (p50 {stock.p50_s * 1000:,.0f} ms)"
        window = (
            f"oversell window: Amazon order → its units off Flipkart, p99 (p50 {stock.window_p50_s * 1000:,.0f} ms)"
        )
        figures += [
            Figure(changed, stock.p99_s * 1000, "ms", "one marketplace round trip + one quota interval",
                   stock.bound_s * 1000, "≤ 200%"),
            Figure(window, stock.window_p99_s * 1000, "ms", "the window polling leaves: one getOrders interval (1/min)",
                   60_000, "≤ 5%"),
        ]  # fmt: skip
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
                progress(f"read API on {sizes.read_rows:,} products and {sizes.read_rows:,} orders (generating them)")
                rows = sizes.read_rows
                for read in read_api(Path("var/bench/read").resolve(), databases.create, rows, progress):
                    figures.append(
                        Figure(f"gateway GET {read.path}, p99 ({rows:,} rows; p50 {read.api_p50_s * 1000:,.1f} ms"
                               f" vs {read.sql_p50_s * 1000:,.1f} ms)", read.api_p99_s * 1000, "ms",
                               "the same query in PostgreSQL", read.sql_p99_s * 1000, "≤ 300%")
                    )  # fmt: skip
    return figures


def cores() -> int:
    return len(os.sched_getaffinity(0))


def listing_figures(bootstrap_servers: str, sizes: Sizes, progress: Progress) -> list[Figure]:
    """Our connector's listing sync against the quota bound, then the same first listings put by a well-known
    peer client in a plain loop, beside our connector putting just those."""
    scale, var = 10.0, Path("var/bench")
    progress(f"listing sync of {sizes.listings:,} products to both sandboxes (quotas x {scale:g})")
    rate, quota, throttled = listing_sync(bootstrap_servers, sizes.listings, scale, var, progress)
    progress(f"python-amazon-sp-api putting {sizes.peer_listings:,} of them, then our connector the same ones")
    peer_rate, peer_throttled = sp_api_loop(sizes.peer_listings, scale, progress)
    ours, _, ours_throttled = listing_sync(bootstrap_servers, sizes.peer_listings, scale, var, progress)
    return [
        Figure(f"listing sync, {sizes.listings:,} products to both sandboxes ({throttled} x 429)", rate,
               "listings/s", f"Amazon put quota x {scale:g}", quota, "≥ 95%, 0 x 429"),
        Figure(f"peer: python-amazon-sp-api loop, {sizes.peer_listings:,} listings to Amazon ({peer_throttled} x 429)",
               peer_rate, "listings/s", f"our connector, the same to both ({ours_throttled} x 429)", ours,
               "(comparison)"),
    ]  # fmt: skip


def pipeline_figures(var: Path, sizes: Sizes, raw_pipe: float, progress: Progress) -> list[Figure]:
    """The order pipeline's sustained rate and latency, and every process's memory during the soak."""
    result = order_pipeline(var, burst_orders=sizes.pipeline_burst, soak_s=sizes.soak_s, progress=progress)
    stages = ", ".join(f"{name} {at * 1000:,.0f}" for name, at in result.stage_p99_s.items())
    figures = [
        Figure("order pipeline: Amazon order → order, stock reserved, Flipkart told, webhook verified",
               result.sustained, "orders/s", "raw produce→consume", raw_pipe, "≥ 5%", baseline_unit="msg/s"),
        Figure(f"order pipeline p99 at half that rate, {result.half_rate:,.1f}/s (p50 {result.p50_s * 1000:,.0f} ms;"
               f" stage p99s ms: {stages})", result.p99_s * 1000, "ms", "the target", 1000.0, "< 100%"),
    ]  # fmt: skip
    cpu = result.cpu_ms_per_order
    busiest = ", ".join(f"{name} {ms:,.0f}" for name, ms in sorted(cpu.items(), key=lambda kv: -kv[1])[:4])
    figures.append(
        Figure(f"CPU per order in the burst, all processes (ms: {busiest})", sum(cpu.values()), "ms",
               f"CPU there is per order at the sustained rate ({cores()} cores)", cores() * 1000 / result.sustained,
               "(diagnosis)")
    )  # fmt: skip
    for process, (first, last, peak) in result.memory.items():
        figures.append(
            Figure(f"memory of {process} over the {sizes.soak_s / 60:,.0f}-minute soak (peak {peak:,.0f} MB)",
                   last, "MB", "its first sixth of the soak", first, "flat: ≤ 110%")
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
                gst_rate_bp=500,
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
