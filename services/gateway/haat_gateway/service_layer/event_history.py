"""The event history a caller may read (GET /v1/events): newest first, filtered by the visibility rule.

The rule is applied to each event, so a page is filled by reading on until it has `limit` visible events
or has looked at SCAN_LIMIT rows; then the cursor says where to go on (a sparse grant costs more requests,
never an unbounded one).
"""

from __future__ import annotations

import json
from typing import Any

from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.domain.visibility import may_see
from haat_gateway.service_layer.api_keys import Principal

SCAN_LIMIT = 5000
BATCH = 500


def visible_events(
    uow: GatewayUnitOfWork, principal: Principal, *, limit: int, before: int | None, event_type: str | None
) -> tuple[list[dict[str, Any]], int | None]:
    """Up to `limit` events the principal may see, older than position `before`; and the position to go on
    from (None: nothing older)."""
    items: list[dict[str, Any]] = []
    scanned = 0
    position = before
    while scanned < SCAN_LIMIT:
        rows = uow.events.before(position, event_type, BATCH)
        for seq, payload in rows:
            scanned += 1
            position = seq
            event = json.loads(payload)
            if may_see(principal, event):
                items.append(event)
                if len(items) == limit:
                    return items, position
        if len(rows) < BATCH:
            return items, None
    return items, position
