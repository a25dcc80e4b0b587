"""The Amazon-style marketplace's state and rules: sellers, tokens, quotas, listings, orders and notifications.
Its HTTP paths are the routers beside it (tokens, listings, orders, control).

Shapes, statuses, errors and per-operation quotas follow Amazon's published models (sp_api_models/).
Listings are accepted asynchronously: a PUT answers ACCEPTED, the item becomes BUYABLE (or gets ERROR issues)
a moment later and a LISTINGS_ITEM_STATUS_CHANGE notification is pushed. Orders are placed by the
sandbox itself (a steady generator or `/_sandbox/orders`), only while the listing has the quantity, so an
oversell shows as a refused order here exactly as a buyer would meet it.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import random
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request

from haat_sandboxes.amazon.sqs import QueueUnreachable, SqsPublisher
from haat_sandboxes.control import Sandbox, Send
from haat_sandboxes.order_generator import OrderRequest

log = logging.getLogger(__name__)
INDIA = "A21TJRUUN4KGV"
# Published quotas (rate per second, burst) per operation: shared/reference/README.md.
QUOTAS = {
    "putListingsItem": (5, 10),
    "patchListingsItem": (5, 5),
    "getListingsItem": (5, 10),
    "deleteListingsItem": (5, 5),
    "getOrders": (0.0167, 20),
    "getOrder": (0.5, 30),
    "getOrderItems": (0.5, 30),
    "confirmShipment": (2, 10),
    "getDestinations": (1, 5),
    "createDestination": (1, 5),
    "getSubscription": (1, 5),
    "createSubscription": (1, 5),
}
NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"  # the grantless token's scope for destinations
# The notification types the sandbox sends, with the payload version each is written in.
NOTIFICATION_TYPES = {
    "ORDER_CHANGE": "1.0",
    "LISTINGS_ITEM_STATUS_CHANGE": "1.0",
    "LISTINGS_ITEM_ISSUES_CHANGE": "2023-12-13",
}
STATES = ["Bihar", "Odisha", "Uttar Pradesh", "Maharashtra", "Karnataka", "Delhi", "West Bengal", "Tamil Nadu"]


class AmazonError(Exception):
    def __init__(self, status: int, code: str, message: str, details: str = "", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def error_body(status: int, code: str, message: str = "", details: str = "") -> dict[str, Any]:
    messages = {"QuotaExceeded": "You exceeded your quota for the requested resource."}
    return {"errors": [{"code": code, "message": message or messages.get(code, code), "details": details}]}


def iso_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class SellerAccount:
    seller_id: str
    client_id: str
    client_secret: str
    refresh_token: str


@dataclass
class Listing:
    seller_id: str
    sku: str
    product_type: str
    attributes: dict[str, Any]
    created: datetime
    updated: datetime
    asin: str
    status: list[str] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def quantity(self) -> int:
        for entry in self.attributes.get("fulfillment_availability") or []:
            return int(entry.get("quantity") or 0)
        return 0

    @property
    def price(self) -> float:
        try:
            return float(self.attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"])
        except (KeyError, IndexError, TypeError, ValueError):
            return 0.0


@dataclass
class Order:
    seller_id: str
    order_id: str
    status: str
    purchased: datetime
    updated: datetime
    items: list[dict[str, Any]]
    address: dict[str, str]

    def as_api(self) -> dict[str, Any]:
        total = sum(float(i["ItemPrice"]["Amount"]) for i in self.items)
        unshipped = sum(i["QuantityOrdered"] for i in self.items) if self.status == "Unshipped" else 0
        return {
            "AmazonOrderId": self.order_id,
            "PurchaseDate": iso_time(self.purchased),
            "LastUpdateDate": iso_time(self.updated),
            "OrderStatus": self.status,
            "FulfillmentChannel": "MFN",
            "SalesChannel": "Amazon.in",
            "OrderType": "StandardOrder",
            "MarketplaceId": INDIA,
            "OrderTotal": {"CurrencyCode": "INR", "Amount": f"{total:.2f}"},
            "NumberOfItemsShipped": sum(i["QuantityOrdered"] for i in self.items) if self.status == "Shipped" else 0,
            "NumberOfItemsUnshipped": unshipped,
            "EarliestShipDate": iso_time(self.purchased),
            "LatestShipDate": iso_time(self.purchased + timedelta(days=1)),
            "EarliestDeliveryDate": iso_time(self.purchased + timedelta(days=1)),
            "LatestDeliveryDate": iso_time(self.purchased + timedelta(days=2)),
            "IsBusinessOrder": False,
            "IsPrime": False,
            "ShippingAddress": self.address,
        }


class AmazonSandbox(Sandbox):
    def __init__(self, *, quota_scale: float = 1.0, accept_delay_s: float = 1.0, token_ttl_s: int = 3600,
                 sqs_endpoint_url: str = "") -> None:  # fmt: skip
        super().__init__("amazon", quota_scale=quota_scale)
        self.accept_delay_s = accept_delay_s
        self.token_ttl_s = token_ttl_s
        self.sellers: dict[str, SellerAccount] = {}
        self.tokens: dict[str, tuple[str, float]] = {}  # access token → (seller id, expiry)
        self.app_tokens: dict[str, tuple[str, float]] = {}  # grantless token → (application's client id, expiry)
        # Notifications as Amazon delivers them: an application's destinations (SQS queues) and each seller's
        # subscriptions, per notification type, to one of them.
        self.sqs = SqsPublisher(sqs_endpoint_url) if sqs_endpoint_url else None
        self.destinations: dict[str, dict[str, Any]] = {}  # destination id → {destination, client_id}
        self.subscriptions: dict[tuple[str, str], dict[str, Any]] = {}  # (seller, type) → subscription
        self.listings: dict[tuple[str, str], Listing] = {}
        self.orders: dict[str, Order] = {}
        self.sequence = itertools.count(1)
        self.lock = asyncio.Lock()

    # --- auth and quotas -------------------------------------------------------------------------------
    def seller_of(self, request: Request, path_seller: str | None = None) -> str:
        if "(Language=" not in request.headers.get("user-agent", ""):  # Amazon asks: App/version (Language=…)
            self.counts["calls_without_user_agent"] += 1
        token = request.headers.get("x-amz-access-token", "")
        seller_id, expiry = self.tokens.get(token, ("", 0.0))
        if not seller_id:
            raise AmazonError(403, "Unauthorized", "Access to requested resource is denied.", "invalid token")
        if expiry < time.time():
            raise AmazonError(
                403, "Unauthorized", "Access to requested resource is denied.",
                "The access token you provided has expired.",
            )  # fmt: skip
        if path_seller is not None and path_seller != seller_id:
            raise AmazonError(403, "Unauthorized", "Access to requested resource is denied.", "seller mismatch")
        return seller_id

    def application_of(self, request: Request) -> str:
        """The application a grantless call comes from (its client id), by its grantless token."""
        client_id, expiry = self.app_tokens.get(request.headers.get("x-amz-access-token", ""), ("", 0.0))
        if not client_id or expiry < time.time():
            raise AmazonError(403, "Unauthorized", "Access to requested resource is denied.",
                              "a grantless operation needs a token of the notifications scope")  # fmt: skip
        return client_id

    def quota(self, operation: str, seller_id: str) -> dict[str, str]:
        rate, burst = QUOTAS[operation]
        limit = {"x-amzn-RateLimit-Limit": f"{rate * self.quota_scale:g}"}
        if self.limit(operation, seller_id, rate, burst) > 0:
            self.counts["429"] += 1
            raise AmazonError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", "", limit)
        self.counts[operation] += 1
        return limit

    # --- listings --------------------------------------------------------------------------------------
    def put_listing(self, seller_id: str, sku: str, body: dict[str, Any]) -> dict[str, Any]:
        submission = uuid.uuid4().hex
        issues = self._attribute_issues(body)
        if issues:
            return {"sku": sku, "status": "INVALID", "submissionId": submission, "issues": issues}
        now = datetime.now(UTC)
        current = self.listings.get((seller_id, sku))
        listing = Listing(
            seller_id=seller_id, sku=sku, product_type=body["productType"],
            attributes=copy.deepcopy(body["attributes"]),
            created=current.created if current else now, updated=now,
            asin=current.asin if current else f"B0{secrets.token_hex(4).upper()}",
            status=current.status if current else [],
        )  # fmt: skip
        self.listings[(seller_id, sku)] = listing
        self.note_quantity(seller_id, sku, listing.quantity)
        self.spawn(self._process(listing))
        return {"sku": sku, "status": "ACCEPTED", "submissionId": submission, "issues": []}

    def patch_listing(self, seller_id: str, sku: str, body: dict[str, Any]) -> dict[str, Any]:
        listing = self.listings.get((seller_id, sku))
        if listing is None:
            raise AmazonError(404, "NOT_FOUND", f"SKU '{sku}' not found for this seller.")
        for patch in body["patches"]:
            name = patch["path"].removeprefix("/attributes/")
            if patch["op"] == "delete":
                listing.attributes.pop(name, None)
            else:
                listing.attributes[name] = patch.get("value")
        listing.updated = datetime.now(UTC)
        self.note_quantity(seller_id, sku, listing.quantity)
        self.spawn(self._process(listing))
        return {"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []}

    def _attribute_issues(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        attributes = body.get("attributes") or {}
        required = ["item_name", "brand", "purchasable_offer", "condition_type"]
        if "externally_assigned_product_identifier" not in attributes:
            required.append("supplier_declared_has_product_identifier_exemption")
        return [
            {"code": "90220", "message": f"'{name}' is required but not supplied.", "severity": "ERROR",
             "attributeNames": [name], "categories": ["MISSING_ATTRIBUTE"]}
            for name in required
            if not attributes.get(name)
        ]  # fmt: skip

    async def _process(self, listing: Listing) -> None:
        """Asynchronous acceptance: the item goes live (or gets issues) a moment after the submission."""
        await asyncio.sleep(self.accept_delay_s * random.uniform(0.5, 1.5))
        before = (list(listing.status), len(listing.issues))
        if listing.sku in self.faults.reject_skus:
            listing.status = []
            listing.issues = [
                {"code": "18027", "message": "The image does not meet Amazon's requirements: text over the product.",
                 "severity": "ERROR", "attributeNames": ["main_product_image_locator"], "categories": ["INVALID_IMAGE"]}
            ]  # fmt: skip
        else:
            listing.issues = []
            listing.status = ["BUYABLE", "DISCOVERABLE"] if listing.quantity > 0 else ["DISCOVERABLE"]
        if (listing.status, len(listing.issues)) != before or not before[0]:
            await self.notify(listing.seller_id, self._status_notification(listing))

    def _status_notification(self, listing: Listing) -> dict[str, Any]:
        now = iso_time(datetime.now(UTC))
        return {
            "NotificationVersion": "1.0",
            "NotificationType": "LISTINGS_ITEM_STATUS_CHANGE",
            "PayloadVersion": "1.0",
            "EventTime": now,
            "Payload": {
                "SellerId": listing.seller_id, "MarketplaceId": INDIA, "Asin": listing.asin, "Sku": listing.sku,
                "CreatedDate": iso_time(listing.created), "Status": listing.status,
            },
            "NotificationMetadata": {
                "ApplicationId": "amzn1.sellerapps.app.haat-sandbox", "SubscriptionId": f"sub-{listing.seller_id}",
                "PublishTime": now, "NotificationId": str(uuid.uuid4()),
            },
        }  # fmt: skip

    # --- notifications ---------------------------------------------------------------------------------
    def delivery(self, seller: str, payload: dict[str, Any]) -> Send | None:
        """As Amazon does: onto the SQS queue of the seller's subscription to the type; without one, only
        the legacy HTTP push (if the sandbox was given a subscriber URL)."""
        subscription = self.subscriptions.get((seller, payload["NotificationType"]))
        if subscription is None:
            return super().delivery(seller, payload)
        if self.sqs is None:
            return None
        arn = self.destinations[subscription["destinationId"]]["resource"]["sqs"]["arn"]
        metadata = {**payload["NotificationMetadata"], "SubscriptionId": subscription["subscriptionId"]}
        body = json.dumps({**payload, "NotificationMetadata": metadata})
        return lambda: self._enqueue(arn, body)

    async def _enqueue(self, arn: str, body: str) -> None:
        assert self.sqs is not None
        for attempt in range(5):
            try:
                await asyncio.to_thread(self.sqs.send, arn, body)
                self.counts["sqs_messages"] += 1
                return
            except QueueUnreachable as unreachable:
                log.info("SQS send failed; trying again", extra={"error": str(unreachable)})
            await asyncio.sleep(0.2 * 2**attempt)
        log.warning("notification not delivered to SQS", extra={"arn": arn})

    def item(self, listing: Listing) -> dict[str, Any]:
        return {
            "sku": listing.sku,
            "summaries": [{
                "marketplaceId": INDIA, "asin": listing.asin, "productType": listing.product_type,
                "conditionType": "new_new", "status": listing.status,
                "itemName": (listing.attributes.get("item_name") or [{}])[0].get("value", ""),
                "createdDate": iso_time(listing.created), "lastUpdatedDate": iso_time(listing.updated),
            }],
            "attributes": listing.attributes,
            "issues": listing.issues,
            "offers": [{"marketplaceId": INDIA, "offerType": "B2C",
                        "price": {"currencyCode": "INR", "amount": f"{listing.price:.2f}"}}],
            "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": listing.quantity}],
        }  # fmt: skip

    # --- orders ----------------------------------------------------------------------------------------
    async def place_order(self, order: OrderRequest) -> Order:
        """Sell like a buyer would: only what is buyable and in stock right now, else OutOfStock (409)."""
        async with self.lock:
            lines = []
            for sku, quantity in order.items:
                listing = self.listings.get((order.seller_id, sku))
                if listing is None or "BUYABLE" not in listing.status or listing.quantity < quantity:
                    self.counts["orders_refused"] += 1
                    raise AmazonError(409, "OutOfStock", f"'{sku}' cannot be bought in that quantity now.")
                lines.append((listing, quantity))
            now = datetime.now(UTC)
            n = next(self.sequence)
            order_id = f"408-{n:07d}-{random.randint(1000000, 9999999)}"
            items = []
            for index, (listing, quantity) in enumerate(lines):
                listing.attributes["fulfillment_availability"] = [
                    {"fulfillment_channel_code": "DEFAULT", "quantity": listing.quantity - quantity}
                ]
                if listing.quantity == 0:
                    listing.status = ["DISCOVERABLE"]
                gross = listing.price * quantity
                items.append({
                    "ASIN": listing.asin, "SellerSKU": listing.sku, "OrderItemId": f"{order_id[-7:]}{index:03d}",
                    "Title": (listing.attributes.get("item_name") or [{}])[0].get("value", listing.sku),
                    "QuantityOrdered": quantity, "QuantityShipped": 0,
                    "ItemPrice": {"CurrencyCode": "INR", "Amount": f"{gross:.2f}"},
                    "ItemTax": {"CurrencyCode": "INR", "Amount": "0.00"},
                })  # fmt: skip
            city, postal_code = order.city_and_postal_code
            address = {"City": city, "StateOrRegion": order.state, "PostalCode": postal_code, "CountryCode": "IN"}
            placed = Order(order.seller_id, order_id, "Unshipped", now, now, items, address)
            self.orders[order_id] = placed
            self.counts["orders_placed"] += 1
        await self.notify(order.seller_id, self._order_notification(placed, "OrderStatusChange", "Order placed"))
        return placed

    async def change_order(self, order: Order, status: str, change_type: str, reason: str) -> None:
        order.status = status
        order.updated = datetime.now(UTC)
        if status == "Canceled":
            for item in order.items:
                listing = self.listings.get((order.seller_id, item["SellerSKU"]))
                if listing is not None:  # a cancelled order's units are for sale again
                    listing.attributes["fulfillment_availability"] = [
                        {"fulfillment_channel_code": "DEFAULT", "quantity": listing.quantity + item["QuantityOrdered"]}
                    ]
        await self.notify(order.seller_id, self._order_notification(order, change_type, reason))

    def _order_notification(self, order: Order, change_type: str, reason: str) -> dict[str, Any]:
        """ORDER_CHANGE as Amazon's published schema has it: a new order is an `OrderStatusChange` (to
        Unshipped), a buyer's cancellation a `BuyerRequestedChange`; every item names its supply source."""
        now = iso_time(datetime.now(UTC))
        return {
            "NotificationVersion": "1.0",
            "NotificationType": "ORDER_CHANGE",
            "PayloadVersion": "1.0",
            "EventTime": now,
            "Payload": {"OrderChangeNotification": {
                "NotificationLevel": "OrderLevel", "SellerId": order.seller_id, "AmazonOrderId": order.order_id,
                "OrderChangeType": change_type,
                "OrderChangeTrigger": {"TimeOfOrderChange": iso_time(order.updated), "ChangeReason": reason},
                "Summary": {
                    "MarketplaceId": INDIA, "OrderStatus": order.status, "PurchaseDate": iso_time(order.purchased),
                    "DestinationPostalCode": order.address["PostalCode"], "FulfillmentType": "MFN",
                    "OrderType": "StandardOrder",
                    "OrderItems": [
                        {"OrderItemId": i["OrderItemId"], "SellerSKU": i["SellerSKU"], "Quantity": i["QuantityOrdered"],
                         "SupplySourceId": f"ss-{order.seller_id}", "OrderItemStatus": order.status,
                         "QuantityShipped": i["QuantityOrdered"] if order.status == "Shipped" else 0}
                        for i in order.items
                    ],
                },
            }},
            "NotificationMetadata": {
                "ApplicationId": "amzn1.sellerapps.app.haat-sandbox", "SubscriptionId": f"sub-{order.seller_id}",
                "PublishTime": now, "NotificationId": str(uuid.uuid4()),
            },
        }  # fmt: skip

    def buyable(self) -> list[tuple[str, str, int]]:
        return [(k[0], k[1], v.quantity) for k, v in self.listings.items() if "BUYABLE" in v.status and v.quantity]
