"""Live view: a server-sent events stream of the events the caller may see.

Admins and partners see every public event, a coordinator those of her CLF, fulfilment staff those of
their packaging house. Each message's id is the event's position, so a reconnecting client (browsers do
it by themselves, sending Last-Event-ID) continues where it stopped.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from haat.http_app import RuntimeDep
from haat.service import ServiceRuntime
from haat_gateway.adapters.tables import event_log
from haat_gateway.entrypoints.auth import CurrentPrincipal
from haat_gateway.service_layer.api_keys import Principal

router = APIRouter(prefix="/v1/events", tags=["events"])
POLL_S = 0.5
HEARTBEAT_S = 15.0


def permitted(principal: Principal, event: dict[str, Any]) -> bool:
    if principal.role in ("admin", "partner"):
        return True
    data = event.get("data") or {}
    if principal.role == "coordinator":
        return principal.clf_id is not None and data.get("clf_id") == principal.clf_id
    if principal.role == "fulfilment":
        return (
            principal.packaging_house_id is not None and data.get("packaging_house_id") == principal.packaging_house_id
        )
    return False


def _after(runtime: ServiceRuntime, position: int, types: list[str] | None) -> list[tuple[int, str]]:
    with runtime.unit_of_work() as uow:
        query = select(event_log.c.seq, event_log.c.payload).where(event_log.c.seq > position)
        if types:
            query = query.where(event_log.c.event_type.in_(types))
        return [(r.seq, r.payload) for r in uow.session.execute(query.order_by(event_log.c.seq).limit(500))]


def _latest(runtime: ServiceRuntime) -> int:
    with runtime.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.coalesce(func.max(event_log.c.seq), 0))) or 0)


@router.get("/stream", summary="Server-sent events of what the caller may see (text/event-stream)")
async def stream(
    request: Request,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    types: Annotated[list[str] | None, Query(description="only these event types")] = None,
    last_event_id: Annotated[str | None, Header()] = None,
    since: Annotated[int | None, Query(description="start after this position (default: from now on)")] = None,
) -> StreamingResponse:
    start = since
    if start is None and last_event_id and last_event_id.isdigit():
        start = int(last_event_id)
    return await event_stream(request, runtime, principal, types, start)


async def event_stream(
    request: Request, runtime: ServiceRuntime, principal: Principal, types: list[str] | None, start: int | None
) -> StreamingResponse:
    """The events after `start` (default: from now on) that `principal` may see, as server-sent events."""
    position = start if start is not None else await run_in_threadpool(_latest, runtime)

    async def messages() -> AsyncIterator[bytes]:
        nonlocal position
        yield b"retry: 3000\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            rows = await run_in_threadpool(_after, runtime, position, types)
            for seq, payload in rows:
                position = seq
                event = json.loads(payload)
                if permitted(principal, event):
                    yield f"id: {seq}\nevent: {event['type']}\ndata: {payload}\n\n".encode()
            if rows:
                quiet = 0.0
                continue
            await asyncio.sleep(POLL_S)
            quiet += POLL_S
            if quiet >= HEARTBEAT_S:  # keeps proxies from closing an idle connection
                quiet = 0.0
                yield b": keep-alive\n\n"

    return StreamingResponse(
        messages(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
