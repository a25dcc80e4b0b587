"""Moving an order: loaded through the repository, moved by the aggregate, saved with its history, and the
moves it recorded handed to their handlers (order_events)."""

from __future__ import annotations

from typing import Any

from haat.errors import NotFound
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import Order
from haat_orders.service_layer import order_events

MARKETPLACE = "marketplace"


def apply_action(uow: OrdersUnitOfWork, order_id: str, action: str, actor: str, note: str = "", **details: Any) -> str:
    """Move the order (locked) by `action`; raises IllegalTransition naming its current state."""
    order = load_for_update(uow, order_id)
    order.apply(action, actor, note, **details)
    save(uow, order)
    return order.state


def load_for_update(uow: OrdersUnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id, for_update=True)
    if order is None:
        raise NotFound("order", order_id)
    return order


def save(uow: OrdersUnitOfWork, order: Order) -> None:
    uow.orders.save(order)
    order_events.handle(uow, order.take_events())
