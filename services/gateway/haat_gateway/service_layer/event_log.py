"""The gateway's record of every public event: what webhooks fan out and what live views show."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from haat.events.envelope import CloudEvent
from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.tables import event_log


def record_event(uow: UnitOfWork, event: CloudEvent) -> None:
    uow.session.execute(
        event_log.insert().values(
            event_id=event.id,
            event_type=event.type,
            subject=event.subject,
            source=event.source,
            time=event.time,
            payload=json.dumps(event.model_dump(mode="json"), ensure_ascii=False),
            received_at=datetime.now(UTC),
        )
    )
