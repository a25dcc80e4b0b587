"""Marketplace orders, database side: one record per order whatever the duplicates, newest state wins,
and the units of a brand-new order held off every channel until the catalog has reserved them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from haat.events.connectors import (
    MarketplaceOrder,
    MarketplaceOrderCancelledV1,
    MarketplaceOrderReceivedV1,
    MarketplaceOrderUpdatedV1,
    order_key,
)
from haat.nudge import Nudge
from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.tables import marketplace_orders, order_fetches, stock_holds
from haat_connectors.domain.listing_sync import retry_delay
from haat_connectors.service_layer.catalog_feed import mark_stock_dirty

Recorded = Literal["received", "updated", "cancelled", "ignored"]

# Wakes the sync workers' fetch lanes when a notification has asked for an order to be fetched.
FETCH_REQUESTED = Nudge()


def record_order(uow: UnitOfWork, order: MarketplaceOrder) -> Recorded:
    now = datetime.now(UTC)
    key = marketplace_orders.c.order_key == order.order_key
    current = uow.session.execute(select(marketplace_orders).where(key).with_for_update()).one_or_none()
    values = {
        "status": order.status, "marketplace_status": order.marketplace_status,
        "marketplace_updated_at": order.marketplace_updated_at, "snapshot": order.raw, "updated_at": now,
    }  # fmt: skip
    data = order.model_dump()
    if current is None:
        try:
            with uow.session.begin_nested():
                uow.session.execute(
                    insert(marketplace_orders).values(
                        order_key=order.order_key, channel=order.channel, account_id=order.seller_account_id,
                        marketplace_order_id=order.marketplace_order_id, clf_id=order.clf_id, received_at=now,
                        **values,
                    )
                )  # fmt: skip
        except IntegrityError:  # the same order fetched twice at once (a duplicated notification) got in first
            current = uow.session.execute(select(marketplace_orders).where(key).with_for_update()).one()
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
    uow.session.execute(update(marketplace_orders).where(key).values(**values))
    if order.status == "cancelled" and current.status != "cancelled":
        release(uow, order.clf_id, order.order_key)
        uow.emit(MarketplaceOrderCancelledV1.model_validate(data))
        return "cancelled"
    uow.emit(MarketplaceOrderUpdatedV1.model_validate(data))
    return "updated"


def hold(uow: UnitOfWork, clf_id: str, key: str, items: list[tuple[str, int]]) -> None:
    """Keep a new order's units off every channel now (once per order), ahead of the catalog's reservation."""
    if uow.session.scalar(select(stock_holds.c.order_key).where(stock_holds.c.order_key == key).limit(1)):
        return
    quantities: dict[str, int] = {}
    for sku, quantity in items:
        quantities[sku] = quantities.get(sku, 0) + quantity
    now = datetime.now(UTC)
    for sku, quantity in quantities.items():
        uow.session.execute(
            insert(stock_holds).values(order_key=key, sku=sku, clf_id=clf_id, quantity=quantity, created_at=now)
        )
    mark_stock_dirty(uow, clf_id, list(quantities))


def release(uow: UnitOfWork, clf_id: str, key: str) -> None:
    skus = list(uow.session.scalars(select(stock_holds.c.sku).where(stock_holds.c.order_key == key)))
    if skus:
        uow.session.execute(delete(stock_holds).where(stock_holds.c.order_key == key))
        mark_stock_dirty(uow, clf_id, skus)


def hold_from_notification(
    uow: UnitOfWork, channel: str, clf_id: str, marketplace_order_id: str, items: list[tuple[str, int]]
) -> None:
    key = order_key(channel, marketplace_order_id)
    # Once the order is recorded its hold was taken then (and may since be released by the catalog's
    # reservation): a late or repeated notification must not hold the units a second time.
    if uow.session.scalar(select(marketplace_orders.c.order_key).where(marketplace_orders.c.order_key == key)) is None:
        hold(uow, clf_id, key, items)


def queue_fetch(uow: UnitOfWork, account_id: str, fetch_id: str) -> None:
    key = and_(order_fetches.c.account_id == account_id, order_fetches.c.marketplace_order_id == fetch_id)
    now = datetime.now(UTC)
    uow.on_commit.append(FETCH_REQUESTED.set)
    if uow.session.scalar(select(order_fetches.c.attempts).where(key)) is not None:
        uow.session.execute(update(order_fetches).where(key).values(next_attempt_at=now, attempts=0))
        return
    uow.session.execute(
        insert(order_fetches).values(
            account_id=account_id, marketplace_order_id=fetch_id, requested_at=now, attempts=0, next_attempt_at=now
        )
    )


def due_fetches(uow: UnitOfWork, account_id: str, limit: int) -> list[str]:
    query = (
        select(order_fetches.c.marketplace_order_id)
        .where(order_fetches.c.account_id == account_id, order_fetches.c.next_attempt_at <= datetime.now(UTC))
        .order_by(order_fetches.c.requested_at)
        .limit(limit)
    )
    return list(uow.session.scalars(query))


def fetch_done(uow: UnitOfWork, account_id: str, fetch_id: str, requested_before: datetime) -> None:
    # A notification that came in while fetching asks for a newer state: keep that request.
    uow.session.execute(
        delete(order_fetches).where(
            order_fetches.c.account_id == account_id,
            order_fetches.c.marketplace_order_id == fetch_id,
            order_fetches.c.next_attempt_at <= requested_before,
        )
    )


def fetch_failed(uow: UnitOfWork, account_id: str, fetch_id: str) -> None:
    key = and_(order_fetches.c.account_id == account_id, order_fetches.c.marketplace_order_id == fetch_id)
    attempts = uow.session.scalar(select(order_fetches.c.attempts).where(key)) or 0
    delay = retry_delay(attempts + 1)
    uow.session.execute(
        update(order_fetches).where(key).values(attempts=attempts + 1, next_attempt_at=datetime.now(UTC) + delay)
    )


def unknown_order(uow: UnitOfWork, channel: str, clf_id: str, marketplace_order_id: str) -> None:
    """The marketplace does not know an order a notification named: drop its hold (a stray notification)."""
    key = order_key(channel, marketplace_order_id)
    if uow.session.scalar(select(marketplace_orders.c.order_key).where(marketplace_orders.c.order_key == key)) is None:
        release(uow, clf_id, key)
