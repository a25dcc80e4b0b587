"""The connectors service as the orders service reaches it over HTTP. Shipping labels belong to the
marketplace that ships the parcel: they are asked of the connectors (as the orders service, once the
caller's right to the order has been checked), and a refusal there is raised here as the same refusal."""

from __future__ import annotations

import json
from urllib.parse import quote

import aiohttp

from haat.identity import Caller
from haat.problems import refusal_from_answer
from haat.service import ServiceRuntime
from haat.service_calls import call_service
from haat_orders.settings import OrdersSettings

ORDERS = Caller(subject="orders", role="service")


async def shipping_label(runtime: ServiceRuntime[OrdersSettings], order_id: str) -> bytes:
    settings = runtime.settings
    url = f"{settings.connectors_url.rstrip('/')}/internal/orders/{quote(order_id, safe='')}/label"
    timeout = aiohttp.ClientTimeout(total=settings.connectors_timeout_s)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        answer = await call_service(session, "connectors", "GET", url, caller=ORDERS, settings=settings)
    if answer.status == 200:
        return answer.body
    problem = _problem_of(answer.body)
    if answer.status >= 500:
        code, detail = "upstream-unavailable", problem.get("detail") or f"connectors answered {answer.status}"
    else:
        code = problem.get("type", "label-unavailable").rsplit("/", 1)[-1]
        detail = problem.get("detail") or "no label for this order"
    raise refusal_from_answer(answer.status, code, detail)


def _problem_of(body: bytes) -> dict[str, str]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
