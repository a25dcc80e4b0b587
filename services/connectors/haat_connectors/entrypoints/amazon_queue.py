"""A job: Amazon's notifications, read from the SQS queue Amazon delivers them to (long polling) and acted on
one by one, each in its own transaction; a message is deleted only after that transaction committed, so a
crash at any point loses nothing (SQS hands the message out again after its visibility timeout) and the
effects are idempotent, so a message handed out twice changes nothing twice. Nothing of Amazon arrives over
HTTP outside a sandbox's legacy mode."""

from __future__ import annotations

import logging
import threading

from haat.service import ServiceRuntime
from haat_connectors.adapters.marketplaces.amazon_queue import (
    NotificationQueue,
    QueuedMessage,
    UnreadableNotification,
    read_message,
)
from haat_connectors.adapters.marketplaces.channels import read_notification
from haat_connectors.adapters.unit_of_work import unit_of_work
from haat_connectors.service_layer import accounts, notifications
from haat_connectors.settings import ConnectorsSettings

log = logging.getLogger(__name__)


def run_amazon_queue(runtime: ServiceRuntime[ConnectorsSettings], stop: threading.Event) -> None:
    """Until stopped; not at all when no queue is configured (Amazon's orders are then learnt by polling)."""
    settings = runtime.settings
    if not settings.amazon_notification_queue_url:
        return
    queue = NotificationQueue(settings)
    while not stop.is_set():
        for message in queue.receive(settings.amazon_queue_wait_s):
            take(runtime, queue, message)


def take(runtime: ServiceRuntime[ConnectorsSettings], queue: NotificationQueue, message: QueuedMessage) -> None:
    try:
        notification = read_notification("amazon", read_message(message.body))
    except (UnreadableNotification, ValueError, KeyError, TypeError) as unreadable:
        # Left on the queue: after a few more receives SQS moves it to the dead-letter queue.
        seen = {"message_id": message.message_id, "receives": message.receives, "error": str(unreadable)}
        log.warning("unreadable Amazon notification", extra=seen)
        return
    with unit_of_work(runtime) as uow:
        account = accounts.find_by_seller(uow, "amazon", notification.seller_id)
        if account is None:
            log.warning("Amazon notification for a seller with no account here; dropped",
                        extra={"message_id": message.message_id, "seller_id": notification.seller_id})  # fmt: skip
        else:
            notifications.act_on(uow, account, notification)
            uow.commit()
    queue.delete(message)  # only now: its effect is stored
