"""The orders service's unit of work: the kernel's transaction and outbox, with its repositories."""

from __future__ import annotations

from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.order_repository import OrderRepository


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderRepository

    def open_repositories(self) -> None:
        self.orders = OrderRepository(self.session)
