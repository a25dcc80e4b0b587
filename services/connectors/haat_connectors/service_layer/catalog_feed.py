"""What the catalog says should be for sale, turned into listing work (consumers of haat.catalog.*).

Each event only updates the wanted state and marks listings dirty; the sync worker pushes later. So a
burst of stock changes for one SKU costs one push carrying the newest quantity (coalescing), and stock
work is picked before catalog updates (oversell protection).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, select, update

from haat.events.catalog import ProductSnapshot, StockChangedV1, StockReservationFailedV1
from haat.events.envelope import CloudEvent
from haat.nudge import Nudge
from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.tables import listings, products, seller_accounts, stock_holds

# Wakes the sync workers' push lanes when a commit has made listings dirty (a sale, a receipt, an edit).
LISTING_WORK = Nudge()


def on_product_listed(uow: UnitOfWork, event: CloudEvent) -> None:
    """product.published and product.updated: list it (again) on every channel of its CLF."""
    product = ProductSnapshot.model_validate(event.data)
    if product.status != "published":
        return  # edits of a draft or a product waiting for approval are not for sale
    _store(uow, product, listed=True)
    _ensure_listings(uow, product.clf_id, product.sku)
    _mark(uow, product.clf_id, [product.sku], content=True)


def on_product_retired(uow: UnitOfWork, event: CloudEvent) -> None:
    product = ProductSnapshot.model_validate(event.data)
    _store(uow, product, listed=False)
    _mark(uow, product.clf_id, [product.sku], content=True)


def on_stock_changed(uow: UnitOfWork, event: CloudEvent) -> None:
    stock = StockChangedV1.model_validate(event.data)
    key = and_(products.c.clf_id == stock.clf_id, products.c.sku == stock.sku)
    if _exists(uow, key):
        uow.session.execute(update(products).where(key).values(available=stock.available_total))
    else:
        uow.session.execute(
            insert(products).values(
                clf_id=stock.clf_id, sku=stock.sku, snapshot=None, listed=False, version=0,
                available=stock.available_total,
            )
        )  # fmt: skip
    if stock.order_id:  # the catalog now counts this order: its hold is no longer needed
        uow.session.execute(delete(stock_holds).where(stock_holds.c.order_key == stock.order_id))
    _mark(uow, stock.clf_id, [stock.sku], content=False)


def on_reservation_failed(uow: UnitOfWork, event: CloudEvent) -> None:
    failed = StockReservationFailedV1.model_validate(event.data)
    skus = list(uow.session.scalars(select(stock_holds.c.sku).where(stock_holds.c.order_key == failed.order_id)))
    uow.session.execute(delete(stock_holds).where(stock_holds.c.order_key == failed.order_id))
    _mark(uow, failed.clf_id, skus, content=False)


def _store(uow: UnitOfWork, product: ProductSnapshot, *, listed: bool) -> None:
    key = and_(products.c.clf_id == product.clf_id, products.c.sku == product.sku)
    snapshot = product.model_dump(mode="json")
    values: dict[str, Any] = {"snapshot": snapshot, "listed": listed, "version": products.c.version + 1}
    if _exists(uow, key):
        uow.session.execute(update(products).where(key).values(**values))
    else:
        uow.session.execute(
            insert(products).values(clf_id=product.clf_id, sku=product.sku, snapshot=snapshot, listed=listed, version=1)
        )


def _exists(uow: UnitOfWork, key: ColumnElement[bool]) -> bool:
    return uow.session.scalar(select(products.c.version).where(key).with_for_update()) is not None


def _ensure_listings(uow: UnitOfWork, clf_id: str, sku: str) -> None:
    accounts = uow.session.execute(
        select(seller_accounts.c.id, seller_accounts.c.channel).where(
            seller_accounts.c.clf_id == clf_id, seller_accounts.c.enabled.is_(True)
        )
    ).all()
    existing = set(
        uow.session.scalars(select(listings.c.account_id).where(listings.c.clf_id == clf_id, listings.c.sku == sku))
    )
    for account_id, channel in accounts:
        if account_id not in existing:
            uow.session.execute(insert(listings).values(new_listing(account_id, clf_id, sku, channel)))


def new_listing(account_id: str, clf_id: str, sku: str, channel: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "account_id": account_id, "sku": sku, "clf_id": clf_id, "channel": channel, "pushed_version": 0,
        "pushed_quantity": None, "content_dirty": True, "stock_dirty": False, "status": "pending", "issues": [],
        "status_at": now, "attempts": 0, "next_attempt_at": now,
    }  # fmt: skip


def mark_stock_dirty(uow: UnitOfWork, clf_id: str, skus: list[str]) -> None:
    _mark(uow, clf_id, skus, content=False)


def _mark(uow: UnitOfWork, clf_id: str, skus: list[str], *, content: bool) -> None:
    if not skus:
        return
    uow.on_commit.append(LISTING_WORK.set)
    flag = {"content_dirty": True} if content else {"stock_dirty": True}
    # New work is due now, even for a listing that was backing off after a failure.
    uow.session.execute(
        update(listings)
        .where(listings.c.clf_id == clf_id, listings.c.sku.in_(skus))
        .values(**flag, attempts=0, next_attempt_at=datetime.now(UTC))
    )
