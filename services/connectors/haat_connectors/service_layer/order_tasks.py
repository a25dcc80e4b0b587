"""What Haat tells the marketplaces about their orders (consumer of haat.orders.orders): packed (where the
marketplace ships, that makes its label), shipped with a tracking id, or cancelled by the seller. A task
per order and kind, done by the account's sync worker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from haat.events.envelope import CloudEvent
from haat.events.orders import OrderCancelledV1, OrderPackedV1, OrderShippedV1
from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.tables import marketplace_orders, marketplace_tasks
from haat_connectors.domain.listing_sync import retry_delay


def on_order_packed(uow: UnitOfWork, event: CloudEvent) -> None:
    packed = OrderPackedV1.model_validate(event.data)
    _add(
        uow, packed.order_id, "pack", packed.model_dump(include={"weight_grams", "length_cm", "width_cm", "height_cm"})
    )


def on_order_shipped(uow: UnitOfWork, event: CloudEvent) -> None:
    shipped = OrderShippedV1.model_validate(event.data)
    _add(uow, shipped.order_id, "ship", {"carrier": shipped.carrier, "tracking_id": shipped.tracking_id})


def on_order_cancelled(uow: UnitOfWork, event: CloudEvent) -> None:
    cancelled = OrderCancelledV1.model_validate(event.data)
    _add(uow, cancelled.order_id, "cancel", {"reason": cancelled.reason})


def _add(uow: UnitOfWork, order_key: str, kind: str, details: dict[str, Any]) -> None:
    order = uow.session.execute(
        select(marketplace_orders.c.account_id, marketplace_orders.c.status).where(
            marketplace_orders.c.order_key == order_key
        )
    ).one_or_none()
    if order is None or order.status != "open":
        return  # not a marketplace order of ours, or the marketplace itself moved it: nothing to tell
    if uow.session.scalar(
        select(marketplace_tasks.c.id).where(
            marketplace_tasks.c.order_key == order_key, marketplace_tasks.c.kind == kind
        )
    ):
        return
    uow.session.execute(
        insert(marketplace_tasks).values(
            id=f"mt-{uuid.uuid4().hex[:16]}", account_id=order.account_id, order_key=order_key, kind=kind,
            details=details, attempts=0, next_attempt_at=datetime.now(UTC),
        )
    )  # fmt: skip


def due(uow: UnitOfWork, account_id: str, limit: int) -> list[Any]:
    query = (
        select(marketplace_tasks, marketplace_orders.c.snapshot)
        .join(marketplace_orders, marketplace_orders.c.order_key == marketplace_tasks.c.order_key)
        .where(
            marketplace_tasks.c.account_id == account_id,
            marketplace_tasks.c.done_at.is_(None),
            marketplace_tasks.c.next_attempt_at <= datetime.now(UTC),
        )
        .order_by(marketplace_tasks.c.next_attempt_at)
        .limit(limit)
    )
    return list(uow.session.execute(query))


def finished(uow: UnitOfWork, task_id: str, refusal: str | None, attempts: int) -> None:
    """Done, or refused (kept with the reason and tried again later: the marketplace may catch up)."""
    now = datetime.now(UTC)
    if refusal is None:
        values: dict[str, Any] = {"done_at": now, "last_error": None}
    else:
        delay = max(retry_delay(attempts + 1), timedelta(seconds=5))
        values = {"attempts": attempts + 1, "next_attempt_at": now + delay, "last_error": refusal[:2000]}
    uow.session.execute(update(marketplace_tasks).where(marketplace_tasks.c.id == task_id).values(**values))
