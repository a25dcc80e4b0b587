"""Who may come in: staff users (and the tokens they logged out) and API keys (stored only as hashes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import api_keys, revoked_tokens, users


class Users:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_name(self, username: str) -> Any:
        return self.session.execute(select(users).where(users.c.username == username)).one_or_none()

    def get(self, user_id: str) -> Any:
        return self.session.execute(select(users).where(users.c.id == user_id)).one_or_none()

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(users).values(**row))

    def change(self, user_id: str, values: dict[str, Any]) -> bool:
        """False when there is no such user."""
        result = self.session.execute(update(users).where(users.c.id == user_id).values(**values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def listed(self) -> list[Any]:
        return list(self.session.execute(select(users).order_by(users.c.role, users.c.username)).all())

    def display_names(self, user_ids: set[str]) -> dict[str, str]:
        if not user_ids:
            return {}
        rows = self.session.execute(select(users.c.id, users.c.display_name).where(users.c.id.in_(user_ids)))
        return {row.id: row.display_name for row in rows}

    def token_revoked(self, token_id: str) -> bool:
        return self.session.scalar(select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == token_id)) is not None

    def revoke_token(self, token_id: str, expires_at: datetime) -> None:
        """Kept until the token would have expired anyway; the ones past that are dropped now."""
        if not self.token_revoked(token_id):
            self.session.execute(insert(revoked_tokens).values(jti=token_id, expires_at=expires_at))
        self.session.execute(delete(revoked_tokens).where(revoked_tokens.c.expires_at < datetime.now(UTC)))


class ApiKeys:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(api_keys).values(**row))

    def get(self, key_id: str) -> Any:
        return self.session.execute(select(api_keys).where(api_keys.c.id == key_id)).one_or_none()

    def in_force_by_hash(self, key_hash: str) -> Any:
        query = select(api_keys).where(api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None))
        return self.session.execute(query).one_or_none()

    def in_force(self, key_id: str) -> bool:
        query = select(api_keys.c.id).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        return self.session.scalar(query) is not None

    def used(self, key_id: str) -> None:
        self.session.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=datetime.now(UTC)))

    def change_grant(self, key_id: str, values: dict[str, Any]) -> bool:
        """False when there is no such partner key in force."""
        where = (api_keys.c.id == key_id) & (api_keys.c.role == "partner") & api_keys.c.revoked_at.is_(None)
        return bool(self.session.execute(update(api_keys).where(where).values(**values)).rowcount)  # type: ignore[attr-defined]

    def in_force_with_label(self, label: str) -> list[str]:
        query = select(api_keys.c.id).where(api_keys.c.label == label, api_keys.c.revoked_at.is_(None))
        return list(self.session.scalars(query))

    def listed(self) -> list[Any]:
        return list(self.session.execute(select(api_keys).order_by(api_keys.c.created_at.desc())).all())

    def labels(self, key_ids: set[str]) -> dict[str, str]:
        if not key_ids:
            return {}
        rows = self.session.execute(select(api_keys.c.id, api_keys.c.label).where(api_keys.c.id.in_(key_ids)))
        return {row.id: row.label for row in rows}

    def revoke(self, key_id: str) -> bool:
        """False when it was revoked already (or never existed)."""
        result = self.session.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
