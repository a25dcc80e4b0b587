"""HTTP: notifications pushed by the marketplaces (the sandboxes' stand-in for Amazon's SQS destination and
Flipkart's notification service). A notification is only a hint: the order or listing it names is fetched
from the marketplace's API before anything is published, so a forged one can cause a fetch, nothing more.
The one thing acted on at once is a new order's quantities, which are held off every channel until the
fetch confirms the order (or finds no such order and releases them).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from haat.http_app import UnitOfWorkDep
from haat.problems import NotFound, Problem
from haat_connectors.adapters.marketplaces.channels import CHANNELS, read_notification
from haat_connectors.service_layer import accounts, listing_sync, order_sync

router = APIRouter(tags=["marketplace notifications"])


@router.post("/notifications/{channel}", status_code=204, summary="A marketplace's notification (internal)")
def receive(channel: str, uow: UnitOfWorkDep, body: dict[str, Any] = Body(...)) -> Response:
    if channel not in CHANNELS:
        raise NotFound("channel", channel)
    try:
        notification = read_notification(channel, body)
    except (ValueError, KeyError, TypeError) as error:
        raise Problem(400, "invalid-notification", f"not a {channel} notification: {error}") from None
    account = accounts.find_by_seller(uow, channel, notification.seller_id)
    if account is None:
        raise NotFound("seller", notification.seller_id)
    if notification.kind == "order" and notification.order_id:
        if notification.new_order_items:
            order_sync.hold_from_notification(
                uow, channel, account.clf_id, notification.order_id, notification.new_order_items
            )
        order_sync.queue_fetch(uow, account.id, notification.fetch_id or notification.order_id)
    elif notification.kind == "listing" and notification.listing_sku:
        if notification.listing is not None:
            listing_sync.apply_report(uow, account.id, notification.listing)
        else:
            listing_sync.verify_now(uow, account.id, notification.listing_sku)
    uow.commit()
    return Response(status_code=204)
