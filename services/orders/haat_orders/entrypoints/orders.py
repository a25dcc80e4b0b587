"""HTTP: the order queue and the order actions (bodies as in DESIGN.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from haat.http_app import CallerDep, RuntimeDep, StaffCallerDep
from haat.negotiation import PDF_ONLY, PDF_OR_JSON, pdf_response, wants_pdf
from haat.pagination import Page
from haat_orders.adapters import connectors_client, printed_documents
from haat_orders.entrypoints.dependencies import OrdersUnitOfWorkDep
from haat_orders.service_layer import fulfilment

router = APIRouter(prefix="/v1/orders", tags=["orders"])
State = Literal["created", "accepted", "packed", "shipped", "delivered", "cancelled", "return_requested", "returned"]


class Line(BaseModel):
    line: int
    sku: str
    title: str
    quantity: int
    unit_price_paise: int
    marketplace_item_id: str


class Move(BaseModel):
    seq: int
    from_state: str | None
    to_state: str
    actor: str
    note: str
    at: datetime


class LineInBrief(BaseModel):
    sku: str
    title: str
    quantity: int


class OrderSummary(BaseModel):
    id: str = Field(description="channel-marketplace order id")
    channel: str
    marketplace_order_id: str
    clf_id: str
    state: State
    marketplace_status: str
    purchased_at: datetime
    ship_by: datetime | None
    deliver_by: datetime | None
    sla: Literal["on_track", "at_risk", "late"]
    buyer_state: str
    buyer_city: str
    packaging_house_id: str | None
    stock: Literal["pending", "reserved", "shortfall"]
    total_paise: int
    carrier: str | None
    tracking_id: str | None
    lines: list[LineInBrief] = Field(default_factory=list, description="what is in it, for the packing bench")


class Order(OrderSummary):
    package: dict[str, Any] | None
    items: list[Line]
    history: list[Move]


class Accept(BaseModel):
    pass


class Pack(BaseModel):
    weight_grams: int = Field(gt=0, le=100_000)
    length_cm: float = Field(gt=0, le=500)
    width_cm: float = Field(gt=0, le=500)
    height_cm: float = Field(gt=0, le=500)


class Ship(BaseModel):
    carrier: str = Field(min_length=1, max_length=100)
    tracking_id: str = Field(min_length=1, max_length=100)


class Cancel(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class Return(BaseModel):
    restocked: bool = Field(True, description="false: the goods came back damaged and are not sellable")
    reason: str = Field("", max_length=500)


@router.get("", response_model=Page[OrderSummary], summary="The order queue, soonest ship-by first")
def list_orders(
    uow: OrdersUnitOfWorkDep,
    caller: CallerDep,
    state: State | None = None,
    channel: str | None = None,
    clf_id: str | None = None,
    packaging_house_id: str | None = None,
    sla: Literal["on_track", "at_risk", "late"] | None = None,
    shg_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    filters = {"state": state, "channel": channel, "clf_id": clf_id, "packaging_house_id": packaging_house_id}
    return fulfilment.list_orders(
        uow, caller, filters=filters, sla_filter=sla, limit=limit, cursor=cursor, shg_id=shg_id
    )


@router.get("/{order_id}", response_model=Order)
def get_order(order_id: str, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/accept", response_model=Order)
def accept(order_id: str, body: Accept, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "accept")
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/pack", response_model=Order)
def pack(order_id: str, body: Pack, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "pack", package=body.model_dump())
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/ship", response_model=Order)
def ship(order_id: str, body: Ship, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "ship", carrier=body.carrier, tracking_id=body.tracking_id)
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/deliver", response_model=Order)
def deliver(order_id: str, body: Accept, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "deliver")
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/cancel", response_model=Order)
def cancel(order_id: str, body: Cancel, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "cancel", body.reason)
    return fulfilment.get_order(uow, caller, order_id)


@router.post("/{order_id}/return", response_model=Order, summary="The goods came back (restocked or damaged)")
def return_(order_id: str, body: Return, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    fulfilment.act(uow, caller, order_id, "return", body.reason, restocked=body.restocked)
    return fulfilment.get_order(uow, caller, order_id)


@router.get("/{order_id}/invoice", summary="The order's GST invoice (or bill of supply): JSON or PDF by Accept",
            responses=PDF_OR_JSON)  # fmt: skip
def invoice(order_id: str, request: Request, uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Any:
    return _document(order_id, "invoice", request, uow, caller)


@router.get("/{order_id}/credit-note", summary="The credit note of a returned order: JSON or PDF by Accept",
            responses=PDF_OR_JSON)  # fmt: skip
def credit_note(order_id: str, request: Request, uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Any:
    return _document(order_id, "credit_note", request, uow, caller)


@router.get("/{order_id}/packing-slip", summary="What goes in the parcel: JSON (the order) or PDF by Accept",
            responses=PDF_OR_JSON)  # fmt: skip
def packing_slip(order_id: str, request: Request, uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Any:
    order = fulfilment.get_order(uow, caller, order_id)
    if wants_pdf(request):
        return pdf_response(printed_documents.packing_slip_pdf(order), f"packing-slip-{order_id}.pdf")
    return order


@router.get(
    "/{order_id}/label",
    response_class=Response,
    responses=PDF_ONLY,
    summary="The marketplace's shipping label (PDF), once packed, where the marketplace ships the order",
)
async def label(order_id: str, runtime: RuntimeDep, uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Response:
    await run_in_threadpool(fulfilment.get_order, uow, caller, order_id)  # 404 for an order the caller may not see
    pdf = await connectors_client.shipping_label(runtime, order_id)
    return pdf_response(pdf, f"label-{order_id}.pdf")


def _document(order_id: str, kind: str, request: Request, uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Any:
    issued = fulfilment.document(uow, caller, order_id, kind)
    if wants_pdf(request):
        return pdf_response(printed_documents.invoice_pdf(issued), f"{issued['number'].replace('/', '-')}.pdf")
    return issued
