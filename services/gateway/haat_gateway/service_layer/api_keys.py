"""API keys: random 256-bit secrets shown once, stored only as their SHA-256 hash.

A partner key reads nothing until an admin grants it CLFs (and, if it should hear of fewer, event types):
the grant scopes its API reads, its event stream and its webhook deliveries alike. Revoking a key ends it
at once: its next request is refused, its open event stream closes, its webhook endpoints are paused.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import api_keys, webhook_endpoints

Role = Literal["admin", "partner", "coordinator", "fulfilment"]
ROLES: tuple[Role, ...] = ("admin", "partner", "coordinator", "fulfilment")
KEY_PREFIX = "haat_"


class InvalidKeyRequest(ValueError):
    pass


PAUSED_BY_OWNER = "the API key or user that manages this endpoint was revoked or disabled"


@dataclass(frozen=True)
class Principal:
    """Who is calling the gateway: an API key (key_id = its id) or a logged-in user (key_id = user:<id>)."""

    key_id: str
    role: Role
    clf_id: str | None
    label: str
    packaging_house_id: str | None = None
    clf_ids: tuple[str, ...] = ()  # a partner's granted CLFs
    event_types: tuple[str, ...] | None = None  # a partner's granted event types (None: every public one)

    @property
    def subject(self) -> str:
        """How the services and the audit log name this caller: key:<id> or user:<id>."""
        return self.key_id if self.key_id.startswith("user:") else f"key:{self.key_id}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    session: Session, *, role: str, label: str, clf_id: str | None = None, clf_ids: Sequence[str] = (),
    event_types: Sequence[str] | None = None,
) -> tuple[str, Principal]:  # fmt: skip
    """Create a key; returns the plaintext (shown once, never stored) and who it authenticates as."""
    if role not in ROLES:
        raise InvalidKeyRequest(f"role must be one of {', '.join(ROLES)}")
    if role == "coordinator" and not clf_id:
        raise InvalidKeyRequest("a coordinator key is scoped to one CLF: give --clf")
    if (clf_ids or event_types is not None) and role != "partner":
        raise InvalidKeyRequest("only a partner key is granted CLFs and event types")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = str(uuid.uuid4())
    session.execute(
        api_keys.insert().values(
            id=key_id,
            prefix=key[: len(KEY_PREFIX) + 6],
            key_hash=hash_key(key),
            role=role,
            clf_id=clf_id,
            label=label,
            created_at=datetime.now(UTC),
            clf_ids=sorted(set(clf_ids)),
            event_types=sorted(set(event_types)) if event_types is not None else None,
        )
    )
    return key, Principal(key_id, role, clf_id, label, clf_ids=tuple(sorted(set(clf_ids))),
                          event_types=tuple(sorted(set(event_types))) if event_types is not None else None)  # fmt: skip


def authenticate(session: Session, key: str) -> Principal | None:
    row = session.execute(
        select(api_keys).where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
    ).one_or_none()
    if row is None:
        return None
    session.execute(update(api_keys).where(api_keys.c.id == row.id).values(last_used_at=datetime.now(UTC)))
    return principal_of(row)


def principal_of(row: Any) -> Principal:
    return Principal(
        row.id, row.role, row.clf_id, row.label, clf_ids=tuple(row.clf_ids or ()),
        event_types=tuple(row.event_types) if row.event_types is not None else None,
    )  # fmt: skip


def key_in_force(session: Session, key_id: str) -> bool:
    found = select(api_keys.c.id).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
    return session.scalar(found) is not None


def grant(session: Session, key_id: str, *, clf_ids: Sequence[str], event_types: Sequence[str] | None) -> Any:
    """Set what a partner key may see (replacing its grant); None when there is no such partner key."""
    values = {"clf_ids": sorted(set(clf_ids)), "event_types": sorted(set(event_types)) if event_types is not None
              else None}  # fmt: skip
    where = (api_keys.c.id == key_id) & (api_keys.c.role == "partner") & api_keys.c.revoked_at.is_(None)
    if not session.execute(update(api_keys).where(where).values(**values)).rowcount:  # type: ignore[attr-defined]
        return None
    return session.execute(select(api_keys).where(api_keys.c.id == key_id)).one()


def pause_endpoints_of(session: Session, owner_key_id: str, *, paused: bool) -> None:
    """Stop (or, for an owner enabled again, resume) the deliveries of every endpoint the owner manages."""
    t = webhook_endpoints.c
    if paused:
        session.execute(
            update(webhook_endpoints).where(t.owner_key_id == owner_key_id, t.enabled.is_(True))
            .values(enabled=False, disabled_reason=PAUSED_BY_OWNER)
        )  # fmt: skip
    else:
        session.execute(
            update(webhook_endpoints).where(t.owner_key_id == owner_key_id, t.disabled_reason == PAUSED_BY_OWNER)
            .values(enabled=True, disabled_reason=None, failing_since=None)
        )  # fmt: skip


def revoke_by_label(session: Session, label: str) -> int:
    ids = session.scalars(select(api_keys.c.id).where(api_keys.c.label == label, api_keys.c.revoked_at.is_(None)))
    return sum(revoke(session, key_id) for key_id in list(ids))


def list_keys(session: Session) -> list[Any]:
    """Every key, newest first (admins): never the secret, only its first characters."""
    return list(session.execute(select(api_keys).order_by(api_keys.c.created_at.desc())).all())


def revoke(session: Session, key_id: str) -> bool:
    result = session.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    pause_endpoints_of(session, key_id, paused=True)
    return bool(result.rowcount)  # type: ignore[attr-defined]
