"""The Flipkart sandbox's own paths (`/_sandbox/…`), for tests, demos and benchmarks: register a seller's
application, place an order as a buyer would, move a shipment as Flipkart's courier would, look at it all."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from haat_sandboxes.control import CONTROL_PREFIX
from haat_sandboxes.flipkart.answers import Marketplace
from haat_sandboxes.flipkart.sandbox import FlipkartError
from haat_sandboxes.order_generator import OrderRequest

router = APIRouter(prefix=CONTROL_PREFIX)


@router.put("/sellers/{seller_id}")
async def register_seller(sandbox: Marketplace, seller_id: str, body: dict[str, str]) -> dict[str, str]:
    sandbox.apps[body["application_id"]] = (body["application_secret"], seller_id)
    return {"seller_id": seller_id}


@router.post("/orders", status_code=201)
async def place(sandbox: Marketplace, body: dict[str, Any]) -> dict[str, Any]:
    request = OrderRequest(body["seller_id"], [(i["sku"], int(i.get("quantity", 1))) for i in body["items"]],
                           body.get("state", "Odisha"))  # fmt: skip
    return (await sandbox.place_order(request)).as_api()


@router.post("/shipments/{shipment_id}/{state}")
async def move(sandbox: Marketplace, shipment_id: str, state: str) -> dict[str, Any]:
    shipment = sandbox.shipments.get(shipment_id)
    if shipment is None:
        raise FlipkartError(404, "NOT_FOUND", f"no shipment {shipment_id}")
    await sandbox.change(shipment, state.upper(), f"shipment_{state.lower()}")
    return shipment.as_api()


@router.get("/listings")
async def listings(sandbox: Marketplace, seller_id: str | None = None) -> list[dict[str, Any]]:
    return [{"seller_id": v.seller_id, "sku": v.sku, "quantity": v.quantity, **v.body}
            for k, v in sandbox.listings.items() if seller_id in (None, k[0])]  # fmt: skip


@router.get("/orders")
async def orders(sandbox: Marketplace, seller_id: str | None = None) -> list[dict[str, Any]]:
    return [s.as_api() | {"sellerId": s.seller_id, "orderId": s.order_id, "state": s.state}
            for s in sandbox.shipments.values() if seller_id in (None, s.seller_id)]  # fmt: skip
