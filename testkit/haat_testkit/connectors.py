"""Test and benchmark wiring: both sandboxes on free ports, and a connectors runtime pointed at them with
seller accounts for a CLF, exactly as an operator would set them up (only URLs and credentials differ)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from haat.broker import free_port, wait_for_port
from haat.secret_box import SecretBox
from haat.service import ServiceRuntime
from haat_connectors.adapters.unit_of_work import unit_of_work as connectors_unit_of_work
from haat_connectors.demo import demo_credentials
from haat_connectors.service_layer import accounts, catalog_feed
from haat_connectors.settings import ConnectorsSettings
from haat_sandboxes.sqs_queues import create_notification_queue, stand_in_client
from haat_testkit.http_server import ThreadedServer


@dataclass
class Sandboxes:
    """Both sandboxes, each in its own process as in the embedded run, reached only over HTTP, and the SQS
    stand-in the Amazon sandbox delivers notifications to."""

    amazon_url: str
    flipkart_url: str
    sqs_url: str

    def url(self, channel: str) -> str:
        return self.amazon_url if channel == "amazon" else self.flipkart_url

    def control(self, channel: str, method: str, path: str, body: Any = None) -> Any:
        answer = httpx.request(method, f"{self.url(channel)}/_sandbox{path}", json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def stats(self, channel: str) -> Counter[str]:
        return Counter(self.control(channel, "GET", "/stats"))

    def listings(self, channel: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.control(channel, "GET", "/listings")
        return result

    def quantity(self, channel: str, sku: str) -> int | None:
        for listing in self.listings(channel):
            if listing["sku"] == sku:
                if channel == "amazon":
                    return int(listing["fulfillmentAvailability"][0]["quantity"])
                return int(listing["quantity"])
        return None

    def place_order(self, channel: str, clf_id: str, items: dict[str, int]) -> httpx.Response:
        seller, _ = demo_credentials(channel, clf_id)
        body = {"seller_id": seller, "items": [{"sku": sku, "quantity": q} for sku, q in items.items()]}
        return httpx.post(f"{self.url(channel)}/_sandbox/orders", json=body, timeout=10)

    def connector_settings(self) -> dict[str, Any]:
        return {
            "amazon_api_url": self.amazon_url,
            "amazon_auth_url": f"{self.amazon_url}/auth/o2/token",
            "flipkart_api_url": self.flipkart_url,
        }

    def notification_queue(self) -> dict[str, Any]:
        """A new queue for Amazon's notifications (with its dead-letter queue), and the connectors' settings
        that read it: what an operator configures for production, here on the stand-in."""
        client = stand_in_client(self.sqs_url, SQS_REGION)
        url = create_notification_queue(client, f"haat-notifications-{secrets.token_hex(4)}", visibility_timeout_s=5)
        return {"amazon_notification_queue_url": url, "sqs_endpoint_url": self.sqs_url, "aws_region": SQS_REGION,
                "aws_access_key_id": "test", "aws_secret_access_key": "test", "amazon_queue_wait_s": 1}  # fmt: skip


SQS_REGION = "eu-west-1"


@contextmanager
def running_sandboxes(*, quota_scale: float = 1.0, accept_delay_s: float = 0.2) -> Iterator[Sandboxes]:
    """Start the SQS stand-in and both sandboxes with `haat sandbox sqs|run` (the embedded run's own
    commands) on free ports."""
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        sqs_port = free_port()
        haat = [sys.executable, "-m", "haat.cli.main", "sandbox"]
        command = [*haat, "sqs", "--port", str(sqs_port), "--region", SQS_REGION]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # noqa: S603
        sqs_url = f"http://127.0.0.1:{sqs_port}"
        wait_for_port("127.0.0.1", sqs_port, timeout_s=30)
        for channel in ("amazon", "flipkart"):
            port = free_port()
            command = [*haat, "run", channel, "--port", str(port), "--quota-scale", str(quota_scale),
                       "--accept-delay-s", str(accept_delay_s), "--sqs-endpoint-url", sqs_url]  # fmt: skip
            processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # noqa: S603
            wait_for_port("127.0.0.1", port, timeout_s=30)
            urls.append(f"http://127.0.0.1:{port}")
        yield Sandboxes(amazon_url=urls[0], flipkart_url=urls[1], sqs_url=sqs_url)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def open_accounts(
    runtime: ServiceRuntime, sandboxes: Sandboxes, clf_id: str, notify_url: str | None = None
) -> dict[str, str]:
    """A seller account on each sandbox for `clf_id` (registered there, subscribed to notifications when a
    URL is given); returns channel → seller id."""
    sellers = {}
    box = SecretBox(runtime.settings.encryption_keys)
    settings = runtime.settings
    assert isinstance(settings, ConnectorsSettings)
    secret = settings.amazon_notification_secret.get_secret_value()  # Flipkart signs with the app secret
    for channel in ("amazon", "flipkart"):
        seller, credentials = demo_credentials(channel, clf_id)
        registration = {"seller_id": seller, **credentials} if channel == "amazon" else credentials
        sandboxes.control(channel, "PUT", f"/sellers/{seller}", registration)
        # Amazon's notifications come through the queue when one is configured: the connectors subscribe.
        if notify_url and (channel == "flipkart" or not settings.amazon_notification_queue_url):
            subscription = {"url": f"{notify_url}/{channel}", "secret": secret}
            sandboxes.control(channel, "PUT", f"/subscriptions/{seller}", subscription)
        with connectors_unit_of_work(runtime) as uow:
            accounts.create_account(
                uow, box, clf_id=clf_id, channel=channel, seller_id=seller, credentials=credentials,
                location_id=f"LOC-{clf_id}" if channel == "flipkart" else None,
            )  # fmt: skip
        sellers[channel] = seller
    return sellers


def feed_products(runtime: ServiceRuntime, events: list[Any]) -> None:
    """Apply catalog events through the connectors' own consumer handlers (as the Kafka consumer would),
    for tests and benchmarks that need many products without running the catalog."""
    handlers = {
        "haat.catalog.product.published.v1": catalog_feed.on_product_listed,
        "haat.catalog.product.updated.v1": catalog_feed.on_product_listed,
        "haat.catalog.product.retired.v1": catalog_feed.on_product_retired,
        "haat.catalog.stock.changed.v1": catalog_feed.on_stock_changed,
    }
    with connectors_unit_of_work(runtime) as uow:
        for event in events:
            handlers[event.type](uow, event)
        uow.commit()


@contextmanager
def running_connectors(
    service: Callable[..., ServiceRuntime], sandboxes: Sandboxes, clf_id: str, *, quota_scale: float, **overrides: Any
) -> Iterator[ServiceRuntime]:
    """A connectors service (from the test `service` factory) syncing `clf_id` with both sandboxes: a queue of
    its own for Amazon's notifications, HTTP served for Flipkart's, workers running, quick order polls and
    listing checks."""
    quick = {
        "order_poll_interval_s": 1.0,
        "listing_verify_after_s": 3.0,
        "lease_s": 3.0,
        "amazon_notification_secret": secrets.token_urlsafe(16),
    }
    wiring = {**sandboxes.connector_settings(), **sandboxes.notification_queue()}
    runtime = service("connectors", **wiring, quota_scale=quota_scale, **{**quick, **overrides})
    with ThreadedServer(runtime.definition.create_app(runtime)) as server:
        open_accounts(runtime, sandboxes, clf_id, notify_url=f"{server.url}/notifications")
        runtime.start_workers()
        yield runtime
