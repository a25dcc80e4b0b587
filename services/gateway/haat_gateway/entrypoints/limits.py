"""Rate limits and Idempotency-Key, in front of every public path.

A body's size is checked before this, by the request guard every service has. Rate limits are token
buckets per credential (the Authorization header) and per client address, kept in this process (each
gateway replica limits its share). The client address is the connection's own: X-Forwarded-For counts only
from a configured proxy (HAAT_GATEWAY_TRUSTED_PROXIES, haat.http_serving), so a client cannot pick a new
address per request. Idempotency-Key on a POST: the first answer is
stored; a retry with the same key and the same body gets the same answer again, with another body a 422.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from haat.problems import problem_response
from haat.rate_limits import TokenBuckets
from haat.service import ServiceRuntime
from haat_gateway.adapters import idempotency_store
from haat_gateway.adapters.idempotency_store import StoredAnswer
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.settings import GatewaySettings

EXEMPT = ("/healthz", "/readyz")
Next = Callable[[Request], Awaitable[Response]]


def install_limits(app: FastAPI, runtime: ServiceRuntime[GatewaySettings]) -> None:
    settings = runtime.settings
    per_key = TokenBuckets(settings.rate_per_key_per_s, settings.rate_burst_per_key)
    per_ip = TokenBuckets(settings.rate_per_ip_per_s, settings.rate_burst_per_ip)

    @app.middleware("http")
    async def limits(request: Request, call_next: Next) -> Response:
        if request.url.path in EXEMPT:
            return await call_next(request)
        client = request.client.host if request.client else "unknown"
        credential = request.headers.get("authorization")
        waits = [per_ip.take(client)]
        if credential:
            waits.append(per_key.take(_digest(credential)))
        wait = max(waits)
        if wait > 0:
            return problem_response(
                request, 429, "rate-limited", "too many requests; slow down",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )  # fmt: skip
        key = request.headers.get("idempotency-key")
        if request.method == "POST" and key and credential:
            return await _idempotent(request, call_next, runtime, settings, _digest(credential), key)
        return await call_next(request)


async def _idempotent(
    request: Request, call_next: Next, runtime: ServiceRuntime, settings: GatewaySettings, owner: str, key: str
) -> Response:
    if len(key) > 200:
        return problem_response(
            request, 400, "invalid-idempotency-key", "an Idempotency-Key has at most 200 characters"
        )
    body = await request.body()
    # The whole request: method, path, query (`?submit=true` makes another request) and body.
    target = request.url.path + ("?" + request.url.query if request.url.query else "")
    request_hash = hashlib.sha256(f"{request.method} {target}\n".encode() + body).hexdigest()
    stored = await run_in_threadpool(_claim, runtime, settings, owner, key, request_hash)
    if stored == "claimed":
        response = await call_next(request)
        content = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        answer = StoredAnswer(response.status_code, response.media_type, content)
        await run_in_threadpool(_settle, runtime, owner, key, answer)
        return Response(content, status_code=response.status_code, headers=dict(response.headers))
    if stored == "busy":
        return problem_response(
            request, 409, "idempotency-in-progress", "a request with this Idempotency-Key is still being answered"
        )
    if stored == "mismatch":
        return problem_response(
            request, 422, "idempotency-key-reused", "this Idempotency-Key was used with another request body"
        )
    assert isinstance(stored, StoredAnswer)
    replayed = {"Idempotent-Replayed": "true"}
    return Response(stored.body, status_code=stored.status_code, media_type=stored.content_type, headers=replayed)


def _claim(
    runtime: ServiceRuntime, settings: GatewaySettings, owner: str, key: str, request_hash: str
) -> str | StoredAnswer:
    with unit_of_work(runtime) as uow:
        return idempotency_store.claim(uow, owner, key, request_hash, keep_hours=settings.idempotency_hours)


def _settle(runtime: ServiceRuntime, owner: str, key: str, answer: StoredAnswer) -> None:
    with unit_of_work(runtime) as uow:
        idempotency_store.settle(uow, owner, key, answer)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
