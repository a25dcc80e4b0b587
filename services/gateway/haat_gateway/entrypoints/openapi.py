"""One OpenAPI document for the whole public API: the gateway's own paths plus those it forwards,
read from each owning service's /openapi.json and presented as the gateway serves them (bearer
authentication in front, the internal caller header removed)."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from haat.identity import Caller
from haat.service_calls import signed_caller
from haat_gateway.adapters.upstreams import Upstreams
from haat_gateway.entrypoints.public_routes import PUBLIC_ROUTES

log = logging.getLogger(__name__)
REFRESH_S = 60.0
# Services show their documents only to a signed caller: the gateway reads them as a service.
READER = Caller(subject="gateway", role="service")
PUBLIC_TEMPLATES = {template for routes in PUBLIC_ROUTES.values() for _, template in routes}
BEARER = "HTTPBearer"


def install_openapi(app: FastAPI, upstreams: Upstreams) -> None:
    cache: dict[str, Any] = {"document": None, "at": 0.0, "complete": False}

    def document() -> dict[str, Any]:
        fresh = time.monotonic() - cache["at"] < REFRESH_S
        if cache["document"] is not None and (cache["complete"] or fresh):
            return cache["document"]
        merged = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        complete = True
        for service in sorted(PUBLIC_ROUTES):
            upstream = _fetch(upstreams.base_url(service), signed_caller(READER, upstreams.settings))
            if upstream is None:
                complete = False
                continue
            _merge(merged, upstream)
        cache.update(document=merged, at=time.monotonic(), complete=complete)
        return merged

    app.openapi = document  # type: ignore[method-assign]


def _fetch(base_url: str, headers: dict[str, str]) -> dict[str, Any] | None:
    request = urllib.request.Request(f"{base_url}/openapi.json", headers=headers)  # noqa: S310 - internal URL
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return json.loads(response.read())
    except (OSError, ValueError):
        log.warning("could not read an upstream OpenAPI document", extra={"url": base_url})
        return None


def _merge(merged: dict[str, Any], upstream: dict[str, Any]) -> None:
    for path, operations in upstream.get("paths", {}).items():
        if path.removeprefix("/v1/") not in PUBLIC_TEMPLATES:
            continue  # health checks and anything else internal stay internal
        for operation in operations.values():
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name", "").lower() != "x-haat-caller"
            ]
            operation["security"] = [{BEARER: []}]
        merged.setdefault("paths", {})[path] = operations
    components = merged.setdefault("components", {})
    for kind, entries in upstream.get("components", {}).items():
        if kind == "securitySchemes":
            continue
        for name, schema in entries.items():
            components.setdefault(kind, {}).setdefault(name, schema)
