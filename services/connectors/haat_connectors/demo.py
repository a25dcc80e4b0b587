"""The embedded run's marketplaces: both sandboxes (and the SQS stand-in Amazon's notifications go to)
started beside the connectors service, and a seller account on each for every demo CLF (the CLFs of the
catalog's demo data). Flipkart's notifications are pushed to the connectors over HTTP; Amazon's subscriptions
are made by the connectors themselves (the sync worker), as with the real Amazon."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update

from haat.secret_box import SecretBox
from haat.service import Companion, ServiceRuntime
from haat_connectors.adapters.tables import listings, seller_accounts
from haat_connectors.adapters.unit_of_work import unit_of_work
from haat_connectors.service_layer.accounts import create_account
from haat_connectors.settings import ConnectorsSettings

log = logging.getLogger(__name__)
DEMO_CLFS = ["clf-kanti", "clf-bodhgaya", "clf-jeypore", "clf-kurhani", "clf-sherghati"]
DEMO_ENV: dict[str, str] = {}
LOCAL = ("127.0.0.1", "localhost")


def _local_port(url: str) -> int | None:
    parts = urlsplit(url)
    return parts.port if parts.hostname in LOCAL else None


def companions(settings: ConnectorsSettings) -> list[Companion]:
    """A sandbox for each marketplace the connectors are configured to reach on this machine, and the SQS
    stand-in (with the notification queue) that the Amazon sandbox delivers to, when that is local too."""
    started = []
    sqs_port = _local_port(settings.sqs_endpoint_url) if settings.sqs_endpoint_url else None
    if sqs_port is not None:
        queue = settings.amazon_notification_queue_url.rstrip("/").rsplit("/", 1)[-1]
        args = ["sandbox", "sqs", "--port", str(sqs_port), "--queue", queue, "--region", settings.aws_region]
        dashboard = f"{settings.sqs_endpoint_url.rstrip('/')}/moto-api/"
        started.append(Companion("sqs", args, dashboard, setting="HAAT_CONNECTORS_SQS_ENDPOINT_URL",
                                 state_url=f"{dashboard}   (the SQS stand-in's queues and messages)"))  # fmt: skip
    for channel, url in (("amazon", settings.amazon_api_url), ("flipkart", settings.flipkart_api_url)):
        port = _local_port(url)
        if port is None:
            continue  # a real marketplace (or a sandbox elsewhere): nothing to start here
        args = ["sandbox", "run", channel, "--port", str(port), "--quota-scale", f"{settings.quota_scale:g}",
                "--orders-per-minute", f"{settings.demo_orders_per_minute:g}"]  # fmt: skip
        if channel == "amazon" and sqs_port is not None:
            args += ["--sqs-endpoint-url", settings.sqs_endpoint_url]
        started.append(Companion(f"{channel}-sandbox", args, f"{url.rstrip('/')}/healthz",
                                 setting=f"HAAT_CONNECTORS_{channel.upper()}_API_URL"))  # fmt: skip
    return started


def demo_credentials(channel: str, clf_id: str) -> tuple[str, dict[str, str]]:
    if channel == "amazon":
        seller = "AHAAT" + clf_id.removeprefix("clf-").upper()[:9]
        return seller, {"client_id": f"amzn1.application-oa2-client.{clf_id}", "client_secret": f"secret-{clf_id}",
                        "refresh_token": f"Atzr|{clf_id}"}  # fmt: skip
    seller = f"fk-{clf_id.removeprefix('clf-')}"
    return seller, {"application_id": f"app-{clf_id}", "application_secret": f"secret-{clf_id}"}


def _sandbox_call(base_url: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(  # noqa: S310 - the configured sandbox's own URL
        f"{base_url.rstrip('/')}{path}", data=json.dumps(body).encode(), method="PUT",
        headers={"content-type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
        return json.loads(answer.read() or b"null")


def seed_demo(runtime: ServiceRuntime[ConnectorsSettings]) -> None:
    """Accounts on both sandboxes for every demo CLF; run on every `haat up`, because the sandboxes keep
    their state in memory: they learn the sellers again and get every listing again."""
    settings = runtime.settings
    box = SecretBox(settings.encryption_keys)
    urls = {"amazon": settings.amazon_api_url, "flipkart": settings.flipkart_api_url}
    callback = f"{settings.base_url}/notifications"
    secret = settings.amazon_notification_secret.get_secret_value()  # Flipkart signs with the app secret
    for clf_id in DEMO_CLFS:
        for channel, url in urls.items():
            if _local_port(url) is None:
                continue
            seller, credentials = demo_credentials(channel, clf_id)
            registration = {"seller_id": seller, **credentials} if channel == "amazon" else credentials
            try:
                _sandbox_call(url, f"/_sandbox/sellers/{seller}", registration)
                if channel == "flipkart" or not settings.amazon_notification_queue_url:  # Amazon: through SQS
                    subscription = {"url": f"{callback}/{channel}", "secret": secret}
                    _sandbox_call(url, f"/_sandbox/subscriptions/{seller}", subscription)
            except (urllib.error.URLError, OSError) as error:
                log.warning("sandbox not reachable; demo account not set up", extra={"url": url, "error": str(error)})
                continue
            with unit_of_work(runtime) as uow:
                existing = uow.session.scalar(
                    select(seller_accounts.c.id).where(
                        seller_accounts.c.clf_id == clf_id, seller_accounts.c.channel == channel
                    )
                )
                if existing is None:
                    create_account(
                        uow, box, clf_id=clf_id, channel=channel, seller_id=seller, credentials=credentials,
                        location_id=f"LOC-{clf_id}" if channel == "flipkart" else None,
                    )  # fmt: skip
                    continue
                # A fresh sandbox knows no listing: send them all again.
                uow.session.execute(
                    update(listings)
                    .where(listings.c.account_id == existing)
                    .values(pushed_version=0, content_dirty=True, status="pending", verify_at=None)
                )
                uow.commit()
