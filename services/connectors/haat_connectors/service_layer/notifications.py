"""What a marketplace's notification makes Haat do, however it arrived (Flipkart's signed HTTP push, Amazon's
SQS queue). A notification is a hint: the order or listing it names is fetched from the marketplace's API
before anything is published. The one thing acted on at once is a new order's quantities, held off every
channel until the fetch confirms the order (or finds none and releases them); a listing status it reports
counts from no later than now."""

from __future__ import annotations

from typing import Any

from haat_connectors.adapters.marketplaces.base import Notification
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.service_layer import listing_sync, order_sync


def act_on(uow: ConnectorsUnitOfWork, account: Any, notification: Notification) -> None:
    """In the caller's transaction (it commits, then acknowledges the notification)."""
    if notification.kind == "order" and notification.order_id:
        if notification.new_order_items:
            order_sync.hold_from_notification(
                uow, account.channel, account.clf_id, notification.order_id, notification.new_order_items
            )
        order_sync.queue_fetch(uow, account.id, notification.fetch_id or notification.order_id)
    elif notification.kind == "listing" and notification.listing_sku:
        if notification.listing is not None:
            listing_sync.apply_report(uow, account.id, notification.listing)
        else:
            listing_sync.verify_now(uow, account.id, notification.listing_sku)
