"""Moving an order: the one place a state changes, its history is written and its event emitted."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from haat.events import orders as events
from haat.events.registry import EventData
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import order_history, order_items, orders
from haat_orders.domain.order import next_state
from haat_orders.service_layer import invoicing, settlements

MARKETPLACE = "marketplace"
EVENTS: dict[str, type[events.OrderEvent]] = {
    "accepted": events.OrderAcceptedV1,
    "packed": events.OrderPackedV1,
    "shipped": events.OrderShippedV1,
    "delivered": events.OrderDeliveredV1,
    "cancelled": events.OrderCancelledV1,
    "return_requested": events.OrderReturnRequestedV1,
    "returned": events.OrderReturnedV1,
}


def record_history(uow: UnitOfWork, order_id: str, before: str | None, after: str, actor: str, note: str) -> None:
    seq = uow.session.scalar(
        select(func.coalesce(func.max(order_history.c.seq), 0)).where(order_history.c.order_id == order_id)
    )
    uow.session.execute(
        insert(order_history).values(
            order_id=order_id, seq=(seq or 0) + 1, from_state=before, to_state=after, actor=actor, note=note,
            at=datetime.now(UTC),
        )
    )  # fmt: skip


def apply_action(uow: UnitOfWork, order_id: str, action: str, actor: str, note: str = "", **details: Any) -> str:
    """Move the order (locked) by `action`; raises IllegalTransition naming its current state."""
    row = uow.session.execute(select(orders).where(orders.c.id == order_id).with_for_update()).one()
    target = next_state(row.state, action)
    values: dict[str, Any] = {"state": target, "updated_at": datetime.now(UTC)}
    for name in ("package", "carrier", "tracking_id"):
        if name in details:
            values[name] = details[name]
    uow.session.execute(update(orders).where(orders.c.id == order_id).values(**values))
    record_history(uow, order_id, row.state, target, actor, note)
    items = uow.session.execute(
        select(order_items).where(order_items.c.order_id == order_id).order_by(order_items.c.line)
    )
    lines = [events.OrderLine(sku=i.sku, quantity=i.quantity, unit_price_paise=i.unit_price_paise) for i in items]
    common = {"order_id": order_id, "clf_id": row.clf_id, "channel": row.channel,
              "packaging_house_id": row.packaging_house_id, "items": lines}  # fmt: skip
    extra: dict[str, Any] = {}
    if target == "shipped":
        extra = {"carrier": details.get("carrier") or "", "tracking_id": details.get("tracking_id") or ""}
    elif target == "cancelled":
        extra = {"reason": note}
    elif target == "returned":
        extra = {"restocked": details.get("restocked", True)}
    elif target == "packed":
        package = details.get("package") or {}
        extra = {key: package.get(key) for key in ("weight_grams", "length_cm", "width_cm", "height_cm")}
    event: EventData = EVENTS[target](**common, **extra)
    uow.emit(event)
    if target == "shipped":
        invoicing.issue_when_possible(uow, order_id, "invoice")
    elif target == "delivered":
        settlements.record_sale(uow, order_id)
    elif target == "returned":
        invoicing.issue_when_possible(uow, order_id, "credit_note")
        settlements.record_return(uow, order_id)
    return target
