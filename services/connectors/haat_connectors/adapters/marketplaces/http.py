"""Calling a marketplace: the client-side quota, retries that honour Retry-After, and token refresh.

Every call first reserves a token from the operation's bucket, set to the marketplace's published quota
(97% of its rate, paced one call at a time: the marketplace's whole burst is left to absorb calls that
leave late and arrive bunched), so a steady sync meets no 429; a rate the marketplace announces for the
seller (Amazon's `x-amzn-RateLimit-Limit`) replaces the published one. When a 429 comes anyway (another
client on the same seller account, a 429 storm), the seller's whole budget waits, every operation alike,
for Retry-After or a step that doubles with each 429 in a row (with jitter, up to a minute), and the call
is retried, as are 5xx answers, time-outs and dropped connections. Errors that retrying cannot fix are
returned.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from haat.rate_limits import TokenBuckets

log = logging.getLogger(__name__)
Quota = tuple[float, int]  # (requests per second, burst)


class TransientFailure(Exception):
    """Worth retrying: 429, 5xx, a time-out or a dropped connection."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class AuthExpired(TransientFailure):
    """The marketplace refused the access token: get a new one and try again."""


@dataclass
class Answer:
    status: int
    body: Any  # JSON decoded, else text
    headers: dict[str, str]
    raw: bytes = b""  # as received (a PDF label)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class TokenSource:
    """An access token, fetched when missing or about to expire, and dropped when the marketplace refuses it."""

    def __init__(self, fetch: Callable[[], Awaitable[tuple[str, float]]]) -> None:
        self._fetch = fetch
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()  # one fetch at a time: concurrent calls wait for the same token

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or time.time() > self._expires_at - 60:
                self._token, lifetime_s = await self._fetch()
                self._expires_at = time.time() + lifetime_s
            return self._token

    def invalidate(self) -> None:
        self._token = None


def _wait(state: RetryCallState) -> float:
    backoff = wait_random_exponential(multiplier=0.5, max=30)(state)
    failure = state.outcome.exception() if state.outcome else None
    if isinstance(failure, TransientFailure) and failure.retry_after_s:
        return max(backoff, failure.retry_after_s)
    return backoff


class SellerBackoff:
    """After a 429 the seller is over its limit at the marketplace, whatever the operation: every call of the
    seller waits. The wait doubles with each 429 in a row, from Retry-After or the first step, with jitter,
    up to a minute; a call that gets through starts it over."""

    FIRST_S = 1.0
    LONGEST_S = 60.0

    def __init__(self) -> None:
        self.until = 0.0
        self.in_a_row = 0

    def throttled(self, retry_after_s: float | None) -> float:
        self.in_a_row += 1
        step = min(self.LONGEST_S, self.FIRST_S * 2 ** (self.in_a_row - 1))
        wait = max(retry_after_s or 0.0, random.uniform(step / 2, step))
        self.until = max(self.until, time.monotonic() + wait)
        return wait

    def passed(self) -> None:
        self.in_a_row = 0

    async def wait(self) -> None:
        while (delay := self.until - time.monotonic()) > 0:
            await asyncio.sleep(delay)


class MarketplaceHttp:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        seller: str,
        quotas: dict[str, Quota],
        quota_scale: float,
        authorise: Callable[[str], Awaitable[dict[str, str]]],
        invalidate: Callable[[], None],
        max_attempts: int,
        timeout_s: float,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.seller = seller
        self.buckets = {
            operation: TokenBuckets(rate * quota_scale * 0.97, 1) for operation, (rate, burst) in quotas.items()
        }
        self.authorise = authorise
        self.invalidate = invalidate
        self.max_attempts = max_attempts
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.stats: Counter[str] = Counter()
        self.last_sent: dict[int, float] = {}
        self.backoff = SellerBackoff()

    async def _spaced(self, bucket: TokenBuckets) -> None:
        """Calls whose slots came while this process was busy wake together: send them one interval apart,
        so that a stall here never turns into a burst at the marketplace."""
        interval = 1 / bucket.rate
        now = time.monotonic()
        slot = max(now, self.last_sent.get(id(bucket), 0.0) + interval)
        self.last_sent[id(bucket)] = slot
        if slot > now:
            await asyncio.sleep(slot - now)

    def share_bucket(self) -> None:
        """One bucket for every operation (a marketplace whose limit is per seller, not per operation)."""
        first = next(iter(self.buckets.values()))
        self.buckets = dict.fromkeys(self.buckets, first)

    async def call(self, operation: str, method: str, path: str, **kwargs: Any) -> Answer:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=_wait,
            retry=retry_if_exception_type(TransientFailure),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._once(operation, method, path, **kwargs)
        raise AssertionError("unreachable: tenacity re-raises the last failure")

    async def _once(self, operation: str, method: str, path: str, **kwargs: Any) -> Answer:
        # Authorise first: a token fetch between the quota slot and the call would bunch calls together.
        headers = {"accept": "application/json", **await self.authorise(operation), **kwargs.pop("headers", {})}
        bucket = self.buckets[operation]
        await self.backoff.wait()
        await bucket.acquire(self.seller)
        await self._spaced(bucket)
        await self.backoff.wait()  # a 429 may have come while this call waited for its slot
        self.stats[operation] += 1
        try:
            async with self.session.request(
                method, f"{self.base_url}{path}", headers=headers, timeout=self.timeout, **kwargs
            ) as response:
                raw = await response.read()
                answer = Answer(response.status, _decode(raw), dict(response.headers), raw)
        except TimeoutError:
            self.stats["timeouts"] += 1
            raise TransientFailure(f"{operation}: timed out") from None
        except (aiohttp.ClientError, OSError) as failure:
            self.stats["connection_errors"] += 1
            raise TransientFailure(f"{operation}: {type(failure).__name__}: {failure}") from None
        self._follow_announced_rate(operation, answer.headers)
        if answer.status == 429:
            self.stats["429"] += 1
            waited = self.backoff.throttled(_retry_after(answer.headers))
            raise TransientFailure(f"{operation}: throttled (429)", waited)
        self.backoff.passed()
        if answer.status >= 500:
            self.stats["5xx"] += 1
            raise TransientFailure(f"{operation}: {answer.status} from the marketplace", _retry_after(answer.headers))
        if answer.status in (401, 403) and _expired(answer):
            self.invalidate()
            raise AuthExpired(f"{operation}: access token refused")
        return answer

    def _follow_announced_rate(self, operation: str, headers: dict[str, str]) -> None:
        """Amazon tells each seller its rate for the operation (`x-amzn-RateLimit-Limit`); it may differ from
        the published one (a seller granted more, or less): keep to it."""
        announced = _float(headers.get("x-amzn-RateLimit-Limit") or headers.get("x-amzn-ratelimit-limit"))
        bucket = self.buckets[operation]
        if announced and announced > 0 and abs(announced * 0.97 - bucket.rate) > 1e-6:
            log.info("marketplace announced another rate", extra={"operation": operation, "rate_per_s": announced})
            bucket.rate = announced * 0.97


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _retry_after(headers: dict[str, str]) -> float | None:
    return _float(headers.get("Retry-After") or headers.get("retry-after"))


def _expired(answer: Answer) -> bool:
    # Amazon: 403 "Unauthorized" (token expired or invalid); Flipkart: 401. Both mean: get a new token.
    return answer.status == 401 or "Unauthorized" in json.dumps(answer.body)
