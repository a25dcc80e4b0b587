"""HTTP entry points for stock per packaging house."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header

from haat.http_app import CallerDep
from haat_catalog.entrypoints.dependencies import CatalogUnitOfWorkDep
from haat_catalog.entrypoints.products import ClfQuery
from haat_catalog.entrypoints.schemas import Adjustment, Receipt, StockAtHouse, StockOut
from haat_catalog.service_layer import stock

# Sent again with a retried request (the gateway passes it on): the change is made once.
RequestKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]

router = APIRouter(prefix="/v1/stock", tags=["stock"])


def _view(uow: CatalogUnitOfWorkDep, caller: CallerDep, sku: str, clf_id: str | None) -> StockOut:
    owner, levels = stock.stock_of(uow, caller, sku, clf_id)
    return StockOut(
        sku=sku,
        clf_id=owner,
        available_total=uow.stock.available_total(owner, sku),
        houses=[
            StockAtHouse(
                packaging_house_id=lv.packaging_house_id,
                on_hand=lv.on_hand,
                reserved=lv.reserved,
                available=lv.available,
            )
            for lv in levels
        ],
    )


@router.get("/{sku}", response_model=StockOut, summary="Stock of a SKU at each packaging house")
def get_stock(sku: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None) -> StockOut:
    return _view(uow, caller, sku, clf_id)


@router.post("/{sku}/receipts", response_model=StockOut, summary="Goods arrived at a packaging house")
def receive(
    sku: str, body: Receipt, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None,
    idempotency_key: RequestKey = None,
) -> StockOut:  # fmt: skip
    stock.change_stock(uow, caller, sku, clf_id, body.packaging_house_id, "receipt", body.quantity, body.reason,
                       request_key=idempotency_key)  # fmt: skip
    return _view(uow, caller, sku, clf_id)


@router.post("/{sku}/adjustments", response_model=StockOut, summary="Correct the count, with a reason")
def adjust(
    sku: str, body: Adjustment, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None,
    idempotency_key: RequestKey = None,
) -> StockOut:  # fmt: skip
    stock.change_stock(uow, caller, sku, clf_id, body.packaging_house_id, "adjustment", body.delta, body.reason,
                       request_key=idempotency_key)  # fmt: skip
    return _view(uow, caller, sku, clf_id)
