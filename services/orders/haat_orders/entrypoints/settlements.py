"""HTTP: settlements per SHG: draw them up for a period, read them, export the bank file, mark them paid."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from haat.http_app import CallerDep, StaffCallerDep
from haat.pagination import Page
from haat_orders.entrypoints.dependencies import OrdersRuntimeDep, OrdersUnitOfWorkDep
from haat_orders.service_layer import settlements

router = APIRouter(prefix="/v1/settlements", tags=["settlements"])


class DrawUp(BaseModel):
    period_end: AwareDatetime = Field(description="settle what was delivered before this time")
    clf_id: str | None = Field(None, description="one CLF (a coordinator's own is implied)")


class Paid(BaseModel):
    reference: str = Field(min_length=1, max_length=100, description="the bank's payment reference")


class Settlement(BaseModel):
    id: str
    clf_id: str
    shg_id: str
    period_end: datetime
    lines: int
    gross_paise: int
    fees_paise: int
    tcs_paise: int
    tds_paise: int
    net_paise: int
    created_at: datetime
    paid_at: datetime | None = None
    payment_reference: str | None = None
    shg_name: str | None = Field(default=None, description="the SHG as the registry names it")
    period_start: datetime | None = Field(default=None, description="when its earliest line was earned")
    has_bank_details: bool = Field(default=False, description="false: left out of the bank file until added")


class SettlementLine(BaseModel):
    order_id: str
    line: int
    kind: str
    sku: str
    channel: str
    gross_paise: int
    fee_paise: int
    shipping_paise: int
    tcs_paise: int
    tds_paise: int
    net_paise: int


class SettlementWithLines(Settlement):
    items: list[SettlementLine]


@router.post("", status_code=201, response_model=list[Settlement], summary="Draw up settlements for a period")
def draw_up(
    body: DrawUp, uow: OrdersUnitOfWorkDep, caller: CallerDep, runtime: OrdersRuntimeDep
) -> list[dict[str, Any]]:
    return settlements.draw_up(uow, caller, runtime.settings, body.period_end, body.clf_id)


@router.get("", response_model=Page[Settlement])
def list_settlements(uow: OrdersUnitOfWorkDep, caller: CallerDep, paid: bool | None = None) -> dict[str, Any]:
    return {"items": settlements.list_settlements(uow, caller, paid), "next_cursor": None}


@router.get("/bank-file.csv", summary="Unpaid settlements as a bulk-payment CSV", response_class=Response)
def bank_file(uow: OrdersUnitOfWorkDep, caller: StaffCallerDep) -> Response:
    csv_text = settlements.bank_file(uow, settlements.list_settlements(uow, caller, paid=False))
    headers = {"content-disposition": 'attachment; filename="haat-settlements.csv"'}
    return Response(csv_text, media_type="text/csv; charset=utf-8", headers=headers)


class PayoutEstimate(BaseModel):
    channel: str
    gross_paise: int
    fee_paise: int
    shipping_paise: int
    tcs_paise: int
    tds_paise: int
    net_paise: int = Field(description="what the marketplace would pay for one unit sold alone")


@router.get("/estimate", response_model=list[PayoutEstimate], summary="What one unit at a price would pay out")
def payout_estimate(
    runtime: OrdersRuntimeDep, _caller: CallerDep,
    price_paise: Annotated[int, Query(gt=0, le=10**10)], gst_rate_bp: Annotated[int, Query(ge=0, le=10000)] = 0,
    category: Annotated[str | None, Query(max_length=50)] = None, registered: bool = True,
) -> list[dict[str, Any]]:  # fmt: skip
    return settlements.estimate(runtime.settings, price_paise, gst_rate_bp, category, registered=registered)


@router.get("/{settlement_id}", response_model=SettlementWithLines)
def get(settlement_id: str, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    return settlements.get(uow, caller, settlement_id)


@router.post("/{settlement_id}/paid", response_model=SettlementWithLines, summary="Record the bank payment")
def paid(settlement_id: str, body: Paid, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    return settlements.mark_paid(uow, caller, settlement_id, body.reference)
