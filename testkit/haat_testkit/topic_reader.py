"""Read what is on a topic, straight from the broker, without a consumer group (for assertions)."""

from __future__ import annotations

import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition


def read_topic(bootstrap_servers: str, topic: str, *, at_least: int = 0, timeout_s: float = 10.0) -> list[Any]:
    """All records on `topic` from the beginning; waits until there are `at_least` (or the timeout)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers.split(","), enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assignment = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assignment)
        consumer.seek_to_beginning(*assignment)
        records: list[Any] = []
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
            if at_least and len(records) >= at_least:
                # One more short poll so that a surplus (a duplicate) is seen too.
                for batch in consumer.poll(timeout_ms=300).values():
                    records.extend(batch)
                break
        return records
    finally:
        consumer.close()
