"""Orders from the marketplaces (haat.connectors.orders): created once per marketplace order, then moved
to what the marketplace reports, newest report first-come: an older report never takes an order back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haat.events.connectors import MarketplaceOrder
from haat.events.envelope import CloudEvent
from haat.events.orders import OrderCreatedV1, OrderLine
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import CREATED
from haat_orders.service_layer.transitions import MARKETPLACE, load_for_update, save

# The first report's time is set after the moves, so a newer report of the same order still applies.
NOT_YET_REPORTED = datetime.min.replace(tzinfo=UTC)


def on_marketplace_order(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    """received, updated and cancelled alike: each carries the whole order as the marketplace has it."""
    order = MarketplaceOrder.model_validate(event.data)
    reported_at = uow.orders.marketplace_reported_at(order.order_key)
    if reported_at is None:
        _create(uow, order)
    elif order.marketplace_updated_at <= reported_at:
        return  # a duplicate or an older report arriving late
    uow.orders.note_marketplace_report(order.order_key, order.marketplace_status, order.marketplace_updated_at)
    ours = load_for_update(uow, order.order_key)
    ours.follow_marketplace(order.status, MARKETPLACE, f"{order.channel}: {order.marketplace_status}")
    save(uow, ours)


def _create(uow: OrdersUnitOfWork, order: MarketplaceOrder) -> None:
    now = datetime.now(UTC)
    total = sum(i.unit_price_paise * i.quantity for i in order.items)
    values: dict[str, Any] = {
        "id": order.order_key, "channel": order.channel, "marketplace_order_id": order.marketplace_order_id,
        "seller_account_id": order.seller_account_id, "clf_id": order.clf_id, "state": CREATED,
        "marketplace_status": order.marketplace_status, "marketplace_updated_at": NOT_YET_REPORTED,
        "purchased_at": order.purchased_at, "ship_by": order.ship_by, "deliver_by": order.deliver_by,
        "buyer_state": order.shipping_address.state, "buyer_city": order.shipping_address.city,
        "buyer_postal_code": order.shipping_address.postal_code, "stock": "pending", "total_paise": total,
        "created_at": now, "updated_at": now,
    }  # fmt: skip
    items = [
        {"sku": i.sku, "title": i.title or i.sku, "quantity": i.quantity, "unit_price_paise": i.unit_price_paise,
         "marketplace_item_id": i.marketplace_item_id}
        for i in order.items
    ]  # fmt: skip
    uow.orders.add(values, items, actor=MARKETPLACE, note=f"received from {order.channel}")
    uow.emit(
        OrderCreatedV1(
            order_id=order.order_key, clf_id=order.clf_id, channel=order.channel,
            items=[OrderLine(sku=i.sku, quantity=i.quantity, unit_price_paise=i.unit_price_paise) for i in order.items],
        )
    )  # fmt: skip
