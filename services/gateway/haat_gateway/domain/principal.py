"""Who is calling the gateway, free of frameworks: an API key or a logged-in user, with a role and a scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["admin", "partner", "coordinator", "fulfilment"]
ROLES: tuple[Role, ...] = ("admin", "partner", "coordinator", "fulfilment")


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
