"""Tables of the gateway database."""

from sqlalchemy import Column, MetaData, String, Table, Text

from haat.db import UtcDateTime
from haat.messaging_tables import SEQUENCE_TYPE, add_messaging_tables

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
