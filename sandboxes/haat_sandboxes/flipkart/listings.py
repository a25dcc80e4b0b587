"""Listings v3: create, update, price and inventory for up to ten SKUs a call, and reading them back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from haat_sandboxes.flipkart.answers import Marketplace, within_batch_limit
from haat_sandboxes.flipkart.shapes import SKU_PATH, InventoryBatch, ListingBatch, PriceBatch

router = APIRouter(prefix="/listings/v3")


@router.post("")
async def create_listings(sandbox: Marketplace, request: Request, batch: ListingBatch) -> dict[str, Any]:  # type: ignore[valid-type]
    seller = sandbox.seller_of(request, "createListings")
    within_batch_limit(batch)
    return sandbox.upsert(seller, batch.root, merge=False)  # type: ignore[attr-defined]


@router.post("/update")
async def update_listings(sandbox: Marketplace, request: Request, batch: ListingBatch) -> dict[str, Any]:  # type: ignore[valid-type]
    seller = sandbox.seller_of(request, "updateListings")
    within_batch_limit(batch)
    return sandbox.upsert(seller, batch.root, merge=False)  # type: ignore[attr-defined]


@router.post("/update/price")
async def update_price(sandbox: Marketplace, request: Request, batch: PriceBatch) -> dict[str, Any]:  # type: ignore[valid-type]
    seller = sandbox.seller_of(request, "updatePrice")
    within_batch_limit(batch)
    return sandbox.upsert(seller, batch.root, merge=True)  # type: ignore[attr-defined]


@router.post("/update/inventory")
async def update_inventory(sandbox: Marketplace, request: Request, batch: InventoryBatch) -> dict[str, Any]:  # type: ignore[valid-type]
    seller = sandbox.seller_of(request, "updateInventory")
    within_batch_limit(batch)
    return sandbox.upsert(seller, batch.root, merge=True)  # type: ignore[attr-defined]


@router.get("/{sku_ids}")
async def get_listings(sandbox: Marketplace, request: Request, sku_ids: SKU_PATH) -> dict[str, Any]:
    seller = sandbox.seller_of(request, "getListings")
    found = {s: sandbox.listings.get((seller, s)) for s in sku_ids.split(",")}
    return {
        "available": {s: {**v.body, "updated_at": v.updated.isoformat()} for s, v in found.items() if v},
        "unavailable": [s for s, v in found.items() if v is None],
    }
