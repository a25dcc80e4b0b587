"""One retry policy for every durable queue of work that failed (listing pushes, order fetches, marketplace
tasks, webhook deliveries): after the n-th failure wait the n-th delay (the last one repeats), with ±20%
jitter so that work that failed together does not come back together; optionally give up after so many
attempts (a webhook delivery fails for good; a listing is tried until it is in sync)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Backoff:
    delays_s: tuple[float, ...]
    give_up_after: int | None = None  # attempts after which the work has failed for good (None: never)
    jitter: float = 0.2

    @classmethod
    def doubling(cls, first_s: float, longest_s: float, *, give_up_after: int | None = None) -> Backoff:
        """first, twice that, four times … up to `longest_s`, then `longest_s` for ever (or until giving up)."""
        delays = [first_s]
        while delays[-1] * 2 < longest_s:
            delays.append(delays[-1] * 2)
        return cls((*delays, longest_s), give_up_after)

    @classmethod
    def schedule(cls, seconds: Sequence[float]) -> Backoff:
        """A fixed schedule: the first entry is the first try, each next one the wait before the next attempt;
        after the last attempt it gives up (as the Standard Webhooks retry schedules are written)."""
        return cls(tuple(seconds[1:]) or (0.0,), give_up_after=len(seconds))

    def gives_up(self, attempts: int) -> bool:
        return self.give_up_after is not None and attempts >= self.give_up_after

    def after(self, attempts: int) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt (1 = the first)."""
        base = self.delays_s[min(max(attempts, 1), len(self.delays_s)) - 1]
        return timedelta(seconds=base * random.uniform(1 - self.jitter, 1 + self.jitter))


def due_now(now: datetime) -> dict[str, Any]:
    """The columns of work that is due at once (new, changed again, or asked for again)."""
    return {"attempts": 0, "next_attempt_at": now}


def after_failure(backoff: Backoff, attempts_before: int, now: datetime) -> dict[str, Any]:
    """The columns of work after one more failed attempt."""
    attempts = attempts_before + 1
    return {"attempts": attempts, "next_attempt_at": now + backoff.after(attempts)}
