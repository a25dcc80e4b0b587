"""Shipments v3: searched by filter and paged, read, labelled once packed, packed, marked ready to dispatch
and cancelled, each move only from the states Flipkart allows it from."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request, Response

from haat_sandboxes.flipkart.answers import Marketplace
from haat_sandboxes.flipkart.sandbox import (
    LABELLED,
    POST_DISPATCH,
    PRE_DISPATCH,
    FlipkartError,
    FlipkartSandbox,
    shipping_labels_pdf,
)
from haat_sandboxes.flipkart.shapes import FilterRequest

router = APIRouter(prefix="/v3/shipments")


def page(sandbox: FlipkartSandbox, seller: str, body: FilterRequest, offset: int) -> dict[str, Any]:
    f = body.filter
    states = set(f.states) or {"preDispatch": PRE_DISPATCH, "postDispatch": POST_DISPATCH}.get(f.type, {"CANCELLED"})
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


async def transition(
    sandbox: FlipkartSandbox, seller: str, body: dict[str, Any], allowed: set[str], state: str, event: str
) -> dict[str, Any]:
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


@router.post("/filter")
async def filter_shipments(sandbox: Marketplace, request: Request, body: FilterRequest) -> dict[str, Any]:
    return page(sandbox, sandbox.seller_of(request, "filterShipments"), body, 0)


@router.get("/filter/page/{token}")
async def next_page(sandbox: Marketplace, request: Request, token: str) -> dict[str, Any]:
    seller = sandbox.seller_of(request, "filterShipments")
    encoded, _, offset = token.rpartition(".")
    body = FilterRequest.model_validate_json(base64.urlsafe_b64decode(encoded.encode()))
    return page(sandbox, seller, body, int(offset))


@router.get("/{shipment_ids}")
async def get_shipments(sandbox: Marketplace, request: Request, shipment_ids: str) -> dict[str, Any]:
    found, _ = sandbox.shipments_of(sandbox.seller_of(request, "getShipments"), shipment_ids)
    return {"shipments": [s.as_api() for s in found]}


@router.get("/{shipment_ids}/labels", response_model=None)
async def labels(sandbox: Marketplace, request: Request, shipment_ids: str) -> Response:
    """The shipping labels of packed shipments, one page each, as the PDF Flipkart answers."""
    mine, unknown = sandbox.shipments_of(sandbox.seller_of(request, "getLabels"), shipment_ids)
    if not mine or unknown:
        raise FlipkartError(404, "SHIPMENT_NOT_FOUND", f"no such shipments: {', '.join(unknown) or shipment_ids}")
    unpacked = [s.shipment_id for s in mine if s.state not in LABELLED]
    if unpacked:
        raise FlipkartError(400, "INVALID_STATE", f"labels are generated when packed; not packed: {unpacked}")
    return Response(shipping_labels_pdf(mine), media_type="application/pdf")


@router.post("/labels")
async def pack(sandbox: Marketplace, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    seller = sandbox.seller_of(request, "packShipments")
    return await transition(sandbox, seller, body, {"APPROVED", "PACKING_IN_PROGRESS"}, "PACKED", "shipment_packed")


@router.post("/dispatch")
async def dispatch(sandbox: Marketplace, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    seller = sandbox.seller_of(request, "dispatchShipments")
    wrapped = {"shipments": [{"shipmentId": i} for i in body.get("shipmentIds", [])]}
    return await transition(sandbox, seller, wrapped, {"PACKED"}, "READY_TO_DISPATCH", "shipment_ready_to_dispatch")


@router.post("/cancel")
async def cancel(sandbox: Marketplace, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    seller = sandbox.seller_of(request, "cancelShipments")
    return await transition(sandbox, seller, body, PRE_DISPATCH, "CANCELLED", "shipment_cancelled")
