"""The audit log: who changed what, and when — every change made through the gateway (the API, the web
pages, the webhook management API) and every API key made or revoked (pages and the `haat` CLI).

Rows are only ever inserted (the database refuses UPDATE and DELETE on the table). A change is kept with
the fields the caller sent, secrets masked, so that a price, a stock receipt or an order's new state can be
read back; files are kept as their size only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from opentelemetry import trace

from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.service_layer.api_keys import Principal

CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECRET_NAME = re.compile(r"secret|token|password|credential|refresh|api_?key", re.IGNORECASE)
MASK = "***"
MAX_TEXT = 500  # characters kept of any one value


@dataclass(frozen=True)
class Actor:
    id: str
    label: str
    role: str
    clf_id: str | None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.subject, principal.label, principal.role, principal.clf_id)


COMMAND_LINE = Actor("cli", "haat command line (an operator on the server)", "admin", None)


def masked(value: Any) -> Any:
    """`value` with every field whose name says secret (token, password, credentials…) masked."""
    if isinstance(value, Mapping):
        return {k: MASK if SECRET_NAME.search(str(k)) else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value[:100]]
    if isinstance(value, str):
        return value[:MAX_TEXT]
    return value


def changes_of(content_type: str | None, body: bytes | None) -> dict[str, Any]:
    if not body:
        return {}
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError:
            return {"unparsed_bytes": len(body)}
        return masked(parsed) if isinstance(parsed, dict) else {"body": masked(parsed)}
    if kind == "application/x-www-form-urlencoded":
        return masked(dict(parse_qsl(body.decode(errors="replace"))))
    return {"upload_bytes": len(body), "content_type": kind}


def record(uow: GatewayUnitOfWork, actor: Actor, action: str, target: str, status_code: int,
           changes: Mapping[str, Any]) -> None:  # fmt: skip
    """Append one change; its fields are masked here, so no caller can keep a secret in the log."""
    span = trace.get_current_span().get_span_context()
    uow.audit.add({
        "at": datetime.now(UTC), "actor": actor.id, "actor_label": actor.label[:200], "role": actor.role,
        "clf_id": actor.clf_id, "action": action, "target": target[:500], "status_code": status_code,
        "changes": masked(changes), "trace_id": f"{span.trace_id:032x}" if span.is_valid else None,
    })  # fmt: skip


def entries(
    uow: GatewayUnitOfWork, *, actor: str | None = None, target: str | None = None, clf_id: str | None = None,
    since: datetime | None = None, until: datetime | None = None, before_seq: int | None = None, limit: int = 50,
) -> list[Any]:  # fmt: skip
    """Newest first; `target` matches the start of the changed path (e.g. /v1/products/AAM-ACHAR)."""
    return uow.audit.entries(actor=actor, target=target, clf_id=clf_id, since=since, until=until,
                             before_seq=before_seq, limit=limit)  # fmt: skip
