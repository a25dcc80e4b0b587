"""Read models of the gateway: the event log as the stream and the history read it."""

from __future__ import annotations

from sqlalchemy import func, select

from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.tables import event_log


def events_after(uow: UnitOfWork, position: int, types: list[str] | None, limit: int = 500) -> list[tuple[int, str]]:
    """(position, CloudEvent JSON) of the events after `position`, oldest first."""
    query = select(event_log.c.seq, event_log.c.payload).where(event_log.c.seq > position)
    if types:
        query = query.where(event_log.c.event_type.in_(types))
    return [(r.seq, r.payload) for r in uow.session.execute(query.order_by(event_log.c.seq).limit(limit))]


def latest_position(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.coalesce(func.max(event_log.c.seq), 0))) or 0)
