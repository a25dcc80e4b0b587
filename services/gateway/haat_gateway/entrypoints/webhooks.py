"""Webhook management for partners and admins (the contract of shared/DESIGN.md)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, Field, HttpUrl

from haat.http_app import RuntimeDep
from haat.pagination import Page, decode_cursor, encode_cursor
from haat_gateway.entrypoints.auth import CurrentPrincipal
from haat_gateway.entrypoints.dependencies import GatewayRuntimeDep, GatewayUnitOfWorkDep
from haat_gateway.service_layer import webhooks
from haat_gateway.settings import GatewaySettings

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class NewEndpoint(BaseModel):
    url: HttpUrl
    event_types: list[str] = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=500)


class EndpointChanges(BaseModel):
    url: HttpUrl | None = None
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = None


class Owner(BaseModel):
    id: str = Field(description="the API key (or user:<id>) that manages the endpoint")
    role: str
    label: str
    clf_ids: list[str] = Field(description="the CLFs it was granted (a partner)")
    event_types: list[str] | None = Field(description="the event types it was granted (null: all)")
    revoked: bool


class EndpointOut(BaseModel):
    id: str
    owner: Owner | None = None
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: str | None = None
    failing_since: datetime | None = None
    created_at: datetime


class CreatedEndpoint(EndpointOut):
    secret: str = Field(description="whsec_…: shown only now; verify every delivery's signature with it")


class Secret(BaseModel):
    secret: str


class DeliveryOut(BaseModel):
    id: str = Field(description="the webhook-id header of every attempt")
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_latency_ms: int | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None


class Replay(BaseModel):
    since: AwareDatetime


class Replayed(BaseModel):
    queued: int


def _settings(runtime: GatewayRuntimeDep) -> GatewaySettings:
    return runtime.settings


def _endpoint(row: Any, session: Any) -> EndpointOut:
    return _endpoints([row], session)[0]


def _endpoints(rows: list[Any], session: Any) -> list[EndpointOut]:
    found = webhooks.owners(session, rows)
    return [EndpointOut.model_validate({**row._asdict(), "owner": found[row.owner_key_id]}) for row in rows]


@router.post("/endpoints", status_code=201, response_model=CreatedEndpoint, summary="Subscribe a URL to event types")
def create_endpoint(
    body: NewEndpoint, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal, runtime: RuntimeDep
) -> CreatedEndpoint:
    row = webhooks.create_endpoint(
        uow, principal, _settings(runtime), str(body.url), body.event_types, body.description
    )
    owner = webhooks.owners(uow, [SimpleNamespace(**row)])[row["owner_key_id"]]
    return CreatedEndpoint.model_validate({**row, "owner": owner})


@router.get("/endpoints", response_model=Page[EndpointOut])
def list_endpoints(uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal) -> Page[EndpointOut]:
    return Page(items=_endpoints(webhooks.list_endpoints(uow, principal), uow), next_cursor=None)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointOut)
def get_endpoint(endpoint_id: str, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal) -> EndpointOut:
    return _endpoint(webhooks.find_endpoint(uow, principal, endpoint_id), uow)


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointOut, summary="Change, disable or re-enable")
def change_endpoint(
    endpoint_id: str, body: EndpointChanges, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal, runtime: RuntimeDep
) -> EndpointOut:
    changes = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")  # null: left as it is
    return _endpoint(webhooks.change_endpoint(uow, principal, _settings(runtime), endpoint_id, changes), uow)


@router.delete("/endpoints/{endpoint_id}", status_code=204)
def delete_endpoint(endpoint_id: str, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal) -> Response:
    webhooks.delete_endpoint(uow, principal, endpoint_id)
    return Response(status_code=204)


@router.post(
    "/endpoints/{endpoint_id}/rotate-secret",
    response_model=Secret,
    summary="A new secret; the old one signs too for a day",
)
def rotate_secret(
    endpoint_id: str, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Secret:
    return Secret(secret=webhooks.rotate_secret(uow, principal, _settings(runtime), endpoint_id))


@router.get("/endpoints/{endpoint_id}/deliveries", response_model=Page[DeliveryOut], summary="Deliveries, newest first")
def list_deliveries(
    endpoint_id: str,
    uow: GatewayUnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> Page[DeliveryOut]:
    before = decode_cursor(cursor) if cursor else None
    rows = webhooks.list_deliveries(uow, principal, endpoint_id, limit, before)
    items = [DeliveryOut.model_validate(r, from_attributes=True) for r in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor(rows[limit - 1].seq) if len(rows) > limit else None)


@router.post("/endpoints/{endpoint_id}/replay", response_model=Replayed, summary="Send again every event since a time")
def replay(endpoint_id: str, body: Replay, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal) -> Replayed:
    return Replayed(queued=webhooks.replay(uow, principal, endpoint_id, body.since))


@router.post("/deliveries/{delivery_id}/retry", response_model=DeliveryOut, summary="Try one delivery again now")
def retry(delivery_id: str, uow: GatewayUnitOfWorkDep, principal: CurrentPrincipal) -> DeliveryOut:
    row = webhooks.retry_delivery(uow, principal, delivery_id)
    return DeliveryOut.model_validate(row, from_attributes=True)
