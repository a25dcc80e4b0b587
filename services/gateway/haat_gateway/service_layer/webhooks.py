"""Webhook endpoints and their deliveries: registration, fan-out of events, replay and manual retry.

Each partner manages only the endpoints of its own key (an admin manages all); another partner's
endpoint is 'not found'. A delivery's id is the `webhook-id`: the same on every retry of that event.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from haat.errors import Invalid, NotAllowed, NotFound
from haat.events.envelope import CloudEvent
from haat.events.registry import registry
from haat.secret_box import SecretBox
from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.tables import api_keys, event_log, webhook_deliveries, webhook_endpoints
from haat_gateway.service_layer import audit
from haat_gateway.service_layer.api_keys import Principal, principal_of
from haat_gateway.service_layer.destinations import ForbiddenDestination, check_url
from haat_gateway.service_layer.visibility import may_see, may_subscribe
from haat_gateway.settings import GatewaySettings

MANAGERS = ("admin", "partner")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _require_manager(principal: Principal) -> None:
    if principal.role not in MANAGERS:
        raise NotAllowed("forbidden", "webhooks are managed with a partner or admin key")


def _check_event_types(event_types: list[str], principal: Principal) -> None:
    check_event_types(event_types)
    outside = may_subscribe(principal, event_types)
    if outside:
        raise NotAllowed(
            "event-type-not-granted", f"this key was not granted: {', '.join(outside)}", field="event_types"
        )


def check_event_types(event_types: list[str]) -> None:
    """Every name is a public event type (422 naming the unknown ones)."""
    public = {spec.name for spec in registry.public()}
    unknown = sorted(set(event_types) - public)
    if unknown:
        raise Invalid("unknown-event-type", f"unknown event types: {', '.join(unknown)} (see /v1/event-types)",
            field="event_types",
        )  # fmt: skip


def _check_url(url: str, settings: GatewaySettings) -> None:
    try:
        check_url(
            url,
            allow_private=settings.webhook_allow_private,
            allowed_hosts=settings.webhook_allowed_hosts,
            require_https=settings.is_production,
        )
    except ForbiddenDestination as refused:
        raise Invalid("forbidden-destination", str(refused), field="url") from None


def create_endpoint(
    uow: UnitOfWork, principal: Principal, settings: GatewaySettings, url: str, event_types: list[str], description: str
) -> dict[str, Any]:
    _require_manager(principal)
    _check_event_types(event_types, principal)
    _check_url(url, settings)
    now = datetime.now(UTC)
    secret = new_secret()
    row = {
        "id": f"ep_{uuid.uuid4().hex[:20]}",
        "owner_key_id": principal.key_id,
        "url": url,
        "description": description,
        "event_types": sorted(set(event_types)),
        "secret": SecretBox(settings.encryption_keys).seal_text(secret),  # encrypted at rest
        "enabled": True,
        "created_at": now,
        "updated_at": now,
    }
    uow.session.execute(insert(webhook_endpoints).values(**row))
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{row['id']}", 201,
           {"url": url, "event_types": row["event_types"], "description": description})  # fmt: skip
    uow.commit()
    return {**row, "secret": secret}  # shown this once


def _audit(uow: UnitOfWork, principal: Principal, action: str, target: str, status: int,
           changes: dict[str, Any]) -> None:  # fmt: skip
    """In the change's own transaction: what the API and the web pages change is audited alike."""
    audit.record(uow.session, audit.Actor.of(principal), action, target, status, changes)


def find_endpoint(session: Session, principal: Principal, endpoint_id: str, *, lock: bool = False) -> Any:
    _require_manager(principal)
    query = select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    if row is None or (principal.role != "admin" and row.owner_key_id != principal.key_id):
        raise NotFound("webhook endpoint", endpoint_id)
    return row


def list_endpoints(session: Session, principal: Principal) -> list[Any]:
    _require_manager(principal)
    query = select(webhook_endpoints).order_by(webhook_endpoints.c.created_at)
    if principal.role != "admin":
        query = query.where(webhook_endpoints.c.owner_key_id == principal.key_id)
    return list(session.execute(query))


def owners(session: Session, endpoints: list[Any]) -> dict[str, dict[str, Any]]:
    """Who manages each endpoint and what it may see: an admin's list shows every endpoint's owner and grant."""
    ids = {row.owner_key_id for row in endpoints}
    found = {row.id: row for row in session.execute(select(api_keys).where(api_keys.c.id.in_(ids)))}
    shown = {}
    for owner_id in ids:
        key = found.get(owner_id)
        if key is None:  # a logged-in admin
            shown[owner_id] = {"id": owner_id, "role": "admin", "label": owner_id, "clf_ids": [], "event_types": None,
                               "revoked": False}  # fmt: skip
        else:
            shown[owner_id] = {"id": key.id, "role": key.role, "label": key.label, "clf_ids": list(key.clf_ids or []),
                               "event_types": key.event_types, "revoked": key.revoked_at is not None}  # fmt: skip
    return shown


def change_endpoint(
    uow: UnitOfWork, principal: Principal, settings: GatewaySettings, endpoint_id: str, changes: dict[str, Any]
) -> Any:
    find_endpoint(uow.session, principal, endpoint_id, lock=True)
    if "event_types" in changes:
        _check_event_types(changes["event_types"], principal)
        changes["event_types"] = sorted(set(changes["event_types"]))
    if "url" in changes:
        _check_url(changes["url"], settings)
    if changes.get("enabled") is True:  # re-enabled by the partner: a fresh start
        changes.update(disabled_reason=None, failing_since=None)
    uow.session.execute(
        update(webhook_endpoints)
        .where(webhook_endpoints.c.id == endpoint_id)
        .values(**changes, updated_at=datetime.now(UTC))
    )
    _audit(uow, principal, "PATCH", f"/v1/webhooks/endpoints/{endpoint_id}", 200, changes)
    uow.commit()
    return find_endpoint(uow.session, principal, endpoint_id)


def delete_endpoint(uow: UnitOfWork, principal: Principal, endpoint_id: str) -> None:
    find_endpoint(uow.session, principal, endpoint_id, lock=True)
    uow.session.execute(webhook_deliveries.delete().where(webhook_deliveries.c.endpoint_id == endpoint_id))
    uow.session.execute(webhook_endpoints.delete().where(webhook_endpoints.c.id == endpoint_id))
    _audit(uow, principal, "DELETE", f"/v1/webhooks/endpoints/{endpoint_id}", 204, {})
    uow.commit()


def rotate_secret(uow: UnitOfWork, principal: Principal, settings: GatewaySettings, endpoint_id: str) -> str:
    """A new secret; the old one keeps signing beside it for the grace period, so nothing fails to verify."""
    endpoint = find_endpoint(uow.session, principal, endpoint_id, lock=True)
    secret = new_secret()
    now = datetime.now(UTC)
    uow.session.execute(
        update(webhook_endpoints)
        .where(webhook_endpoints.c.id == endpoint_id)
        .values(
            secret=SecretBox(settings.encryption_keys).seal_text(secret),
            previous_secret=endpoint.secret,
            previous_secret_until=now + timedelta(seconds=settings.webhook_secret_grace_s),
            updated_at=now,
        )
    )
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{endpoint_id}/rotate-secret", 200, {})
    uow.commit()
    return secret


def fan_out(session: Session, event: CloudEvent, payload: str) -> int:
    """Queue the event for every enabled endpoint subscribed to its type whose owner may see it (a partner's
    grant), in the consumer's transaction. An endpoint of a revoked key is paused, and skipped here too."""
    endpoints = session.execute(
        select(webhook_endpoints.c.id, webhook_endpoints.c.event_types, webhook_endpoints.c.owner_key_id)
        .where(webhook_endpoints.c.enabled.is_(True))
    ).all()  # fmt: skip
    subscribed = [row for row in endpoints if event.type in row.event_types]
    keys = _owner_keys(session, {row.owner_key_id for row in subscribed})
    seen = json.loads(payload)
    targets = []
    for row in subscribed:
        viewer = _viewer(row.owner_key_id, keys.get(row.owner_key_id))
        if viewer is not None and may_see(viewer, seen):
            targets.append(row.id)
    now = datetime.now(UTC)
    for endpoint_id in targets:
        session.execute(insert(webhook_deliveries).values(**_new_delivery(endpoint_id, event, payload, now)))
    return len(targets)


def _owner_keys(session: Session, owner_ids: set[str]) -> dict[str, Any]:
    if not owner_ids:
        return {}
    return {row.id: row for row in session.execute(select(api_keys).where(api_keys.c.id.in_(owner_ids)))}


def _viewer(owner_key_id: str, key: Any) -> Principal | None:
    """Who an endpoint delivers to, as a viewer of events: its owner key, or a logged-in admin (only admins
    and partners manage endpoints); None for a revoked key."""
    if key is None:
        return Principal(owner_key_id, "admin", None, "") if owner_key_id.startswith("user:") else None
    return principal_of(key) if key.revoked_at is None else None


def _new_delivery(endpoint_id: str, event: CloudEvent, payload: str, now: datetime) -> dict[str, Any]:
    return {
        "id": f"msg_{uuid.uuid4().hex}",
        "endpoint_id": endpoint_id,
        "event_id": event.id,
        "event_type": event.type,
        "subject": event.subject or event.id,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def list_deliveries(
    session: Session, principal: Principal, endpoint_id: str, limit: int, before_seq: int | None
) -> list[Any]:
    find_endpoint(session, principal, endpoint_id)
    t = webhook_deliveries.c
    query = select(webhook_deliveries).where(t.endpoint_id == endpoint_id).order_by(t.seq.desc()).limit(limit + 1)
    if before_seq is not None:
        query = query.where(t.seq < before_seq)
    return list(session.execute(query))


def retry_delivery(uow: UnitOfWork, principal: Principal, delivery_id: str) -> Any:
    row = uow.session.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)).one_or_none()
    if row is None:
        raise NotFound("delivery", delivery_id)
    find_endpoint(uow.session, principal, row.endpoint_id)  # scoping: only the endpoint's owner
    uow.session.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id == delivery_id)
        .values(status="pending", next_attempt_at=datetime.now(UTC), claimed_until=None)
    )
    _audit(uow, principal, "POST", f"/v1/webhooks/deliveries/{delivery_id}/retry", 200, {})
    uow.commit()
    return uow.session.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)).one()


def replay(uow: UnitOfWork, principal: Principal, endpoint_id: str, since: datetime) -> int:
    """Send again every subscribed event received since `since` (also ones from before the endpoint existed)."""
    endpoint = find_endpoint(uow.session, principal, endpoint_id)
    now = datetime.now(UTC)
    events = uow.session.execute(
        select(event_log.c.event_id, event_log.c.payload)
        .where(event_log.c.received_at >= since, event_log.c.event_type.in_(endpoint.event_types))
        .order_by(event_log.c.seq)
    )
    viewer = principal
    if principal.role == "admin":  # replayed as the endpoint's owner may see, once, not per event
        key = _owner_keys(uow.session, {endpoint.owner_key_id}).get(endpoint.owner_key_id)
        viewer = principal_of(key) if key is not None else Principal(endpoint.owner_key_id, "admin", None, "")
    count = 0
    for event_id, payload in events:
        if not may_see(viewer, json.loads(payload)):
            continue  # replayed as the endpoint's owner may see: never more than its grant
        t = webhook_deliveries.c
        existing = uow.session.scalar(select(t.id).where(and_(t.endpoint_id == endpoint_id, t.event_id == event_id)))
        if existing:
            uow.session.execute(
                update(webhook_deliveries)
                .where(t.id == existing)
                .values(status="pending", next_attempt_at=now, claimed_until=None)
            )
        else:
            event = CloudEvent.model_validate(json.loads(payload))
            uow.session.execute(insert(webhook_deliveries).values(**_new_delivery(endpoint_id, event, payload, now)))
        count += 1
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{endpoint_id}/replay", 200,
           {"since": since.isoformat(), "queued": count})  # fmt: skip
    uow.commit()
    return count


def reseal_secrets(uow: UnitOfWork, box: SecretBox) -> int:
    """Seal every stored endpoint secret again with the newest key (after a new first HAAT_ENCRYPTION_KEYS)."""
    rows = uow.session.execute(
        select(webhook_endpoints.c.id, webhook_endpoints.c.secret, webhook_endpoints.c.previous_secret)
    ).all()
    for row in rows:
        values = {"secret": box.rotate(row.secret)}
        if row.previous_secret:
            values["previous_secret"] = box.rotate(row.previous_secret)
        uow.session.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == row.id).values(**values))
    uow.commit()
    return len(rows)
