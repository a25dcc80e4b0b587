"""Noticing that the broker lost everything it held, and recovering this service's part of it.

The embedded broker keeps every message in memory, so a restart empties it; a wiped or rebuilt Kafka
cluster is the same case. What was published to the lost broker and not yet consumed exists only in the
services' outboxes, so each relay's watch publishes again what it sent to that broker (consumers skip
what they had already applied: their inbox dedupes by event id).

A broker's incarnation is told by the timestamp of the first record of `haat.incarnation`, which
`ensure_topics` writes when it creates that topic. A different (or missing) timestamp means the broker
was replaced: the watch creates the topics again, re-queues this service's events sent since the lost
incarnation began, and asks for a new producer (the old producer's id is unknown to the new broker, which
kafka-python treats as fatal). Consumers rejoin their groups by themselves and find the topics again at
their next metadata refresh (haat.messaging.consumer); with no committed offsets they start from the earliest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from haat.kafka.admin import ensure_topics
from haat.kafka.incarnation_marker import incarnation_started
from haat.messaging.outbox import OutboxRelay
from haat.settings import CommonSettings

log = logging.getLogger(__name__)

# Clocks of the process that wrote the marker and of the relays differ a little: re-publish a margin more.
CLOCK_MARGIN = timedelta(minutes=1)


class BrokerWatch:
    def __init__(
        self,
        settings: CommonSettings,
        relay: OutboxRelay,
        *,
        on_replaced: Callable[[], None],
        interval_s: float = 5.0,
    ) -> None:
        self.settings = settings
        self.relay = relay
        self.on_replaced = on_replaced
        self.interval_s = interval_s
        self.known: datetime | None = None
        self.replacements = 0

    def check(self) -> None:
        started = incarnation_started(self.settings)
        if started is None:  # a new broker nobody has marked yet: create the topics and mark it
            ensure_topics(self.settings)
            started = incarnation_started(self.settings)
            if started is None:
                return  # look again next round
        if started == self.known:
            return
        if self.known is not None:
            self._recover(since=self.known - CLOCK_MARGIN)
        else:
            self._catch_up(started)
        self.known = started

    def _recover(self, since: datetime) -> None:
        ensure_topics(self.settings)  # with their partition counts and retention, not the broker's defaults
        count = self.relay.requeue_since(since)
        self.replacements += 1
        log.warning(
            "the broker lost what it held; publishing this service's events again",
            extra={"events": count, "since": since.isoformat()},
        )
        self.on_replaced()

    def _catch_up(self, started: datetime | None) -> None:
        # Started against a broker newer than anything this service published: what it published went to
        # an earlier incarnation (while this process was not running), so all of it is published again.
        newest = self.relay.newest_sent()
        if started is not None and newest is not None and newest < started - CLOCK_MARGIN:
            self._recover(since=datetime.min.replace(tzinfo=UTC))

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.check()
            except Exception as error:  # the broker is down or restarting: look again next round
                log.info("broker incarnation not readable", extra={"error": repr(error)})
            stop.wait(self.interval_s)
