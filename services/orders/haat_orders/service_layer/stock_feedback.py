"""What the catalog's stock ledger says about an order (haat.catalog.stock): which packaging house
reserved it, or that it could not be reserved (staff then cancel it or find the goods)."""

from __future__ import annotations

from haat.events.catalog import StockChangedV1, StockReservationFailedV1
from haat.events.envelope import CloudEvent
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork


def on_stock_changed(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    change = StockChangedV1.model_validate(event.data)
    if change.order_id and change.reason == "reservation":
        uow.orders.note_stock(change.order_id, "reserved", change.packaging_house_id)


def on_reservation_failed(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    failed = StockReservationFailedV1.model_validate(event.data)
    uow.orders.note_stock(failed.order_id, "shortfall")
