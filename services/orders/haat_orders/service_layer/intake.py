"""Orders from the marketplaces (haat.connectors.orders): created once per marketplace order, then moved
to what the marketplace reports, newest report first-come: an older report never takes an order back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from haat.events.connectors import MarketplaceOrder
from haat.events.envelope import CloudEvent
from haat.events.orders import OrderCreatedV1, OrderLine
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import order_items, orders
from haat_orders.domain.order import CREATED, marketplace_moves
from haat_orders.service_layer.transitions import MARKETPLACE, apply_action, record_history


def on_marketplace_order(uow: UnitOfWork, event: CloudEvent) -> None:
    """received, updated and cancelled alike: each carries the whole order as the marketplace has it."""
    order = MarketplaceOrder.model_validate(event.data)
    row = uow.session.execute(select(orders).where(orders.c.id == order.order_key).with_for_update()).one_or_none()
    if row is None:
        _create(uow, order)
        row = uow.session.execute(select(orders).where(orders.c.id == order.order_key)).one()
    elif order.marketplace_updated_at <= row.marketplace_updated_at:
        return  # a duplicate or an older report arriving late
    uow.session.execute(
        update(orders)
        .where(orders.c.id == order.order_key)
        .values(marketplace_status=order.marketplace_status, marketplace_updated_at=order.marketplace_updated_at)
    )
    state = row.state
    for action in marketplace_moves(state, order.status):
        state = apply_action(uow, order.order_key, action, MARKETPLACE, f"{order.channel}: {order.marketplace_status}")


def _create(uow: UnitOfWork, order: MarketplaceOrder) -> None:
    now = datetime.now(UTC)
    total = sum(i.unit_price_paise * i.quantity for i in order.items)
    values: dict[str, Any] = {
        "id": order.order_key, "channel": order.channel, "marketplace_order_id": order.marketplace_order_id,
        "seller_account_id": order.seller_account_id, "clf_id": order.clf_id, "state": CREATED,
        "marketplace_status": order.marketplace_status,
        # The first report's time is set after the moves, so a newer report of the same order still applies.
        "marketplace_updated_at": datetime.min.replace(tzinfo=UTC), "purchased_at": order.purchased_at,
        "ship_by": order.ship_by, "deliver_by": order.deliver_by, "buyer_state": order.shipping_address.state,
        "buyer_city": order.shipping_address.city, "buyer_postal_code": order.shipping_address.postal_code,
        "stock": "pending", "total_paise": total, "created_at": now, "updated_at": now,
    }  # fmt: skip
    uow.session.execute(insert(orders).values(values))
    for line, item in enumerate(order.items, start=1):
        uow.session.execute(
            insert(order_items).values(
                order_id=order.order_key, line=line, sku=item.sku, title=item.title or item.sku,
                quantity=item.quantity, unit_price_paise=item.unit_price_paise,
                marketplace_item_id=item.marketplace_item_id,
            )
        )  # fmt: skip
    record_history(uow, order.order_key, None, CREATED, MARKETPLACE, f"received from {order.channel}")
    uow.emit(
        OrderCreatedV1(
            order_id=order.order_key, clf_id=order.clf_id, channel=order.channel,
            items=[OrderLine(sku=i.sku, quantity=i.quantity, unit_price_paise=i.unit_price_paise) for i in order.items],
        )
    )  # fmt: skip
