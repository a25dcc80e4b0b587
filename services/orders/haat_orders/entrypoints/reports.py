"""HTTP: pick lists and sales reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from haat.http_app import CallerDep
from haat.negotiation import PDF_OR_JSON, pdf_response, wants_pdf
from haat_orders.adapters import printed_documents
from haat_orders.entrypoints.dependencies import OrdersUnitOfWorkDep
from haat_orders.service_layer import reports

router = APIRouter(prefix="/v1", tags=["fulfilment and reports"])


class PickRequest(BaseModel):
    order_ids: list[str] = Field(min_length=1, max_length=reports.MAX_PICK)


@router.post("/picklists", summary="A pick list for a batch of orders, one row per SKU: JSON or PDF by Accept",
             responses=PDF_OR_JSON)  # fmt: skip
def pick_list(body: PickRequest, request: Request, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> Any:
    pick = reports.pick_list(uow, caller, body.order_ids)
    if wants_pdf(request):
        house = caller.packaging_house_id or caller.clf_id or "Haat"
        return pdf_response(printed_documents.pick_list_pdf(pick, house), "pick-list.pdf")
    return pick


@router.get("/reports/sales", summary="Delivered sales per SHG, CLF, channel, product or month (JSON or CSV)")
def sales(
    uow: OrdersUnitOfWorkDep,
    caller: CallerDep,
    group_by: Annotated[reports.GroupBy, Query()] = "shg",
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Any:
    rows = reports.sales(uow, caller, group_by)
    if format == "csv":
        return Response(reports.sales_csv(rows, group_by), media_type="text/csv; charset=utf-8")
    return {"items": rows, "next_cursor": None}
