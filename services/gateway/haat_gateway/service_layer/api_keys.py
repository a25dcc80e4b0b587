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
from datetime import UTC, datetime
from typing import Any

from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.domain.principal import ROLES, Principal

KEY_PREFIX = "haat_"


class InvalidKeyRequest(ValueError):
    pass


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    uow: GatewayUnitOfWork, *, role: str, label: str, clf_id: str | None = None, clf_ids: Sequence[str] = (),
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
    uow.keys.add({
        "id": key_id, "prefix": key[: len(KEY_PREFIX) + 6], "key_hash": hash_key(key), "role": role,
        "clf_id": clf_id, "label": label, "created_at": datetime.now(UTC), "clf_ids": sorted(set(clf_ids)),
        "event_types": sorted(set(event_types)) if event_types is not None else None,
    })  # fmt: skip
    return key, Principal(key_id, role, clf_id, label, clf_ids=tuple(sorted(set(clf_ids))),
                          event_types=tuple(sorted(set(event_types))) if event_types is not None else None)  # fmt: skip


def authenticate(uow: GatewayUnitOfWork, key: str) -> Principal | None:
    row = uow.keys.in_force_by_hash(hash_key(key))
    if row is None:
        return None
    uow.keys.used(row.id)
    return principal_of(row)


def principal_of(row: Any) -> Principal:
    return Principal(
        row.id, row.role, row.clf_id, row.label, clf_ids=tuple(row.clf_ids or ()),
        event_types=tuple(row.event_types) if row.event_types is not None else None,
    )  # fmt: skip


def key_in_force(uow: GatewayUnitOfWork, key_id: str) -> bool:
    return uow.keys.in_force(key_id)


def grant(uow: GatewayUnitOfWork, key_id: str, *, clf_ids: Sequence[str], event_types: Sequence[str] | None) -> Any:
    """Set what a partner key may see (replacing its grant); None when there is no such partner key."""
    values = {"clf_ids": sorted(set(clf_ids)), "event_types": sorted(set(event_types)) if event_types is not None
              else None}  # fmt: skip
    if not uow.keys.change_grant(key_id, values):
        return None
    return uow.keys.get(key_id)


def revoke_by_label(uow: GatewayUnitOfWork, label: str) -> int:
    return sum(revoke(uow, key_id) for key_id in uow.keys.in_force_with_label(label))


def list_keys(uow: GatewayUnitOfWork) -> list[Any]:
    """Every key, newest first (admins): never the secret, only its first characters."""
    return uow.keys.listed()


def revoke(uow: GatewayUnitOfWork, key_id: str) -> bool:
    """The key stops working at once, and every webhook endpoint it manages stops receiving."""
    revoked = uow.keys.revoke(key_id)
    uow.endpoints.pause_owned_by(key_id, paused=True)
    return revoked
