"""The gateway's access and webhook repositories in memory: log-in, API keys and their grants, ending access,
webhook endpoints, fan-out and replay run without PostgreSQL (the delivery itself is tested over HTTP)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from pydantic import SecretStr

from haat.events.envelope import CloudEvent
from haat_gateway.adapters.webhook_book import PAUSED_BY_OWNER
from haat_gateway.domain.principal import Principal
from haat_gateway.domain.webhook_delivery import EndpointHealth
from haat_gateway.settings import GatewaySettings
from haat_testkit.fake_unit_of_work import FakeUnitOfWork


def _row(values: dict[str, Any] | None) -> Any:
    return SimpleNamespace(**values) if values is not None else None


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.revoked: dict[str, datetime] = {}

    def by_name(self, username: str) -> Any:
        return _row(next((r for r in self.rows.values() if r["username"] == username), None))

    def get(self, user_id: str) -> Any:
        return _row(self.rows.get(user_id))

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = dict(row)

    def change(self, user_id: str, values: dict[str, Any]) -> bool:
        if user_id not in self.rows:
            return False
        self.rows[user_id].update(values)
        return True

    def listed(self) -> list[Any]:
        return [_row(r) for r in sorted(self.rows.values(), key=lambda r: (r["role"], r["username"]))]

    def display_names(self, user_ids: set[str]) -> dict[str, str]:
        return {i: r["display_name"] for i, r in self.rows.items() if i in user_ids}

    def token_revoked(self, token_id: str) -> bool:
        return token_id in self.revoked

    def revoke_token(self, token_id: str, expires_at: datetime) -> None:
        self.revoked[token_id] = expires_at


class FakeApiKeys:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = {"revoked_at": None, "last_used_at": None, **row}

    def get(self, key_id: str) -> Any:
        return _row(self.rows.get(key_id))

    def labels(self, key_ids: set[str]) -> dict[str, str]:
        return {i: r["label"] for i, r in self.rows.items() if i in key_ids}

    def in_force_by_hash(self, key_hash: str) -> Any:
        return _row(next((r for r in self.rows.values() if r["key_hash"] == key_hash and not r["revoked_at"]), None))

    def in_force(self, key_id: str) -> bool:
        return key_id in self.rows and self.rows[key_id]["revoked_at"] is None

    def used(self, key_id: str) -> None:
        self.rows[key_id]["last_used_at"] = datetime.now(UTC)

    def change_grant(self, key_id: str, values: dict[str, Any]) -> bool:
        row = self.rows.get(key_id)
        if row is None or row["role"] != "partner" or row["revoked_at"]:
            return False
        row.update(values)
        return True

    def in_force_with_label(self, label: str) -> list[str]:
        return [k for k, r in self.rows.items() if r["label"] == label and not r["revoked_at"]]

    def listed(self) -> list[Any]:
        return [_row(r) for r in sorted(self.rows.values(), key=lambda r: r["created_at"], reverse=True)]

    def revoke(self, key_id: str) -> bool:
        if not self.in_force(key_id):
            return False
        self.rows[key_id]["revoked_at"] = datetime.now(UTC)
        return True


class FakeAuditTrail:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append({"seq": len(self.rows) + 1, **row})

    def entries(
        self, *, actor: str | None, target: str | None, clf_id: str | None, since: datetime | None,
        until: datetime | None, before_seq: int | None, limit: int,
    ) -> list[Any]:  # fmt: skip
        chosen = [
            r for r in reversed(self.rows)
            if (not actor or r["actor"] == actor) and (not target or r["target"].startswith(target))
            and (not clf_id or r["clf_id"] == clf_id) and (not since or r["at"] >= since)
            and (not until or r["at"] < until) and (before_seq is None or r["seq"] < before_seq)
        ]  # fmt: skip
        return [_row(r) for r in chosen[:limit]]


class FakeEventLog:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append({"seq": len(self.rows) + 1, **row})

    def before(self, position: int | None, event_type: str | None, limit: int) -> list[tuple[int, str]]:
        older = [r for r in reversed(self.rows) if position is None or r["seq"] < position]
        return [(r["seq"], r["payload"]) for r in older if not event_type or r["event_type"] == event_type][:limit]


class FakeWebhookEndpoints:
    def __init__(self, keys: FakeApiKeys, events: FakeEventLog) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.keys, self.events = keys, events

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = {"disabled_reason": None, "failing_since": None, "previous_secret": None, **row}

    def get(self, endpoint_id: str, *, lock: bool = False) -> Any:
        return _row(self.rows.get(endpoint_id))

    def listed(self, owner_key_id: str | None) -> list[Any]:
        return [_row(r) for r in self.rows.values() if owner_key_id in (None, r["owner_key_id"])]

    def enabled_subscriptions(self) -> list[Any]:
        return [_row(r) for r in self.rows.values() if r["enabled"]]

    def owner_keys(self, owner_ids: set[str]) -> dict[str, Any]:
        return {k: self.keys.get(k) for k in owner_ids if k in self.keys.rows}

    def change(self, endpoint_id: str, values: dict[str, Any]) -> None:
        self.rows[endpoint_id].update(values)

    def remove(self, endpoint_id: str) -> None:
        del self.rows[endpoint_id]

    def health(self, endpoint_id: str) -> EndpointHealth:
        r = self.rows[endpoint_id]
        return EndpointHealth(endpoint_id, r["url"], r["owner_key_id"], r["enabled"], r["failing_since"],
                              r["disabled_reason"])  # fmt: skip

    def save_health(self, health: EndpointHealth) -> None:
        self.rows[health.endpoint_id].update(enabled=health.enabled, failing_since=health.failing_since,
                                             disabled_reason=health.disabled_reason)  # fmt: skip

    def recovered(self, endpoint_ids: set[str]) -> None:
        for endpoint_id in endpoint_ids:
            self.rows[endpoint_id]["failing_since"] = None

    def sealed_secrets(self) -> list[Any]:
        return [_row({k: r[k] for k in ("id", "secret", "previous_secret")}) for r in self.rows.values()]

    def pause_owned_by(self, owner_key_id: str, *, paused: bool) -> None:
        for row in self.rows.values():
            if row["owner_key_id"] != owner_key_id:
                continue
            if paused and row["enabled"]:
                row.update(enabled=False, disabled_reason=PAUSED_BY_OWNER)
            elif not paused and row["disabled_reason"] == PAUSED_BY_OWNER:
                row.update(enabled=True, disabled_reason=None, failing_since=None)

    def events_since(self, since: datetime, event_types: list[str]) -> list[tuple[str, str]]:
        return [(e["event_id"], e["payload"]) for e in self.events.rows
                if e["received_at"] >= since and e["event_type"] in event_types]  # fmt: skip


class FakeWebhookDeliveries:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.attempts: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = {"seq": len(self.rows) + 1, "attempts": 0, **row}

    def record(self, attempts: list[dict[str, Any]], changes: list[dict[str, Any]]) -> None:
        self.attempts.extend(attempts)
        for change in changes:
            self.rows[change["b_id"]].update({k.removeprefix("b_"): v for k, v in change.items() if k != "b_id"})

    def page(self, endpoint_id: str, limit: int, before_seq: int | None) -> list[Any]:
        mine = sorted((r for r in self.rows.values() if r["endpoint_id"] == endpoint_id), key=lambda r: -r["seq"])
        return [_row(r) for r in mine if before_seq is None or r["seq"] < before_seq][:limit]

    def get(self, delivery_id: str) -> Any:
        return _row(self.rows.get(delivery_id))

    def of_event(self, endpoint_id: str, event_id: str) -> str | None:
        return next((k for k, r in self.rows.items() if (r["endpoint_id"], r["event_id"]) == (endpoint_id, event_id)),
                    None)  # fmt: skip

    def send_again(self, delivery_id: str, now: datetime) -> None:
        self.rows[delivery_id].update(status="pending", next_attempt_at=now, claimed_until=None)

    def to(self, endpoint_id: str) -> list[dict[str, Any]]:
        return [r for r in self.rows.values() if r["endpoint_id"] == endpoint_id]


class FakeGatewayUnitOfWork(FakeUnitOfWork):
    """Stands where `GatewayUnitOfWork` stands: the same repositories by name, events kept in `emitted`."""

    service = "gateway"

    def __init__(self) -> None:
        super().__init__()
        self.users = FakeUsers()
        self.keys = FakeApiKeys()
        self.audit = FakeAuditTrail()
        self.events = FakeEventLog()
        self.endpoints = FakeWebhookEndpoints(self.keys, self.events)
        self.deliveries = FakeWebhookDeliveries()


# --- what the fast tests start from: settings with fresh secrets, an admin, an order event of a CLF ---
SETTINGS = GatewaySettings.model_construct(
    internal_token_secret=SecretStr(secrets.token_urlsafe(32)), encryption_keys=SecretStr(secrets.token_urlsafe(32)),
    webhook_allow_private=False, webhook_allowed_hosts=[], access_token_minutes=30, environment="test",
)  # fmt: skip
ADMIN = Principal("key-admin", "admin", None, "ops")
CREATED = "haat.orders.order.created.v1"


def event(clf_id: str, kind: str = CREATED) -> CloudEvent:
    return CloudEvent(id=secrets.token_hex(8), source="/haat/orders", type=kind, subject="amazon-1",
                      time=datetime.now(UTC), data={"order_id": "amazon-1", "clf_id": clf_id})  # fmt: skip
