"""HTTP: seller accounts (admins manage them; coordinators see their CLF's) and listing sync state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from haat.http_app import AdminCallerDep, CallerDep, RuntimeDep
from haat.pagination import Page, decode_cursor, encode_cursor
from haat.secret_box import SecretBox
from haat_connectors.adapters import views
from haat_connectors.entrypoints.dependencies import ConnectorsUnitOfWorkDep
from haat_connectors.service_layer import accounts

router = APIRouter(prefix="/v1", tags=["seller accounts"])
Channel = Literal["amazon", "flipkart"]


class AccountIn(BaseModel):
    clf_id: str = Field(min_length=1, max_length=64)
    channel: Channel
    seller_id: str = Field(min_length=1, max_length=64, description="the marketplace's id of the seller")
    location_id: str | None = Field(None, max_length=64, description="Flipkart: the seller location of the stock")
    credentials: dict[str, str] = Field(
        description="amazon: client_id, client_secret, refresh_token; flipkart: application_id, application_secret."
        " Stored encrypted, never returned."
    )


class AccountChange(BaseModel):
    enabled: bool | None = None
    credentials: dict[str, str] | None = Field(None, description="replaces the stored credentials")


class AccountOut(BaseModel):
    id: str
    clf_id: str
    channel: str
    seller_id: str
    location_id: str | None
    enabled: bool
    created_at: datetime
    order_cursor: datetime | None


class SyncProgress(BaseModel):
    total: int
    in_sync: int
    waiting: int
    failing: int
    rejected: int
    percent: float


class ListingOut(BaseModel):
    sku: str
    clf_id: str
    channel: str
    status: str
    issues: list[dict[str, Any]]
    status_at: datetime
    pushed_quantity: int | None
    in_sync: bool = Field(description="the marketplace has the newest content and quantity")
    last_error: str | None


def _box(runtime: RuntimeDep) -> SecretBox:
    return SecretBox(runtime.settings.encryption_keys)


@router.post("/seller-accounts", status_code=201, response_model=AccountOut, summary="Add a CLF's seller account")
def create(
    body: AccountIn, uow: ConnectorsUnitOfWorkDep, runtime: RuntimeDep, _admin: AdminCallerDep
) -> dict[str, Any]:
    return accounts.create_account(
        uow, _box(runtime), clf_id=body.clf_id, channel=body.channel, seller_id=body.seller_id,
        credentials=body.credentials, location_id=body.location_id,
    )  # fmt: skip


@router.get("/seller-accounts", response_model=Page[AccountOut])
def list_accounts(uow: ConnectorsUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    return {"items": accounts.list_accounts(uow, caller), "next_cursor": None}


@router.get("/seller-accounts/{account_id}", response_model=AccountOut)
def get(account_id: str, uow: ConnectorsUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    return accounts.public(accounts.get(uow, account_id, caller))


@router.patch("/seller-accounts/{account_id}", response_model=AccountOut, summary="Enable, disable, new credentials")
def change(
    account_id: str, body: AccountChange, uow: ConnectorsUnitOfWorkDep, runtime: RuntimeDep, _admin: AdminCallerDep
) -> dict[str, Any]:
    return accounts.change_account(uow, _box(runtime), account_id, enabled=body.enabled, credentials=body.credentials)


@router.post("/seller-accounts/{account_id}/resync", response_model=SyncProgress, summary="Send every listing again")
def resync(account_id: str, uow: ConnectorsUnitOfWorkDep, _admin: AdminCallerDep) -> dict[str, Any]:
    return accounts.resync(uow, account_id)


@router.get("/seller-accounts/{account_id}/sync", response_model=SyncProgress, summary="How far the sync is")
def sync_progress(account_id: str, uow: ConnectorsUnitOfWorkDep, caller: CallerDep) -> dict[str, Any]:
    accounts.get(uow, account_id, caller)
    return accounts.sync_progress(uow, account_id)


class ListingCount(BaseModel):
    clf_id: str
    channel: str
    status: str
    count: int


@router.get("/listings/summary", response_model=list[ListingCount], summary="Listings per CLF, channel, status")
def listing_summary(uow: ConnectorsUnitOfWorkDep, caller: CallerDep) -> list[dict[str, Any]]:
    return views.listing_counts(uow.session, caller.visible_clfs())


@router.get("/listings", response_model=Page[ListingOut], summary="Listing sync state per SKU and channel")
def list_listings(
    uow: ConnectorsUnitOfWorkDep,
    caller: CallerDep,
    sku: Annotated[list[str] | None, Query(max_length=500, description="one or more SKUs")] = None,
    clf_id: str | None = None,
    channel: Channel | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    offset = decode_cursor(cursor) if cursor else 0
    filters = {"clf_id": clf_id, "channel": channel, "status": status}
    rows = views.listing_page(uow.session, caller.visible_clfs(), skus=sku, filters=filters, offset=offset, limit=limit)
    items = [{**r._asdict(), "in_sync": not (r.content_dirty or r.stock_dirty)} for r in rows[:limit]]
    return {"items": items, "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None}
