"""The Flipkart-style marketplace's state and rules: applications and tokens, per-seller quotas, listings,
shipments through their states, labels and notifications. Its HTTP paths are the routers beside it."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from haat.documents.printing import PrintedPage
from haat_sandboxes.control import Sandbox
from haat_sandboxes.order_generator import OrderRequest

MAX_SKUS_PER_CALL = 10


class FlipkartError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def error_body(status: int, code: str, description: str = "") -> dict[str, Any]:
    texts = {"QuotaExceeded": "Request rate limit exceeded", "ServiceUnavailable": "Service temporarily unavailable"}
    code = {"QuotaExceeded": "RATE_LIMIT_EXCEEDED", "ServiceUnavailable": "SERVICE_UNAVAILABLE"}.get(code, code)
    return {"errors": [{"severity": "ERROR", "code": code, "description": description or texts.get(code, code)}]}


PRE_DISPATCH = {"APPROVED", "PACKING_IN_PROGRESS", "FORM_FAILED", "PACKED", "READY_TO_DISPATCH"}
POST_DISPATCH = {"PICKUP_COMPLETE", "SHIPPED", "DELIVERED", "RETURN_REQUESTED", "RETURNED"}
LABELLED = {"PACKED", "READY_TO_DISPATCH"} | POST_DISPATCH  # a label exists from packing on


def tracking_id(shipment_id: str) -> str:
    """Flipkart's logistics assign the tracking id at packing (the sandbox derives a stable one)."""
    return f"FMPC{zlib.crc32(shipment_id.encode()):010d}"


def shipping_labels_pdf(shipments: list[Shipment]) -> bytes:
    label = PrintedPage("Flipkart shipping labels (sandbox)", format=(100, 150))
    for n, shipment in enumerate(shipments):
        if n:
            label.add_page()
        label.heading("Ekart Logistics (sandbox)", 12)
        label.line_of_text(f"AWB / Tracking: {tracking_id(shipment.shipment_id)}", 11, bold=True)
        label.line_of_text(f"Shipment {shipment.shipment_id}   Order {shipment.order_id}", 8)
        address = shipment.address
        label.line_of_text("Deliver to:", 9, bold=True)
        label.line_of_text(f"{address.get('city', '')}, {address.get('state', '')} {address.get('pincode', '')}", 10)
        for item in shipment.items:
            label.line_of_text(f"{item.get('sku')} x {item.get('quantity')}", 8)
        label.line_of_text(f"Seller {shipment.seller_id}, location {shipment.location_id}", 7)
    return label.pdf_bytes()


@dataclass
class FkListing:
    seller_id: str
    sku: str
    body: dict[str, Any]
    updated: datetime

    @property
    def quantity(self) -> int:
        return sum(int(loc["inventory"]) for loc in self.body["locations"] if loc.get("status") == "ENABLE")

    @property
    def active(self) -> bool:
        return self.body["listing_status"] == "ACTIVE"


@dataclass
class Shipment:
    seller_id: str
    shipment_id: str
    order_id: str
    location_id: str
    state: str
    ordered: datetime
    updated: datetime
    items: list[dict[str, Any]]
    address: dict[str, str]
    packages: list[dict[str, Any]] = field(default_factory=list)

    def as_api(self) -> dict[str, Any]:
        return {
            "shipmentId": self.shipment_id,
            "locationId": self.location_id,
            "dispatchByDate": (self.ordered + timedelta(days=1)).isoformat(),
            "dispatchAfterDate": self.ordered.isoformat(),
            "updatedAt": self.updated.isoformat(),
            "orderItems": [{**i, "status": self.state, "orderId": self.order_id} for i in self.items],
            "deliveryAddress": self.address,
            "packages": self.packages,
        }


class FlipkartSandbox(Sandbox):
    def __init__(self, *, quota_scale: float = 1.0, rate_per_s: float = 10, burst: int = 20, token_ttl_s: int = 3600):
        super().__init__("flipkart", quota_scale=quota_scale)
        self.rate_per_s, self.burst, self.token_ttl_s = rate_per_s, burst, token_ttl_s
        self.apps: dict[str, tuple[str, str]] = {}  # application id → (secret, seller id)
        self.tokens: dict[str, tuple[str, float]] = {}
        self.listings: dict[tuple[str, str], FkListing] = {}
        self.shipments: dict[str, Shipment] = {}
        self.sequence = itertools.count(1)
        self.lock = asyncio.Lock()

    def signing_key(self, seller: str, destination_secret: str) -> str:
        return next((secret for secret, owner in self.apps.values() if owner == seller), "")

    def shipments_of(self, seller: str, shipment_ids: str) -> tuple[list[Shipment], list[str]]:
        """The seller's shipments among comma-separated ids (at most ten), and the ids it has none of."""
        ids = shipment_ids.split(",")[:MAX_SKUS_PER_CALL]
        found = {i: s for i in ids if (s := self.shipments.get(i)) is not None and s.seller_id == seller}
        return list(found.values()), [i for i in ids if i not in found]

    def seller_of(self, request: Request, operation: str) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        seller_id, expiry = self.tokens.get(token, ("", 0.0))
        if scheme.lower() != "bearer" or not seller_id or expiry < time.time():
            raise FlipkartError(401, "UNAUTHORIZED", "invalid or expired access token")
        if self.limit("seller-api", seller_id, self.rate_per_s, self.burst) > 0:
            self.counts["429"] += 1
            raise FlipkartError(429, "RATE_LIMIT_EXCEEDED", "Request rate limit exceeded")
        self.counts[operation] += 1
        return seller_id

    def upsert(self, seller_id: str, batch: dict[str, BaseModel], merge: bool) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        now = datetime.now(UTC)
        for sku, body in batch.items():
            data = body.model_dump(mode="json", exclude_unset=merge)
            current = self.listings.get((seller_id, sku))
            if merge and current is None:
                answer[sku] = {"status": "failure", "errors": [
                    {"severity": "ERROR", "code": "LISTING_NOT_FOUND", "description": f"no listing for SKU {sku}"}
                ]}  # fmt: skip
                continue
            if sku in self.faults.reject_skus and not merge:
                answer[sku] = {"status": "failure", "errors": [
                    {"severity": "ERROR", "code": "INVALID_IMAGE", "description": "main image has a watermark"}
                ]}  # fmt: skip
                continue
            if current is not None and merge:
                current.body.update(data)
                current.updated = now
            else:
                self.listings[(seller_id, sku)] = FkListing(seller_id, sku, data, now)
            self.note_quantity(seller_id, sku, self.listings[(seller_id, sku)].quantity)
            answer[sku] = {"status": "success", "errors": []}
        return answer

    async def place_order(self, order: OrderRequest) -> Shipment:
        async with self.lock:
            chosen = []
            for sku, quantity in order.items:
                listing = self.listings.get((order.seller_id, sku))
                if listing is None or not listing.active or listing.quantity < quantity:
                    self.counts["orders_refused"] += 1
                    raise FlipkartError(409, "OUT_OF_STOCK", f"'{sku}' cannot be bought in that quantity now")
                chosen.append((listing, quantity))
            now = datetime.now(UTC)
            n = next(self.sequence)
            order_id = f"OD{int(now.timestamp())}{n:05d}"
            items = []
            for index, (listing, quantity) in enumerate(chosen):
                location = next(loc for loc in listing.body["locations"] if loc["inventory"] >= quantity)
                location["inventory"] -= quantity
                price = listing.body["price"]["selling_price"]
                items.append({
                    "orderItemId": f"{order_id[2:]}{index:02d}", "sku": listing.sku, "quantity": quantity,
                    "orderDate": now.isoformat(), "hsn": listing.body["tax"]["hsn"],
                    "priceComponents": {"sellingPrice": price, "totalPrice": price * quantity,
                                        "shippingCharge": 0.0, "customerPrice": price * quantity},
                })  # fmt: skip
            location_id = chosen[0][0].body["locations"][0]["id"]
            city, pincode = order.city_and_postal_code
            address = {"city": city, "state": order.state, "pincode": pincode}
            shipment = Shipment(order.seller_id, f"SH{uuid.uuid4().hex[:12]}", order_id, location_id, "APPROVED",
                                now, now, items, address)  # fmt: skip
            self.shipments[shipment.shipment_id] = shipment
            self.counts["orders_placed"] += 1
        await self.notify(order.seller_id, self._notification(shipment, "shipment_created"))
        return shipment

    async def change(self, shipment: Shipment, state: str, event: str) -> None:
        shipment.state = state
        shipment.updated = datetime.now(UTC)
        if state == "CANCELLED":
            for item in shipment.items:
                listing = self.listings.get((shipment.seller_id, item["sku"]))
                if listing is not None:
                    listing.body["locations"][0]["inventory"] += item["quantity"]
        await self.notify(shipment.seller_id, self._notification(shipment, event))

    def _notification(self, shipment: Shipment, event: str) -> dict[str, Any]:
        return {
            "eventId": str(uuid.uuid4()), "eventType": event, "source": "flipkart-sandbox",
            "timestamp": shipment.updated.isoformat(), "sellerId": shipment.seller_id,
            "shipmentId": shipment.shipment_id, "locationId": shipment.location_id,
            "attributes": {"orderId": shipment.order_id, "status": shipment.state,
                           "orderItems": [{"sku": i["sku"], "quantity": i["quantity"]} for i in shipment.items]},
        }  # fmt: skip

    def buyable(self) -> list[tuple[str, str, int]]:
        return [(k[0], k[1], v.quantity) for k, v in self.listings.items() if v.active and v.quantity]
