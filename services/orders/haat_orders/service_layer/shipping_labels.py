"""Shipping labels belong to the marketplace that ships the parcel: asked of the connectors service over
HTTP (as the orders service, once the caller's right to the order has been checked here)."""

from __future__ import annotations

import json
from urllib.parse import quote

import aiohttp

from haat.identity import Caller
from haat.problems import Problem
from haat.service import ServiceRuntime
from haat.service_calls import call_service
from haat_orders.settings import OrdersSettings

ORDERS = Caller(subject="orders", role="service")


async def fetch(runtime: ServiceRuntime, order_id: str) -> bytes:
    settings = runtime.settings
    assert isinstance(settings, OrdersSettings)
    url = f"{settings.connectors_url.rstrip('/')}/internal/orders/{quote(order_id, safe='')}/label"
    timeout = aiohttp.ClientTimeout(total=settings.connectors_timeout_s)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        answer = await call_service(session, "connectors", "GET", url, caller=ORDERS, settings=settings)
    if answer.status == 200:
        return answer.body
    problem = _problem_of(answer.body)
    if answer.status >= 500:
        raise Problem(502, "upstream-unavailable", problem.get("detail") or f"connectors answered {answer.status}")
    raise Problem(answer.status, problem.get("type", "label-unavailable").rsplit("/", 1)[-1],
                  problem.get("detail") or "no label for this order")  # fmt: skip


def _problem_of(body: bytes) -> dict[str, str]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
