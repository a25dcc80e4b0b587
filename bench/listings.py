"""Listing sync to both sandbox marketplaces against the quota bound: N products ÷ Amazon's put quota."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.runtimes import BenchServices
from haat.events.catalog import ProductPublishedV1, StockChangedV1
from haat.events.envelope import new_event
from haat.service import ServiceRuntime
from haat_connectors.adapters.tables import listings
from haat_testkit.connectors import feed_products, running_connectors, running_sandboxes

AMAZON_PUT_RATE = 5.0  # putListingsItem's published rate per second
CLF = "clf-bench"


def listing_sync(
    bootstrap_servers: str, products: int, quota_scale: float, var: Path, progress: Callable[[str], None]
) -> tuple[float, float, int]:
    """(listings per second per channel, the quota's rate, 429s the sandboxes served)."""
    events: list[Any] = []
    for product in bench_products(products):
        events.append(new_event(product, service="catalog"))
        events.append(new_event(StockChangedV1(
            sku=product.sku, clf_id=CLF, packaging_house_id="ph-bench", on_hand=5, reserved=0, available=5,
            available_total=5, reason="receipt",
        ), service="catalog"))  # fmt: skip
    with (
        BenchServices(var / "connectors", bootstrap_servers) as service,
        running_sandboxes(quota_scale=quota_scale) as sandboxes,
        running_connectors(service, sandboxes, CLF, quota_scale=quota_scale) as connectors,
    ):
        for start in range(0, len(events), 1000):  # short transactions: the sync's own writes go on meanwhile
            feed_products(connectors, events[start : start + 1000])
        progress(f"listing sync: {products:,} products fed; pushing to both sandboxes")
        started = time.monotonic()
        while _live(connectors) < 2 * products:
            time.sleep(0.5)
            if time.monotonic() - started > 20 * products / (AMAZON_PUT_RATE * quota_scale) + 60:
                raise RuntimeError("listing sync did not finish in 20 times the quota bound")
        took = time.monotonic() - started
        throttled = sandboxes.stats("amazon")["429"] + sandboxes.stats("flipkart")["429"]
    return products / took, AMAZON_PUT_RATE * quota_scale, throttled


def bench_products(count: int) -> list[ProductPublishedV1]:
    """The products both the connector and the peer client list: handloom sarees in Hindi and English."""
    return [_saree(n) for n in range(count)]


def _saree(n: int) -> ProductPublishedV1:
    return ProductPublishedV1(
        sku=f"BENCH-{n:05d}", clf_id=CLF, title_en=f"Handloom cotton saree {n}", title_hi=f"हथकरघा सूती साड़ी {n}",
        category="handloom", hsn_code="52085190", gst_rate_bp=500,
        mrp_paise=250000, price_paise=199900, weight_grams=700, status="published",
    )  # fmt: skip


def _live(runtime: ServiceRuntime) -> int:
    with runtime.engine.connect() as conn:
        query = select(func.count()).where(
            listings.c.status == "live", listings.c.content_dirty.is_(False), listings.c.stock_dirty.is_(False)
        )
        return int(conn.execute(query).scalar_one())
