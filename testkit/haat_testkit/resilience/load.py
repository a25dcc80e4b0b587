"""What the people and platforms around Haat do while faults happen: buyers order on both sandboxes,
coordinators receive stock and change prices through the gateway, a partner takes webhooks.

Every action is recorded with what came of it, so that the checks can count effects against causes. Calls
to the gateway carry an Idempotency-Key and are retried like a phone on a bad network would (a service may
be down for a while); each receipt's reason is unique, so its ledger rows can be counted.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from haat_testkit.receiver import CountingReceiver
from haat_testkit.system import RunningSystem

GATEWAY_RETRY_S = 60.0  # how long a coordinator's phone keeps retrying one request


@dataclass
class Placed:
    channel: str
    marketplace_order_id: str
    seller_id: str
    sku: str


@dataclass
class LoadRecord:
    orders: list[Placed] = field(default_factory=list)
    refused_orders: Counter[str] = field(default_factory=Counter)  # sandbox said no (e.g. no quantity left)
    receipts: dict[str, int] = field(default_factory=dict)  # reason → HTTP status finally answered (0: none)
    price_changes: int = 0
    gateway_retries: int = 0
    deliveries: list[tuple[str, str, str]] = field(default_factory=list)  # (webhook-id, event id, type)
    forged: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Listed:
    clf_id: str
    sku: str
    sellers: Mapping[str, str]  # channel → seller id on that sandbox


class Load:
    def __init__(self, system: RunningSystem, products: list[Listed], *, orders_per_s: float, seed: int) -> None:
        self.system = system
        self.products = products
        self.orders_per_s = orders_per_s
        self.random = random.Random(seed)
        self.record = LoadRecord()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.receiver = CountingReceiver(on_request=self._delivered)
        self._verifier: Webhook | None = None
        self.secret = ""
        self.headers = {"Authorization": f"Bearer {system.admin_key}"}

    # --- the partner ------------------------------------------------------------------------------------
    def subscribe(self, event_types: list[str]) -> None:
        answer = self._gateway("POST", "/v1/webhooks/endpoints", json={
            "url": self.receiver.url, "event_types": event_types, "description": "resilience partner"})  # fmt: skip
        self.secret = answer.json()["secret"]
        self._verifier = Webhook(self.secret)

    def _delivered(self, headers: Mapping[str, str], body: bytes) -> None:
        try:
            assert self._verifier is not None
            payload = self._verifier.verify(body, dict(headers))
        except (WebhookVerificationError, AssertionError):
            with self.record.lock:
                self.record.forged += 1
            return
        with self.record.lock:
            self.record.deliveries.append((headers["webhook-id"], payload["id"], payload["type"]))

    # --- buyers, coordinators -----------------------------------------------------------------------------
    def start(self) -> None:
        for target in (self._buy, self._receive_stock, self._change_prices):
            thread = threading.Thread(target=target, daemon=True, name=target.__name__)
            thread.start()
            self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(GATEWAY_RETRY_S + 30)

    def _buy(self) -> None:
        with httpx.Client(timeout=30) as client:
            n = 0
            while not self.stop.wait(1 / self.orders_per_s):
                product = self.products[n % len(self.products)]
                channel = ("amazon", "flipkart")[n % 2]
                n += 1
                seller = product.sellers[channel]
                body = {"seller_id": seller, "items": [{"sku": product.sku, "quantity": 1}]}
                try:
                    answer = client.post(f"{self.system.sandbox_url(channel)}/_sandbox/orders", json=body)
                except httpx.HTTPError:
                    self.record.refused_orders["unreachable"] += 1
                    continue
                if answer.status_code != 201:
                    self.record.refused_orders[str(answer.status_code)] += 1
                    continue
                data = answer.json()
                order_id = data["AmazonOrderId"] if channel == "amazon" else data["orderItems"][0]["orderId"]
                with self.record.lock:
                    self.record.orders.append(Placed(channel, str(order_id), seller, product.sku))

    def _receive_stock(self) -> None:
        while not self.stop.wait(self.random.uniform(2, 5)):
            self.receive(self.random.choice(self.products), 3)

    def receive(self, product: Listed, quantity: int) -> None:
        """A coordinator records goods received at her CLF's packaging house."""
        reason = f"resilience receipt {uuid.uuid4().hex[:12]}"
        self.record.receipts[reason] = 0
        answer = self._gateway_retrying("POST", f"/v1/stock/{product.sku}/receipts", params={
            "clf_id": product.clf_id}, json={"packaging_house_id": f"ph-{product.clf_id.removeprefix('clf-')}",
            "quantity": quantity, "reason": reason})  # fmt: skip
        self.record.receipts[reason] = answer.status_code if answer is not None else 0

    def _change_prices(self) -> None:
        while not self.stop.wait(self.random.uniform(4, 8)):
            product = self.random.choice(self.products)
            rupees = self.random.randint(100, 400)
            answer = self._gateway_retrying("PATCH", f"/v1/products/{product.sku}", params={
                "clf_id": product.clf_id}, json={"price_paise": rupees * 100, "mrp_paise": 50000})  # fmt: skip
            if answer is not None and answer.status_code == 200:
                self.record.price_changes += 1

    def _gateway(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        answer = httpx.request(method, f"{self.system.url()}{path}", headers=self.headers, timeout=30, **kwargs)  # type: ignore[arg-type]
        answer.raise_for_status()
        return answer

    def _gateway_retrying(self, method: str, path: str, **kwargs: object) -> httpx.Response | None:
        """The answer once the system gave one that is not a 5xx, a 409 in progress or a refused connection;
        None if none came within GATEWAY_RETRY_S (the outcome is unknown to the caller)."""
        headers = {**self.headers, "Idempotency-Key": uuid.uuid4().hex}
        deadline = time.monotonic() + GATEWAY_RETRY_S
        while time.monotonic() < deadline:
            try:
                answer = httpx.request(method, f"{self.system.url()}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]
                if answer.status_code < 500 and answer.status_code not in (409, 429):
                    return answer
            except httpx.HTTPError:
                pass
            self.record.gateway_retries += 1
            time.sleep(1)
        return None
