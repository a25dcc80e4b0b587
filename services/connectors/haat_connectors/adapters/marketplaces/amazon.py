"""Amazon Selling Partner API: Login with Amazon, Listings Items 2021-08-01, Orders v0, and the Notifications API
(an SQS destination and a subscription per notification type; the messages are read by `amazon_queue`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote

import aiohttp

from haat_connectors.adapters.marketplaces import amazon_mapping as mapping
from haat_connectors.adapters.marketplaces.base import (
    Account,
    ListingPush,
    ListingReport,
    Marketplace,
    Notification,
    PushOutcome,
)
from haat_connectors.adapters.marketplaces.http import MarketplaceHttp, TokenSource, TransientFailure
from haat_connectors.domain.marketplace_order import FetchedOrder

# Published quotas (requests per second, burst) of the operations used: shared/reference/README.md.
QUOTAS = {
    "putListingsItem": (5.0, 10),
    "patchListingsItem": (5.0, 5),
    "getListingsItem": (5.0, 10),
    "deleteListingsItem": (5.0, 5),
    "getOrders": (0.0167, 20),
    "getOrder": (0.5, 30),
    "getOrderItems": (0.5, 30),
    "confirmShipment": (2.0, 10),
    "getDestinations": (1.0, 5),
    "createDestination": (1.0, 5),
    "getSubscription": (1.0, 5),
    "createSubscription": (1.0, 5),
}
UNSHIPPED = frozenset({"Pending", "Unshipped", "PartiallyShipped", "PendingAvailability"})
# Grantless operations act for the application, not a seller: a token of its own (Login with Amazon's client
# credentials grant with the notifications scope).
GRANTLESS = frozenset({"getDestinations", "createDestination"})
NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"
# What Haat listens to, with the payload version it reads (the schemas in amazon_queue).
NOTIFICATION_TYPES = {
    "ORDER_CHANGE": "1.0",
    "LISTINGS_ITEM_STATUS_CHANGE": "1.0",
    "LISTINGS_ITEM_ISSUES_CHANGE": "2023-12-13",
}


def _lwa_source(session: aiohttp.ClientSession, auth_url: str, form: dict[str, str]) -> TokenSource:
    async def fetch() -> tuple[str, float]:
        try:
            async with session.post(auth_url, data=form) as response:
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, OSError) as failure:
            raise TransientFailure(f"Login with Amazon unreachable: {failure}") from None
        if response.status != 200:
            raise TransientFailure(f"Login with Amazon refused the credentials: {body.get('error', response.status)}")
        return body["access_token"], float(body.get("expires_in", 3600))

    return TokenSource(fetch)


def lwa_token_source(session: aiohttp.ClientSession, auth_url: str, credentials: dict[str, str]) -> TokenSource:
    """The seller's access token, from the refresh token she authorised the application with."""
    return _lwa_source(session, auth_url, {
        "grant_type": "refresh_token", "refresh_token": credentials["refresh_token"],
        "client_id": credentials["client_id"], "client_secret": credentials["client_secret"],
    })  # fmt: skip


def lwa_grantless_source(session: aiohttp.ClientSession, auth_url: str, credentials: dict[str, str]) -> TokenSource:
    """The application's own token for grantless operations (destinations)."""
    return _lwa_source(session, auth_url, {
        "grant_type": "client_credentials", "scope": NOTIFICATIONS_SCOPE,
        "client_id": credentials["client_id"], "client_secret": credentials["client_secret"],
    })  # fmt: skip


class Amazon(Marketplace):
    channel: ClassVar[str] = "amazon"

    def __init__(self, account: Account, http: MarketplaceHttp, *, image_base_url: str) -> None:
        super().__init__(account, http)
        self.image_base_url = image_base_url
        self.items_path = f"/listings/2021-08-01/items/{quote(account.seller_id, safe='')}"
        self.marketplace = {"marketplaceIds": mapping.INDIA}

    async def push(self, pushes: list[ListingPush]) -> list[PushOutcome]:
        return list(await asyncio.gather(*(self._push_one(p) for p in pushes)))

    async def _push_one(self, push: ListingPush) -> PushOutcome:
        path = f"{self.items_path}/{quote(push.sku, safe='')}"
        try:
            if push.retire:
                answer = await self.http.call("deleteListingsItem", "DELETE", path, params=self.marketplace)
                ok = answer.ok or answer.status == 404
                return PushOutcome(push.sku, "inactive") if ok else self._refused(push.sku, answer.body)
            if push.content:
                body = mapping.listing_body(push.product, push.quantity, self.image_base_url)
                answer = await self.http.call("putListingsItem", "PUT", path, params=self.marketplace, json=body)
            else:
                patch = {
                    "productType": mapping.amazon_product_type(push.product),
                    "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                                 "value": mapping.availability(push.quantity)}],
                }  # fmt: skip
                answer = await self.http.call("patchListingsItem", "PATCH", path, params=self.marketplace, json=patch)
        except TransientFailure as failure:
            return PushOutcome(push.sku, error=str(failure))
        if answer.ok and answer.body.get("status") in ("ACCEPTED", "VALID"):
            return PushOutcome(push.sku, "pending" if push.content else None)
        if answer.status == 404 and not push.content:  # the listing is gone: it needs a full push
            return PushOutcome(push.sku, "pending", error="listing missing on Amazon; sending it again")
        return self._refused(push.sku, answer.body)

    @staticmethod
    def _refused(sku: str, body: Any) -> PushOutcome:
        raw = (body or {}).get("issues") or [
            {"code": e.get("code", ""), "message": f"{e.get('message', '')} {e.get('details', '')}".strip(),
             "severity": "ERROR"}
            for e in (body or {}).get("errors", [])
        ]  # fmt: skip
        return PushOutcome(sku, "rejected", mapping.issues_of(raw))

    async def listing_status(self, sku: str) -> ListingReport | None:
        params = {**self.marketplace, "includedData": "summaries,issues"}
        path = f"{self.items_path}/{quote(sku, safe='')}"
        answer = await self.http.call("getListingsItem", "GET", path, params=params)
        if answer.status == 404:
            return None
        if not answer.ok:
            raise TransientFailure(f"getListingsItem answered {answer.status}")
        summaries = answer.body.get("summaries") or [{}]
        issues = answer.body.get("issues") or []
        status = mapping.listing_status(summaries[0].get("status") or [], issues)
        return ListingReport(sku, status, mapping.issues_of(issues), datetime.now(UTC))

    async def orders_updated_since(self, since: datetime) -> tuple[list[FetchedOrder], datetime]:
        params: dict[str, str] = {
            "MarketplaceIds": mapping.INDIA,
            "LastUpdatedAfter": since.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        found: list[FetchedOrder] = []
        cursor = since
        while True:
            answer = await self.http.call("getOrders", "GET", "/orders/v0/orders", params=params)
            if not answer.ok:
                raise TransientFailure(f"getOrders answered {answer.status}: {answer.body}")
            payload = answer.body["payload"]
            for order in payload.get("Orders", []):
                found.append(await self._with_items(order))
            if payload.get("LastUpdatedBefore"):
                cursor = datetime.fromisoformat(payload["LastUpdatedBefore"].replace("Z", "+00:00"))
            if not payload.get("NextToken"):
                return found, cursor
            params = {"MarketplaceIds": mapping.INDIA, "NextToken": payload["NextToken"]}

    async def order(self, marketplace_order_id: str) -> FetchedOrder | None:
        path = f"/orders/v0/orders/{quote(marketplace_order_id, safe='')}"
        answer = await self.http.call("getOrder", "GET", path)
        if answer.status == 404:
            return None
        if not answer.ok:
            raise TransientFailure(f"getOrder answered {answer.status}")
        return await self._with_items(answer.body["payload"])

    async def _with_items(self, order: dict[str, Any]) -> FetchedOrder:
        path = f"/orders/v0/orders/{quote(order['AmazonOrderId'], safe='')}/orderItems"
        items: list[dict[str, Any]] = []
        params: dict[str, str] = {}
        while True:
            answer = await self.http.call("getOrderItems", "GET", path, params=params)
            if not answer.ok:
                raise TransientFailure(f"getOrderItems answered {answer.status}")
            items += answer.body["payload"]["OrderItems"]
            if not answer.body["payload"].get("NextToken"):
                break
            params = {"NextToken": answer.body["payload"]["NextToken"]}
        return mapping.order_from(order, items, self.account.id, self.account.clf_id)

    async def confirm_shipment(self, raw_order: dict[str, Any], carrier: str, tracking_id: str) -> str | None:
        order_id = raw_order["order"]["AmazonOrderId"]
        body = {
            "marketplaceId": mapping.INDIA,
            "packageDetail": {
                "packageReferenceId": "1", "carrierCode": "Other", "carrierName": carrier,
                "trackingNumber": tracking_id, "shipDate": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "orderItems": [{"orderItemId": i["OrderItemId"], "quantity": int(i["QuantityOrdered"])}
                               for i in raw_order["items"]],
            },
        }  # fmt: skip
        path = f"/orders/v0/orders/{quote(order_id, safe='')}/shipmentConfirmation"
        answer = await self.http.call("confirmShipment", "POST", path, json=body)
        return None if answer.ok else f"confirmShipment answered {answer.status}: {answer.body}"

    async def cancel(self, raw_order: dict[str, Any], reason: str) -> str | None:
        # Orders v0 has no cancel call: sellers cancel through a POST_ORDER_ACKNOWLEDGEMENT feed, which this
        # connector does not send yet. The refusal is recorded on the task for staff to act on.
        return "Amazon cancellations go through the Feeds API, which is not connected: cancel in Seller Central"

    async def subscribe(self, destination: str) -> list[str]:
        """Have Amazon deliver this seller's notifications to the SQS queue `destination` (its ARN): the
        application's destination for the queue (made once) and a subscription per notification type. What
        exists already is kept, so this is safe at every start; returns the types subscribed now."""
        destination_id = await self._destination(destination)
        made = []
        for kind, version in NOTIFICATION_TYPES.items():
            path = f"/notifications/v1/subscriptions/{kind}"
            found = await self.http.call("getSubscription", "GET", path, params={"payloadVersion": version})
            if found.ok and found.body["payload"]["destinationId"] == destination_id:
                continue
            if found.ok:  # subscribed elsewhere (another installation): that one keeps it; say so
                raise TransientFailure(f"{kind} goes to destination {found.body['payload']['destinationId']}")
            if found.status != 404:
                raise TransientFailure(f"getSubscription answered {found.status}: {found.body}")
            body = {"payloadVersion": version, "destinationId": destination_id}
            answer = await self.http.call("createSubscription", "POST", path, json=body)
            if not answer.ok and answer.status != 409:  # 409: made meanwhile by another replica
                raise TransientFailure(f"createSubscription answered {answer.status}: {answer.body}")
            made.append(kind)
        return made

    async def _destination(self, arn: str) -> str:
        listed = await self.http.call("getDestinations", "GET", "/notifications/v1/destinations")
        if not listed.ok:
            raise TransientFailure(f"getDestinations answered {listed.status}: {listed.body}")
        for destination in listed.body.get("payload") or []:
            if (destination.get("resource") or {}).get("sqs", {}).get("arn") == arn:
                return str(destination["destinationId"])
        body = {"name": "haat", "resourceSpecification": {"sqs": {"arn": arn}}}
        made = await self.http.call("createDestination", "POST", "/notifications/v1/destinations", json=body)
        if not made.ok:
            raise TransientFailure(f"createDestination answered {made.status}: {made.body}")
        return str(made.body["payload"]["destinationId"])

    @staticmethod
    def read_notification(body: dict[str, Any]) -> Notification:
        kind = body.get("NotificationType")
        payload = body.get("Payload") or {}
        if kind == "ORDER_CHANGE":
            change = payload["OrderChangeNotification"]
            summary = change.get("Summary") or {}
            new_items = []
            # A sale not yet shipped: its units are held at once (for an order already recorded, the hold
            # was taken then, and this changes nothing).
            if change.get("OrderChangeType") == "OrderStatusChange" and summary.get("OrderStatus") in UNSHIPPED:
                new_items = [(i["SellerSKU"], int(i["Quantity"])) for i in summary.get("OrderItems", [])]
            return Notification(
                change["SellerId"], "order", order_id=change["AmazonOrderId"], new_order_items=new_items
            )
        if kind == "LISTINGS_ITEM_STATUS_CHANGE":
            status = payload.get("Status") or []
            if {"BUYABLE", "DISCOVERABLE"} & set(status):
                reported = datetime.fromisoformat(body["EventTime"].replace("Z", "+00:00"))
                report = ListingReport(payload["Sku"], "live", [], reported)
                return Notification(payload["SellerId"], "listing", listing_sku=payload["Sku"], listing=report)
            return Notification(payload["SellerId"], "listing", listing_sku=payload["Sku"])
        if kind and kind.startswith("LISTINGS_ITEM_ISSUES_CHANGE"):
            return Notification(payload["SellerId"], "listing", listing_sku=payload["Sku"])
        if kind:
            return Notification(str(payload.get("SellerId", "")), "other")
        raise ValueError("not an SP-API notification: NotificationType is missing")
