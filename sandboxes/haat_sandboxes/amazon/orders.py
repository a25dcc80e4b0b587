"""Orders v0: orders updated since a moment (paged, with Amazon's lag), one order, its items, and the seller's
shipment confirmation, each within its quota."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from haat_sandboxes import sp_api_spec
from haat_sandboxes.amazon.answers import Marketplace, check_marketplace, json_body, ok
from haat_sandboxes.amazon.sandbox import AmazonError, AmazonSandbox, Order, iso_time

router = APIRouter(prefix="/orders/v0/orders")


def sellers_order(sandbox: AmazonSandbox, seller: str, order_id: str) -> Order:
    order = sandbox.orders.get(order_id)
    if order is None or order.seller_id != seller:
        raise AmazonError(404, "NotFound", f"Order {order_id} was not found.")
    return order


@router.get("")
async def get_orders(
    sandbox: Marketplace,
    request: Request,
    marketplace_ids: Annotated[str | None, Query(alias="MarketplaceIds")] = None,
    last_updated_after: Annotated[str | None, Query(alias="LastUpdatedAfter")] = None,
    created_after: Annotated[str | None, Query(alias="CreatedAfter")] = None,
    next_token: Annotated[str | None, Query(alias="NextToken")] = None,
    max_results: Annotated[int, Query(alias="MaxResultsPerPage", ge=1, le=100)] = 100,
) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("getOrders", seller)
    check_marketplace(marketplace_ids)
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
    payload: dict[str, Any] = {"Orders": [o.as_api() for o in page], "LastUpdatedBefore": iso_time(before)}
    if offset + max_results < len(chosen):
        payload["NextToken"] = f"{since_text}|{offset + max_results}"
    return ok({"payload": payload}, limit)


@router.get("/{order_id}")
async def get_order(sandbox: Marketplace, request: Request, order_id: str) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("getOrder", seller)
    return ok({"payload": sellers_order(sandbox, seller, order_id).as_api()}, limit)


@router.get("/{order_id}/orderItems")
async def get_order_items(sandbox: Marketplace, request: Request, order_id: str) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("getOrderItems", seller)
    order = sellers_order(sandbox, seller, order_id)
    return ok({"payload": {"AmazonOrderId": order_id, "OrderItems": order.items}}, limit)


@router.post("/{order_id}/shipmentConfirmation")
async def confirm_shipment(sandbox: Marketplace, request: Request, order_id: str) -> Any:
    seller = sandbox.seller_of(request)
    limit = sandbox.quota("confirmShipment", seller)
    await json_body(request, sp_api_spec.ORDERS, "ConfirmShipmentRequest")
    order = sellers_order(sandbox, seller, order_id)
    if order.status != "Unshipped":
        raise AmazonError(400, "InvalidInput", f"Order {order_id} is {order.status}; it cannot be shipped.")
    await sandbox.change_order(order, "Shipped", "OrderStatusChange", "Order shipped")
    return ok(None, limit, 204)
