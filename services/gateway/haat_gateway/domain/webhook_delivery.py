"""What an attempt to deliver a webhook means for the delivery, free of frameworks: a 2xx delivers it,
anything else (no answer, a redirect, an error status) waits for the next attempt of the retry schedule,
or fails it for good after the schedule's last attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from haat.backoff import Backoff


@dataclass(frozen=True)
class Attempted:
    state: str  # delivered | pending | failed
    attempts: int
    next_attempt_at: datetime | None  # for a pending delivery
    error: str | None


def attempted(status: int | None, error: str | None, attempts_before: int, retry: Backoff,
              now: datetime) -> Attempted:  # fmt: skip
    attempts = attempts_before + 1
    if status is not None and 200 <= status < 300:
        return Attempted("delivered", attempts, None, error)
    error = error or f"HTTP {status}"
    if retry.gives_up(attempts):
        return Attempted("failed", attempts, None, error)
    return Attempted("pending", attempts, now + retry.after(attempts), error)


@dataclass(frozen=True)
class EndpointHealth:
    failing_since: datetime | None
    disable: str | None  # the reason, when the endpoint is to be disabled now


def after_failures(
    failing_since: datetime | None, enabled: bool, now: datetime, disable_after_s: float
) -> EndpointHealth:
    """An endpoint none of whose deliveries got through: it is failing from now, and once it has failed for
    longer than `disable_after_s` it is disabled (its owner is told, and can enable it again)."""
    if failing_since is None:
        return EndpointHealth(now, None)
    if enabled and (now - failing_since).total_seconds() > disable_after_s:
        return EndpointHealth(failing_since, f"every delivery failed since {failing_since.isoformat()}")
    return EndpointHealth(failing_since, None)
