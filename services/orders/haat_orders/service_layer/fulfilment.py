"""Use cases of the people who handle orders: see them (scoped) and move them along."""

from __future__ import annotations

from typing import Any

from haat.errors import Conflict, NotAllowed, NotFound
from haat.identity import Caller
from haat_orders.adapters import views
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import IllegalTransition
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


def act(uow: OrdersUnitOfWork, caller: Caller, order_id: str, action: str, note: str = "",
        **details: Any) -> dict[str, Any]:  # fmt: skip
    if caller.role not in STAFF:
        raise NotAllowed("forbidden", "only staff can move orders")
    get_order(uow, caller, order_id)  # 404 for an order the caller may not see
    try:
        apply_action(uow, order_id, action, caller.subject, note, **details)
    except IllegalTransition as refused:
        raise Conflict("illegal-transition", str(refused), current_state=refused.state) from None
    uow.commit()
    return get_order(uow, caller, order_id)


def document(uow: OrdersUnitOfWork, caller: Caller, order_id: str, kind: str) -> dict[str, Any]:
    """An invoice (once shipped) or credit note (once returned); issued now if it was deferred."""
    order = get_order(uow, caller, order_id)
    if kind == "invoice" and order["state"] not in ("shipped", "delivered", "return_requested", "returned"):
        raise Conflict("not-invoiced-yet", f"an order is invoiced when shipped; this one is {order['state']}")
    if kind == "credit_note" and order["state"] != "returned":
        raise Conflict("no-credit-note", f"a credit note is issued on return; this order is {order['state']}")
    try:
        issued = invoicing.issue(uow, order_id, kind)
    except invoicing.CannotInvoice as missing:
        raise Conflict("cannot-invoice-yet", str(missing)) from None
    uow.commit()
    return issued
