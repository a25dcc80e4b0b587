"""The event history a caller may read (GET /v1/events): newest first, filtered by the visibility rule.

The rule is applied to each event, so a page is filled by reading on until it has `limit` visible events
or has looked at SCAN_LIMIT rows; then the cursor says where to go on (a sparse grant costs more requests,
never an unbounded one).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import event_log
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.service_layer.visibility import may_see

SCAN_LIMIT = 5000
BATCH = 500


def visible_events(
    session: Session, principal: Principal, *, limit: int, before: int | None, event_type: str | None
) -> tuple[list[dict[str, Any]], int | None]:
    """Up to `limit` events the principal may see, older than position `before`; and the position to go on
    from (None: nothing older)."""
    items: list[dict[str, Any]] = []
    scanned = 0
    position = before
    while scanned < SCAN_LIMIT:
        query = select(event_log.c.seq, event_log.c.payload).order_by(event_log.c.seq.desc()).limit(BATCH)
        if position is not None:
            query = query.where(event_log.c.seq < position)
        if event_type:
            query = query.where(event_log.c.event_type == event_type)
        rows = session.execute(query).all()
        for row in rows:
            scanned += 1
            position = row.seq
            event = json.loads(row.payload)
            if may_see(principal, event):
                items.append(event)
                if len(items) == limit:
                    return items, position
        if len(rows) < BATCH:
            return items, None
    return items, position
