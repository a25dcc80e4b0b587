"""The Amazon sandbox's own paths (`/_sandbox/…`), for tests, demos and benchmarks: register a seller, place
or cancel an order as a buyer would, and look at every listing and order."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from haat_sandboxes.amazon.answers import Marketplace
from haat_sandboxes.amazon.sandbox import AmazonError, SellerAccount
from haat_sandboxes.control import CONTROL_PREFIX
from haat_sandboxes.order_generator import OrderRequest

router = APIRouter(prefix=CONTROL_PREFIX)


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


@router.put("/sellers/{seller_id}")
async def register_seller(sandbox: Marketplace, seller_id: str, body: SellerRegistration) -> dict[str, str]:
    sandbox.sellers[seller_id] = SellerAccount(seller_id, body.client_id, body.client_secret, body.refresh_token)
    return {"seller_id": seller_id}


@router.post("/orders", status_code=201)
async def place(sandbox: Marketplace, body: PlaceOrder) -> dict[str, Any]:
    order = await sandbox.place_order(
        OrderRequest(body.seller_id, [(i.sku, i.quantity) for i in body.items], body.state)
    )
    return order.as_api()


@router.post("/orders/{order_id}/cancel")
async def buyer_cancel(sandbox: Marketplace, order_id: str) -> dict[str, Any]:
    order = sandbox.orders.get(order_id)
    if order is None:
        raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
    if order.status == "Unshipped":
        await sandbox.change_order(order, "Canceled", "BuyerRequestedChange", "Buyer Requested Cancel")
    return order.as_api()


@router.get("/listings")
async def listings(sandbox: Marketplace, seller_id: str | None = None) -> list[dict[str, Any]]:
    chosen = [v for k, v in sandbox.listings.items() if seller_id in (None, k[0])]
    return [{"seller_id": v.seller_id, **sandbox.item(v)} for v in chosen]


@router.get("/orders")
async def orders(sandbox: Marketplace, seller_id: str | None = None) -> list[dict[str, Any]]:
    return [o.as_api() | {"SellerId": o.seller_id, "Items": o.items} for o in sandbox.orders.values()
            if seller_id in (None, o.seller_id)]  # fmt: skip
