"""A notification queue as an operator makes one for Amazon to deliver to: the queue, its dead-letter queue and
the redrive policy between them (in production, infrastructure code makes them, with a policy letting
Amazon's SP-API account send; here, for the embedded run and the tests, on the local SQS stand-in)."""

from __future__ import annotations

import json
from typing import Any

import boto3

DEAD_LETTERS_AFTER = 5  # receives of one message before SQS moves it to the dead-letter queue


def stand_in_client(endpoint_url: str, region: str) -> Any:
    """An SQS client of the local stand-in, which checks no keys."""
    return boto3.client("sqs", region_name=region, endpoint_url=endpoint_url, aws_access_key_id="sandbox",
                        aws_secret_access_key="sandbox")  # noqa: S106  # fmt: skip


def create_notification_queue(client: Any, name: str, *, visibility_timeout_s: int = 30) -> str:
    """The queue's URL; idempotent (an existing queue with these attributes is kept)."""
    dead = client.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dead_arn = client.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = {"deadLetterTargetArn": dead_arn, "maxReceiveCount": str(DEAD_LETTERS_AFTER)}
    attributes = {"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(visibility_timeout_s)}
    return str(client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])
