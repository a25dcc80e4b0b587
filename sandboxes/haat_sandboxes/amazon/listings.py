"""Listings Items 2021-08-01: put, patch, get and delete one SKU of a seller, each within its quota."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request

from haat_sandboxes import sp_api_spec
from haat_sandboxes.amazon.answers import Marketplace, MarketplaceIds, check_marketplace, json_body, ok
from haat_sandboxes.amazon.sandbox import AmazonError, AmazonSandbox

router = APIRouter(prefix="/listings/2021-08-01/items/{seller_id}/{sku}")


def admitted(
    sandbox: AmazonSandbox, request: Request, seller_id: str, operation: str, ids: str | None
) -> tuple[str, dict[str, str]]:
    """What every listings call checks first, in Amazon's order: token, quota, marketplace."""
    seller = sandbox.seller_of(request, seller_id)
    limit = sandbox.quota(operation, seller)
    check_marketplace(ids)
    return seller, limit


@router.put("")
async def put_item(
    sandbox: Marketplace, request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None
) -> Any:
    seller, limit = admitted(sandbox, request, seller_id, "putListingsItem", marketplace_ids)
    body = await json_body(request, sp_api_spec.LISTINGS, "ListingsItemPutRequest")
    return ok(sandbox.put_listing(seller, sku, body), limit)


@router.patch("")
async def patch_item(
    sandbox: Marketplace, request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None
) -> Any:
    seller, limit = admitted(sandbox, request, seller_id, "patchListingsItem", marketplace_ids)
    body = await json_body(request, sp_api_spec.LISTINGS, "ListingsItemPatchRequest")
    return ok(sandbox.patch_listing(seller, sku, body), limit)


@router.get("")
async def get_item(
    sandbox: Marketplace, request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None
) -> Any:
    seller, limit = admitted(sandbox, request, seller_id, "getListingsItem", marketplace_ids)
    listing = sandbox.listings.get((seller, sku))
    if listing is None:
        raise AmazonError(404, "NOT_FOUND", f"SKU '{sku}' not found for this seller.")
    return ok(sandbox.item(listing), limit)


@router.delete("")
async def delete_item(
    sandbox: Marketplace, request: Request, seller_id: str, sku: str, marketplace_ids: MarketplaceIds = None
) -> Any:
    seller, limit = admitted(sandbox, request, seller_id, "deleteListingsItem", marketplace_ids)
    if sandbox.listings.pop((seller, sku), None) is None:
        raise AmazonError(404, "NOT_FOUND", f"SKU '{sku}' not found for this seller.")
    return ok({"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []}, limit)
