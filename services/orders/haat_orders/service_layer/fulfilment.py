"""Use cases of the people who handle orders: see them (scoped) and move them along."""

from __future__ import annotations

from typing import Any

from haat.errors import Conflict, NotAllowed, NotFound
from haat.identity import Caller
from haat_orders.adapters import views
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import IllegalTransition, Order
from haat_orders.service_layer import invoicing
from haat_orders.service_layer.transitions import apply_action

STAFF = ("admin", "service", "coordinator", "fulfilment")


def get_order(uow: OrdersUnitOfWork, caller: Caller, order_id: str) -> dict[str, Any]:
    found = views.order(uow, caller, order_id)
    if found is None:
        raise NotFound("order", order_id)
    return found


def list_orders(uow: OrdersUnitOfWork, caller: Caller, **query: Any) -> dict[str, Any]:
    """The queue, soonest ship-by first (views.order_page has the filters)."""
    return views.order_page(uow, caller, **query)


def _seen(uow: OrdersUnitOfWork, caller: Caller, order_id: str) -> Order:
    order = uow.orders.get(order_id)
    if order is None or not order.seen_by(caller):
        raise NotFound("order", order_id)  # another's order does not exist for the caller
    return order


def act(uow: OrdersUnitOfWork, caller: Caller, order_id: str, action: str, note: str = "", **details: Any) -> None:
    """Move the order along (a command: the caller then reads the order as it now is, `get_order`)."""
    if caller.role not in STAFF:
        raise NotAllowed("forbidden", "only staff can move orders")
    _seen(uow, caller, order_id)
    try:
        apply_action(uow, order_id, action, caller.subject, note, **details)
    except IllegalTransition as refused:
        raise Conflict("illegal-transition", str(refused), current_state=refused.state) from None
    uow.commit()


def document(uow: OrdersUnitOfWork, caller: Caller, order_id: str, kind: str) -> dict[str, Any]:
    """An invoice (once shipped) or credit note (once returned); issued now if it was deferred."""
    state = _seen(uow, caller, order_id).state
    if kind == "invoice" and state not in ("shipped", "delivered", "return_requested", "returned"):
        raise Conflict("not-invoiced-yet", f"an order is invoiced when shipped; this one is {state}")
    if kind == "credit_note" and state != "returned":
        raise Conflict("no-credit-note", f"a credit note is issued on return; this order is {state}")
    try:
        issued = invoicing.issue(uow, order_id, kind)
    except invoicing.CannotInvoice as missing:
        raise Conflict("cannot-invoice-yet", str(missing)) from None
    uow.commit()
    return issued
