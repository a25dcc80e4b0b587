"""HTTP (internal, for the orders service): an order's shipping label from its marketplace."""

from __future__ import annotations

from fastapi import APIRouter, Response

from haat.http_app import CallerDep, RuntimeDep
from haat.negotiation import PDF_ONLY, pdf_response
from haat.problems import Problem
from haat_connectors.service_layer import labels

router = APIRouter(prefix="/internal", tags=["internal"])


@router.get(
    "/orders/{order_key}/label",
    response_class=Response,
    responses=PDF_ONLY,
    summary="The marketplace's shipping label of an order, once packed",
)
async def shipping_label(order_key: str, runtime: RuntimeDep, caller: CallerDep) -> Response:
    if not caller.is_admin:
        raise Problem(403, "forbidden", "labels are fetched through the orders service")
    pdf = await labels.shipping_label(runtime, caller, order_key)
    return pdf_response(pdf, f"label-{order_key}.pdf")
