"""What Haat tells the marketplaces about their orders (consumer of haat.orders.orders): packed (where the
marketplace ships, that makes its label), shipped with a tracking id, or cancelled by the seller. A task
per order and kind, done by the account's sync worker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from haat.backoff import after_failure
from haat.events.envelope import CloudEvent
from haat.events.orders import OrderCancelledV1, OrderPackedV1, OrderShippedV1
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.domain.listing_sync import RETRY


def on_order_packed(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    packed = OrderPackedV1.model_validate(event.data)
    _add(
        uow, packed.order_id, "pack", packed.model_dump(include={"weight_grams", "length_cm", "width_cm", "height_cm"})
    )


def on_order_shipped(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    shipped = OrderShippedV1.model_validate(event.data)
    _add(uow, shipped.order_id, "ship", {"carrier": shipped.carrier, "tracking_id": shipped.tracking_id})


def on_order_cancelled(uow: ConnectorsUnitOfWork, event: CloudEvent) -> None:
    cancelled = OrderCancelledV1.model_validate(event.data)
    _add(uow, cancelled.order_id, "cancel", {"reason": cancelled.reason})


def _add(uow: ConnectorsUnitOfWork, order_key: str, kind: str, details: dict[str, Any]) -> None:
    order = uow.orders.get(order_key)
    if order is None or order.status != "open":
        return  # not a marketplace order of ours, or the marketplace itself moved it: nothing to tell
    if uow.tasks.exists(order_key, kind):
        return
    uow.tasks.add({"id": f"mt-{uuid.uuid4().hex[:16]}", "account_id": order.account_id, "order_key": order_key,
                   "kind": kind, "details": details, "attempts": 0, "next_attempt_at": datetime.now(UTC)})  # fmt: skip


def due(uow: ConnectorsUnitOfWork, account_id: str, limit: int) -> list[Any]:
    return uow.tasks.due(account_id, datetime.now(UTC), limit)


def finished(uow: ConnectorsUnitOfWork, task_id: str, refusal: str | None, attempts: int) -> None:
    """Done, or refused (kept with the reason and tried again later: the marketplace may catch up)."""
    now = datetime.now(UTC)
    if refusal is None:
        values: dict[str, Any] = {"done_at": now, "last_error": None}
    else:
        values = {**after_failure(RETRY, attempts, now), "last_error": refusal[:2000]}
    uow.tasks.change(task_id, values)
