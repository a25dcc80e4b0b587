"""Marketplace orders, database side: one record per order whatever the duplicates, newest state wins,
and the units of a brand-new order held off every channel until the catalog has reserved them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Literal

from haat.events.connectors import (
    MarketplaceOrderCancelledV1,
    MarketplaceOrderReceivedV1,
    MarketplaceOrderUpdatedV1,
)
from haat.nudge import Nudge
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.domain.listing_sync import RETRY
from haat_connectors.domain.marketplace_order import FetchedOrder, order_key
from haat_connectors.service_layer.catalog_feed import mark_stock_dirty

Recorded = Literal["received", "updated", "cancelled", "ignored"]

# Wakes the sync workers' fetch lanes when a notification has asked for an order to be fetched.
FETCH_REQUESTED = Nudge()


def record_order(uow: ConnectorsUnitOfWork, order: FetchedOrder) -> Recorded:
    now = datetime.now(UTC)
    current = uow.orders.locked(order.order_key)
    values = {
        "status": order.status, "marketplace_status": order.marketplace_status,
        "marketplace_updated_at": order.marketplace_updated_at, "snapshot": order.raw, "updated_at": now,
    }  # fmt: skip
    data = asdict(order)  # the published contract has the same fields
    if current is None:
        row = {"order_key": order.order_key, "channel": order.channel, "account_id": order.seller_account_id,
               "marketplace_order_id": order.marketplace_order_id, "clf_id": order.clf_id, "received_at": now,
               **values}  # fmt: skip
        if not uow.orders.add(row):  # the same order fetched twice at once (a duplicated notification) got in first
            current = uow.orders.locked(order.order_key)
    if current is None:
        uow.emit(MarketplaceOrderReceivedV1.model_validate(data))
        if order.status == "open":
            hold(uow, order.clf_id, order.order_key, [(i.sku, i.quantity) for i in order.items])
            return "received"
        release(uow, order.clf_id, order.order_key)
        if order.status == "cancelled":  # first seen already cancelled: every consumer still hears it
            uow.emit(MarketplaceOrderCancelledV1.model_validate(data))
            return "cancelled"
        return "received"
    if order.marketplace_updated_at <= current.marketplace_updated_at:
        return "ignored"  # a duplicate, or an older state arriving late
    uow.orders.change(order.order_key, values)
    if order.status == "cancelled" and current.status != "cancelled":
        release(uow, order.clf_id, order.order_key)
        uow.emit(MarketplaceOrderCancelledV1.model_validate(data))
        return "cancelled"
    uow.emit(MarketplaceOrderUpdatedV1.model_validate(data))
    return "updated"


def hold(uow: ConnectorsUnitOfWork, clf_id: str, key: str, items: list[tuple[str, int]]) -> None:
    """Keep a new order's units off every channel now (once per order), ahead of the catalog's reservation."""
    if uow.holds.held_for(key):
        return
    quantities: dict[str, int] = {}
    for sku, quantity in items:
        quantities[sku] = quantities.get(sku, 0) + quantity
    if uow.holds.add(key, clf_id, quantities):  # else a concurrent copy of the notification held them
        mark_stock_dirty(uow, clf_id, list(quantities))


def release(uow: ConnectorsUnitOfWork, clf_id: str, key: str) -> None:
    mark_stock_dirty(uow, clf_id, uow.holds.release(key))


def hold_from_notification(
    uow: ConnectorsUnitOfWork, channel: str, clf_id: str, marketplace_order_id: str, items: list[tuple[str, int]]
) -> None:
    key = order_key(channel, marketplace_order_id)
    # Once the order is recorded its hold was taken then (and may since be released by the catalog's
    # reservation): a late or repeated notification must not hold the units a second time.
    if not uow.orders.exists(key):
        hold(uow, clf_id, key, items)


def queue_fetch(uow: ConnectorsUnitOfWork, account_id: str, fetch_id: str) -> None:
    uow.on_commit.append(FETCH_REQUESTED.set)
    uow.fetches.request(account_id, fetch_id)


def due_fetches(uow: ConnectorsUnitOfWork, account_id: str, limit: int) -> list[str]:
    return uow.fetches.due(account_id, limit)


def fetch_done(uow: ConnectorsUnitOfWork, account_id: str, fetch_id: str, requested_before: datetime) -> None:
    uow.fetches.done(account_id, fetch_id, requested_before)


def fetch_failed(uow: ConnectorsUnitOfWork, account_id: str, fetch_id: str) -> None:
    uow.fetches.failed(account_id, fetch_id, RETRY)


def unknown_order(uow: ConnectorsUnitOfWork, channel: str, clf_id: str, marketplace_order_id: str) -> None:
    """The marketplace does not know an order a notification named: drop its hold (a stray notification)."""
    key = order_key(channel, marketplace_order_id)
    if not uow.orders.exists(key):
        release(uow, clf_id, key)
