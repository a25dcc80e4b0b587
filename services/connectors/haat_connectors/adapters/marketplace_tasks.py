"""What Haat has to tell a marketplace about one of its orders (packed, shipped, cancelled): one task per
order and kind, done by the account's sync worker, retried with a backoff while the marketplace refuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haat.retry_queue import is_due
from haat_connectors.adapters.tables import marketplace_orders, marketplace_tasks

t = marketplace_tasks.c


class MarketplaceTasks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self, order_key: str, kind: str) -> bool:
        return self.session.scalar(select(t.id).where(t.order_key == order_key, t.kind == kind)) is not None

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(marketplace_tasks).values(row))

    def due(self, account_id: str, now: datetime, limit: int) -> list[Any]:
        """Due tasks with the order as the marketplace last showed it."""
        query = (
            select(marketplace_tasks, marketplace_orders.c.snapshot)
            .join(marketplace_orders, marketplace_orders.c.order_key == t.order_key)
            .where(t.account_id == account_id, t.done_at.is_(None), is_due(marketplace_tasks, now))
            .order_by(t.next_attempt_at)
            .limit(limit)
        )
        return list(self.session.execute(query))

    def change(self, task_id: str, values: dict[str, Any]) -> None:
        self.session.execute(update(marketplace_tasks).where(t.id == task_id).values(**values))
