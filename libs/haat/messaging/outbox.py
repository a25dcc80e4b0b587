"""Transactional outbox: events are rows written in the business transaction; a relay publishes them.

The relay publishes a batch with the idempotent producer, waits for every ack, then marks the rows sent
in the same database transaction that selected them. A crash between publish and mark re-publishes the
batch on restart: the same event ids, which consumers dedupe through their inbox.
On PostgreSQL a transaction-scoped advisory lock lets only one relay work at a time, so several relay
processes are safe (standbys take over when one dies) and per-key order is preserved.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry import propagate
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from haat import faults
from haat.db import is_postgres
from haat.events.envelope import STRUCTURED_CONTENT_TYPE, CloudEvent
from haat.events.registry import registry
from haat.kafka.producer import SharedProducer
from haat.telemetry import backbone_metrics

log = logging.getLogger(__name__)

# Any constant works: each service has its own database, so the lock only competes with its own relays.
RELAY_LOCK_KEY = 0x4A47_0001


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def stage(session: Session, outbox: Table, event: CloudEvent) -> None:
    """Write `event` to the outbox inside the caller's transaction (nothing is published until commit)."""
    spec = registry.spec(event.type)
    session.execute(
        insert(outbox).values(
            event_id=event.id,
            event_type=event.type,
            topic=spec.topic,
            key=event.subject or event.id,
            payload=event.model_dump_json(),
            traceparent=current_traceparent(),
            created_at=datetime.now(UTC),
        )
    )


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        outbox: Table,
        producer: Any,
        *,
        batch_size: int = 500,
        poll_interval_s: float = 0.2,
        retention: timedelta = timedelta(hours=72),
        wakeup: threading.Event | None = None,
    ) -> None:
        self.engine = engine
        self.outbox = outbox
        self.producer = producer
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.retention = retention
        self.wakeup = wakeup or threading.Event()
        self.published = 0

    def publish_batch(self) -> int:
        """Publish up to one batch of unsent events; returns how many were published."""
        with self.engine.begin() as conn:
            if not self._take_lock(conn):
                return 0
            t = self.outbox.c
            rows = conn.execute(
                select(t.seq, t.topic, t.key, t.payload, t.traceparent, t.event_type)
                .where(t.sent_at.is_(None))
                .order_by(t.seq)
                .limit(self.batch_size)
            ).all()
            if not rows:
                return 0
            futures = [
                self.producer.send(
                    row.topic,
                    key=row.key.encode(),
                    value=row.payload.encode(),
                    headers=_headers(row.traceparent, row.event_type),
                )
                for row in rows
            ]
            self.producer.flush()
            for future in futures:
                future.get(timeout=30)  # raises if the broker refused: the transaction rolls back
            faults.crash_point("relay.after_publish")
            conn.execute(update(self.outbox).where(t.seq.in_([r.seq for r in rows])).values(sent_at=datetime.now(UTC)))
        self.published += len(rows)
        backbone_metrics.published.add(len(rows))
        return len(rows)

    def drain(self) -> int:
        total = 0
        while n := self.publish_batch():
            total += n
        return total

    def purge_sent(self) -> int:
        cutoff = datetime.now(UTC) - self.retention
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(self.outbox).where(self.outbox.c.sent_at.is_not(None), self.outbox.c.sent_at < cutoff)
            )
        return result.rowcount or 0

    def requeue_since(self, since: datetime) -> int:
        """Mark events sent since `since` unsent, e.g. after the broker lost its memory."""
        with self.engine.begin() as conn:
            result = conn.execute(update(self.outbox).where(self.outbox.c.sent_at >= since).values(sent_at=None))
        return result.rowcount or 0

    def newest_sent(self) -> datetime | None:
        with self.engine.connect() as conn:
            newest: datetime | None = conn.scalar(select(func.max(self.outbox.c.sent_at)))
        return newest

    def unsent_count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.scalar(select(func.count()).select_from(self.outbox).where(self.outbox.c.sent_at.is_(None))) or 0
            )

    def run(self, stop: threading.Event) -> None:
        log.info("outbox relay started")
        last_purge = datetime.now(UTC)
        while not stop.is_set():
            try:
                if self.drain():
                    continue
            except Exception:
                log.exception("outbox relay batch failed; retrying")
                if isinstance(self.producer, SharedProducer):
                    self.producer.renew()  # a broker that forgot the producer id never accepts it again
                stop.wait(1.0)
                continue
            if datetime.now(UTC) - last_purge > timedelta(minutes=10):
                self.purge_sent()
                last_purge = datetime.now(UTC)
            self.wakeup.wait(self.poll_interval_s)
            self.wakeup.clear()
        log.info("outbox relay stopped", extra={"published": self.published})

    def _take_lock(self, conn: Connection) -> bool:
        if not is_postgres(self.engine):
            return True  # SQLite serialises writers itself; the embedded run has one relay per service
        return bool(conn.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_KEY))))


def _headers(traceparent: str | None, event_type: str) -> list[tuple[str, bytes]]:
    headers = [("content-type", STRUCTURED_CONTENT_TYPE.encode()), ("ce_type", event_type.encode())]
    if traceparent:
        headers.append(("traceparent", traceparent.encode()))
    return headers
