"""Forwarding: the public API paths owned by other services, reached through the gateway unchanged.

The gateway authenticates the caller (API key), then forwards the request to the owning service with
the caller in a short-lived signed token (X-Haat-Caller); that service applies the scoping itself.
Every change a service accepts is written to the gateway's audit log (the web pages' calls included).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from yarl import URL

from haat.http_app import READING
from haat.identity import Caller
from haat.problems import Problem
from haat.service import ServiceRuntime
from haat.service_calls import ServiceAnswer, call_service
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.adapters.upstreams import Upstreams
from haat_gateway.entrypoints.auth import current_principal
from haat_gateway.entrypoints.public_routes import PublicPath, parse_raw, parse_text
from haat_gateway.service_layer import audit
from haat_gateway.service_layer.api_keys import Principal

REQUEST_HEADERS = ("content-type", "accept", "accept-language", "idempotency-key")
RESPONSE_HEADERS = ("content-type", "content-disposition", "location", "cache-control", "retry-after")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

router = APIRouter()


def caller_for(principal: Principal) -> Caller:
    """Who the services are told is calling: the key or the user, with the role and scope."""
    return Caller(
        subject=principal.subject,
        role=principal.role,
        clf_id=principal.clf_id,
        packaging_house_id=principal.packaging_house_id,
        clf_ids=principal.clf_ids,
    )


@router.api_route("/v1/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Response:
    # The raw path, not the decoded one: a path that is not exactly a public route is a 404 and goes nowhere
    # (see public_routes).
    raw = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    target = parse_raw(request.method, raw.removeprefix("/v1/"))
    if principal.role == "partner" and request.method not in READING:
        raise Problem(403, "forbidden", "a partner key reads; it changes nothing")
    body = await request.body()
    headers = {name: request.headers[name] for name in REQUEST_HEADERS if name in request.headers}
    upstream = await call_owner(
        request, principal, request.method, target, params=list(request.query_params.multi_items()),
        data=body or None, headers=headers,
    )  # fmt: skip
    passed = {k: v for k, v in upstream.headers.items() if k.lower() in RESPONSE_HEADERS}
    return Response(upstream.body, status_code=upstream.status, headers=passed)


async def call_owner(
    request: Request, principal: Principal, method: str, path: str | PublicPath, *,
    params: Sequence[tuple[str, str]], data: object, headers: dict[str, str],
) -> ServiceAnswer:  # fmt: skip
    """Call the service that owns `path` (without /v1/; a page's composed path is checked like a client's)
    as `principal`; a change it accepts is audited."""
    public = path if isinstance(path, PublicPath) else parse_text(method, path)
    upstreams: Upstreams = request.app.state.upstreams
    # encoded=True: the URL is sent exactly as built from the checked segments, never re-normalised.
    url = URL(f"{upstreams.base_url(public.owner)}/v1/{public.encoded}", encoded=True)
    answer = await call_service(
        upstreams.session(), public.owner, method, url, caller=caller_for(principal),
        settings=upstreams.settings, params=list(params), data=data, headers=headers,
    )  # fmt: skip
    if method in audit.CHANGING_METHODS and answer.status < 400:
        target = f"/v1/{public.text}" + (f"?{urlencode(list(params))}" if params else "")
        if isinstance(data, str | bytes | None):
            changes = audit.changes_of(headers.get("content-type"), data.encode() if isinstance(data, str) else data)
        else:  # a form with a file, from the web pages
            changes = {"upload": type(data).__name__}
        await run_in_threadpool(_audit, request.app.state.runtime, principal, method, target, answer.status, changes)
    return answer


def _audit(runtime: ServiceRuntime, principal: Principal, method: str, target: str, status: int,
           changes: dict[str, object]) -> None:  # fmt: skip
    with unit_of_work(runtime) as uow:
        audit.record(uow, audit.Actor.of(principal), method, target, status, changes)
        uow.commit()
