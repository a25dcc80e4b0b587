"""HTTP entry points of the orders service (the order model arrives with the orders issue)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from haat.errors import NotFound
from haat.http_app import CallerDep
from haat_orders.adapters import views
from haat_orders.entrypoints.dependencies import OrdersUnitOfWorkDep

router = APIRouter(prefix="/internal", tags=["internal"])


class ProductSnapshot(BaseModel):
    clf_id: str
    sku: str
    title: str
    hsn_code: str
    gst_rate_bp: int
    price_paise: int


@router.get("/product-snapshots/{clf_id}/{sku}", response_model=ProductSnapshot)
def get_product_snapshot(clf_id: str, sku: str, uow: OrdersUnitOfWorkDep, caller: CallerDep) -> ProductSnapshot:
    if not caller.sees_clf(clf_id):
        raise NotFound("product snapshot", f"{clf_id}/{sku}")
    row = views.product_snapshot(uow, clf_id, sku)
    if row is None:
        raise NotFound("product snapshot", f"{clf_id}/{sku}")
    return ProductSnapshot.model_validate(row, from_attributes=True)
