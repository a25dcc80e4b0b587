"""What an attempt to deliver a webhook means for the delivery, free of frameworks: a 2xx delivers it,
anything else (no answer, a redirect, an error status) waits for the next attempt of the retry schedule,
or fails it for good after the schedule's last attempt. And the health of the endpoint it went to."""

from __future__ import annotations

from dataclasses import dataclass, field
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
class EndpointDisabled:
    """Domain event: an endpoint was disabled because none of its deliveries got through for too long."""

    endpoint_id: str
    url: str
    owner_key_id: str
    reason: str


@dataclass
class EndpointHealth:
    """The aggregate of a webhook endpoint's health: since when every delivery to it failed, and whether it is
    still enabled. It changes through `failed_again` (a round of outcomes with no success), which records
    `EndpointDisabled` when it gives up; a delivered webhook makes it healthy (`recovered`, done in bulk by
    the repository for the endpoints of a round)."""

    endpoint_id: str
    url: str
    owner_key_id: str
    enabled: bool
    failing_since: datetime | None
    disabled_reason: str | None = None
    events: list[EndpointDisabled] = field(default_factory=list)

    def failed_again(self, now: datetime, disable_after_s: float) -> None:
        """It is failing from now on; once it has failed for longer than `disable_after_s` it is disabled (its
        owner is told, and can enable it again)."""
        if self.failing_since is None:
            self.failing_since = now
        elif self.enabled and (now - self.failing_since).total_seconds() > disable_after_s:
            self.enabled = False
            self.disabled_reason = f"every delivery failed since {self.failing_since.isoformat()}"
            self.events.append(EndpointDisabled(self.endpoint_id, self.url, self.owner_key_id, self.disabled_reason))
