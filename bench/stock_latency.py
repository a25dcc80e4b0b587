"""Stock change → every channel: goods received at a packaging house (the catalog's own use case, committed
with its event in the outbox) until both sandboxes have been told the new quantity, at the marketplaces'
published quotas (x 1). Compared with the least any system could do: one round trip to the marketplace plus
one interval of its slowest quota used (Amazon's patchListingsItem, 5 a second).

Then, in the same setup, the oversell window: an Amazon order placed by a buyer until Flipkart has been told
the quantity without its units (Amazon's notification through the SQS queue, the hold, the stock lane's
push). Compared with the window polling alone would leave: one interval of Amazon's getOrders quota."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.quantity_updates import QuantityUpdates
from bench.runtimes import BenchServices
from bench.stats import percentile
from haat_catalog.adapters.unit_of_work import unit_of_work as catalog_unit_of_work
from haat_catalog.service_layer import stock
from haat_testkit.catalog_factories import ADMIN, clf_with_shgs, published_product
from haat_testkit.connectors import running_connectors, running_sandboxes
from haat_testkit.waiting import wait_for

CLF = "clf-bench"
SLOWEST_QUOTA_INTERVAL_S = 1 / 5.0  # Amazon patchListingsItem


@dataclass(frozen=True)
class StockLatencies:
    p99_s: float  # until both channels show a stock change
    p50_s: float
    bound_s: float  # one round trip + one quota interval
    window_p99_s: float  # Amazon order placed → Flipkart told the quantity without its units
    window_p50_s: float


def stock_change_latency(
    bootstrap_servers: str, var: Path, changes: int, progress: Callable[[str], None], *, orders: int = 20
) -> StockLatencies:
    skus = [f"BENCH-STOCK-{n}" for n in range(5)]
    with BenchServices(var / "stock", bootstrap_servers) as service:
        catalog = service("catalog")
        house, _ = clf_with_shgs(catalog, CLF)
        catalog.start_workers()
        with (
            running_sandboxes(quota_scale=1) as sandboxes,
            running_connectors(service, sandboxes, CLF, quota_scale=1) as _,
        ):
            for sku in skus:
                published_product(catalog, sku=sku, clf_id=CLF)
            progress(f"stock: {len(skus)} products listing on both sandboxes at the published quotas")
            logs = {channel: QuantityLog(sandboxes.url(channel)) for channel in ("amazon", "flipkart")}
            quantities = {sku: 0 for sku in skus}
            latencies = []
            for n in range(changes + len(skus)):
                sku = skus[n % len(skus)]
                quantities[sku] += 1 + n % 3
                started = time.time()
                with catalog_unit_of_work(catalog) as uow:
                    stock.change_stock(uow, ADMIN, sku, CLF, house, "receipt", 1 + n % 3, "bench")
                wanted = quantities[sku]
                arrived = wait_for(
                    _on_every_channel(list(logs.values()), sku, wanted), timeout_s=60, interval_s=0.05,
                    what=f"{sku} at {wanted} on both channels",
                )  # fmt: skip
                if n >= len(skus) and arrived is not None:  # a product's first change also lists it
                    latencies.append(arrived - started)
                time.sleep(SLOWEST_QUOTA_INTERVAL_S)  # one change per quota interval: none waits for another
            progress(f"oversell window: {orders} Amazon orders, each until Flipkart no longer offers its unit")
            windows = []
            for n in range(orders):
                sku = skus[n % len(skus)]
                quantities[sku] -= 1
                started = time.time()
                sandboxes.place_order("amazon", CLF, {sku: 1}).raise_for_status()
                told = wait_for(_on_every_channel([logs["flipkart"]], sku, quantities[sku]), timeout_s=90,
                                interval_s=0.05, what=f"{sku} held off Flipkart")  # fmt: skip
                assert told is not None  # wait_for returns only a truthy answer
                windows.append(told - started)
                time.sleep(SLOWEST_QUOTA_INTERVAL_S)
            round_trip = _round_trip(sandboxes.url("amazon"))
    bound = round_trip + SLOWEST_QUOTA_INTERVAL_S
    return StockLatencies(percentile(latencies, 0.99), statistics.median(latencies), bound,
                          percentile(windows, 0.99), statistics.median(windows))  # fmt: skip


def _on_every_channel(logs: list[QuantityLog], sku: str, quantity: int) -> Callable[[], float | None]:
    """When the last of the channels was told `sku` is at `quantity` (None: not all of them yet)."""

    def arrived() -> float | None:
        seen = [log.when(sku, quantity) for log in logs]
        return None if None in seen else max(at for at in seen if at is not None)

    return arrived


class QuantityLog:
    """When a sandbox was first told each (sku, quantity)."""

    def __init__(self, url: str) -> None:
        self.updates = QuantityUpdates(url)
        self.first: dict[tuple[str, int], float] = {}

    def when(self, sku: str, quantity: int) -> float | None:
        if (sku, quantity) not in self.first:
            for update in self.updates.new():
                self.first.setdefault((update["sku"], update["quantity"]), update["at"])
        return self.first.get((sku, quantity))


def _round_trip(url: str, calls: int = 20) -> float:
    """Median time of one HTTP round trip to the marketplace (the sandbox's health path)."""
    times = []
    with httpx.Client(timeout=10) as client:
        for _ in range(calls):
            started = time.perf_counter()
            client.get(f"{url}/healthz").raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times)
