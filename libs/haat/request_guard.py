"""The first thing every request meets, before any authentication or handler: its size and NUL characters.

Size: a body larger than `max_request_bytes` is refused with 413 as soon as that many bytes have come, from
its Content-Length when it gives one and by counting otherwise (a chunked body has none), so no request
makes a service hold more than the limit in memory, whoever sends it.

NUL characters: PostgreSQL cannot store U+0000 in text or JSON, so a JSON body or query string carrying one
would reach the database and fail there as a 500. No field of ours has a use for it: such a request is
refused with a 422 problem instead. Only JSON bodies and query strings are looked at (uploads are binary).
"""

from __future__ import annotations

import json
from typing import Any

from haat.problems import TYPE_BASE

NUL_MARKS = (b"\\u0000", b"\x00")
QUERY_NUL = (b"%00", b"\x00")
Scope = dict[str, Any]


class GuardRequests:
    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if any(mark in scope.get("query_string", b"") for mark in QUERY_NUL):
            await _refuse(scope, send, 422, "nul-character", "the query string holds a NUL character (%00)")
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(scope, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:  # stop reading here: the rest is never taken in
                await self._too_large(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"json" in headers.get(b"content-type", b"") and any(mark in body for mark in NUL_MARKS):
            await _refuse(scope, send, 422, "nul-character", "the request body holds a NUL character (\\u0000)")
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)

    async def _too_large(self, scope: Scope, send: Any) -> None:
        limit = f"{self.max_bytes / 2**20:g} MB"
        await _refuse(scope, send, 413, "request-too-large", f"requests are limited to {limit}", close=True)


def _replay(messages: list[dict[str, Any]], then: Any) -> Any:
    """The messages already read, then the connection's own (so a long answer, such as a stream, still hears
    when the client leaves)."""
    pending = list(messages)

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else await then()

    return receive


async def _refuse(scope: Scope, send: Any, status: int, kind: str, detail: str, *, close: bool = False) -> None:
    titles = {413: "Content Too Large", 422: "Unprocessable Content"}
    body = json.dumps({
        "type": TYPE_BASE + kind, "title": titles[status], "status": status, "detail": detail,
        "instance": scope.get("path", ""),
    }).encode()  # fmt: skip
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    if close:  # the unread rest of the body would otherwise be read as the next request
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
