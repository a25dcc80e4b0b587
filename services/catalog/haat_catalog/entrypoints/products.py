"""HTTP entry points for products, their workflow and listings (thin: parse, call, shape)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from haat.http_app import CallerDep
from haat.pagination import Page, decode_cursor, encode_cursor
from haat_catalog.adapters import views
from haat_catalog.entrypoints.dependencies import CatalogUnitOfWorkDep
from haat_catalog.entrypoints.schemas import Listing, NewProduct, ProductChanges, ProductOut, Rejection
from haat_catalog.service_layer import listings, products

router = APIRouter(prefix="/v1/products", tags=["products"])
ClfQuery = Annotated[str | None, Query(description="needed only when an admin's SKU exists in several CLFs")]


@router.post("", status_code=201, response_model=ProductOut, summary="Create a product (a draft, or submitted)")
def create_product(
    body: NewProduct,
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    submit: Annotated[bool, Query(description="submit for approval at once")] = False,
    if_sku_taken: Annotated[
        Literal["refuse", "next_free"], Query(description="next_free: a taken SKU becomes SKU-2, -3, …")
    ] = "refuse",
) -> ProductOut:
    fields = body.model_dump()
    fields["clf_id"] = products.clf_for_new_products(caller, fields["clf_id"])
    made = products.create_product(uow, caller, fields, submit=submit, next_free_sku=if_sku_taken == "next_free")
    return ProductOut.model_validate(made)


@router.get("", response_model=Page[ProductOut], summary="Search and filter products")
def list_products(
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="words in Hindi or English, all must match")] = None,
    clf_id: str | None = None,
    shg_id: str | None = None,
    category: str | None = None,
    status: str | None = None,
    district_code: str | None = None,
    channel: str | None = None,
    channel_status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> Page[ProductOut]:
    where = views.ProductFilter(q, clf_id, shg_id, category, status, district_code, channel, channel_status)
    after = decode_cursor(cursor) if cursor else None
    rows, next_after = views.search_products(uow, caller, where, limit=limit, after_id=after)
    return Page(
        items=[ProductOut.model_validate(p) for p in rows],
        next_cursor=encode_cursor(next_after) if next_after is not None else None,
    )


@router.get("/{sku}", response_model=ProductOut)
def get_product(sku: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None) -> ProductOut:
    return ProductOut.model_validate(products.find_product(uow, caller, sku, clf_id))


@router.patch("/{sku}", response_model=ProductOut, summary="Change some fields of a product")
def edit_product(
    sku: str, body: ProductChanges, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None
) -> ProductOut:
    changes = body.model_dump(exclude_unset=True)
    return ProductOut.model_validate(products.edit_product(uow, caller, sku, clf_id, changes))


@router.post("/{sku}/reject", response_model=ProductOut, summary="Reject a submitted product, saying why")
def reject(
    sku: str, body: Rejection, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None
) -> ProductOut:
    return ProductOut.model_validate(products.transition(uow, caller, sku, clf_id, "reject", body.reason))


@router.post("/{sku}/{action}", response_model=ProductOut, summary="Move a product through its workflow")
def transition(
    sku: str,
    action: Literal["submit", "approve", "publish", "retire"],
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    clf_id: ClfQuery = None,
) -> ProductOut:
    return ProductOut.model_validate(products.transition(uow, caller, sku, clf_id, action))


@router.get("/{sku}/listings", response_model=list[Listing], summary="Status on each marketplace")
def get_listings(sku: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None) -> list[Listing]:
    product = products.find_product(uow, caller, sku, clf_id)
    return [Listing.model_validate(row) for row in listings.listings_of(uow, product.clf_id, product.sku)]
