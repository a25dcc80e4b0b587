"""Webhook endpoints and their deliveries as stored: registration, fan-out rows, claims for sending and
recorded outcomes. A delivery's id is its `webhook-id`, the same on every retry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from haat.retry_queue import is_due
from haat_gateway.adapters.tables import api_keys, event_log, webhook_attempts, webhook_deliveries, webhook_endpoints
from haat_gateway.domain.webhook_delivery import EndpointHealth

d, e = webhook_deliveries.c, webhook_endpoints.c
# Stored as the reason, and matched when the owner is enabled again: never change the text.
PAUSED_BY_OWNER = "the API key or user that manages this endpoint was revoked or disabled"
OUTCOME_COLUMNS = ("status", "attempts", "next_attempt_at", "claimed_until", "last_status_code", "last_error",
                   "last_latency_ms", "delivered_at")  # fmt: skip


class WebhookEndpoints:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(webhook_endpoints).values(**row))

    def get(self, endpoint_id: str, *, lock: bool = False) -> Any:
        query = select(webhook_endpoints).where(e.id == endpoint_id)
        return self.session.execute(query.with_for_update() if lock else query).one_or_none()

    def listed(self, owner_key_id: str | None) -> list[Any]:
        """Every endpoint (None) or those of one owner, oldest first."""
        query = select(webhook_endpoints).order_by(e.created_at)
        if owner_key_id is not None:
            query = query.where(e.owner_key_id == owner_key_id)
        return list(self.session.execute(query))

    def enabled_subscriptions(self) -> list[Any]:
        """(id, event_types, owner_key_id) of every enabled endpoint."""
        return list(self.session.execute(select(e.id, e.event_types, e.owner_key_id).where(e.enabled.is_(True))))

    def owner_keys(self, owner_ids: set[str]) -> dict[str, Any]:
        """The API key rows of these owners (a logged-in admin's `user:…` id has none)."""
        if not owner_ids:
            return {}
        return {row.id: row for row in self.session.execute(select(api_keys).where(api_keys.c.id.in_(owner_ids)))}

    def change(self, endpoint_id: str, values: dict[str, Any]) -> None:
        self.session.execute(update(webhook_endpoints).where(e.id == endpoint_id).values(**values))

    def remove(self, endpoint_id: str) -> None:
        """The endpoint and every delivery queued for it."""
        self.session.execute(delete(webhook_deliveries).where(d.endpoint_id == endpoint_id))
        self.session.execute(delete(webhook_endpoints).where(e.id == endpoint_id))

    def sealed_secrets(self) -> list[Any]:
        return list(self.session.execute(select(e.id, e.secret, e.previous_secret)))

    def pause_owned_by(self, owner_key_id: str, *, paused: bool) -> None:
        """Stop (or, for an owner enabled again, resume) every endpoint the owner manages."""
        if paused:
            self.session.execute(
                update(webhook_endpoints).where(e.owner_key_id == owner_key_id, e.enabled.is_(True))
                .values(enabled=False, disabled_reason=PAUSED_BY_OWNER)
            )  # fmt: skip
        else:
            self.session.execute(
                update(webhook_endpoints).where(e.owner_key_id == owner_key_id, e.disabled_reason == PAUSED_BY_OWNER)
                .values(enabled=True, disabled_reason=None, failing_since=None)
            )  # fmt: skip

    def health(self, endpoint_id: str) -> EndpointHealth:
        """The endpoint's health, locked for this transaction."""
        query = select(e.id, e.url, e.owner_key_id, e.enabled, e.failing_since, e.disabled_reason)
        return EndpointHealth(*self.session.execute(query.where(e.id == endpoint_id).with_for_update()).one())

    def save_health(self, health: EndpointHealth) -> None:
        values = {"enabled": health.enabled, "failing_since": health.failing_since,
                  "disabled_reason": health.disabled_reason}  # fmt: skip
        self.session.execute(update(webhook_endpoints).where(e.id == health.endpoint_id).values(**values))

    def recovered(self, endpoint_ids: set[str]) -> None:
        self.session.execute(
            update(webhook_endpoints)
            .where(e.id.in_(endpoint_ids), e.failing_since.is_not(None))
            .values(failing_since=None)
        )

    def events_since(self, since: datetime, event_types: list[str]) -> list[tuple[str, str]]:
        """(event id, payload) of the public events received since then, of these types, oldest first."""
        query = (
            select(event_log.c.event_id, event_log.c.payload)
            .where(event_log.c.received_at >= since, event_log.c.event_type.in_(event_types))
            .order_by(event_log.c.seq)
        )
        return [(row.event_id, row.payload) for row in self.session.execute(query)]


class WebhookDeliveries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(webhook_deliveries).values(**row))

    def get(self, delivery_id: str) -> Any:
        return self.session.execute(select(webhook_deliveries).where(d.id == delivery_id)).one_or_none()

    def of_event(self, endpoint_id: str, event_id: str) -> str | None:
        found: str | None = self.session.scalar(select(d.id).where(and_(d.endpoint_id == endpoint_id,
                                                                         d.event_id == event_id)))  # fmt: skip
        return found

    def send_again(self, delivery_id: str, now: datetime) -> None:
        self.session.execute(
            update(webhook_deliveries)
            .where(d.id == delivery_id)
            .values(status="pending", next_attempt_at=now, claimed_until=None)
        )

    def page(self, endpoint_id: str, limit: int, before_seq: int | None) -> list[Any]:
        query = select(webhook_deliveries).where(d.endpoint_id == endpoint_id).order_by(d.seq.desc()).limit(limit)
        if before_seq is not None:
            query = query.where(d.seq < before_seq)
        return list(self.session.execute(query))

    def claim(self, now: datetime, free: dict[str, int], per_endpoint: int, batch: int, hold_s: float) -> list[Any]:
        """Claim what may be sent now: due, first of its entity, endpoint enabled and with a free slot.

        At most `per_endpoint` candidates per endpoint are considered (a window per endpoint), so one
        endpoint's backlog can never crowd the others out of a batch. Rows other senders hold are skipped.
        """
        earlier = aliased(webhook_deliveries)
        full = [endpoint for endpoint, slots in free.items() if slots <= 0]
        due = (
            select(d.id, func.row_number().over(partition_by=d.endpoint_id, order_by=d.seq).label("place"))
            .join(webhook_endpoints, e.id == d.endpoint_id)
            .where(
                d.status == "pending",
                is_due(webhook_deliveries, now),
                (d.claimed_until.is_(None)) | (d.claimed_until < now),
                e.enabled.is_(True),
                d.endpoint_id.not_in(full),
                ~exists().where(
                    and_(
                        earlier.c.endpoint_id == d.endpoint_id,
                        earlier.c.subject == d.subject,
                        earlier.c.status == "pending",
                        earlier.c.seq < d.seq,
                    )
                ),
            )
            .subquery()
        )
        candidates = select(due.c.id).where(due.c.place <= per_endpoint).limit(batch).scalar_subquery()
        rows = self.session.execute(
            select(webhook_deliveries, e.url, e.secret, e.previous_secret, e.previous_secret_until)
            .join(webhook_endpoints, e.id == d.endpoint_id)
            .where(d.id.in_(candidates))
            .order_by(d.seq)
            .with_for_update(of=webhook_deliveries, skip_locked=True)
        ).all()
        chosen = []
        slots = dict(free)
        for row in rows:
            left = slots.get(row.endpoint_id, per_endpoint)
            if left > 0:
                chosen.append(row)
                slots[row.endpoint_id] = left - 1
        if chosen:
            until = now + timedelta(seconds=hold_s)
            self.session.execute(
                update(webhook_deliveries).where(d.id.in_([r.id for r in chosen])).values(claimed_until=until)
            )
        return chosen

    def record(self, attempts: list[dict[str, Any]], changes: list[dict[str, Any]]) -> None:
        """Attempts made and the deliveries' new states (`changes` keyed b_id, b_status … as in OUTCOME_COLUMNS)."""
        self.session.execute(insert(webhook_attempts), attempts)
        self.session.execute(
            update(webhook_deliveries)
            .where(d.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in OUTCOME_COLUMNS}),
            changes,
            execution_options={"synchronize_session": False},
        )
