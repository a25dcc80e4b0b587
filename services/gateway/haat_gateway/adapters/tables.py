"""Tables of the gateway database."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from haat.db import JSON_TYPE, UtcDateTime
from haat.messaging.tables import SEQUENCE_TYPE, add_messaging_tables

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("prefix", String(16), nullable=False),  # shown in lists so a key can be recognised
    Column("key_hash", String(64), nullable=False, unique=True),  # SHA-256: keys are 256-bit random
    Column("role", String(20), nullable=False),
    Column("clf_id", String(64)),
    Column("label", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
    # A partner's grant: the CLFs whose data it may read and be told about, and (None: all) the event types.
    Column("clf_ids", JSON_TYPE, nullable=False, server_default="[]"),
    Column("event_types", JSON_TYPE),
)

# Every public event the gateway has seen: the source for webhook fan-out, replay and live views.
event_log = Table(
    "event_log",
    metadata,
    Column("seq", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("event_type", String(200), nullable=False, index=True),
    Column("subject", String(200)),
    Column("source", String(200), nullable=False),
    Column("time", UtcDateTime(), nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
)

add_messaging_tables(metadata)

# --- webhooks -----------------------------------------------------------------------------------------
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("owner_key_id", String(64), nullable=False, index=True),  # the API key (or user:<id>) managing it
    Column("url", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("event_types", JSON_TYPE, nullable=False),
    Column("secret", Text, nullable=False),  # sealed with haat.secret_box (HAAT_ENCRYPTION_KEYS)
    Column("previous_secret", Text),
    Column("previous_secret_until", UtcDateTime()),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text),
    Column("failing_since", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("seq", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),  # the webhook-id, the same on every retry
    Column("endpoint_id", String(40), ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(12), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("claimed_until", UtcDateTime()),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("last_latency_ms", Integer),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime()),
    UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint_subject", "endpoint_id", "subject", "seq"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column(
        "delivery_id", String(40), ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("attempted_at", UtcDateTime(), nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("latency_ms", Integer, nullable=False),
)

# --- staff users --------------------------------------------------------------------------------------
users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),  # stored lower-case
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),  # argon2id
    Column("role", String(20), nullable=False),  # admin | coordinator | fulfilment
    Column("clf_id", String(64)),
    Column("packaging_house_id", String(64)),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", UtcDateTime()),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime()),
)

# --- Idempotency-Key: the first answer to a POST, replayed for a retry with the same key and body --------
# Staff tokens ended by logging out before they expired (kept until then).
revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(36), primary_key=True),
    Column("expires_at", UtcDateTime(), nullable=False, index=True),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("owner", String(64), primary_key=True),  # hash of the caller's credentials
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),  # null while the first request is still being answered
    Column("content_type", String(100)),
    Column("body", LargeBinary),
    Column("created_at", UtcDateTime(), nullable=False, index=True),
)

# --- Who changed what: one row per change made through the gateway, never updated or deleted -------------
# (the migration adds triggers that refuse UPDATE and DELETE; haat_gateway.service_layer.audit)
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(100), nullable=False),  # key:<id>, user:<id> or cli
    Column("actor_label", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("clf_id", String(64)),  # the actor's scope
    Column("action", String(10), nullable=False),  # POST | PATCH | PUT | DELETE
    Column("target", String(500), nullable=False),  # the path changed, with its query
    Column("status_code", Integer, nullable=False),
    Column("changes", JSON_TYPE, nullable=False),  # the request's fields, secrets masked
    Column("trace_id", String(32)),
    Index("ix_audit_log_actor", "actor", "seq"),
    Index("ix_audit_log_at", "at"),
)
