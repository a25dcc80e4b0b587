"""The webhook delivery job: due deliveries are claimed in the database, sent concurrently (adapters.webhook_sender),
and their outcome recorded. State lives in the database, so a restart loses nothing: a claim that was
never settled expires and the delivery is sent again (at least once, same webhook-id).

Per endpoint: at most `webhook_max_concurrency` requests in flight and `webhook_rate_per_s` requests a
second, and deliveries of one entity (the event's subject) go one after another, in order. Endpoints
never wait for each other.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from haat.backoff import Backoff
from haat.events.gateway import WebhookEndpointDisabledV1
from haat.nudge import Nudge
from haat.service import ServiceRuntime
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork, unit_of_work
from haat_gateway.adapters.webhook_sender import WebhookSender
from haat_gateway.domain.webhook_delivery import attempted
from haat_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)
BATCH = 200

# Wakes the delivery job when a commit has queued deliveries (an event fanned out, a replay, a retry).
NEW_DELIVERIES = Nudge()


def run_deliveries(runtime: ServiceRuntime[GatewaySettings], stop: threading.Event) -> None:
    asyncio.run(Deliverer(runtime).run(stop))


class Deliverer:
    def __init__(self, runtime: ServiceRuntime[GatewaySettings]) -> None:
        self.runtime = runtime
        self.settings: GatewaySettings = runtime.settings
        self.retry = Backoff.schedule(self.settings.webhook_retry_schedule_s)
        self.in_flight: dict[str, int] = {}
        self.next_slot: dict[str, float] = {}  # per endpoint: when the rate limit allows the next request
        self.tasks: set[asyncio.Task[None]] = set()
        self.outcomes: list[Outcome] = []  # recorded together, one transaction

    async def run(self, stop: threading.Event) -> None:
        async with WebhookSender(self.settings) as sender:
            while not stop.is_set():
                await self.flush_outcomes()
                seen = NEW_DELIVERIES.generation
                free = {key: self.settings.webhook_max_concurrency - n for key, n in self.in_flight.items()}
                try:
                    claimed = await asyncio.to_thread(self.claim_due, free)
                except Exception:
                    log.exception("claiming webhook deliveries failed; retrying")
                    claimed = []
                for delivery in claimed:
                    self.in_flight[delivery.endpoint_id] = self.in_flight.get(delivery.endpoint_id, 0) + 1
                    task = asyncio.create_task(self.deliver(sender, delivery))
                    self.tasks.add(task)
                    task.add_done_callback(self.tasks.discard)
                # Go round again as soon as a request finishes (a slot is free) or new deliveries are queued,
                # or after the poll interval.
                poll = self.settings.webhook_poll_interval_s
                nudged = asyncio.ensure_future(NEW_DELIVERIES.wait(poll, seen=seen))
                await asyncio.wait({*self.tasks, nudged}, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
                nudged.cancel()
            if self.tasks:
                await asyncio.wait(self.tasks, timeout=self.settings.webhook_timeout_s)
            await self.flush_outcomes()

    async def flush_outcomes(self) -> None:
        if not self.outcomes:
            return
        batch, self.outcomes = self.outcomes, []
        try:
            await asyncio.to_thread(self.record_all, batch)
        except Exception:
            # Not recorded: their claims expire and they are sent again (at least once, same webhook-id).
            log.exception("recording webhook outcomes failed", extra={"deliveries": len(batch)})

    def claim_due(self, free: dict[str, int]) -> list[Any]:
        """Claim what may be sent now (the window and ordering rules are in WebhookDeliveries.claim)."""
        per_endpoint = self.settings.webhook_max_concurrency
        with unit_of_work(self.runtime) as uow:
            chosen = uow.deliveries.claim(datetime.now(UTC), free, per_endpoint, BATCH,
                                          hold_s=self.settings.webhook_timeout_s + 30)  # fmt: skip
            if chosen:
                uow.commit()
        return chosen

    async def deliver(self, sender: WebhookSender, delivery: Any) -> None:
        # The slot is freed before the outcome is recorded; that is safe: the delivery stays claimed and
        # pending (so the next one of its entity waits) until the outcome is written.
        try:
            await self._respect_rate(delivery.endpoint_id)
            status, error, latency_ms = await sender.send(delivery)
            self.outcomes.append((delivery, status, error, latency_ms))
        except Exception:
            log.exception("webhook delivery crashed", extra={"delivery_id": delivery.id})
        finally:
            self.in_flight[delivery.endpoint_id] -= 1

    async def _respect_rate(self, endpoint_id: str) -> None:
        interval = 1.0 / self.settings.webhook_rate_per_s
        now = time.monotonic()
        slot = max(now, self.next_slot.get(endpoint_id, now))
        self.next_slot[endpoint_id] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def record_all(self, outcomes: list[Outcome]) -> None:
        with unit_of_work(self.runtime) as uow:
            record_outcomes(uow, outcomes, self.retry, self.settings.webhook_disable_after_s, datetime.now(UTC))


# A delivery sent, the status its endpoint answered (None: no answer), the error, and how long it took (ms).
Outcome = tuple[Any, int | None, str | None, int]


def record_outcomes(uow: GatewayUnitOfWork, outcomes: list[Outcome], retry: Backoff, disable_after_s: float,
                    now: datetime) -> None:  # fmt: skip
    """A round of outcomes in one transaction: the attempts, the deliveries' new states, and the health of
    their endpoints (healthy again after any success; failing, and in time disabled, when none got through)."""
    attempts: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    succeeded: set[str] = set()
    failed: set[str] = set()
    for delivery, status, error, latency_ms in outcomes:
        change = _outcome(delivery, status, error, latency_ms, retry, now)
        changes.append(change)
        attempts.append(
            {"delivery_id": delivery.id, "attempted_at": now, "status_code": status,
             "error": change["b_last_error"], "latency_ms": latency_ms}
        )  # fmt: skip
        (succeeded if change["b_status"] == "delivered" else failed).add(delivery.endpoint_id)
    uow.deliveries.record(attempts, changes)
    if succeeded:
        uow.endpoints.recovered(succeeded)
    for endpoint_id in sorted(failed - succeeded):
        health = uow.endpoints.health(endpoint_id)
        health.failed_again(now, disable_after_s)
        uow.endpoints.save_health(health)
        for disabled in health.events:
            # The notice goes out like any event (outbox → Kafka → fan-out), e.g. to the partner's other endpoint.
            uow.emit(WebhookEndpointDisabledV1(endpoint_id=disabled.endpoint_id, url=disabled.url,
                                               reason=disabled.reason, owner_key_id=disabled.owner_key_id))  # fmt: skip
            log.warning("webhook endpoint disabled", extra={"endpoint_id": endpoint_id, "reason": disabled.reason})
    uow.commit()


def _outcome(delivery: Any, status: int | None, error: str | None, latency_ms: int, retry: Backoff,
             now: datetime) -> dict[str, Any]:  # fmt: skip
    result = attempted(status, error, delivery.attempts, retry, now)
    return {
        "b_id": delivery.id,
        "b_status": result.state,
        "b_attempts": result.attempts,
        "b_next_attempt_at": result.next_attempt_at or delivery.next_attempt_at,
        "b_claimed_until": None,
        "b_last_status_code": status,
        "b_last_error": result.error,
        "b_last_latency_ms": latency_ms,
        "b_delivered_at": now if result.state == "delivered" else None,
    }
