"""Stored answers of requests sent with an Idempotency-Key: claimed by the first request, settled with its
answer, replayed to a retry with the same request, refused for another request under the same key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.tables import idempotency_keys

t = idempotency_keys.c


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    content_type: str | None
    body: bytes


def claim(
    uow: UnitOfWork, owner: str, key: str, request_hash: str, *, keep_hours: float
) -> Literal["claimed", "busy", "mismatch"] | StoredAnswer:
    """Claim the key for this request, or say what stands in the way (the answer to replay, a twin request
    still being answered, another request under the key). Commits."""
    now = datetime.now(UTC)
    uow.session.execute(delete(idempotency_keys).where(t.created_at < now - timedelta(hours=keep_hours)))
    row = uow.session.execute(select(idempotency_keys).where(t.owner == owner, t.key == key)).one_or_none()
    if row is None:
        try:
            uow.session.execute(
                insert(idempotency_keys).values(owner=owner, key=key, request_hash=request_hash, created_at=now)
            )
            uow.session.commit()
            return "claimed"
        except IntegrityError:
            uow.session.rollback()
            return "busy"  # a twin request claimed it a moment ago
    uow.session.commit()
    if row.request_hash != request_hash:
        return "mismatch"
    if row.status_code is None:
        return "busy"
    return StoredAnswer(row.status_code, row.content_type, row.body)


def settle(uow: UnitOfWork, owner: str, key: str, answer: StoredAnswer) -> None:
    """Keep the answer for retries; a 5xx is not worth keeping (the client should retry for real). Commits."""
    where = (t.owner == owner) & (t.key == key)
    if answer.status_code >= 500:
        uow.session.execute(delete(idempotency_keys).where(where))
    else:
        uow.session.execute(
            update(idempotency_keys)
            .where(where)
            .values(status_code=answer.status_code, content_type=answer.content_type, body=answer.body)
        )
    uow.session.commit()
