"""Inbox: a consumer records each processed event id in the same transaction as its effect."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def claim(session: Session, inbox: Table, consumer: str, event_id: str, event_type: str) -> bool:
    """Record that `consumer` processes `event_id`; False if it already did (a redelivery).

    ON CONFLICT DO NOTHING keeps the transaction usable on a duplicate; on PostgreSQL a concurrent claim
    of the same id waits for the first transaction and then finds the row.
    """
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert_fn(inbox)
        .values(consumer=consumer, event_id=event_id, event_type=event_type, processed_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        .returning(inbox.c.event_id)
    )
    # RETURNING, not rowcount: psycopg reports a rowcount for a conflicting row that was not inserted.
    return session.execute(statement).scalar_one_or_none() is not None
