"""Topic creation with explicit partition counts (the broker would otherwise auto-create with its own)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from haat.events import topics
from haat.kafka.incarnation_marker import MARKER_TOPIC, mark_incarnation
from haat.settings import CommonSettings

log = logging.getLogger(__name__)


def standard_topics() -> list[str]:
    return [t for base in topics.ALL for t in (base, topics.dead_letter(base))]


def ensure_topics(settings: CommonSettings, names: Iterable[str] | None = None) -> list[str]:
    """Create the given topics (default: every Haat topic and its DLQ); returns those newly created."""
    wanted = list(names) if names is not None else standard_topics()
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers.split(","), client_id="haat-admin")
    try:
        existing = set(admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            new = [
                NewTopic(
                    t,
                    num_partitions=settings.kafka_topic_partitions,
                    replication_factor=settings.kafka_replication_factor,
                    topic_configs={"retention.ms": str(int(_retention_hours(settings, t) * 3600 * 1000))},
                )
                for t in missing
            ]
            # Another process may create them between our list and create.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(new)
            log.info("topics created", extra={"topics": missing})
        mark_incarnation(settings, admin, exists=MARKER_TOPIC in existing)
        return missing
    finally:
        admin.close()


def _retention_hours(settings: CommonSettings, topic: str) -> float:
    # Dead letters wait for a person to look at them: keep them longer than the events themselves.
    return settings.kafka_dlq_retention_hours if topic.endswith(".dlq") else settings.kafka_retention_hours
