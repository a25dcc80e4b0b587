"""The gateway's record of every public event: what webhooks fan out and what live views show."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from haat.events.envelope import CloudEvent
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.service_layer.delivery import NEW_DELIVERIES
from haat_gateway.service_layer.webhooks import fan_out


def record_event(uow: GatewayUnitOfWork, event: CloudEvent) -> None:
    """Keep the event and queue it for every subscribed webhook endpoint, in one transaction."""
    payload = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
    uow.events.add({"event_id": event.id, "event_type": event.type, "subject": event.subject, "source": event.source,
                    "time": event.time, "payload": payload, "received_at": datetime.now(UTC)})  # fmt: skip
    if fan_out(uow, event, payload):
        uow.on_commit.append(NEW_DELIVERIES.set)  # the delivery job starts on them now, not at its next poll
