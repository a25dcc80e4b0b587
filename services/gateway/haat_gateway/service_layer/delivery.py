"""The webhook delivery job: due deliveries are claimed in the database, sent concurrently with aiohttp,
and their outcome recorded. State lives in the database, so a restart loses nothing: a claim that was
never settled expires and the delivery is sent again (at least once, same webhook-id).

Per endpoint: at most `webhook_max_concurrency` requests in flight and `webhook_rate_per_s` requests a
second, and deliveries of one entity (the event's subject) go one after another, in order. Endpoints
never wait for each other.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import and_, bindparam, exists, func, insert, select, update
from sqlalchemy.orm import aliased
from standardwebhooks.webhooks import Webhook

from haat.events.gateway import WebhookEndpointDisabledV1
from haat.nudge import Nudge
from haat.secret_box import SecretBox
from haat.service import ServiceRuntime
from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from haat_gateway.service_layer.destinations import GuardedResolver
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
        self.box = SecretBox(self.settings.encryption_keys)  # endpoint secrets are stored encrypted
        self.in_flight: dict[str, int] = {}
        self.next_slot: dict[str, float] = {}  # per endpoint: when the rate limit allows the next request
        self.tasks: set[asyncio.Task[None]] = set()
        self.outcomes: list[tuple[Any, int | None, str | None, int]] = []  # recorded together, one transaction

    async def run(self, stop: threading.Event) -> None:
        resolver = GuardedResolver(
            allow_private=self.settings.webhook_allow_private, allowed_hosts=self.settings.webhook_allowed_hosts
        )
        connector = aiohttp.TCPConnector(resolver=resolver, limit=200)
        timeout = aiohttp.ClientTimeout(total=self.settings.webhook_timeout_s)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
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
                    task = asyncio.create_task(self.deliver(session, delivery))
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
        """Claim what may be sent now: due, first of its entity, endpoint enabled and with a free slot.

        At most `webhook_max_concurrency` candidates per endpoint are considered (a window per endpoint),
        so one endpoint's backlog can never crowd the others out of a batch.
        """
        now = datetime.now(UTC)
        d, e = webhook_deliveries.c, webhook_endpoints.c
        earlier = aliased(webhook_deliveries)
        full = [endpoint for endpoint, slots in free.items() if slots <= 0]
        due = (
            select(
                d.id,
                func.row_number().over(partition_by=d.endpoint_id, order_by=d.seq).label("place"),
            )
            .join(webhook_endpoints, e.id == d.endpoint_id)
            .where(
                d.status == "pending",
                d.next_attempt_at <= now,
                (d.claimed_until.is_(None)) | (d.claimed_until < now),
                e.enabled.is_(True),
                d.endpoint_id.not_in(full),
                ~exists().where(
                    and_(
                        earlier.c.endpoint_id == d.endpoint_id,
                        earlier.c.subject == d.subject,
                        earlier.c.status == "pending",
                        earlier.c.seq < d.seq,
                    )
                ),
            )
            .subquery()
        )
        candidates = (
            select(due.c.id).where(due.c.place <= self.settings.webhook_max_concurrency).limit(BATCH).scalar_subquery()
        )
        with self.runtime.unit_of_work() as uow:
            rows = uow.session.execute(
                select(webhook_deliveries, e.url, e.secret, e.previous_secret, e.previous_secret_until)
                .join(webhook_endpoints, e.id == d.endpoint_id)
                .where(d.id.in_(candidates))
                .order_by(d.seq)
                .with_for_update(of=webhook_deliveries, skip_locked=True)
            ).all()
            chosen = []
            slots = dict(free)
            for row in rows:
                left = slots.get(row.endpoint_id, self.settings.webhook_max_concurrency)
                if left > 0:
                    chosen.append(row)
                    slots[row.endpoint_id] = left - 1
            if chosen:
                until = now + timedelta(seconds=self.settings.webhook_timeout_s + 30)
                uow.session.execute(
                    update(webhook_deliveries).where(d.id.in_([r.id for r in chosen])).values(claimed_until=until)
                )
                uow.commit()
        return chosen

    async def deliver(self, session: aiohttp.ClientSession, delivery: Any) -> None:
        # The slot is freed before the outcome is recorded; that is safe: the delivery stays claimed and
        # pending (so the next one of its entity waits) until the outcome is written.
        try:
            await self._respect_rate(delivery.endpoint_id)
            status, error, latency_ms = await self._post(session, delivery)
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

    async def _post(self, session: aiohttp.ClientSession, delivery: Any) -> tuple[int | None, str | None, int]:
        sent_at = datetime.now(UTC)
        secret = self.box.open_text(delivery.secret)
        signatures = [Webhook(secret).sign(delivery.id, sent_at, delivery.payload)]
        if delivery.previous_secret and delivery.previous_secret_until and delivery.previous_secret_until > sent_at:
            previous = self.box.open_text(delivery.previous_secret)
            signatures.append(Webhook(previous).sign(delivery.id, sent_at, delivery.payload))
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": " ".join(signatures),
            "user-agent": "Haat-Webhooks/1.0",
        }
        started = time.perf_counter()
        try:
            # Redirects are never followed: a redirect to an address literal (169.254.169.254…) would not pass
            # through the resolver that keeps deliveries off private networks. A 3xx is a failed attempt.
            async with session.post(
                delivery.url, data=delivery.payload.encode(), headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                moved = "redirects are not followed" if 300 <= response.status < 400 else None
                return response.status, moved, int((time.perf_counter() - started) * 1000)
        except TimeoutError:
            return None, "timed out", int((time.perf_counter() - started) * 1000)
        except (aiohttp.ClientError, OSError) as failure:
            return None, f"{type(failure).__name__}: {failure}"[:500], int((time.perf_counter() - started) * 1000)

    def record_all(self, outcomes: list[tuple[Any, int | None, str | None, int]]) -> None:
        """Write a batch of outcomes in one transaction: attempts, delivery states, endpoint health."""
        now = datetime.now(UTC)
        attempts: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        succeeded: set[str] = set()
        failed: set[str] = set()
        for delivery, status, error, latency_ms in outcomes:
            change = self._outcome(delivery, status, error, latency_ms, now)
            changes.append(change)
            attempts.append(
                {"delivery_id": delivery.id, "attempted_at": now, "status_code": status,
                 "error": change["b_last_error"], "latency_ms": latency_ms}
            )  # fmt: skip
            (succeeded if change["b_status"] == "delivered" else failed).add(delivery.endpoint_id)
        d, e = webhook_deliveries.c, webhook_endpoints.c
        columns = ("status", "attempts", "next_attempt_at", "claimed_until", "last_status_code", "last_error",
                   "last_latency_ms", "delivered_at")  # fmt: skip
        with self.runtime.unit_of_work() as uow:
            uow.session.execute(insert(webhook_attempts), attempts)
            uow.session.execute(
                update(webhook_deliveries)
                .where(d.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in columns}),
                changes,
                execution_options={"synchronize_session": False},
            )
            if succeeded:
                uow.session.execute(
                    update(webhook_endpoints)
                    .where(e.id.in_(succeeded), e.failing_since.is_not(None))
                    .values(failing_since=None)
                )
            for endpoint_id in failed - succeeded:
                self._note_failure(uow, endpoint_id, now)
            uow.commit()

    def _outcome(
        self, delivery: Any, status: int | None, error: str | None, latency_ms: int, now: datetime
    ) -> dict[str, Any]:
        ok = status is not None and 200 <= status < 300
        attempts = delivery.attempts + 1
        schedule = self.settings.webhook_retry_schedule_s
        if ok:
            state, next_at = "delivered", delivery.next_attempt_at
        elif attempts >= len(schedule):
            state, next_at = "failed", delivery.next_attempt_at
        else:
            jitter = random.uniform(0.8, 1.2)
            state, next_at = "pending", now + timedelta(seconds=schedule[attempts] * jitter)
        return {
            "b_id": delivery.id,
            "b_status": state,
            "b_attempts": attempts,
            "b_next_attempt_at": next_at,
            "b_claimed_until": None,
            "b_last_status_code": status,
            "b_last_error": error or (None if ok else f"HTTP {status}"),
            "b_last_latency_ms": latency_ms,
            "b_delivered_at": now if ok else None,
        }

    def _note_failure(self, uow: UnitOfWork, endpoint_id: str, now: datetime) -> None:
        e = webhook_endpoints.c
        session = uow.session
        row = session.execute(
            select(e.failing_since, e.url, e.enabled, e.owner_key_id).where(e.id == endpoint_id).with_for_update()
        ).one()
        if row.failing_since is None:
            session.execute(update(webhook_endpoints).where(e.id == endpoint_id).values(failing_since=now))
        elif row.enabled and (now - row.failing_since).total_seconds() > self.settings.webhook_disable_after_s:
            reason = f"every delivery failed since {row.failing_since.isoformat()}"
            session.execute(
                update(webhook_endpoints).where(e.id == endpoint_id).values(enabled=False, disabled_reason=reason)
            )
            # The notice goes out like any event (outbox → Kafka → fan-out), e.g. to the partner's other endpoint.
            uow.emit(WebhookEndpointDisabledV1(endpoint_id=endpoint_id, url=row.url, reason=reason,
                                               owner_key_id=row.owner_key_id))  # fmt: skip
            log.warning("webhook endpoint disabled", extra={"endpoint_id": endpoint_id, "reason": reason})
