"""Notifications API v1: an application's destinations (grantless; SQS queues only here) and a seller's
subscriptions, one per notification type, each within its quota. Once subscribed, the sandbox delivers that
type's notifications onto the destination's queue (AmazonSandbox.delivery)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request

from haat_sandboxes import sp_api_spec
from haat_sandboxes.amazon.answers import Marketplace, json_body, ok
from haat_sandboxes.amazon.sandbox import NOTIFICATION_TYPES, AmazonError
from haat_sandboxes.amazon.sqs import QueueUnreachable

router = APIRouter(prefix="/notifications/v1")


def _public(destination: dict[str, Any]) -> dict[str, Any]:
    return {k: destination[k] for k in ("name", "destinationId", "resource")}


@router.get("/destinations")
async def get_destinations(sandbox: Marketplace, request: Request) -> Any:
    application = sandbox.application_of(request)
    limit = sandbox.quota("getDestinations", application)
    mine = [_public(d) for d in sandbox.destinations.values() if d["client_id"] == application]
    return ok({"payload": mine}, limit)


@router.post("/destinations")
async def create_destination(sandbox: Marketplace, request: Request) -> Any:
    application = sandbox.application_of(request)
    limit = sandbox.quota("createDestination", application)
    body = await json_body(request, sp_api_spec.NOTIFICATIONS, "CreateDestinationRequest")
    sqs = body["resourceSpecification"].get("sqs")
    if sqs is None:
        raise AmazonError(400, "InvalidInput", "This sandbox delivers to SQS queues only (resourceSpecification.sqs).")
    if any(d["resource"] == {"sqs": sqs} and d["client_id"] == application for d in sandbox.destinations.values()):
        raise AmazonError(409, "Conflict", "A destination with this resource already exists.")
    if sandbox.sqs is not None:
        try:
            sandbox.sqs.url_of(sqs["arn"])  # Amazon checks it can write to the queue
        except QueueUnreachable as unreachable:
            raise AmazonError(
                400, "InvalidInput", "The destination queue cannot be reached.", str(unreachable)
            ) from None
    destination = {"name": body["name"], "destinationId": str(uuid.uuid4()), "resource": {"sqs": sqs},
                   "client_id": application}  # fmt: skip
    sandbox.destinations[destination["destinationId"]] = destination
    return ok({"payload": _public(destination)}, limit)


def _known(notification_type: str) -> None:
    if notification_type not in NOTIFICATION_TYPES:
        raise AmazonError(400, "InvalidInput", f"This sandbox sends no {notification_type} notifications.")


@router.get("/subscriptions/{notification_type}")
async def get_subscription(sandbox: Marketplace, request: Request, notification_type: str) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("getSubscription", seller)
    _known(notification_type)
    subscription = sandbox.subscriptions.get((seller, notification_type))
    if subscription is None:
        raise AmazonError(404, "NotFound", f"The seller has no subscription to {notification_type}.")
    return ok({"payload": subscription}, limit)


@router.post("/subscriptions/{notification_type}")
async def create_subscription(sandbox: Marketplace, request: Request, notification_type: str) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("createSubscription", seller)
    _known(notification_type)
    body = await json_body(request, sp_api_spec.NOTIFICATIONS, "CreateSubscriptionRequest")
    destination = sandbox.destinations.get(body["destinationId"])
    if destination is None or destination["client_id"] != sandbox.sellers[seller].client_id:
        raise AmazonError(400, "InvalidInput", f"No destination {body['destinationId']} of this application.")
    if body["payloadVersion"] != NOTIFICATION_TYPES[notification_type]:
        raise AmazonError(400, "InvalidInput", f"{notification_type} is sent in payload version "
                                               f"{NOTIFICATION_TYPES[notification_type]}.")  # fmt: skip
    if (seller, notification_type) in sandbox.subscriptions:
        raise AmazonError(409, "Conflict", f"A subscription to {notification_type} already exists.")
    subscription = {"subscriptionId": str(uuid.uuid4()), "payloadVersion": body["payloadVersion"],
                    "destinationId": body["destinationId"]}  # fmt: skip
    sandbox.subscriptions[(seller, notification_type)] = subscription
    return ok({"payload": subscription}, limit)
