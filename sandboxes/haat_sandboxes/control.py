"""What both sandboxes share: fault injection, request counters, rate limits and notification pushes."""

from __future__ import annotations

import abc
import asyncio
import json
import logging
import math
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from haat.rate_limits import TokenBuckets
from haat_sandboxes import signatures
from haat_sandboxes.order_generator import OrderGenerator, OrderRequest

log = logging.getLogger(__name__)
Next = Callable[[Request], Awaitable[Response]]
Send = Callable[[], Awaitable[None]]  # one delivery of one notification (at least once: it retries)
CONTROL_PREFIX = "/_sandbox"


class Faults(BaseModel):
    """Faults to inject, set through `PUT /_sandbox/faults`; each applies to the seller API paths only."""

    throttle_for_s: float = Field(0, description="answer every call with 429 for this long (a 429 storm)")
    error_rate: float = Field(0, ge=0, le=1, description="share of calls answered with a 5xx")
    error_burst: int = Field(0, ge=0, description="answer the next N calls with 503")
    delay_s: float = Field(0, ge=0, description="answer every call this much later")
    timeout_rate: float = Field(0, ge=0, le=1, description="share of calls that hang for `hang_s` (client time-out)")
    hang_s: float = 30.0
    duplicate_notifications: bool = Field(False, description="push every notification twice")
    reorder_notifications: bool = Field(False, description="hold notifications and push them newest first")
    reject_skus: list[str] = Field(default_factory=list, description="listings of these SKUs are rejected with issues")
    refuse_orders: bool = Field(False, description="the order generator stops placing orders")


class Subscription(BaseModel):
    url: str
    secret: str = ""


class Sandbox(abc.ABC):
    """The state both sandboxes keep beside their own: faults, counters, rate limits and subscribers."""

    def __init__(self, name: str, *, quota_scale: float = 1.0) -> None:
        self.name = name
        self.quota_scale = quota_scale
        self.faults = Faults()
        self.throttle_until = 0.0
        self.counts: Counter[str] = Counter()
        self.buckets: dict[str, TokenBuckets] = {}
        # seller id → (URL its notifications are pushed to, the destination's shared secret)
        self.subscribers: dict[str, tuple[str, str]] = {}
        self.held: list[Send] = []
        self.http: aiohttp.ClientSession | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        # Every quantity a seller set, as (wall-clock time, seller, sku, quantity): when a change reached the
        # marketplace, for benchmarks and tests that time the way from a sale or a receipt to every channel.
        self.quantity_log: list[tuple[float, str, str, int]] = []
        self._last_quantity: dict[tuple[str, str], int] = {}

    @abc.abstractmethod
    def buyable(self) -> list[tuple[str, str, int]]:
        """(seller, sku, quantity) of every listing a buyer could order now."""

    @abc.abstractmethod
    async def place_order(self, order: OrderRequest) -> Any:
        """Sell like a buyer would, or refuse (out of stock) the way the marketplace does."""

    def signing_key(self, seller: str, destination_secret: str) -> str:
        """The key a seller's notifications are signed with: the destination's secret unless the marketplace
        signs with a key of the seller's own (Flipkart: the application secret)."""
        return destination_secret

    def signed(self, seller: str, payload: dict[str, Any]) -> tuple[str, bytes, dict[str, str]] | None:
        """(URL, body, headers) of a notification to the seller's subscriber, signed as the marketplace does."""
        url, secret = self.subscribers.get(seller, ("", ""))
        if not url:
            return None
        body = json.dumps(payload).encode()
        signature = signatures.sign(self.signing_key(seller, secret), body)
        header = signatures.SIGNATURE_HEADERS[self.name]
        return url, body, {"content-type": "application/json", header: signature}

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults
        self.throttle_until = time.monotonic() + faults.throttle_for_s if faults.throttle_for_s else 0.0

    def limit(self, operation: str, seller: str, rate: float, burst: int) -> float:
        """Seconds until the seller may call `operation` again (0: allowed now), at the published quota.

        A scaled sandbox (tests, quick demos) keeps the burst's length in time, not its count: at x5 an
        unscaled burst of 10 would last 0.08 s, shorter than the moments a busy two-core machine leaves this
        process unscheduled, and calls that waited in its socket meanwhile would be refused together though
        they were sent at the quota. The rate, which is what a client must keep to, scales in full."""
        buckets = self.buckets.get(operation)
        if buckets is None:
            scaled_burst = max(burst, math.ceil(burst * self.quota_scale))
            buckets = self.buckets[operation] = TokenBuckets(rate * self.quota_scale, scaled_burst)
        return buckets.take(seller)

    def note_quantity(self, seller: str, sku: str, quantity: int) -> None:
        """Log a quantity the seller's own call set, if it differs from the one it set before."""
        if self._last_quantity.get((seller, sku)) != quantity:
            self._last_quantity[(seller, sku)] = quantity
            self.quantity_log.append((time.time(), seller, sku, quantity))

    def spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def delivery(self, seller: str, payload: dict[str, Any]) -> Send | None:
        """How the marketplace delivers this notification to the seller's app (None: it is not subscribed):
        a signed HTTP push to the subscriber's URL, unless the marketplace delivers otherwise."""
        signed = self.signed(seller, payload)
        if signed is None:
            return None
        url, body, headers = signed
        return lambda: self._push(url, body, headers)

    async def notify(self, seller: str, payload: dict[str, Any]) -> None:
        """Deliver a notification (at least once, and faulty when asked to be)."""
        send = self.delivery(seller, payload)
        if send is None:
            return
        self.counts["notifications"] += 1
        if self.faults.reorder_notifications:
            self.held.append(send)
            if len(self.held) >= 3:  # release the held ones newest first
                held, self.held = self.held, []
                for held_one in reversed(held):
                    self.spawn(held_one())
            return
        copies = 2 if self.faults.duplicate_notifications else 1
        for _ in range(copies):
            self.spawn(send())

    async def flush_held(self) -> None:
        held, self.held = self.held, []
        for held_one in reversed(held):
            await held_one()

    async def _push(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        for attempt in range(5):
            try:
                async with self.http.post(url, data=body, headers=headers) as response:
                    if response.status < 500:
                        return
            except (aiohttp.ClientError, TimeoutError, OSError):
                pass
            await asyncio.sleep(0.2 * 2**attempt)
        log.warning("notification not delivered", extra={"url": url})

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.http is not None:
            await self.http.close()


def build_app(
    title: str, sandbox: Sandbox, error_body: Callable[[int, str], dict[str, Any]], orders_per_minute: float
) -> FastAPI:
    """The FastAPI app of a sandbox with what every sandbox has (faults, control paths, buyers); the caller
    adds the marketplace's own paths."""
    generator = OrderGenerator(sandbox.buyable, sandbox.place_order, lambda: sandbox.faults, orders_per_minute)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        generator.start()
        yield
        await generator.stop()
        await sandbox.close()

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.sandbox = sandbox
    app.state.generator = generator
    install_faults(app, sandbox, error_body)
    control_routes(app, sandbox)

    @app.put(f"{CONTROL_PREFIX}/generator")
    async def set_generator(body: dict[str, float]) -> dict[str, float]:
        """A steady rate of buyer orders (`orders_per_minute`, 0: none) and/or a `burst` of them now."""
        generator.per_minute = float(body.get("orders_per_minute", generator.per_minute))
        placed = await generator.burst(int(body.get("burst", 0)))
        return {"orders_per_minute": generator.per_minute, "burst_placed": placed}

    return app


def install_faults(app: FastAPI, sandbox: Sandbox, error_body: Callable[[int, str], dict[str, Any]]) -> None:
    """Middleware: count every seller API call and inject the configured faults before it is answered."""

    @app.middleware("http")
    async def faults(request: Request, call_next: Next) -> Response:
        if request.url.path.startswith(CONTROL_PREFIX) or request.url.path in ("/healthz", "/readyz"):
            return await call_next(request)
        sandbox.counts["requests"] += 1
        f = sandbox.faults
        if f.delay_s:
            await asyncio.sleep(f.delay_s)
        if f.timeout_rate and random.random() < f.timeout_rate:
            sandbox.counts["timeouts"] += 1
            await asyncio.sleep(f.hang_s)
        if sandbox.throttle_until > time.monotonic():
            sandbox.counts["429"] += 1
            return JSONResponse(error_body(429, "QuotaExceeded"), status_code=429)
        if f.error_burst or (f.error_rate and random.random() < f.error_rate):
            f.error_burst = max(0, f.error_burst - 1)
            sandbox.counts["5xx"] += 1
            return JSONResponse(error_body(503, "ServiceUnavailable"), status_code=503)
        return await call_next(request)


def control_routes(app: FastAPI, sandbox: Sandbox) -> None:
    """`/_sandbox/faults`, `/_sandbox/stats` and `/_sandbox/subscriptions`: for tests, demos and benchmarks."""

    @app.put(f"{CONTROL_PREFIX}/faults")
    async def set_faults(faults: Faults) -> Faults:
        sandbox.set_faults(faults)
        return faults

    @app.get(f"{CONTROL_PREFIX}/stats")
    async def stats() -> dict[str, int]:
        return dict(sandbox.counts)

    @app.get(f"{CONTROL_PREFIX}/quantity-updates")
    async def quantity_updates(since: int = 0) -> dict[str, Any]:
        """Quantities sellers set, oldest first, from position `since` on (`next` is where to go on from)."""
        log = sandbox.quantity_log[since:]
        updates = [{"at": at, "seller_id": seller, "sku": sku, "quantity": q} for at, seller, sku, q in log]
        return {"updates": updates, "next": since + len(log)}

    @app.put(f"{CONTROL_PREFIX}/subscriptions/{{seller}}")
    async def subscribe(seller: str, body: Subscription) -> dict[str, str]:
        """Push the seller's notifications to `url`, signed with `secret` (the destination's shared secret;
        Flipkart signs with the seller's application secret instead)."""
        sandbox.subscribers[seller] = (body.url, body.secret)
        return {"seller": seller, "url": body.url}

    @app.post(f"{CONTROL_PREFIX}/notifications/flush")
    async def flush() -> dict[str, int]:
        count = len(sandbox.held)
        await sandbox.flush_held()
        return {"flushed": count}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_api_route("/readyz", healthz, methods=["GET"])
