"""The one shape of a durable retry queue (listing pushes, order fetches, marketplace tasks, webhook
deliveries): a row of work carries `attempts` and `next_attempt_at`; it is due once that time has come;
new work, or work asked for again, is due now with its count cleared; a failed attempt counts and waits
as the queue's `Backoff` says. Each queue's repository keeps its own table and its own claim."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table

from haat.backoff import Backoff


def is_due(table: Table, now: datetime) -> ColumnElement[bool]:
    return table.c.next_attempt_at <= now


def due_now(now: datetime) -> dict[str, Any]:
    """The columns of work that is due at once (new, changed again, or asked for again)."""
    return {"attempts": 0, "next_attempt_at": now}


def after_failure(backoff: Backoff, attempts_before: int, now: datetime) -> dict[str, Any]:
    """The columns of work after one more failed attempt."""
    attempts = attempts_before + 1
    return {"attempts": attempts, "next_attempt_at": now + backoff.after(attempts)}
