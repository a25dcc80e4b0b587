"""The public API of the foundation: who am I, the event catalogue, the event log, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel

from haat.events.registry import registry
from haat.pagination import Page, decode_cursor, encode_cursor
from haat_gateway.entrypoints.auth import AdminPrincipal, CurrentPrincipal
from haat_gateway.entrypoints.dependencies import GatewayUnitOfWorkDep
from haat_gateway.service_layer import audit, event_history

router = APIRouter(prefix="/v1")


class Me(BaseModel):
    key_id: str
    role: str
    clf_id: str | None
    label: str


@router.get("/me", response_model=Me, tags=["access"])
def me(principal: CurrentPrincipal) -> Me:
    return Me(key_id=principal.key_id, role=principal.role, clf_id=principal.clf_id, label=principal.label)


@router.get("/event-types", tags=["webhooks"], summary="Event types a webhook endpoint can subscribe to")
def event_types() -> dict[str, list[dict[str, Any]]]:
    return {
        "items": [{"name": s.name, "description": s.description, "schema": s.json_schema()} for s in registry.public()]
    }


@router.get("/events", response_model=Page[dict[str, Any]], tags=["events"])
def list_events(
    uow: GatewayUnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = None,
    type: str | None = None,
) -> Page[dict[str, Any]]:
    """Events the caller may see (as on the event stream and in webhooks: a partner those of its grant),
    newest first."""
    items, next_position = event_history.visible_events(
        uow, principal, limit=limit, before=decode_cursor(cursor) if cursor else None, event_type=type
    )
    return Page(items=items, next_cursor=encode_cursor(next_position) if next_position is not None else None)


class AuditEntry(BaseModel):
    seq: int
    at: datetime
    actor: str
    actor_label: str
    role: str
    clf_id: str | None
    action: str
    target: str
    status_code: int
    changes: dict[str, Any]
    trace_id: str | None


@router.get("/audit-log", response_model=Page[AuditEntry], tags=["access"], summary="Who changed what (admins)")
def audit_log(
    uow: GatewayUnitOfWorkDep,
    _admin: AdminPrincipal,
    actor: str | None = Query(None, description="key:<id>, user:<id> or cli"),
    target: str | None = Query(None, description="the start of the changed path, e.g. /v1/products/AAM-"),
    clf_id: str | None = Query(None, description="changes made by callers scoped to this CLF"),
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = None,
) -> Page[AuditEntry]:
    """Every change made through the gateway, newest first. The log is append-only: nothing in it is ever
    changed or deleted."""
    rows = audit.entries(
        uow, actor=actor, target=target, clf_id=clf_id, since=since, until=until,
        before_seq=decode_cursor(cursor) if cursor else None, limit=limit + 1,
    )  # fmt: skip
    items = [AuditEntry.model_validate(r, from_attributes=True) for r in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor(rows[limit - 1].seq) if len(rows) > limit else None)
