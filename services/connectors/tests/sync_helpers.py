"""Wiring for the sync tests: a connectors service on the test's broker and database, reachable over HTTP
(for the sandboxes' notifications), with seller accounts on both sandboxes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from haat.events.catalog import ProductPublishedV1, StockChangedV1
from haat.events.envelope import new_event
from haat_connectors.adapters.tables import listings
from haat_testkit.connectors import Sandboxes, feed_products, running_connectors

CLF = "clf-kanti"


def connectors_for(service: Any, sandboxes: Sandboxes, *, quota_scale: float = 10, **overrides: Any) -> Any:
    return running_connectors(service, sandboxes, CLF, quota_scale=quota_scale, **overrides)


def product(sku: str, **fields: Any) -> Any:
    data = {
        "sku": sku, "clf_id": CLF, "title_en": f"Mango pickle {sku}", "title_hi": "आम का अचार",
        "category": "pickles", "hsn_code": "2001",
        "gst_rate_bp": 1200, "mrp_paise": 25000, "price_paise": 19900, "weight_grams": 500, "status": "published",
        **fields,
    }  # fmt: skip
    return new_event(ProductPublishedV1(**data), service="catalog")


def stock(sku: str, available: int, order_id: str | None = None) -> Any:
    data = StockChangedV1(
        sku=sku, clf_id=CLF, packaging_house_id="ph-kanti", on_hand=available, reserved=0, available=available,
        available_total=available, reason="receipt", order_id=order_id,
    )  # fmt: skip
    return new_event(data, service="catalog")


def publish(runtime: Any, skus: list[str], quantity: int) -> None:
    events = [product(sku) for sku in skus] + [stock(sku, quantity) for sku in skus]
    feed_products(runtime, events)


def listing_rows(runtime: Any) -> list[Any]:
    with runtime.engine.connect() as conn:
        return list(conn.execute(select(listings)))


def all_live(runtime: Any, count: int) -> bool:
    rows = listing_rows(runtime)
    done = [r for r in rows if r.status == "live" and not r.content_dirty and not r.stock_dirty]
    return len(done) == count


def sync_state(runtime: Any, sandboxes: Sandboxes) -> str:
    """Where the sync stands, for a failure message: listings per channel and state, the accounts' owners
    and leases, and what the sandboxes served."""
    from collections import Counter

    from haat_connectors.adapters.tables import seller_accounts

    rows = listing_rows(runtime)
    states = Counter((r.channel, r.status, r.content_dirty, r.stock_dirty, bool(r.last_error)) for r in rows)
    with runtime.engine.connect() as conn:
        owners = [tuple(r) for r in conn.execute(select(seller_accounts.c.channel, seller_accounts.c.lease_owner,
                                                        seller_accounts.c.lease_until))]  # fmt: skip
    errors = {r.last_error for r in rows if r.last_error}
    served = {channel: dict(sandboxes.stats(channel)) for channel in ("amazon", "flipkart")}
    return f"listings (channel, status, content_dirty, stock_dirty, error): {dict(states)}; accounts: {owners}; " \
           f"errors: {sorted(errors)[:5]}; sandboxes: {served}"  # fmt: skip
