"""The broker's incarnation mark: one record in `haat.incarnation`, written when the topics are created;
its timestamp tells one broker incarnation from the next (haat.messaging.incarnation watches it)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from haat.settings import CommonSettings

MARKER_TOPIC = "haat.incarnation"


def incarnation_started(settings: CommonSettings, timeout_s: float = 5.0) -> datetime | None:
    """When the broker's current incarnation began, or None if nobody has marked it yet."""
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id="haat-incarnation",
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # Asking for a missing marker topic must not create it (with the broker's defaults and no marker).
        allow_auto_create_topics=False,
    )
    try:
        if MARKER_TOPIC not in consumer.topics():
            return None
        partition = TopicPartition(MARKER_TOPIC, 0)
        consumer.assign([partition])
        consumer.seek_to_beginning(partition)
        for records in consumer.poll(timeout_ms=int(timeout_s * 1000)).values():
            if records:
                return datetime.fromtimestamp(records[0].timestamp / 1000, UTC)
        return None
    finally:
        consumer.close()


def mark_incarnation(settings: CommonSettings, admin: KafkaAdminClient, *, exists: bool) -> None:
    """Write the marker record unless the marker topic already has one (its first record is the mark)."""
    if not exists:
        marker = NewTopic(MARKER_TOPIC, num_partitions=1, replication_factor=settings.kafka_replication_factor)
        with contextlib.suppress(TopicAlreadyExistsError):
            admin.create_topics([marker])
    elif incarnation_started(settings, timeout_s=1.0) is not None:
        return
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers.split(","), acks="all")
    try:  # partition 0, where readers look, even if something created the topic with more partitions
        producer.send(MARKER_TOPIC, value=b"haat broker incarnation", partition=0).get(timeout=30)
    finally:
        producer.close(timeout=5)
