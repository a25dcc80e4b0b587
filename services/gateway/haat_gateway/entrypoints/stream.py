"""Live view: a server-sent events stream of the events the caller may see (service_layer.visibility:
the same rule as the event history and webhooks).

Each message's id is the event's position, so a reconnecting client (browsers do it by themselves, sending
Last-Event-ID) continues where it stopped. The caller's access is checked again every few seconds: a
revoked key, a disabled account or a logged-out session ends the stream.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from haat.http_app import RuntimeDep
from haat.service import ServiceRuntime
from haat_gateway.adapters import views
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.domain.visibility import may_see
from haat_gateway.entrypoints.auth import CurrentPrincipal
from haat_gateway.service_layer.api_keys import Principal, key_in_force
from haat_gateway.service_layer.users import VerifiedToken, in_force

router = APIRouter(prefix="/v1/events", tags=["events"])
POLL_S = 0.5
HEARTBEAT_S = 15.0
RECHECK_S = 2.0


def _after(runtime: ServiceRuntime, position: int, types: list[str] | None) -> list[tuple[int, str]]:
    with unit_of_work(runtime) as uow:
        return views.events_after(uow, position, types)


def _still_allowed(runtime: ServiceRuntime, principal: Principal, token: VerifiedToken | None) -> bool:
    with unit_of_work(runtime) as uow:
        if token is not None:
            return token.expires_at > time.time() and in_force(uow, token)
        return key_in_force(uow, principal.key_id)


def _latest(runtime: ServiceRuntime) -> int:
    with unit_of_work(runtime) as uow:
        return views.latest_position(uow)


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
    token = getattr(request.state, "access_token", None) or getattr(request.state, "session_token", None)

    async def messages() -> AsyncIterator[bytes]:
        nonlocal position
        yield b"retry: 3000\n\n"
        quiet = 0.0
        checked = time.monotonic()
        while not await request.is_disconnected():
            if time.monotonic() - checked >= RECHECK_S:
                if not await run_in_threadpool(_still_allowed, runtime, principal, token):
                    yield b"event: access-ended\ndata: {}\n\n"
                    return
                checked = time.monotonic()
            rows = await run_in_threadpool(_after, runtime, position, types)
            for seq, payload in rows:
                position = seq
                event = json.loads(payload)
                if may_see(principal, event):
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
