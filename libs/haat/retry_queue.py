"""The one shape of a durable retry queue (listing pushes, order fetches, marketplace tasks, webhook
deliveries) in SQL: a row of work carries `attempts` and `next_attempt_at` (haat.backoff: `due_now`,
`after_failure`) and is due once that time has come. Each queue's repository keeps its own table and claim."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table


def is_due(table: Table, now: datetime) -> ColumnElement[bool]:
    return table.c.next_attempt_at <= now
