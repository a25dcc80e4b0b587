"""The end-to-end order pipeline on the whole embedded system (`haat up`, every service in its own process):
a buyer's order on the Amazon sandbox → order created (orders) → stock reserved (catalog) → the other
channel's quantity updated (Flipkart sandbox) → the partner's webhook delivered and its signature verified.

Each stage is timed where it is seen from outside: the order and reservation events on Kafka (their
publish time, read by a consumer of the bench's own), the quantity Flipkart received (the sandbox's log
of what sellers set, with its wall clock), the webhook at a receiver that verifies it with
`standardwebhooks` as a partner would. An order is through when all four have happened; its latency is
the last of them minus the moment it was placed. CPU time per order is read for every process.

Two phases: first as many orders as the system takes (its sustained rate), then orders at half that rate
for the soak time, for the latency percentiles and, sampled meanwhile, every process's memory.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import aiohttp
import httpx
from kafka import KafkaConsumer, TopicPartition
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from bench.memory import MemorySampler, cpu_seconds
from bench.quantity_updates import QuantityUpdates
from bench.stats import percentile
from haat.events import topics
from haat_connectors.demo import DEMO_CLFS, demo_credentials
from haat_testkit.receiver import CountingReceiver
from haat_testkit.system import RunningSystem, running_system
from haat_testkit.waiting import wait_for

Progress = Callable[[str], None]
QUOTA_SCALE = 100  # the sandboxes' quotas x 100, so that the marketplaces' quotas are not what is measured
SKUS_PER_CLF = 4
STOCK_PER_SKU = 100_000


@dataclass
class Stages:
    placed: dict[str, float] = field(default_factory=dict)  # Haat order id → when the buyer ordered
    listing_of: dict[str, tuple[str, str]] = field(default_factory=dict)  # order → (Amazon seller, sku)
    received: dict[str, float] = field(default_factory=dict)  # the connectors' event: fetched from Amazon
    created: dict[str, float] = field(default_factory=dict)
    reserved: dict[str, float] = field(default_factory=dict)
    delivered: dict[str, float] = field(default_factory=dict)  # webhook verified at the partner
    forged: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def through(self, other_channel: Mapping[str, float]) -> dict[str, float]:
        """Latency of every order that has passed all four stages."""
        done = {}
        for order_id, placed in self.placed.items():
            seen = [self.created.get(order_id), self.reserved.get(order_id), self.delivered.get(order_id),
                    other_channel.get(order_id)]  # fmt: skip
            if all(at is not None for at in seen):
                done[order_id] = max(at for at in seen if at is not None) - placed
        return done


@dataclass(frozen=True)
class PipelineResult:
    sustained: float  # orders/s, all four stages
    half_rate: float
    p50_s: float
    p99_s: float
    stage_p99_s: dict[str, float]
    orders: int
    memory: dict[str, tuple[float, float, float]]  # process → (first sixth MB, last sixth MB, peak MB)
    cpu_ms_per_order: dict[str, float]  # process → CPU milliseconds it spent per order of the burst


def order_pipeline(var: Path, *, burst_orders: int, soak_s: float, progress: Progress) -> PipelineResult:
    settings = {
        "HAAT_CONNECTORS_DEMO_ORDERS_PER_MINUTE": "0",
        "HAAT_CONNECTORS_QUOTA_SCALE": str(QUOTA_SCALE),
        "HAAT_GATEWAY_WEBHOOK_RATE_PER_S": "10000",  # the partner's endpoint takes what it is sent
    }
    progress(f"pipeline: starting the embedded system (haat up, sandbox quotas x {QUOTA_SCALE})")
    shutil.rmtree(var, ignore_errors=True)  # a fresh system: its databases from an earlier run are not reused
    with running_system(var, seed=True, env=settings) as system:
        wait_for(system.demo_sync_settled, timeout_s=600, interval_s=3, what="the demo catalog's sync")
        skus = _stock_up(system, progress)
        stages = Stages()
        flipkart = FlipkartQuantities(system, skus)
        with _webhook_receiver(system, stages), _order_events(system, stages):
            progress(f"pipeline: {burst_orders:,} orders as fast as the sandbox takes them")
            cpu_before = cpu_seconds(system.process.pid)
            burst = _place_orders(system, stages, skus, count=burst_orders, rate=None)
            through = _wait_through(stages, flipkart, burst, progress)
            cpu_after = cpu_seconds(system.process.pid)
            cpu_ms = {name: (cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / len(burst) for name in cpu_after}
            last = max(stages.placed[o] + through[o] for o in burst)
            sustained = len(burst) / (last - min(stages.placed[o] for o in burst))
            half = sustained / 2
            count = max(20, int(half * soak_s))
            progress(f"pipeline: sustained {sustained:,.1f} orders/s; now {count:,} orders at {half:,.1f}/s "
                     f"for {soak_s:,.0f} s, memory sampled")  # fmt: skip
            sampler = MemorySampler(system.process.pid)
            with sampler.sampling(interval_s=max(1.0, soak_s / 120)):
                soaked = _place_orders(system, stages, skus, count=count, rate=half)
                through = _wait_through(stages, flipkart, soaked, progress)
            stage_p99 = _stage_p99(stages, flipkart.reflected(stages), soaked)
        if stages.forged:
            raise RuntimeError(f"{stages.forged} webhook deliveries failed verification")
    latencies = sorted(through[o] for o in soaked)
    return PipelineResult(
        sustained=sustained, half_rate=half, p50_s=statistics.median(latencies),
        p99_s=percentile(latencies, 0.99), stage_p99_s=stage_p99,
        orders=len(burst) + len(soaked), memory=sampler.summary(), cpu_ms_per_order=cpu_ms,
    )  # fmt: skip


def _wait_through(
    stages: Stages, flipkart: FlipkartQuantities, orders: list[str], progress: Progress
) -> dict[str, float]:
    """Wait until every order has passed every stage; their latencies."""
    deadline = time.monotonic() + 120 + len(orders) / 5
    shown = time.monotonic()
    while True:
        through = stages.through(flipkart.reflected(stages))
        done = sum(1 for o in orders if o in through)
        if done == len(orders):
            return through
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{len(orders) - done} of {len(orders)} orders not through: created {len(stages.created)}, "
                f"reserved {len(stages.reserved)}, webhooks {len(stages.delivered)}; Flipkart was told "
                f"{flipkart.summary()}"
            )
        if time.monotonic() - shown > 5:
            progress(f"  pipeline: {done:,}/{len(orders):,} orders through every stage")
            shown = time.monotonic()
        time.sleep(0.5)


def _stage_p99(stages: Stages, other_channel: Mapping[str, float], orders: list[str]) -> dict[str, float]:
    seen = {"received": stages.received, "created": stages.created, "reserved": stages.reserved,
            "other channel": other_channel, "webhook": stages.delivered}  # fmt: skip
    return {name: percentile([at[o] - stages.placed[o] for o in orders], 0.99) for name, at in seen.items()}


class FlipkartQuantities:
    """When Flipkart was told of each Amazon sale: the k-th order of a product is reflected there when the
    quantity the connectors set first drops to (quantity before the run) - k. Read from the sandbox's log
    of the quantities sellers set."""

    def __init__(self, system: RunningSystem, skus: list[tuple[str, str]]) -> None:
        self.log = QuantityUpdates(system.sandbox_url("flipkart"))
        # Several CLFs list the same SKU codes: a listing is (Flipkart seller, sku).
        self.listings = {(_flipkart_seller(seller), sku) for seller, sku in skus}
        self.updates: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
        self.read()
        self.before = {listing: updates[-1][1] for listing, updates in self.updates.items()}
        self.updates.clear()  # from here on: what the run's orders caused

    def read(self) -> None:
        for update in self.log.new():
            listing = (update["seller_id"], update["sku"])
            if listing in self.listings:
                self.updates[listing].append((update["at"], update["quantity"]))

    def summary(self) -> str:
        """Each product's quantity before the run and the quantities Flipkart was told since."""
        return "; ".join(
            f"{seller}/{sku}: {self.before[(seller, sku)]} → {[q for _, q in self.updates[(seller, sku)]]}"
            for seller, sku in sorted(self.listings)
        )

    def reflected(self, stages: Stages) -> dict[str, float]:
        self.read()
        by_listing: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
        with stages.lock:
            for order_id, placed in stages.placed.items():
                seller, sku = stages.listing_of[order_id]
                by_listing[(_flipkart_seller(seller), sku)].append((placed, order_id))
        found = {}
        for listing, orders in by_listing.items():
            updates = iter(self.updates[listing])
            current = next(updates, None)
            for k, (_, order_id) in enumerate(sorted(orders), start=1):
                while current is not None and current[1] > self.before[listing] - k:
                    current = next(updates, None)
                if current is None:
                    break
                found[order_id] = current[0]
        return found


def _auth(system: RunningSystem) -> dict[str, str]:
    return {"Authorization": f"Bearer {system.admin_key}"}


def _stock_up(system: RunningSystem, progress: Progress) -> list[tuple[str, str]]:
    """(seller, sku) of products live on both sandboxes, each given plenty of stock (and the sandboxes
    told of it) so that no order of the run is refused."""
    flipkart = system.sandbox_quantities("flipkart")
    amazon = system.sandbox_quantities("amazon")
    chosen: list[tuple[str, str]] = []
    expected: dict[tuple[str, str], int] = {}  # what both channels must show once told of the receipts
    with httpx.Client(base_url=system.url(), headers=_auth(system), timeout=60) as client:
        for clf_id in DEMO_CLFS:
            amazon_seller, _ = demo_credentials("amazon", clf_id)
            flipkart_seller, _ = demo_credentials("flipkart", clf_id)
            mine = [sku for seller, sku in amazon if seller == amazon_seller]
            both = sorted(sku for sku in mine if (flipkart_seller, sku) in flipkart)
            for sku in both[:SKUS_PER_CLF]:
                stock = client.get(f"/v1/stock/{sku}", params={"clf_id": clf_id})
                stock.raise_for_status()
                house = stock.json()["houses"][0]["packaging_house_id"]
                received = client.post(
                    f"/v1/stock/{sku}/receipts", params={"clf_id": clf_id},
                    json={"packaging_house_id": house, "quantity": STOCK_PER_SKU, "reason": "bench"},
                )  # fmt: skip
                received.raise_for_status()
                chosen.append((amazon_seller, sku))
                expected[(amazon_seller, sku)] = received.json()["available_total"]
    progress(f"pipeline: {len(chosen)} products of {len(DEMO_CLFS)} CLFs stocked; waiting for both channels")

    def stocked() -> bool:
        amazon, flipkart = system.sandbox_quantities("amazon"), system.sandbox_quantities("flipkart")
        return all(
            amazon.get((seller, sku)) == flipkart.get((_flipkart_seller(seller), sku)) == expected[(seller, sku)]
            for seller, sku in chosen
        )

    wait_for(stocked, timeout_s=120, interval_s=1, what="the stock on the sandboxes")
    return chosen


@cache
def _flipkart_seller(amazon_seller: str) -> str:
    clf_id = next(c for c in DEMO_CLFS if demo_credentials("amazon", c)[0] == amazon_seller)
    return demo_credentials("flipkart", clf_id)[0]


@contextmanager
def _webhook_receiver(system: RunningSystem, stages: Stages) -> Iterator[CountingReceiver]:
    """A partner's endpoint subscribed to new orders, verifying every delivery's signature."""
    verifier: list[Webhook] = []

    def record(headers: Mapping[str, str], body: bytes) -> None:
        try:
            payload = verifier[0].verify(body, dict(headers))
        except (WebhookVerificationError, IndexError):
            stages.forged += 1
            return
        order_id = payload.get("data", {}).get("order_id") or payload.get("subject")
        with stages.lock:
            stages.delivered.setdefault(order_id, time.time())

    with CountingReceiver(on_request=record) as receiver:
        created = httpx.post(
            f"{system.url()}/v1/webhooks/endpoints", headers=_auth(system), timeout=30,
            json={"url": receiver.url, "event_types": ["haat.orders.order.created.v1"], "description": "bench"},
        )  # fmt: skip
        created.raise_for_status()
        verifier.append(Webhook(created.json()["secret"]))
        yield receiver


@contextmanager
def _order_events(system: RunningSystem, stages: Stages) -> Iterator[None]:
    """The bench's own consumer of the orders and stock topics: when each order was created and reserved."""
    consumer = KafkaConsumer(bootstrap_servers=system.bootstrap_servers, enable_auto_commit=False)
    partitions = [
        TopicPartition(topic, p)
        for topic in (topics.CONNECTORS_ORDERS, topics.ORDERS_ORDERS, topics.CATALOG_STOCK)
        for p in sorted(consumer.partitions_for_topic(topic) or [])
    ]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)  # the embedded broker's latest offsets are not to be trusted
    stop = threading.Event()

    def consume() -> None:
        while not stop.is_set():
            for records in consumer.poll(timeout_ms=100, max_records=2000).values():
                for record in records:
                    # When the service's relay published it (the producer's timestamp), not when this busy
                    # process got round to reading it.
                    now = record.timestamp / 1000
                    event = json.loads(record.value)
                    data = event.get("data") or {}
                    order_id = data.get("order_id")
                    if event["type"] == "haat.connectors.marketplace_order.received.v1":
                        order_id = f"{data['channel']}-{data['marketplace_order_id']}"
                    if not order_id:
                        continue
                    with stages.lock:
                        if event["type"] == "haat.connectors.marketplace_order.received.v1":
                            stages.received.setdefault(order_id, now)
                        elif event["type"] == "haat.orders.order.created.v1":
                            stages.created.setdefault(order_id, now)
                        elif event["type"] == "haat.catalog.stock.changed.v1" and data.get("reason") == "reservation":
                            stages.reserved.setdefault(order_id, now)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
        consumer.close()


def _place_orders(
    system: RunningSystem, stages: Stages, skus: list[tuple[str, str]], *, count: int, rate: float | None
) -> list[str]:
    """Buyers order one unit each, round the products, at `rate` a second (None: as fast as taken)."""
    url = f"{system.sandbox_url('amazon')}/_sandbox/orders"

    async def run() -> list[str]:
        placed: list[str] = []
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            sem = asyncio.Semaphore(16)

            async def one(n: int) -> None:
                seller, sku = skus[n % len(skus)]
                async with sem:
                    body = {"seller_id": seller, "items": [{"sku": sku, "quantity": 1}]}
                    at = time.time()
                    async with session.post(url, json=body) as answer:
                        if answer.status != 201:
                            raise RuntimeError(f"the sandbox refused an order: {answer.status} {await answer.text()}")
                        order_id = f"amazon-{(await answer.json())['AmazonOrderId']}"
                with stages.lock:
                    stages.placed[order_id] = at
                    stages.listing_of[order_id] = (seller, sku)
                placed.append(order_id)

            tasks = []
            for n in range(count):
                if rate:
                    await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
                tasks.append(asyncio.create_task(one(n)))
            await asyncio.gather(*tasks)
        return placed

    return asyncio.run(run())
