"""API keys: random 256-bit secrets shown once, stored only as their SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import api_keys

Role = Literal["admin", "partner", "coordinator", "fulfilment"]
ROLES: tuple[Role, ...] = ("admin", "partner", "coordinator", "fulfilment")
KEY_PREFIX = "haat_"


class InvalidKeyRequest(ValueError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is calling the gateway: an API key (key_id = its id) or a logged-in user (key_id = user:<id>)."""

    key_id: str
    role: Role
    clf_id: str | None
    label: str
    packaging_house_id: str | None = None

    @property
    def subject(self) -> str:
        """How the services and the audit log name this caller: key:<id> or user:<id>."""
        return self.key_id if self.key_id.startswith("user:") else f"key:{self.key_id}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, *, role: str, label: str, clf_id: str | None = None) -> tuple[str, Principal]:
    """Create a key; returns the plaintext (shown once, never stored) and who it authenticates as."""
    if role not in ROLES:
        raise InvalidKeyRequest(f"role must be one of {', '.join(ROLES)}")
    if role == "coordinator" and not clf_id:
        raise InvalidKeyRequest("a coordinator key is scoped to one CLF: give --clf")
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
        )
    )
    return key, Principal(key_id, role, clf_id, label)


def authenticate(session: Session, key: str) -> Principal | None:
    row = session.execute(
        select(api_keys).where(api_keys.c.key_hash == hash_key(key), api_keys.c.revoked_at.is_(None))
    ).one_or_none()
    if row is None:
        return None
    session.execute(update(api_keys).where(api_keys.c.id == row.id).values(last_used_at=datetime.now(UTC)))
    return Principal(row.id, row.role, row.clf_id, row.label)


def revoke_by_label(session: Session, label: str) -> int:
    result = session.execute(
        update(api_keys)
        .where(api_keys.c.label == label, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


def list_keys(session: Session) -> list[Any]:
    """Every key, newest first (admins): never the secret, only its first characters."""
    return list(session.execute(select(api_keys).order_by(api_keys.c.created_at.desc())).all())


def revoke(session: Session, key_id: str) -> bool:
    result = session.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
