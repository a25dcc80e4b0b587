"""The idempotent producer every service uses."""

from __future__ import annotations

import threading
from typing import Any

from kafka import KafkaProducer

from haat.settings import CommonSettings


def make_producer(settings: CommonSettings, *, client_id: str, **overrides: Any) -> KafkaProducer:
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers.split(","),
        "client_id": client_id,
        # Explicit, so that a conflicting setting (acks!=all, >5 in flight) fails loudly instead of
        # silently turning idempotence off.
        "enable_idempotence": True,
        "acks": "all",
        "max_in_flight_requests_per_connection": 5,
        "linger_ms": settings.kafka_producer_linger_ms,
        "batch_size": settings.kafka_producer_batch_size,
        "request_timeout_ms": 30000,
        # Topics are made by `haat topics` / `haat up` (and again after a broker loss, haat.messaging.incarnation)
        # with their partitions and retention; never by a send, with the broker's defaults.
        "allow_auto_create_topics": False,
    }
    config.update(overrides)
    return KafkaProducer(**config)


class SharedProducer:
    """The one producer of a service process (its relay and its dead-letter sends), made anew on demand.

    kafka-python's idempotent producer fails for good once the broker no longer knows its producer id
    (a restarted or replaced broker): `renew` closes it, and the next send makes a fresh one.
    """

    def __init__(self, settings: CommonSettings, *, client_id: str) -> None:
        self.settings = settings
        self.client_id = client_id
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()
        self.renewals = 0

    def _current(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                self._producer = make_producer(self.settings, client_id=self.client_id)
            return self._producer

    def send(self, *args: Any, **kwargs: Any) -> Any:
        return self._current().send(*args, **kwargs)

    def flush(self, timeout: float | None = None) -> None:
        self._current().flush(timeout)

    def renew(self) -> None:
        with self._lock:
            old, self._producer = self._producer, None
            self.renewals += 1
        if old is not None:
            old.close(timeout=0)

    def close(self, timeout: float | None = None) -> None:
        with self._lock:
            old, self._producer = self._producer, None
        if old is not None:
            old.close(timeout=timeout)
