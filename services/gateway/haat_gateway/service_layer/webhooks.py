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

from haat.backoff import due_now
from haat.errors import Invalid, NotAllowed, NotFound
from haat.events.envelope import CloudEvent
from haat.events.registry import registry
from haat.secret_box import SecretBox
from haat_gateway.adapters.destinations import ForbiddenDestination, check_url
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.domain.visibility import may_see, outside_grant
from haat_gateway.service_layer import audit
from haat_gateway.service_layer.api_keys import Principal, principal_of
from haat_gateway.settings import GatewaySettings

MANAGERS = ("admin", "partner")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _require_manager(principal: Principal) -> None:
    if principal.role not in MANAGERS:
        raise NotAllowed("forbidden", "webhooks are managed with a partner or admin key")


def _check_event_types(event_types: list[str], principal: Principal) -> None:
    check_event_types(event_types)
    outside = outside_grant(principal, event_types)
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
    uow: GatewayUnitOfWork,
    principal: Principal,
    settings: GatewaySettings,
    url: str,
    event_types: list[str],
    description: str,
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
    uow.endpoints.add(row)
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{row['id']}", 201,
           {"url": url, "event_types": row["event_types"], "description": description})  # fmt: skip
    uow.commit()
    return {**row, "secret": secret}  # shown this once


def _audit(uow: GatewayUnitOfWork, principal: Principal, action: str, target: str, status: int,
           changes: dict[str, Any]) -> None:  # fmt: skip
    """In the change's own transaction: what the API and the web pages change is audited alike."""
    audit.record(uow, audit.Actor.of(principal), action, target, status, changes)


def find_endpoint(uow: GatewayUnitOfWork, principal: Principal, endpoint_id: str, *, lock: bool = False) -> Any:
    _require_manager(principal)
    row = uow.endpoints.get(endpoint_id, lock=lock)
    if row is None or (principal.role != "admin" and row.owner_key_id != principal.key_id):
        raise NotFound("webhook endpoint", endpoint_id)
    return row


def list_endpoints(uow: GatewayUnitOfWork, principal: Principal) -> list[Any]:
    _require_manager(principal)
    return uow.endpoints.listed(None if principal.role == "admin" else principal.key_id)


def owners(uow: GatewayUnitOfWork, endpoints: list[Any]) -> dict[str, dict[str, Any]]:
    """Who manages each endpoint and what it may see: an admin's list shows every endpoint's owner and grant."""
    ids = {row.owner_key_id for row in endpoints}
    found = uow.endpoints.owner_keys(ids)
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
    uow: GatewayUnitOfWork, principal: Principal, settings: GatewaySettings, endpoint_id: str, changes: dict[str, Any]
) -> Any:
    find_endpoint(uow, principal, endpoint_id, lock=True)
    if "event_types" in changes:
        _check_event_types(changes["event_types"], principal)
        changes["event_types"] = sorted(set(changes["event_types"]))
    if "url" in changes:
        _check_url(changes["url"], settings)
    if changes.get("enabled") is True:  # re-enabled by the partner: a fresh start
        changes.update(disabled_reason=None, failing_since=None)
    uow.endpoints.change(endpoint_id, {**changes, "updated_at": datetime.now(UTC)})
    _audit(uow, principal, "PATCH", f"/v1/webhooks/endpoints/{endpoint_id}", 200, changes)
    uow.commit()
    return find_endpoint(uow, principal, endpoint_id)


def delete_endpoint(uow: GatewayUnitOfWork, principal: Principal, endpoint_id: str) -> None:
    find_endpoint(uow, principal, endpoint_id, lock=True)
    uow.endpoints.remove(endpoint_id)
    _audit(uow, principal, "DELETE", f"/v1/webhooks/endpoints/{endpoint_id}", 204, {})
    uow.commit()


def rotate_secret(uow: GatewayUnitOfWork, principal: Principal, settings: GatewaySettings, endpoint_id: str) -> str:
    """A new secret; the old one keeps signing beside it for the grace period, so nothing fails to verify."""
    endpoint = find_endpoint(uow, principal, endpoint_id, lock=True)
    secret = new_secret()
    now = datetime.now(UTC)
    uow.endpoints.change(endpoint_id, {
        "secret": SecretBox(settings.encryption_keys).seal_text(secret), "previous_secret": endpoint.secret,
        "previous_secret_until": now + timedelta(seconds=settings.webhook_secret_grace_s), "updated_at": now,
    })  # fmt: skip
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{endpoint_id}/rotate-secret", 200, {})
    uow.commit()
    return secret


def fan_out(uow: GatewayUnitOfWork, event: CloudEvent, payload: str) -> int:
    """Queue the event for every enabled endpoint subscribed to its type whose owner may see it (a partner's
    grant), in the consumer's transaction. An endpoint of a revoked key is paused, and skipped here too."""
    subscribed = [row for row in uow.endpoints.enabled_subscriptions() if event.type in row.event_types]
    keys = uow.endpoints.owner_keys({row.owner_key_id for row in subscribed})
    seen = json.loads(payload)
    targets = []
    for row in subscribed:
        viewer = _viewer(row.owner_key_id, keys.get(row.owner_key_id))
        if viewer is not None and may_see(viewer, seen):
            targets.append(row.id)
    now = datetime.now(UTC)
    for endpoint_id in targets:
        uow.deliveries.add(_new_delivery(endpoint_id, event, payload, now))
    return len(targets)


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
        **due_now(now),
        "created_at": now,
    }


def list_deliveries(
    uow: GatewayUnitOfWork, principal: Principal, endpoint_id: str, limit: int, before_seq: int | None
) -> list[Any]:
    find_endpoint(uow, principal, endpoint_id)
    return uow.deliveries.page(endpoint_id, limit + 1, before_seq)


def retry_delivery(uow: GatewayUnitOfWork, principal: Principal, delivery_id: str) -> Any:
    row = uow.deliveries.get(delivery_id)
    if row is None:
        raise NotFound("delivery", delivery_id)
    find_endpoint(uow, principal, row.endpoint_id)  # scoping: only the endpoint's owner
    uow.deliveries.send_again(delivery_id, datetime.now(UTC))
    _audit(uow, principal, "POST", f"/v1/webhooks/deliveries/{delivery_id}/retry", 200, {})
    uow.commit()
    return uow.deliveries.get(delivery_id)


def replay(uow: GatewayUnitOfWork, principal: Principal, endpoint_id: str, since: datetime) -> int:
    """Send again every subscribed event received since `since` (also ones from before the endpoint existed)."""
    endpoint = find_endpoint(uow, principal, endpoint_id)
    now = datetime.now(UTC)
    events = uow.endpoints.events_since(since, endpoint.event_types)
    viewer = principal
    if principal.role == "admin":  # replayed as the endpoint's owner may see, once, not per event
        key = uow.endpoints.owner_keys({endpoint.owner_key_id}).get(endpoint.owner_key_id)
        viewer = principal_of(key) if key is not None else Principal(endpoint.owner_key_id, "admin", None, "")
    count = 0
    for event_id, payload in events:
        if not may_see(viewer, json.loads(payload)):
            continue  # replayed as the endpoint's owner may see: never more than its grant
        existing = uow.deliveries.of_event(endpoint_id, event_id)
        if existing:
            uow.deliveries.send_again(existing, now)
        else:
            event = CloudEvent.model_validate(json.loads(payload))
            uow.deliveries.add(_new_delivery(endpoint_id, event, payload, now))
        count += 1
    _audit(uow, principal, "POST", f"/v1/webhooks/endpoints/{endpoint_id}/replay", 200,
           {"since": since.isoformat(), "queued": count})  # fmt: skip
    uow.commit()
    return count


def reseal_secrets(uow: GatewayUnitOfWork, box: SecretBox) -> int:
    """Seal every stored endpoint secret again with the newest key (after a new first HAAT_ENCRYPTION_KEYS)."""
    rows = uow.endpoints.sealed_secrets()
    for row in rows:
        values = {"secret": box.rotate(row.secret)}
        if row.previous_secret:
            values["previous_secret"] = box.rotate(row.previous_secret)
        uow.endpoints.change(row.id, values)
    uow.commit()
    return len(rows)
