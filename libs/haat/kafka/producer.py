"""The idempotent producer every service uses."""

from __future__ import annotations

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
    }
    config.update(overrides)
    return KafkaProducer(**config)
