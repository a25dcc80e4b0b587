"""Flipkart-style sandbox: Marketplace Seller API v3 as a connector sees it (no official machine-readable spec
is public; the shapes follow shared/reference/README.md and are checked here by pydantic models).

OAuth client credentials; listings by SKU (create/update, price, inventory per location, up to 10 SKUs a
call); shipments searched by filter with the real order-item states, packed with invoice and dimensions,
labels (PDF) once packed, marked ready to dispatch, cancelled. One token bucket per seller (10/s, burst 20 by default).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import secrets
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, RootModel

from haat.documents.printing import PrintedPage
from haat_sandboxes.control import CONTROL_PREFIX, Sandbox, build_app
from haat_sandboxes.order_generator import OrderRequest

MAX_SKUS_PER_CALL = 10
SKU_PATH = Annotated[str, Path(max_length=MAX_SKUS_PER_CALL * 65)]


class FlipkartError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def error_body(status: int, code: str, description: str = "") -> dict[str, Any]:
    texts = {"QuotaExceeded": "Request rate limit exceeded", "ServiceUnavailable": "Service temporarily unavailable"}
    code = {"QuotaExceeded": "RATE_LIMIT_EXCEEDED", "ServiceUnavailable": "SERVICE_UNAVAILABLE"}.get(code, code)
    return {"errors": [{"severity": "ERROR", "code": code, "description": description or texts.get(code, code)}]}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Price(_Strict):
    mrp: float = Field(gt=0)
    selling_price: float = Field(gt=0)
    currency: Literal["INR"] = "INR"


class Location(_Strict):
    id: str
    status: Literal["ENABLE", "DISABLE"] = "ENABLE"
    inventory: int = Field(ge=0)


class Tax(_Strict):
    hsn: str = Field(pattern=r"^[0-9]{4,8}$")
    tax_code: str


class Fulfillment(_Strict):
    dispatch_sla: int = Field(ge=1, le=15)
    shipping_provider: Literal["FLIPKART", "SELLER"] = "FLIPKART"
    procurement_type: Literal["REGULAR", "EXPRESS", "MADE_TO_ORDER"] = "REGULAR"


class Package(_Strict):
    name: str
    dimensions: dict[str, float]
    weight: float = Field(gt=0)
    description: str = ""
    handling: dict[str, bool] = Field(default_factory=dict)
    notional_value: dict[str, Any] = Field(default_factory=dict)


class ListingBody(_Strict):
    product_id: str
    price: Price
    tax: Tax
    listing_status: Literal["ACTIVE", "INACTIVE"]
    shipping_fees: dict[str, float] = Field(default_factory=dict)
    fulfillment_profile: Literal["NON_FBF", "FBF"] = "NON_FBF"
    fulfillment: Fulfillment
    packages: list[Package] = Field(min_length=1)
    locations: list[Location] = Field(min_length=1)
    title: str = Field(min_length=1, max_length=500)
    images: list[str] = Field(default_factory=list)


class PriceBody(_Strict):
    product_id: str
    price: Price


class InventoryBody(_Strict):
    product_id: str
    locations: list[Location] = Field(min_length=1)


def _batch(model: type[BaseModel]) -> type[RootModel[Any]]:
    return RootModel[dict[Annotated[str, Field(min_length=1, max_length=64)], model]]  # type: ignore[valid-type]


ListingBatch, PriceBatch, InventoryBatch = _batch(ListingBody), _batch(PriceBody), _batch(InventoryBody)


class ShipmentFilter(_Strict):
    type: Literal["preDispatch", "postDispatch", "cancelled"]
    states: list[str] = Field(default_factory=list)
    modifiedDate: dict[str, datetime] | None = None
    orderDate: dict[str, datetime] | None = None


class FilterRequest(_Strict):
    filter: ShipmentFilter
    pagination: dict[str, int] = Field(default_factory=lambda: {"pageSize": 20})


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


def create_app(sandbox: FlipkartSandbox | None = None, *, orders_per_minute: float = 0.0) -> FastAPI:
    sandbox = sandbox or FlipkartSandbox()
    app = build_app(
        "Flipkart-style sandbox (Marketplace Seller API v3)",
        sandbox,
        error_body,
        orders_per_minute,
    )

    @app.exception_handler(FlipkartError)
    async def flipkart_error(request: Request, error: FlipkartError) -> JSONResponse:
        return JSONResponse(error_body(error.status, error.code, error.description), error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"severity": "ERROR", "code": "INVALID_REQUEST", "description": e["msg"],
             "path": [str(p) for p in e["loc"][1:]]}
            for e in error.errors()
        ]  # fmt: skip
        return JSONResponse({"errors": errors}, 400)

    def too_many(batch: RootModel[Any]) -> None:
        if len(batch.root) > MAX_SKUS_PER_CALL:
            raise FlipkartError(400, "INVALID_REQUEST", f"at most {MAX_SKUS_PER_CALL} SKUs per request")

    @app.get("/oauth-service/oauth/token")
    async def token(request: Request, grant_type: str = "", scope: str = "") -> JSONResponse:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            app_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            app_id, secret = "", ""
        known = sandbox.apps.get(app_id)
        if scheme.lower() != "basic" or known is None or known[0] != secret:
            return JSONResponse({"error": "unauthorized", "error_description": "Bad credentials"}, 401)
        if grant_type != "client_credentials" or scope != "Seller_Api":
            return JSONResponse({"error": "invalid_request", "error_description": "grant or scope not allowed"}, 400)
        access = secrets.token_urlsafe(24)
        sandbox.tokens[access] = (known[1], time.time() + sandbox.token_ttl_s)
        sandbox.counts["tokens"] += 1
        return JSONResponse(
            {"access_token": access, "token_type": "bearer", "expires_in": sandbox.token_ttl_s, "scope": scope}
        )

    @app.post("/listings/v3")
    async def create_listings(request: Request, batch: ListingBatch) -> dict[str, Any]:  # type: ignore[valid-type]
        seller = sandbox.seller_of(request, "createListings")
        too_many(batch)
        return sandbox.upsert(seller, batch.root, merge=False)  # type: ignore[attr-defined]

    @app.post("/listings/v3/update")
    async def update_listings(request: Request, batch: ListingBatch) -> dict[str, Any]:  # type: ignore[valid-type]
        seller = sandbox.seller_of(request, "updateListings")
        too_many(batch)
        return sandbox.upsert(seller, batch.root, merge=False)  # type: ignore[attr-defined]

    @app.post("/listings/v3/update/price")
    async def update_price(request: Request, batch: PriceBatch) -> dict[str, Any]:  # type: ignore[valid-type]
        seller = sandbox.seller_of(request, "updatePrice")
        too_many(batch)
        return sandbox.upsert(seller, batch.root, merge=True)  # type: ignore[attr-defined]

    @app.post("/listings/v3/update/inventory")
    async def update_inventory(request: Request, batch: InventoryBatch) -> dict[str, Any]:  # type: ignore[valid-type]
        seller = sandbox.seller_of(request, "updateInventory")
        too_many(batch)
        return sandbox.upsert(seller, batch.root, merge=True)  # type: ignore[attr-defined]

    @app.get("/listings/v3/{sku_ids}")
    async def get_listings(request: Request, sku_ids: SKU_PATH) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "getListings")
        skus = sku_ids.split(",")
        found = {s: sandbox.listings.get((seller, s)) for s in skus}
        return {
            "available": {s: {**v.body, "updated_at": v.updated.isoformat()} for s, v in found.items() if v},
            "unavailable": [s for s, v in found.items() if v is None],
        }

    @app.post("/v3/shipments/filter")
    async def filter_shipments(request: Request, body: FilterRequest) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "filterShipments")
        return page(seller, body, 0)

    @app.get("/v3/shipments/filter/page/{token}")
    async def next_page(request: Request, token: str) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "filterShipments")
        encoded, _, offset = token.rpartition(".")
        body = FilterRequest.model_validate_json(base64.urlsafe_b64decode(encoded.encode()))
        return page(seller, body, int(offset))

    def page(seller: str, body: FilterRequest, offset: int) -> dict[str, Any]:
        f = body.filter
        states = set(f.states) or {"preDispatch": PRE_DISPATCH, "postDispatch": POST_DISPATCH}.get(
            f.type, {"CANCELLED"}
        )
        since = (f.modifiedDate or {}).get("from")
        chosen = sorted(
            (s for s in sandbox.shipments.values()
             if s.seller_id == seller and s.state in states and (since is None or s.updated > since)),
            key=lambda s: (s.updated, s.shipment_id),
        )  # fmt: skip
        size = max(1, min(body.pagination.get("pageSize", 20), 20))
        answer: dict[str, Any] = {"shipments": [s.as_api() for s in chosen[offset : offset + size]], "hasMore": False}
        if offset + size < len(chosen):
            encoded = base64.urlsafe_b64encode(body.model_dump_json().encode()).decode()
            answer |= {"hasMore": True, "nextPageUrl": f"/v3/shipments/filter/page/{encoded}.{offset + size}"}
        return answer

    @app.get("/v3/shipments/{shipment_ids}")
    async def get_shipments(request: Request, shipment_ids: str) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "getShipments")
        found, _ = sandbox.shipments_of(seller, shipment_ids)
        return {"shipments": [s.as_api() for s in found]}

    @app.get("/v3/shipments/{shipment_ids}/labels", response_model=None)
    async def labels(request: Request, shipment_ids: str) -> Response:
        """The shipping labels of packed shipments, one page each, as the PDF Flipkart answers."""
        seller = sandbox.seller_of(request, "getLabels")
        mine, unknown = sandbox.shipments_of(seller, shipment_ids)
        if not mine or unknown:
            raise FlipkartError(404, "SHIPMENT_NOT_FOUND", f"no such shipments: {', '.join(unknown) or shipment_ids}")
        unpacked = [s.shipment_id for s in mine if s.state not in LABELLED]
        if unpacked:
            raise FlipkartError(400, "INVALID_STATE", f"labels are generated when packed; not packed: {unpacked}")
        return Response(shipping_labels_pdf(mine), media_type="application/pdf")

    @app.post("/v3/shipments/labels")
    async def pack(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "packShipments")
        return await transition(seller, body, {"APPROVED", "PACKING_IN_PROGRESS"}, "PACKED", "shipment_packed")

    @app.post("/v3/shipments/dispatch")
    async def dispatch(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "dispatchShipments")
        wrapped = {"shipments": [{"shipmentId": i} for i in body.get("shipmentIds", [])]}
        return await transition(seller, wrapped, {"PACKED"}, "READY_TO_DISPATCH", "shipment_ready_to_dispatch")

    @app.post("/v3/shipments/cancel")
    async def cancel(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        seller = sandbox.seller_of(request, "cancelShipments")
        return await transition(seller, body, PRE_DISPATCH, "CANCELLED", "shipment_cancelled")

    async def transition(seller: str, body: dict[str, Any], allowed: set[str], state: str, event: str) -> Any:
        results = []
        for entry in body.get("shipments") or []:
            shipment = sandbox.shipments.get(str(entry.get("shipmentId")))
            if shipment is None or shipment.seller_id != seller:
                results.append({"shipmentId": entry.get("shipmentId"), "status": "FAILURE", "errorCode": "NOT_FOUND"})
            elif shipment.state not in allowed:
                failure = {"errorCode": "INVALID_STATE", "errorMessage": f"shipment is {shipment.state}"}
                results.append({"shipmentId": shipment.shipment_id, "status": "FAILURE", **failure})
            else:
                shipment.packages = entry.get("subShipments", shipment.packages)
                await sandbox.change(shipment, state, event)
                results.append({"shipmentId": shipment.shipment_id, "status": "SUCCESS"})
        return {"shipments": results}

    # --- sandbox control -------------------------------------------------------------------------------
    @app.put(f"{CONTROL_PREFIX}/sellers/{{seller_id}}")
    async def register_seller(seller_id: str, body: dict[str, str]) -> dict[str, str]:
        sandbox.apps[body["application_id"]] = (body["application_secret"], seller_id)
        return {"seller_id": seller_id}

    @app.post(f"{CONTROL_PREFIX}/orders", status_code=201)
    async def place(body: dict[str, Any]) -> dict[str, Any]:
        request = OrderRequest(body["seller_id"], [(i["sku"], int(i.get("quantity", 1))) for i in body["items"]],
                               body.get("state", "Odisha"))  # fmt: skip
        return (await sandbox.place_order(request)).as_api()

    @app.post(f"{CONTROL_PREFIX}/shipments/{{shipment_id}}/{{state}}")
    async def move(shipment_id: str, state: str) -> dict[str, Any]:
        shipment = sandbox.shipments.get(shipment_id)
        if shipment is None:
            raise FlipkartError(404, "NOT_FOUND", f"no shipment {shipment_id}")
        await sandbox.change(shipment, state.upper(), f"shipment_{state.lower()}")
        return shipment.as_api()

    @app.get(f"{CONTROL_PREFIX}/listings")
    async def listings(seller_id: str | None = None) -> list[dict[str, Any]]:
        return [{"seller_id": v.seller_id, "sku": v.sku, "quantity": v.quantity, **v.body}
                for k, v in sandbox.listings.items() if seller_id in (None, k[0])]  # fmt: skip

    @app.get(f"{CONTROL_PREFIX}/orders")
    async def orders(seller_id: str | None = None) -> list[dict[str, Any]]:
        return [s.as_api() | {"sellerId": s.seller_id, "orderId": s.order_id, "state": s.state}
                for s in sandbox.shipments.values() if seller_id in (None, s.seller_id)]  # fmt: skip

    return app
