"""What follows an order's move, wired to the domain event that records it: every move is published as
its integration event (through the outbox, in the same transaction); shipping issues the invoice,
delivery earns the SHG its settlement line, a return issues the credit note and takes the line back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from haat.events import orders as integration
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import (
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderMoved,
    OrderPacked,
    OrderReturned,
    OrderReturnRequested,
    OrderShipped,
)
from haat_orders.service_layer import invoicing, settlements

Handler = Callable[[OrdersUnitOfWork, Any], None]

INTEGRATION_EVENTS: dict[type[OrderMoved], type[integration.OrderEvent]] = {
    OrderAccepted: integration.OrderAcceptedV1,
    OrderPacked: integration.OrderPackedV1,
    OrderShipped: integration.OrderShippedV1,
    OrderDelivered: integration.OrderDeliveredV1,
    OrderCancelled: integration.OrderCancelledV1,
    OrderReturnRequested: integration.OrderReturnRequestedV1,
    OrderReturned: integration.OrderReturnedV1,
}


def publish(uow: OrdersUnitOfWork, moved: OrderMoved) -> None:
    lines = [integration.OrderLine(sku=line.sku, quantity=line.quantity, unit_price_paise=line.unit_price_paise)
             for line in moved.lines]  # fmt: skip
    common = {"order_id": moved.order_id, "clf_id": moved.clf_id, "channel": moved.channel,
              "packaging_house_id": moved.packaging_house_id, "items": lines}  # fmt: skip
    uow.emit(INTEGRATION_EVENTS[type(moved)](**common, **_particulars(moved)))


def _particulars(moved: OrderMoved) -> dict[str, Any]:
    """What the integration event of this kind of move says beyond the order itself."""
    details = moved.details
    if isinstance(moved, OrderShipped):
        return {"carrier": details.get("carrier") or "", "tracking_id": details.get("tracking_id") or ""}
    if isinstance(moved, OrderCancelled):
        return {"reason": moved.note}
    if isinstance(moved, OrderReturned):
        return {"restocked": details.get("restocked", True)}
    if isinstance(moved, OrderPacked):
        package = details.get("package") or {}
        return {key: package.get(key) for key in ("weight_grams", "length_cm", "width_cm", "height_cm")}
    return {}


def issue_invoice(uow: OrdersUnitOfWork, moved: OrderShipped) -> None:
    invoicing.issue_when_possible(uow, moved.order_id, "invoice")


def issue_credit_note(uow: OrdersUnitOfWork, moved: OrderReturned) -> None:
    invoicing.issue_when_possible(uow, moved.order_id, "credit_note")


def record_sale(uow: OrdersUnitOfWork, moved: OrderDelivered) -> None:
    settlements.record_sale(uow, moved.order_id)


def record_return(uow: OrdersUnitOfWork, moved: OrderReturned) -> None:
    settlements.record_return(uow, moved.order_id)


HANDLERS: dict[type[OrderMoved], tuple[Handler, ...]] = {
    OrderAccepted: (publish,),
    OrderPacked: (publish,),
    OrderShipped: (publish, issue_invoice),
    OrderDelivered: (publish, record_sale),
    OrderCancelled: (publish,),
    OrderReturnRequested: (publish,),
    OrderReturned: (publish, issue_credit_note, record_return),
}


def handle(uow: OrdersUnitOfWork, events: Iterable[OrderMoved]) -> None:
    """Run each event's handlers in this transaction, in the order the moves were made."""
    for event in events:
        for handler in HANDLERS[type(event)]:
            handler(uow, event)
