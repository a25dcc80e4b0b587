"""Token buckets: the one rate-limit model used on both sides of an API.

Servers (the gateway, the sandbox marketplaces) `take` a token and refuse the request when none is left.
Clients (the marketplace connectors) `reserve` one: the reservation always succeeds and says how long to
wait, so concurrent callers queue up at exactly the bucket's rate instead of retrying in a herd.
"""

from __future__ import annotations

import asyncio
import threading
import time


class TokenBuckets:
    """One bucket per name (an API key, a seller account and operation, ...), all with the same rate and burst."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate_per_s
        self.burst = burst
        self.buckets: dict[str, tuple[float, float]] = {}  # name → (tokens, last refill)
        self.lock = threading.Lock()

    def _refilled(self, name: str, now: float) -> float:
        tokens, last = self.buckets.get(name, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.rate)

    def take(self, name: str) -> float:
        """Server side: 0 if allowed now (a token is used), else the seconds until a token is there."""
        now = time.monotonic()
        with self.lock:
            tokens = self._refilled(name, now)
            if tokens >= 1:
                self.buckets[name] = (tokens - 1, now)
                return 0.0
            self.buckets[name] = (tokens, now)
            return (1 - tokens) / self.rate

    def reserve(self, name: str) -> float:
        """Client side: use the next token, now or in the future; answers the seconds to wait before the call."""
        now = time.monotonic()
        with self.lock:
            tokens = self._refilled(name, now) - 1
            self.buckets[name] = (tokens, now)
            return 0.0 if tokens >= 0 else -tokens / self.rate

    async def acquire(self, name: str) -> None:
        wait = self.reserve(name)
        if wait > 0:
            await asyncio.sleep(wait)
