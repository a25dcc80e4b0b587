"""Amazon's notifications as Amazon delivers them: messages on an SQS queue of ours (boto3, the AWS SDK), read
by long polling and deleted only once their effect is committed. A message that cannot be read, or whose
effect keeps failing, is left alone: SQS shows it again after its visibility timeout, and after the queue's
`maxReceiveCount` moves it to the dead-letter queue (its redrive policy), where an operator can look at it.

Each body is an SP-API notification, checked against Amazon's published schema of its type (vendored in
sp_api_notifications/, Apache-2.0) before anything reads it."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from jsonschema import Draft7Validator

from haat_connectors.settings import ConnectorsSettings

SCHEMAS = Path(__file__).parent / "sp_api_notifications"
SCHEMA_OF_TYPE = {
    "ORDER_CHANGE": "OrderChangeNotification.json",
    "LISTINGS_ITEM_STATUS_CHANGE": "ListingsItemStatusChangeNotification.json",
    "LISTINGS_ITEM_ISSUES_CHANGE": "ListingsItemIssuesChangeNotification_2023-12-13.json",
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE": "ListingsItemMfnQuantityChange.json",
}


class UnreadableNotification(ValueError):
    """A message that is not an SP-API notification of a type we read."""


@functools.cache
def _validator(notification_type: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / SCHEMA_OF_TYPE[notification_type]).read_text())
    # The published status-change schema lists its type as LISTINGS_ITEM_STATUS_CHANGED, while its own example,
    # the Notifications API and what Amazon sends say LISTINGS_ITEM_STATUS_CHANGE: the type is taken as sent.
    schema["properties"]["NotificationType"]["enum"] = [notification_type]
    return Draft7Validator(schema)


def read_message(body: str) -> dict[str, Any]:
    """The notification in a message's body, valid by its type's schema; UnreadableNotification if not."""
    try:
        notification = json.loads(body)
    except ValueError as error:
        raise UnreadableNotification(f"not JSON: {error}") from None
    kind = notification.get("NotificationType") if isinstance(notification, dict) else None
    if kind not in SCHEMA_OF_TYPE:
        raise UnreadableNotification(f"not a notification type Haat reads: {kind!r}")
    errors = sorted(_validator(kind).iter_errors(notification), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(body)"
        raise UnreadableNotification(f"{kind} does not match Amazon's schema at {where}: {errors[0].message}")
    return dict(notification)


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    receipt: str
    body: str
    receives: int  # how often SQS has handed it out (1: the first time)


class NotificationQueue:
    """The SQS queue Amazon delivers to, as our consumer sees it."""

    def __init__(self, settings: ConnectorsSettings) -> None:
        self.url = settings.amazon_notification_queue_url
        keys = settings.aws_secret_access_key.get_secret_value()
        self.client = boto3.client(
            "sqs",
            region_name=settings.aws_region,
            endpoint_url=settings.sqs_endpoint_url or None,  # None: AWS's own endpoint for the region
            aws_access_key_id=settings.aws_access_key_id or None,  # None: the SDK's chain (role, environment)
            aws_secret_access_key=keys or None,
            config=Config(connect_timeout=5, read_timeout=settings.amazon_queue_wait_s + 10,
                          retries={"max_attempts": 3, "mode": "standard"}),
        )  # fmt: skip

    def arn(self) -> str:
        """The queue's ARN: what a destination names (Amazon sends to it)."""
        answer = self.client.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
        return str(answer["Attributes"]["QueueArn"])

    def receive(self, wait_s: int, most: int = 10) -> list[QueuedMessage]:
        """Up to `most` messages, waiting up to `wait_s` for the first (long polling: no busy loop)."""
        answer = self.client.receive_message(
            QueueUrl=self.url, MaxNumberOfMessages=most, WaitTimeSeconds=wait_s,
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        )  # fmt: skip
        messages = answer.get("Messages", [])
        return [QueuedMessage(m["MessageId"], m["ReceiptHandle"], m["Body"], _receives(m)) for m in messages]

    def delete(self, message: QueuedMessage) -> None:
        self.client.delete_message(QueueUrl=self.url, ReceiptHandle=message.receipt)


def _receives(message: dict[str, Any]) -> int:
    return int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
