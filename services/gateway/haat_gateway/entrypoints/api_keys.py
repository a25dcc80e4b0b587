"""API keys for admins: list, create (shown once), grant a partner its CLFs and event types, revoke.

A partner key reads nothing until it is granted CLFs; the grant is what its API reads, its event stream
and its webhook deliveries follow. Revoking ends the key at once (its endpoints are paused).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from haat.errors import NotFound
from haat.problems import Problem
from haat_gateway.domain.principal import Role
from haat_gateway.entrypoints.auth import AdminPrincipal
from haat_gateway.entrypoints.dependencies import GatewayUnitOfWorkDep
from haat_gateway.service_layer import api_keys, audit
from haat_gateway.service_layer.api_keys import InvalidKeyRequest
from haat_gateway.service_layer.webhooks import check_event_types

router = APIRouter(prefix="/v1/api-keys", tags=["access"])


class Grant(BaseModel):
    clf_ids: list[str] = Field(max_length=1000, description="the CLFs whose data the partner reads and hears of")
    event_types: list[str] | None = Field(
        default=None, max_length=100, description="only these event types (null: every public one)"
    )


class NewKey(BaseModel):
    role: Role
    label: str = Field(min_length=1, max_length=200)
    clf_id: str | None = Field(default=None, description="a coordinator key's CLF")
    clf_ids: list[str] = Field(default_factory=list, max_length=1000, description="a partner key's granted CLFs")
    event_types: list[str] | None = Field(default=None, max_length=100)


class KeyOut(BaseModel):
    id: str
    prefix: str
    role: str
    label: str
    clf_id: str | None
    clf_ids: list[str]
    event_types: list[str] | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class CreatedKey(KeyOut):
    key: str = Field(description="haat_…: shown only now")


def _out(row: Any) -> KeyOut:
    return KeyOut.model_validate({**row._asdict(), "clf_ids": list(row.clf_ids or [])})


@router.get("", response_model=list[KeyOut], summary="Every API key with its role and grant (never the key)")
def list_keys(uow: GatewayUnitOfWorkDep, _admin: AdminPrincipal) -> list[KeyOut]:
    return [_out(row) for row in api_keys.list_keys(uow)]


@router.post("", status_code=201, response_model=CreatedKey, summary="Create a key (shown once)")
def create_key(body: NewKey, uow: GatewayUnitOfWorkDep, admin: AdminPrincipal) -> CreatedKey:
    if body.event_types is not None:
        check_event_types(body.event_types)
    try:
        key, made = api_keys.create_key(uow, role=body.role, label=body.label, clf_id=body.clf_id,
                                        clf_ids=body.clf_ids, event_types=body.event_types)  # fmt: skip
    except InvalidKeyRequest as invalid:
        raise Problem(422, "invalid-key-request", str(invalid)) from None
    audit.record(uow, audit.Actor.of(admin), "POST", f"/v1/api-keys/{made.key_id}", 201,
                 body.model_dump(exclude_none=True))  # fmt: skip
    uow.commit()
    row = next(r for r in api_keys.list_keys(uow) if r.id == made.key_id)
    return CreatedKey.model_validate({**_out(row).model_dump(), "key": key})


@router.put("/{key_id}/grant", response_model=KeyOut, summary="What a partner key may see (replaces its grant)")
def grant(key_id: str, body: Grant, uow: GatewayUnitOfWorkDep, admin: AdminPrincipal) -> KeyOut:
    if body.event_types is not None:
        check_event_types(body.event_types)
    row = api_keys.grant(uow, key_id, clf_ids=body.clf_ids, event_types=body.event_types)
    if row is None:
        raise NotFound("partner key", key_id)
    audit.record(uow, audit.Actor.of(admin), "PUT", f"/v1/api-keys/{key_id}/grant", 200, body.model_dump())
    uow.commit()
    return _out(row)


@router.post("/{key_id}/revoke", response_model=KeyOut, summary="End a key now (its webhook endpoints pause)")
def revoke(key_id: str, uow: GatewayUnitOfWorkDep, admin: AdminPrincipal) -> KeyOut:
    if not api_keys.revoke(uow, key_id):
        raise NotFound("active API key", key_id)
    audit.record(uow, audit.Actor.of(admin), "POST", f"/v1/api-keys/{key_id}/revoke", 200, {})
    uow.commit()
    return _out(next(r for r in api_keys.list_keys(uow) if r.id == key_id))
