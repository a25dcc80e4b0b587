"""Stock use cases: receipts and adjustments by people, reservations and releases driven by orders.

Every change of a SKU's available quantity emits stock.changed (keyed by SKU) in the same transaction,
so the connectors can update every channel. Rows are locked in a fixed order (SKU, then house) so two
orders touching the same SKUs cannot deadlock.
"""

from __future__ import annotations

from haat.errors import Conflict, Invalid
from haat.events import catalog as catalog_events
from haat.events import orders as order_events
from haat.events.envelope import CloudEvent
from haat.identity import Caller
from haat_catalog.adapters.repository import StockRepository
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.domain.stock import InsufficientStock, Movement, StockError, StockLevel
from haat_catalog.service_layer import registry
from haat_catalog.service_layer.products import find_product

ORDERS = "orders"  # the actor recorded for movements caused by order events


def _record(
    uow: CatalogUnitOfWork, repo: StockRepository, level: StockLevel, movement: Movement, actor: str,
    order_id: str | None, request_key: str | None = None,
) -> None:  # fmt: skip
    repo.save(level, movement, actor=actor, order_id=order_id, request_key=request_key)
    if movement.on_hand_delta == movement.reserved_delta:
        return  # consumption: on hand and reserved fell together, available is unchanged
    uow.emit(
        catalog_events.StockChangedV1(
            sku=level.sku,
            clf_id=level.clf_id,
            packaging_house_id=level.packaging_house_id,
            on_hand=level.on_hand,
            reserved=level.reserved,
            available=level.available,
            available_total=repo.available_total(level.clf_id, level.sku),
            reason=movement.kind,
            order_id=order_id,
        )
    )


def change_stock(
    uow: CatalogUnitOfWork,
    caller: Caller,
    sku: str,
    clf_id: str | None,
    packaging_house_id: str,
    kind: str,
    quantity: int,
    reason: str,
    request_key: str | None = None,
) -> StockLevel:
    """A receipt (quantity > 0) or an adjustment (± quantity, with a reason) by a person; with the request's
    Idempotency-Key, a retry of a change already made changes nothing (the level is locked first, so two
    copies of one request never both pass the check)."""
    product = find_product(uow, caller, sku, clf_id)
    registry.require_house_for(uow, caller, product.clf_id, packaging_house_id)
    repo = uow.stock
    level = repo.level(product.clf_id, product.sku, packaging_house_id)
    if request_key and (applied := repo.applied_request(caller.subject, request_key)) is not None:
        # A retry replays only the same change: the key used for another SKU, house or quantity is refused
        # rather than silently answered with a change it did not make.
        asked = (product.clf_id, product.sku, packaging_house_id, kind, quantity)
        if tuple(applied)[:5] != asked or (kind == "adjustment" and applied.reason != reason):
            raise Invalid("idempotency-key-reused", "this Idempotency-Key was used for another stock change")
        return level
    try:
        movement = level.receive(quantity, reason or "receipt") if kind == "receipt" else level.adjust(quantity, reason)
    except InsufficientStock as error:
        raise Conflict(
            "conflict",
            f"cannot remove {error.requested}: only {error.available} are not held by orders",
            available=error.available,
        ) from error
    except StockError as error:
        raise Invalid("invalid-stock-change", str(error)) from error
    _record(uow, repo, level, movement, caller.subject, None, request_key)
    uow.commit()
    return level


def stock_of(uow: CatalogUnitOfWork, caller: Caller, sku: str, clf_id: str | None) -> tuple[str, list[StockLevel]]:
    product = find_product(uow, caller, sku, clf_id)
    return product.clf_id, uow.stock.levels(product.clf_id, product.sku)


# --- driven by haat.orders.orders ------------------------------------------------------------------


def on_order_created(uow: CatalogUnitOfWork, event: CloudEvent) -> None:
    """Reserve every line of the order, all or nothing; a shortfall is reported, not sold on credit."""
    order = order_events.OrderCreatedV1.model_validate(event.data)
    repo = uow.stock
    wanted: dict[str, int] = {}
    for line in order.items:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    plan: list[tuple[StockLevel, int]] = []
    shortfalls: list[dict[str, object]] = []
    for sku in sorted(wanted):
        levels = repo.levels(order.clf_id, sku, for_update=True)
        if order.packaging_house_id:
            levels = [lv for lv in levels if lv.packaging_house_id == order.packaging_house_id]
        # One house ships the whole line: the one with the most available that can.
        able = sorted((lv for lv in levels if lv.available >= wanted[sku]), key=lambda lv: -lv.available)
        if able:
            plan.append((able[0], wanted[sku]))
        else:
            shortfalls.append(
                {"sku": sku, "requested": wanted[sku], "available": max((lv.available for lv in levels), default=0)}
            )
    if shortfalls:
        uow.emit(
            catalog_events.StockReservationFailedV1(order_id=order.order_id, clf_id=order.clf_id, shortfalls=shortfalls)
        )
        return
    for level, quantity in plan:
        _record(uow, repo, level, level.reserve(quantity), ORDERS, order.order_id)


def _settle(uow: CatalogUnitOfWork, event: CloudEvent, settle: str) -> None:
    order = order_events.OrderEvent.model_validate(event.data)
    repo = uow.stock
    held = repo.order_holdings(order.order_id, "reservation")
    settled = repo.order_holdings(order.order_id, settle)
    for (clf_id, sku, house), quantity in sorted(held.items()):
        remaining = quantity + settled.get((clf_id, sku, house), 0)  # settled deltas are negative
        if remaining <= 0:
            continue  # already released or consumed (a redelivered or repeated update)
        level = repo.level(clf_id, sku, house)
        movement = level.release(remaining) if settle == "release" else level.consume(remaining)
        _record(uow, repo, level, movement, ORDERS, order.order_id)


def on_order_cancelled(uow: CatalogUnitOfWork, event: CloudEvent) -> None:
    _settle(uow, event, "release")


def on_order_shipped(uow: CatalogUnitOfWork, event: CloudEvent) -> None:
    _settle(uow, event, "consumption")


def on_order_returned(uow: CatalogUnitOfWork, event: CloudEvent) -> None:
    order = order_events.OrderReturnedV1.model_validate(event.data)
    if not order.restocked:
        return  # damaged: nothing comes back into stock
    repo = uow.stock
    shipped = repo.order_holdings(order.order_id, "consumption")
    if repo.order_holdings(order.order_id, "restock"):
        return
    for (clf_id, sku, house), reserved_delta in sorted(shipped.items()):
        level = repo.level(clf_id, sku, house)
        _record(uow, repo, level, level.restock(-reserved_delta), ORDERS, order.order_id)
