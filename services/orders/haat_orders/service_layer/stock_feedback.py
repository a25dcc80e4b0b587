"""What the catalog's stock ledger says about an order (haat.catalog.stock): which packaging house
reserved it, or that it could not be reserved (staff then cancel it or find the goods)."""

from __future__ import annotations

from sqlalchemy import update

from haat.events.catalog import StockChangedV1, StockReservationFailedV1
from haat.events.envelope import CloudEvent
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import orders


def on_stock_changed(uow: UnitOfWork, event: CloudEvent) -> None:
    change = StockChangedV1.model_validate(event.data)
    if not change.order_id or change.reason != "reservation":
        return
    uow.session.execute(
        update(orders)
        .where(orders.c.id == change.order_id, orders.c.packaging_house_id.is_(None))
        .values(packaging_house_id=change.packaging_house_id)
    )
    uow.session.execute(update(orders).where(orders.c.id == change.order_id).values(stock="reserved"))


def on_reservation_failed(uow: UnitOfWork, event: CloudEvent) -> None:
    failed = StockReservationFailedV1.model_validate(event.data)
    uow.session.execute(update(orders).where(orders.c.id == failed.order_id).values(stock="shortfall"))
