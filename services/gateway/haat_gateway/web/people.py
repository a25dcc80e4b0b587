"""Who did what, by name: the pages show a history's actors as people read them, never as user:<id>."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.service_layer import users


async def names_of(request: Request, subjects: Iterable[str | None]) -> dict[str, str]:
    """Display names of the people and labels of the API keys among `subjects` (the gateway keeps both)."""
    asked = {s for s in subjects if s}
    runtime = request.app.state.runtime

    def read() -> dict[str, str]:
        with unit_of_work(runtime) as uow:
            return users.names_of(uow, asked)

    return await run_in_threadpool(read) if asked else {}
