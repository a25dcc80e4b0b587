"""The append-only audit log of changes made through the gateway, and the event log of public events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import audit_log, event_log


class AuditTrail:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(audit_log).values(**row))

    def entries(
        self, *, actor: str | None, target: str | None, clf_id: str | None, since: datetime | None,
        until: datetime | None, before_seq: int | None, limit: int,
    ) -> list[Any]:  # fmt: skip
        """Newest first; `target` matches the start of the changed path (e.g. /v1/products/AAM-ACHAR)."""
        t = audit_log.c
        query = select(audit_log).order_by(t.seq.desc()).limit(limit)
        if actor:
            query = query.where(t.actor == actor)
        if target:
            query = query.where(t.target.startswith(target, autoescape=True))
        if clf_id:
            query = query.where(t.clf_id == clf_id)
        if since:
            query = query.where(t.at >= since)
        if until:
            query = query.where(t.at < until)
        if before_seq:
            query = query.where(t.seq < before_seq)
        return list(self.session.execute(query).all())


class EventLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(event_log).values(**row))

    def before(self, position: int | None, event_type: str | None, limit: int) -> list[tuple[int, str]]:
        """(position, CloudEvent JSON) of the events before `position` (None: the newest), newest first."""
        query = select(event_log.c.seq, event_log.c.payload).order_by(event_log.c.seq.desc()).limit(limit)
        if position is not None:
            query = query.where(event_log.c.seq < position)
        if event_type:
            query = query.where(event_log.c.event_type == event_type)
        return [(r.seq, r.payload) for r in self.session.execute(query)]
