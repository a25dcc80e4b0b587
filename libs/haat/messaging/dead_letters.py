"""Dead-letter topics: inspect what failed and why, and replay it to its origin once the cause is fixed.

Replay re-produces each dead letter to its original topic with the original key, value and headers
(the dlq.* headers dropped), so the consumers see the same event id: whoever already processed it skips
it, whoever failed processes it now. Progress is a consumer group per DLQ, so a replay resumes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from haat.events.topics import dead_letter
from haat.settings import CommonSettings

DLQ_HEADER_PREFIX = "dlq."


@dataclass(frozen=True)
class DeadLetter:
    origin_topic: str
    origin_partition: int
    origin_offset: int
    consumer: str
    error: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]


def _parse(record: Any) -> DeadLetter:
    headers = dict(record.headers or [])
    topic, partition, offset = json.loads(headers["dlq.origin"])
    return DeadLetter(
        origin_topic=topic,
        origin_partition=partition,
        origin_offset=offset,
        consumer=headers.get("dlq.consumer", b"").decode(),
        error=headers.get("dlq.error", b"").decode(errors="replace"),
        key=record.key,
        value=record.value,
        headers=[(k, v) for k, v in (record.headers or []) if not k.startswith(DLQ_HEADER_PREFIX)],
    )


def _reader(settings: CommonSettings, topic: str, group_id: str | None) -> KafkaConsumer:
    return KafkaConsumer(
        dead_letter(topic),
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
        consumer_timeout_ms=3000,  # stop iterating once the DLQ is drained
    )


def list_dead_letters(settings: CommonSettings, topic: str) -> list[DeadLetter]:
    reader = _reader(settings, topic, group_id=None)
    try:
        return [_parse(record) for record in reader]
    finally:
        reader.close()


def replay_dead_letters(settings: CommonSettings, topic: str, producer: Any) -> int:
    """Send every not yet replayed dead letter of `topic` back to it; returns how many.

    Only letters that were in the DLQ when the replay began are sent: a letter that fails again lands
    in the DLQ anew and waits for the next replay instead of cycling.
    """
    started_ms = int(time.time() * 1000)
    reader = _reader(settings, topic, group_id=f"haat-dlq-replay.{topic}")
    replayed = 0
    try:
        for record in reader:
            if record.timestamp >= started_ms:
                reader.pause(TopicPartition(record.topic, record.partition))
                continue
            letter = _parse(record)
            producer.send(letter.origin_topic, key=letter.key, value=letter.value, headers=letter.headers).get(
                timeout=30
            )
            reader.commit()
            replayed += 1
    finally:
        reader.close()
    return replayed
