"""What the catalog says should be for sale, turned into listing work (consumers of haat.catalog.*).

Each event only updates the wanted state and marks listings dirty; the sync worker pushes later. So a
burst of stock changes for one SKU costs one push carrying the newest quantity (coalescing), and stock
work is picked before catalog updates (oversell protection).
"""

from __future__ import annotations

from haat.events.catalog import ProductSnapshot, StockChangedV1, StockReservationFailedV1
from haat.events.envelope import CloudEvent
from haat.nudge import Nudge
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork

# Wakes the sync workers' push lanes when a commit has made listings dirty (a sale, a receipt, an edit).
LISTING_WORK = Nudge()


def on_product_listed(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    """product.published and product.updated: list it (again) on every channel of its CLF."""
    product = ProductSnapshot.model_validate(event.data)
    if product.status != "published":
        return  # edits of a draft or a product waiting for approval are not for sale
    uow.products.store(product.clf_id, product.sku, product.model_dump(mode="json"), listed=True)
    uow.listings.ensure_on_every_account(product.clf_id, product.sku)
    _mark(uow, product.clf_id, [product.sku], content=True)


def on_product_retired(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    product = ProductSnapshot.model_validate(event.data)
    uow.products.store(product.clf_id, product.sku, product.model_dump(mode="json"), listed=False)
    _mark(uow, product.clf_id, [product.sku], content=True)


def on_stock_changed(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    stock = StockChangedV1.model_validate(event.data)
    uow.products.set_available(stock.clf_id, stock.sku, stock.available_total)
    if stock.order_id:  # the catalog now counts this order: its hold is no longer needed
        uow.holds.release(stock.order_id)
    _mark(uow, stock.clf_id, [stock.sku], content=False)


def on_reservation_failed(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    failed = StockReservationFailedV1.model_validate(event.data)
    _mark(uow, failed.clf_id, uow.holds.release(failed.order_id), content=False)


def mark_stock_dirty(uow: ConnectorsUnitOfWork, clf_id: str, skus: list[str]) -> None:
    _mark(uow, clf_id, skus, content=False)


def _mark(uow: ConnectorsUnitOfWork, clf_id: str, skus: list[str], *, content: bool) -> None:
    if not skus:
        return
    uow.on_commit.append(LISTING_WORK.set)
    uow.listings.mark_dirty(clf_id, skus, content=content)
