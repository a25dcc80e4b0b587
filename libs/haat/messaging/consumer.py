"""Consumer runner: a consumer group whose handlers apply each event exactly once in effect.

For each record: parse the CloudEvent, open a unit of work, claim the event id in the inbox, run the
handler, commit. Offsets are committed only after the handler's transaction has committed, so a crash
re-delivers and the inbox turns the redelivery into a no-op. A handler that keeps failing (or a record
that is not a valid event) goes to `<topic>.dlq` with the error, and the partition moves on.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import CommitFailedError
from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from tenacity import RetryError, Retrying, retry_if_not_exception_type, stop_after_attempt, wait_exponential

from haat import faults
from haat.errors import DomainError
from haat.events.envelope import CloudEvent
from haat.events.topics import dead_letter
from haat.messaging import inbox
from haat.settings import CommonSettings
from haat.telemetry import backbone_metrics
from haat.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
tracer = trace.get_tracer("haat.kafka")

# The first argument is the service's own unit of work (a UnitOfWork subclass with its repositories).
Handler = Callable[[Any, CloudEvent], None]


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service: which topics it reads and a handler per event type.

    Event types without a handler are skipped (and their offsets committed): a consumer reads only
    what it understands.
    """

    name: str
    topics: tuple[str, ...]
    handlers: Mapping[str, Handler] = field(default_factory=dict)


class DatabaseUnavailable(Exception):
    """The consumer is stopping while its database is unreachable: the event stays uncommitted."""


class ConsumerRunner:
    def __init__(
        self,
        spec: ConsumerSpec,
        *,
        settings: CommonSettings,
        unit_of_work: Callable[[], UnitOfWork],
        inbox_table: Any,
        producer: Any,
        group_id: str | None = None,
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.unit_of_work = unit_of_work
        self.inbox_table = inbox_table
        self.producer = producer
        self.group_id = group_id or spec.name
        self.processed = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self.ready = threading.Event()  # set once the group has assigned partitions
        self.stopping: threading.Event | None = None

    def _make_consumer(self) -> KafkaConsumer:
        return KafkaConsumer(
            *self.spec.topics,
            bootstrap_servers=self.settings.kafka_bootstrap_servers.split(","),
            group_id=self.group_id,
            client_id=f"{self.group_id}-consumer",
            enable_auto_commit=False,
            # "latest" is wrong on the embedded broker (kafka-notes.md); dedupe makes "earliest" safe.
            auto_offset_reset="earliest",
            session_timeout_ms=self.settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=self.settings.kafka_heartbeat_interval_ms,
            max_poll_records=500,
            # A replaced broker (haat.messaging.incarnation): the consumer rejoins its group by itself, but its
            # topics are created again only a moment later, and it sees them at its next metadata refresh;
            # within seconds, not kafka-python's default 5 minutes. (Closing it and making a new one instead
            # left ghost members the broker waited for, for the whole rebalance timeout.)
            metadata_max_age_ms=5000,
            allow_auto_create_topics=False,
        )

    def run(self, stop: threading.Event) -> None:
        self.stopping = stop
        consumer = self._make_consumer()
        log.info("consumer started", extra={"consumer": self.group_id, "topics": list(self.spec.topics)})
        try:
            while not stop.is_set():
                batch = consumer.poll(timeout_ms=200)
                if consumer.assignment():
                    self.ready.set()
                for tp, records in batch.items():
                    try:
                        for record in records:
                            self.process(record)
                    except DatabaseUnavailable:
                        return  # stopping: what was not applied is redelivered after the restart
                    self._commit(consumer, tp, records[-1].offset + 1)
        finally:
            consumer.close(autocommit=False)
            log.info("consumer stopped", extra={"consumer": self.group_id, "processed": self.processed})

    def _commit(self, consumer: KafkaConsumer, tp: TopicPartition, next_offset: int) -> None:
        try:
            consumer.commit({tp: OffsetAndMetadata(next_offset, "", -1)})
        except CommitFailedError:
            # The partition moved to another member during a rebalance: it will re-read from the last
            # committed offset and the inbox makes that harmless.
            log.warning("offset commit failed after rebalance", extra={"partition": str(tp)})

    def process(self, record: Any) -> None:
        headers = {k: v.decode(errors="replace") for k, v in (record.headers or [])}
        parent = propagate.extract(headers)
        token = otel_context.attach(parent)
        try:
            with tracer.start_as_current_span(
                f"{record.topic} process",
                kind=trace.SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": record.topic,
                    "messaging.consumer.group.name": self.group_id,
                    "messaging.kafka.offset": record.offset,
                },
            ) as span:
                try:
                    event = CloudEvent.model_validate_json(record.value)
                except ValidationError as error:
                    self._dead_letter(record, f"not a valid CloudEvent: {error}")
                    return
                span.set_attribute("messaging.message.id", event.id)
                handler = self.spec.handlers.get(event.type)
                if handler is None:
                    return
                self._apply_with_retries(record, event, handler)
        finally:
            otel_context.detach(token)

    def _apply_with_retries(self, record: Any, event: CloudEvent, handler: Handler) -> None:
        # A failing handler is retried a few times, then dead-lettered; an unreachable database is not
        # the event's fault, so that is waited out (the partition pauses) instead of dead-lettering. A use
        # case that refuses the event (haat.errors) would refuse it again: dead-lettered at once, with why.
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.consumer_max_attempts),
            wait=wait_exponential(multiplier=0.05, max=2),
            retry=retry_if_not_exception_type((DatabaseUnavailable, DomainError)),
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self._apply_once_waiting_for_database(event, handler)
        except DomainError as refused:
            log.error(
                "event refused; sent to dead-letter topic",
                extra={"event_id": event.id, "event_type": event.type, "consumer": self.group_id,
                       "code": refused.code, "detail": refused.detail},
            )  # fmt: skip
            self._dead_letter(record, f"refused ({refused.kind}, {refused.code}): {refused.detail}")
        except RetryError as error:
            cause = error.last_attempt.exception()
            log.error(
                "event failed after retries; sent to dead-letter topic",
                extra={"event_id": event.id, "event_type": event.type, "consumer": self.group_id},
                exc_info=cause,
            )
            self._dead_letter(record, "".join(traceback.format_exception(cause)) if cause else "unknown")

    def _apply_once_waiting_for_database(self, event: CloudEvent, handler: Handler) -> None:
        delay = 0.2
        while True:
            try:
                self._apply_once(event, handler)
                return
            except (OperationalError, InterfaceError) as error:
                if self.stopping is not None and self.stopping.is_set():
                    raise DatabaseUnavailable(str(error)) from error
                log.warning(
                    "database unavailable; waiting to apply the event",
                    extra={"event_id": event.id, "consumer": self.group_id, "retry_in_s": delay},
                )
                time.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _apply_once(self, event: CloudEvent, handler: Handler) -> None:
        with self.unit_of_work() as uow:
            if not inbox.claim(uow.session, self.inbox_table, self.group_id, event.id, event.type):
                self.duplicates += 1
                backbone_metrics.duplicates.add(1, {"consumer": self.group_id})
                log.info("duplicate event skipped", extra={"event_id": event.id, "consumer": self.group_id})
                return
            handler(uow, event)
            uow.commit()
        self.processed += 1
        backbone_metrics.processed.add(1, {"consumer": self.group_id})
        faults.crash_point("consumer.after_effect")

    def _dead_letter(self, record: Any, error: str) -> None:
        headers = [
            *(record.headers or []),
            ("dlq.error", error[-4000:].encode()),
            ("dlq.consumer", self.group_id.encode()),
            ("dlq.origin", json.dumps([record.topic, record.partition, record.offset]).encode()),
        ]
        self.producer.send(dead_letter(record.topic), key=record.key, value=record.value, headers=headers).get(
            timeout=30
        )
        self.dead_lettered += 1
        backbone_metrics.dead_lettered.add(1, {"consumer": self.group_id, "topic": record.topic})
