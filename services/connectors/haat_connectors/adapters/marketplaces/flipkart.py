"""Flipkart Marketplace Seller API v3: client-credentials token, listings by SKU in batches, shipments."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import aiohttp

from haat_connectors.adapters.marketplaces import flipkart_mapping as mapping
from haat_connectors.adapters.marketplaces.base import (
    Account,
    LabelNotReady,
    ListingPush,
    ListingReport,
    Marketplace,
    Notification,
    PushOutcome,
)
from haat_connectors.adapters.marketplaces.http import Answer, MarketplaceHttp, TokenSource, TransientFailure
from haat_connectors.domain.marketplace_order import FetchedOrder


def client_credentials_source(session: aiohttp.ClientSession, api_url: str, credentials: dict[str, str]) -> TokenSource:
    async def fetch() -> tuple[str, float]:
        basic = base64.b64encode(f"{credentials['application_id']}:{credentials['application_secret']}".encode())
        url = f"{api_url.rstrip('/')}/oauth-service/oauth/token"
        params = {"grant_type": "client_credentials", "scope": "Seller_Api"}
        try:
            async with session.get(url, params=params, headers={"authorization": f"Basic {basic.decode()}"}) as answer:
                body = await answer.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, OSError) as failure:
            raise TransientFailure(f"Flipkart token service unreachable: {failure}") from None
        if answer.status != 200:
            raise TransientFailure(f"Flipkart refused the application credentials: {body}")
        return body["access_token"], float(body.get("expires_in", 3600))

    return TokenSource(fetch)


class Flipkart(Marketplace):
    channel: ClassVar[str] = "flipkart"
    batch_size: ClassVar[int] = 10  # SKUs per listing, price or inventory call

    def __init__(self, account: Account, http: MarketplaceHttp, *, image_base_url: str) -> None:
        super().__init__(account, http)
        self.image_base_url = image_base_url
        self.location = account.location_id or "LOC-1"

    async def push(self, pushes: list[ListingPush]) -> list[PushOutcome]:
        outcomes: list[PushOutcome] = []
        full = [p for p in pushes if p.content or p.retire]
        stock = [p for p in pushes if not (p.content or p.retire)]
        if full:
            batch = {}
            for p in full:
                body = mapping.listing(p.product, p.quantity, self.location, self.image_base_url)
                body["listing_status"] = "INACTIVE" if p.retire else "ACTIVE"
                batch[p.sku] = body
            outcomes += await self._send("updateListings", "/listings/v3/update", batch, full)
        if stock:
            batch = {p.sku: mapping.inventory(p.sku, p.quantity, self.location) for p in stock}
            outcomes += await self._send("updateInventory", "/listings/v3/update/inventory", batch, stock)
        return outcomes

    async def _send(
        self, operation: str, path: str, batch: dict[str, Any], pushes: list[ListingPush]
    ) -> list[PushOutcome]:
        try:
            answer = await self.http.call(operation, "POST", path, json=batch)
        except TransientFailure as failure:
            return [PushOutcome(p.sku, error=str(failure)) for p in pushes]
        if not answer.ok:  # the whole request was refused (e.g. 400): every SKU in it carries the reason
            issues = mapping.issues_of((answer.body or {}).get("errors", []) if isinstance(answer.body, dict) else [])
            return [PushOutcome(p.sku, "rejected", issues) for p in pushes]
        outcomes = []
        for p in pushes:
            result = answer.body.get(p.sku, {})
            if result.get("status") == "success":
                status = "inactive" if p.retire else ("live" if p.content else None)
                outcomes.append(PushOutcome(p.sku, status))  # type: ignore[arg-type]
            elif any(e.get("code") == "LISTING_NOT_FOUND" for e in result.get("errors", [])):
                outcomes.append(PushOutcome(p.sku, "pending", error="listing missing on Flipkart; sending it again"))
            else:
                outcomes.append(PushOutcome(p.sku, "rejected", mapping.issues_of(result.get("errors", []))))
        return outcomes

    async def listing_status(self, sku: str) -> ListingReport | None:
        answer = await self.http.call("getListings", "GET", f"/listings/v3/{quote(sku, safe='')}")
        if not answer.ok:
            raise TransientFailure(f"listing status answered {answer.status}")
        found = answer.body.get("available", {}).get(sku)
        if not found:
            return None
        active = found.get("listing_status") == "ACTIVE"
        return ListingReport(sku, "live" if active else "inactive", [], datetime.now(UTC))

    async def orders_updated_since(self, since: datetime) -> tuple[list[FetchedOrder], datetime]:
        # Shipments modified up to a few seconds ago; the next pull starts there (overlap is deduplicated).
        until = datetime.now(UTC) - timedelta(seconds=2)
        found: list[FetchedOrder] = []
        for kind in mapping.SHIPMENT_TYPES:
            body = {
                "filter": {"type": kind, "modifiedDate": {"from": since.isoformat()}},
                "pagination": {"pageSize": 20},
            }
            answer = await self.http.call("filterShipments", "POST", "/v3/shipments/filter", json=body)
            while True:
                if not answer.ok:
                    raise TransientFailure(f"shipments filter answered {answer.status}: {answer.body}")
                found += [mapping.order_from(s, self.account.id, self.account.clf_id) for s in answer.body["shipments"]]
                if not answer.body.get("hasMore"):
                    break
                answer = await self.http.call("filterShipments", "GET", answer.body["nextPageUrl"])
        return found, max(since, until)

    async def order(self, marketplace_order_id: str) -> FetchedOrder | None:
        # Notifications name the shipment; an order id also works where the sandbox or API accepts it.
        answer = await self.http.call("getShipments", "GET", f"/v3/shipments/{quote(marketplace_order_id, safe='')}")
        if not answer.ok:
            raise TransientFailure(f"shipments answered {answer.status}")
        shipments = answer.body.get("shipments") or []
        return mapping.order_from(shipments[0], self.account.id, self.account.clf_id) if shipments else None

    async def pack(self, raw_order: dict[str, Any], package: dict[str, Any]) -> str | None:
        """Packed: Flipkart's logistics make the label from the package's weight and dimensions."""
        shipment = raw_order["shipment"]
        packages = mapping.packed_packages(package) if package.get("weight_grams") else shipment.get("packages", [])
        packed = {"shipments": [{"shipmentId": shipment["shipmentId"], "subShipments": packages}]}
        answer = await self.http.call("packShipments", "POST", "/v3/shipments/labels", json=packed)
        if not answer.ok:
            return f"pack answered {answer.status}: {answer.body}"
        refused = _failed_shipments(answer)
        if refused and not all(s.get("errorCode") == "INVALID_STATE" for s in refused):
            return f"pack refused: {answer.body}"
        return None  # packed now, or packed before (a repeated task)

    async def shipping_label(self, raw_order: dict[str, Any]) -> bytes | None:
        shipment_id = quote(raw_order["shipment"]["shipmentId"], safe="")
        answer = await self.http.call("getLabels", "GET", f"/v3/shipments/{shipment_id}/labels")
        if answer.status == 400:
            raise LabelNotReady(f"Flipkart has no label yet: {answer.body}")
        if not answer.ok or not answer.raw.startswith(b"%PDF"):
            raise TransientFailure(f"labels answered {answer.status} without a PDF")
        return answer.raw

    async def confirm_shipment(self, raw_order: dict[str, Any], carrier: str, tracking_id: str) -> str | None:
        """Flipkart ships with its own logistics: packed (if the pack task has not done it yet), then ready
        to dispatch."""
        shipment = raw_order["shipment"]
        refusal = await self.pack(raw_order, {})
        if refusal:
            return refusal
        dispatch = {"shipmentIds": [shipment["shipmentId"]], "locationId": shipment.get("locationId")}
        answer = await self.http.call("dispatchShipments", "POST", "/v3/shipments/dispatch", json=dispatch)
        failed = _failed_shipments(answer)
        return None if answer.ok and not failed else f"dispatch refused: {answer.body}"

    async def cancel(self, raw_order: dict[str, Any], reason: str) -> str | None:
        shipment = raw_order["shipment"]
        body = {"shipments": [{"shipmentId": shipment["shipmentId"], "reason": reason or "seller_cancelled"}]}
        answer = await self.http.call("cancelShipments", "POST", "/v3/shipments/cancel", json=body)
        failed = _failed_shipments(answer)
        return None if answer.ok and not failed else f"cancel refused: {answer.body}"

    @staticmethod
    def read_notification(body: dict[str, Any]) -> Notification:
        event = body.get("eventType")
        if not event or "sellerId" not in body:
            raise ValueError("not a Flipkart notification: eventType or sellerId is missing")
        if not str(event).startswith("shipment_"):
            return Notification(str(body["sellerId"]), "other")
        attributes = body.get("attributes") or {}
        new_items = [(i["sku"], int(i["quantity"])) for i in attributes.get("orderItems", [])]
        return Notification(
            str(body["sellerId"]), "order", order_id=str(attributes.get("orderId", body["shipmentId"])),
            fetch_id=str(body["shipmentId"]),
            new_order_items=new_items if event == "shipment_created" else [],
        )  # fmt: skip


def _failed_shipments(answer: Answer) -> list[dict[str, Any]]:
    """The shipments a batch call did not change (Flipkart answers 200 with a status per shipment)."""
    return [s for s in (answer.body or {}).get("shipments", []) if s.get("status") != "SUCCESS"]
