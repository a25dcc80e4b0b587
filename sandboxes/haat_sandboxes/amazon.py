"""Amazon-style sandbox: Login with Amazon, Listings Items 2021-08-01 and Orders v0, as a connector sees them.

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
import random
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from haat_sandboxes import sp_api_spec
from haat_sandboxes.control import CONTROL_PREFIX, Sandbox, build_app
from haat_sandboxes.order_generator import OrderRequest

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
}
STATES = ["Bihar", "Odisha", "Uttar Pradesh", "Maharashtra", "Karnataka", "Delhi", "West Bengal", "Tamil Nadu"]


MarketplaceIds = Annotated[str | None, Query(alias="marketplaceIds")]


class AmazonError(Exception):
    def __init__(self, status: int, code: str, message: str, details: str = "", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers or {}


def error_body(status: int, code: str, message: str = "", details: str = "") -> dict[str, Any]:
    messages = {"QuotaExceeded": "You exceeded your quota for the requested resource."}
    return {"errors": [{"code": code, "message": message or messages.get(code, code), "details": details}]}


def _iso(moment: datetime) -> str:
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
            "PurchaseDate": _iso(self.purchased),
            "LastUpdateDate": _iso(self.updated),
            "OrderStatus": self.status,
            "FulfillmentChannel": "MFN",
            "SalesChannel": "Amazon.in",
            "OrderType": "StandardOrder",
            "MarketplaceId": INDIA,
            "OrderTotal": {"CurrencyCode": "INR", "Amount": f"{total:.2f}"},
            "NumberOfItemsShipped": sum(i["QuantityOrdered"] for i in self.items) if self.status == "Shipped" else 0,
            "NumberOfItemsUnshipped": unshipped,
            "EarliestShipDate": _iso(self.purchased),
            "LatestShipDate": _iso(self.purchased + timedelta(days=1)),
            "EarliestDeliveryDate": _iso(self.purchased + timedelta(days=1)),
            "LatestDeliveryDate": _iso(self.purchased + timedelta(days=2)),
            "IsBusinessOrder": False,
            "IsPrime": False,
            "ShippingAddress": self.address,
        }


class PlacedOrderItem(BaseModel):
    sku: str
    quantity: int = Field(1, gt=0)


class PlaceOrder(BaseModel):
    seller_id: str
    items: list[PlacedOrderItem] = Field(min_length=1)
    state: str = "Bihar"


class SellerRegistration(BaseModel):
    seller_id: str
    client_id: str
    client_secret: str
    refresh_token: str


class AmazonSandbox(Sandbox):
    def __init__(self, *, quota_scale: float = 1.0, accept_delay_s: float = 1.0, token_ttl_s: int = 3600) -> None:
        super().__init__("amazon", quota_scale=quota_scale)
        self.accept_delay_s = accept_delay_s
        self.token_ttl_s = token_ttl_s
        self.sellers: dict[str, SellerAccount] = {}
        self.tokens: dict[str, tuple[str, float]] = {}  # access token → (seller id, expiry)
        self.listings: dict[tuple[str, str], Listing] = {}
        self.orders: dict[str, Order] = {}
        self.sequence = itertools.count(1)
        self.lock = asyncio.Lock()

    # --- auth and quotas -------------------------------------------------------------------------------
    def seller_of(self, request: Request, path_seller: str | None = None) -> str:
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
        now = _iso(datetime.now(UTC))
        return {
            "NotificationVersion": "1.0",
            "NotificationType": "LISTINGS_ITEM_STATUS_CHANGE",
            "PayloadVersion": "1.0",
            "EventTime": now,
            "Payload": {
                "SellerId": listing.seller_id, "MarketplaceId": INDIA, "Asin": listing.asin, "Sku": listing.sku,
                "CreatedDate": _iso(listing.created), "Status": listing.status,
            },
            "NotificationMetadata": {
                "ApplicationId": "amzn1.sellerapps.app.haat-sandbox", "SubscriptionId": f"sub-{listing.seller_id}",
                "PublishTime": now, "NotificationId": str(uuid.uuid4()),
            },
        }  # fmt: skip

    def item(self, listing: Listing) -> dict[str, Any]:
        return {
            "sku": listing.sku,
            "summaries": [{
                "marketplaceId": INDIA, "asin": listing.asin, "productType": listing.product_type,
                "conditionType": "new_new", "status": listing.status,
                "itemName": (listing.attributes.get("item_name") or [{}])[0].get("value", ""),
                "createdDate": _iso(listing.created), "lastUpdatedDate": _iso(listing.updated),
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
        await self.notify(order.seller_id, self._order_notification(placed, "NewOrder"))
        return placed

    async def change_order(self, order: Order, status: str, change_type: str) -> None:
        order.status = status
        order.updated = datetime.now(UTC)
        if status == "Canceled":
            for item in order.items:
                listing = self.listings.get((order.seller_id, item["SellerSKU"]))
                if listing is not None:  # a cancelled order's units are for sale again
                    listing.attributes["fulfillment_availability"] = [
                        {"fulfillment_channel_code": "DEFAULT", "quantity": listing.quantity + item["QuantityOrdered"]}
                    ]
        await self.notify(order.seller_id, self._order_notification(order, change_type))

    def _order_notification(self, order: Order, change_type: str) -> dict[str, Any]:
        now = _iso(datetime.now(UTC))
        return {
            "NotificationVersion": "1.0",
            "NotificationType": "ORDER_CHANGE",
            "PayloadVersion": "1.0",
            "EventTime": now,
            "Payload": {"OrderChangeNotification": {
                "NotificationLevel": "OrderLevel", "SellerId": order.seller_id, "AmazonOrderId": order.order_id,
                "OrderChangeType": change_type,
                "OrderChangeTrigger": {"TimeOfOrderChange": _iso(order.updated), "ChangeReason": change_type},
                "Summary": {
                    "MarketplaceId": INDIA, "OrderStatus": order.status, "PurchaseDate": _iso(order.purchased),
                    "DestinationPostalCode": order.address["PostalCode"], "FulfillmentType": "MFN",
                    "OrderType": "StandardOrder",
                    "OrderItems": [
                        {"OrderItemId": i["OrderItemId"], "SellerSKU": i["SellerSKU"], "Quantity": i["QuantityOrdered"]}
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


def create_app(sandbox: AmazonSandbox | None = None, *, orders_per_minute: float = 0.0) -> FastAPI:
    sandbox = sandbox or AmazonSandbox()
    app = build_app("Amazon-style sandbox (SP-API)", sandbox, error_body, orders_per_minute)

    @app.exception_handler(AmazonError)
    async def amazon_error(request: Request, error: AmazonError) -> JSONResponse:
        headers = {"x-amzn-RequestId": str(uuid.uuid4()), **error.headers}
        return JSONResponse(error_body(error.status, error.code, error.message, error.details), error.status, headers)

    def ok(body: dict[str, Any], limit: dict[str, str], status: int = 200) -> JSONResponse:
        return JSONResponse(body, status, {"x-amzn-RequestId": str(uuid.uuid4()), **limit})

    def marketplace(ids: str | None) -> None:
        if not ids:
            raise AmazonError(400, "InvalidInput", "Missing required 'marketplaceIds' parameter.")
        if ids.split(",") != [INDIA]:
            raise AmazonError(400, "InvalidInput", f"Invalid marketplaceIds: {ids}. This sandbox serves {INDIA}.")

    async def json_body(request: Request, definition: str) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise AmazonError(400, "InvalidInput", "The request body is not valid JSON.") from None
        found = sp_api_spec.problems(sp_api_spec.LISTINGS, definition, body)
        if found:
            raise AmazonError(400, "InvalidInput", "Request has missing or invalid parameters.", "; ".join(found))
        return dict(body)

    @app.post("/auth/o2/token")
    async def token(
        grant_type: Annotated[str, Form()], refresh_token: Annotated[str, Form()],
        client_id: Annotated[str, Form()], client_secret: Annotated[str, Form()],
    ) -> JSONResponse:  # fmt: skip
        seller = next((s for s in sandbox.sellers.values() if s.refresh_token == refresh_token), None)
        if grant_type != "refresh_token" or seller is None:
            return JSONResponse({"error": "invalid_grant", "error_description": "The refresh token is invalid"}, 400)
        if (seller.client_id, seller.client_secret) != (client_id, client_secret):
            return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)
        access = f"Atza|{secrets.token_urlsafe(24)}"
        sandbox.tokens[access] = (seller.seller_id, time.time() + sandbox.token_ttl_s)
        sandbox.counts["tokens"] += 1
        return JSONResponse(
            {"access_token": access, "refresh_token": refresh_token, "token_type": "bearer",
             "expires_in": sandbox.token_ttl_s}
        )  # fmt: skip

    items_path = "/listings/2021-08-01/items/{seller_id}/{sku}"

    def admitted(request: Request, seller_id: str, operation: str, ids: str | None) -> tuple[str, dict[str, str]]:
        """What every listings call checks first, in Amazon's order: token, quota, marketplace."""
        seller = sandbox.seller_of(request, seller_id)
        limit = sandbox.quota(operation, seller)
        marketplace(ids)
        return seller, limit

    @app.put(items_path)
    async def put_item(request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None) -> Any:
        seller, limit = admitted(request, seller_id, "putListingsItem", marketplace_ids)
        body = await json_body(request, "ListingsItemPutRequest")
        return ok(sandbox.put_listing(seller, sku, body), limit)

    @app.patch(items_path)
    async def patch_item(request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None) -> Any:
        seller, limit = admitted(request, seller_id, "patchListingsItem", marketplace_ids)
        body = await json_body(request, "ListingsItemPatchRequest")
        return ok(sandbox.patch_listing(seller, sku, body), limit)

    @app.get(items_path)
    async def get_item(request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None) -> Any:
        seller, limit = admitted(request, seller_id, "getListingsItem", marketplace_ids)
        listing = sandbox.listings.get((seller, sku))
        if listing is None:
            raise AmazonError(404, "NOT_FOUND", f"SKU '{sku}' not found for this seller.")
        return ok(sandbox.item(listing), limit)

    @app.delete(items_path)
    async def delete_item(request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None) -> Any:
        seller, limit = admitted(request, seller_id, "deleteListingsItem", marketplace_ids)
        if sandbox.listings.pop((seller, sku), None) is None:
            raise AmazonError(404, "NOT_FOUND", f"SKU '{sku}' not found for this seller.")
        return ok({"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []}, limit)

    @app.get("/orders/v0/orders")
    async def get_orders(
        request: Request,
        marketplace_ids: Annotated[str | None, Query(alias="MarketplaceIds")] = None,
        last_updated_after: Annotated[str | None, Query(alias="LastUpdatedAfter")] = None,
        created_after: Annotated[str | None, Query(alias="CreatedAfter")] = None,
        next_token: Annotated[str | None, Query(alias="NextToken")] = None,
        max_results: Annotated[int, Query(alias="MaxResultsPerPage", ge=1, le=100)] = 100,
    ) -> Any:
        seller = sandbox.seller_of(request)
        limit = sandbox.quota("getOrders", seller)
        marketplace(marketplace_ids)
        if not next_token and bool(last_updated_after) == bool(created_after):
            raise AmazonError(400, "InvalidInput", "Exactly one of CreatedAfter and LastUpdatedAfter is required.")
        since_text = last_updated_after or created_after or "1970-01-01T00:00:00Z"
        offset = 0
        if next_token:
            since_text, _, offset_text = next_token.partition("|")
            offset = int(offset_text or 0)
        try:
            since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
        except ValueError:
            raise AmazonError(400, "InvalidInput", f"Invalid date: {since_text}") from None
        # Amazon answers only what was last updated at least two minutes ago; the sandbox keeps 1 s of that lag.
        before = datetime.now(UTC) - timedelta(seconds=1)
        chosen = sorted(
            (o for o in sandbox.orders.values() if o.seller_id == seller and since < o.updated <= before),
            key=lambda o: (o.updated, o.order_id),
        )
        page = chosen[offset : offset + max_results]
        payload: dict[str, Any] = {"Orders": [o.as_api() for o in page], "LastUpdatedBefore": _iso(before)}
        if offset + max_results < len(chosen):
            payload["NextToken"] = f"{since_text}|{offset + max_results}"
        return ok({"payload": payload}, limit)

    @app.get("/orders/v0/orders/{order_id}")
    async def get_order(request: Request, order_id: str) -> Any:
        seller = sandbox.seller_of(request)
        limit = sandbox.quota("getOrder", seller)
        order = sandbox.orders.get(order_id)
        if order is None or order.seller_id != seller:
            raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
        return ok({"payload": order.as_api()}, limit)

    @app.get("/orders/v0/orders/{order_id}/orderItems")
    async def get_order_items(request: Request, order_id: str) -> Any:
        seller = sandbox.seller_of(request)
        limit = sandbox.quota("getOrderItems", seller)
        order = sandbox.orders.get(order_id)
        if order is None or order.seller_id != seller:
            raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
        return ok({"payload": {"AmazonOrderId": order_id, "OrderItems": order.items}}, limit)

    @app.post("/orders/v0/orders/{order_id}/shipmentConfirmation")
    async def confirm_shipment(request: Request, order_id: str) -> Any:
        seller = sandbox.seller_of(request)
        limit = sandbox.quota("confirmShipment", seller)
        body = await request.json()
        found = sp_api_spec.problems(sp_api_spec.ORDERS, "ConfirmShipmentRequest", body)
        if found:
            raise AmazonError(400, "InvalidInput", "Request has missing or invalid parameters.", "; ".join(found))
        order = sandbox.orders.get(order_id)
        if order is None or order.seller_id != seller:
            raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
        if order.status != "Unshipped":
            raise AmazonError(400, "InvalidInput", f"Order {order_id} is {order.status}; it cannot be shipped.")
        await sandbox.change_order(order, "Shipped", "OrderStatusChange")
        return JSONResponse(None, 204, {"x-amzn-RequestId": str(uuid.uuid4()), **limit})

    # --- sandbox control -------------------------------------------------------------------------------
    @app.put(f"{CONTROL_PREFIX}/sellers/{{seller_id}}")
    async def register_seller(seller_id: str, body: SellerRegistration) -> dict[str, str]:
        sandbox.sellers[seller_id] = SellerAccount(seller_id, body.client_id, body.client_secret, body.refresh_token)
        return {"seller_id": seller_id}

    @app.post(f"{CONTROL_PREFIX}/orders", status_code=201)
    async def place(body: PlaceOrder) -> dict[str, Any]:
        order = await sandbox.place_order(
            OrderRequest(body.seller_id, [(i.sku, i.quantity) for i in body.items], body.state)
        )
        return order.as_api()

    @app.post(f"{CONTROL_PREFIX}/orders/{{order_id}}/cancel")
    async def buyer_cancel(order_id: str) -> dict[str, Any]:
        order = sandbox.orders.get(order_id)
        if order is None:
            raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
        if order.status == "Unshipped":
            await sandbox.change_order(order, "Canceled", "BuyerRequestedChange")
        return order.as_api()

    @app.get(f"{CONTROL_PREFIX}/listings")
    async def listings(seller_id: str | None = None) -> list[dict[str, Any]]:
        chosen = [v for k, v in sandbox.listings.items() if seller_id in (None, k[0])]
        return [{"seller_id": v.seller_id, **sandbox.item(v)} for v in chosen]

    @app.get(f"{CONTROL_PREFIX}/orders")
    async def orders(seller_id: str | None = None) -> list[dict[str, Any]]:
        return [o.as_api() | {"SellerId": o.seller_id, "Items": o.items} for o in sandbox.orders.values()
                if seller_id in (None, o.seller_id)]  # fmt: skip

    return app
