"""Refusing NUL characters in requests, before any handler sees them.

PostgreSQL cannot store U+0000 in text or JSON, so a JSON body or query string carrying one would reach the
database and fail there as a 500. No field of ours has a use for it: the request is refused with a 422
problem instead. Only JSON bodies and query strings are looked at (uploaded files are binary).
"""

from __future__ import annotations

import json
from typing import Any

from haat.problems import TYPE_BASE

NUL_MARKS = (b"\\u0000", b"\x00")
QUERY_NUL = (b"%00", b"\x00")
Scope = dict[str, Any]


class RefuseNulCharacters:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if any(mark in scope.get("query_string", b"") for mark in QUERY_NUL):
            await _refuse(scope, send, "the query string holds a NUL character (%00)")
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        if b"json" not in content_type:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if any(mark in body for mark in NUL_MARKS):
            await _refuse(scope, send, "the request body holds a NUL character (\\u0000)")
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}]), send)


def _replay(messages: list[dict[str, Any]]) -> Any:
    pending = list(messages)

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    return receive


async def _refuse(scope: Scope, send: Any, detail: str) -> None:
    body = json.dumps({
        "type": TYPE_BASE + "nul-character", "title": "Unprocessable Content", "status": 422, "detail": detail,
        "instance": scope.get("path", ""),
    }).encode()  # fmt: skip
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 422, "headers": headers})
    await send({"type": "http.response.body", "body": body})
