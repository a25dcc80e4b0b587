"""Webhook delivery rate against a local receiver, beside the raw aiohttp POST rate to the same receiver."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import insert

from haat.secret_box import SecretBox
from haat.service import ServiceRuntime, discover_services
from haat_testkit.receiver import CountingReceiver

CONCURRENCY = 8


def raw_post_rate(url: str, body: bytes, messages: int) -> float:
    async def run() -> float:
        async with aiohttp.ClientSession() as session:
            queue = iter(range(messages))

            async def worker() -> None:
                for _ in queue:
                    async with session.post(url, data=body, headers={"content-type": "application/json"}) as r:
                        await r.read()

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
            return messages / (time.perf_counter() - started)

    return asyncio.run(run())


def webhook_delivery_rate(var_dir: Path, body: str, messages: int, receiver: CountingReceiver) -> float:
    """Deliveries queued as the fan-out queues them, then the gateway's delivery job sends them all."""
    from haat_gateway.adapters.tables import webhook_deliveries, webhook_endpoints
    from haat_gateway.service_layer.delivery import Deliverer
    from haat_gateway.service_layer.webhooks import new_secret
    from haat_gateway.settings import GatewaySettings

    definition = discover_services()["gateway"]
    database = var_dir / f"bench-gateway-{uuid.uuid4().hex[:6]}.db"
    settings = GatewaySettings(
        database_url=f"sqlite:///{database}",
        webhook_allow_private=True,
        webhook_max_concurrency=CONCURRENCY,
        webhook_rate_per_s=1_000_000,
        webhook_poll_interval_s=0.01,
        run_workers=False,
    )
    runtime = ServiceRuntime(definition, settings)
    runtime.migrate()
    now = datetime.now(UTC)
    with runtime.unit_of_work() as uow:
        uow.session.execute(
            insert(webhook_endpoints).values(
                id="ep_bench", owner_key_id="bench", url=receiver.url, description="bench", event_types=["x"],
                secret=SecretBox(settings.encryption_keys).seal_text(new_secret()), enabled=True, created_at=now,
                updated_at=now,
            )
        )  # fmt: skip
        uow.session.execute(
            insert(webhook_deliveries),
            [
                {"id": f"msg_{i}", "endpoint_id": "ep_bench", "event_id": f"e{i}", "event_type": "x",
                 "subject": f"s{i}", "payload": body, "status": "pending", "attempts": 0,
                 "next_attempt_at": now, "created_at": now}
                for i in range(messages)
            ],
        )  # fmt: skip
        uow.commit()
    before = receiver.count
    stop = threading.Event()
    thread = threading.Thread(target=lambda: asyncio.run(Deliverer(runtime).run(stop)), daemon=True)
    started = time.perf_counter()
    thread.start()
    while receiver.count - before < messages and time.perf_counter() - started < 600:
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join(30)
    runtime.stop()
    database.unlink(missing_ok=True)
    return (receiver.count - before) / elapsed
