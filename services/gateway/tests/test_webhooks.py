"""Webhooks end to end: real broker, PostgreSQL and HTTP receivers; every delivery verified with the
`standardwebhooks` library, as a partner would."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from pydantic import ValidationError
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from haat_catalog.service_layer import products
from haat_gateway.service_layer.api_keys import create_key
from haat_gateway.settings import GatewaySettings
from haat_testkit.catalog_factories import ADMIN, clf_with_shgs, submitted_product
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for
from services.gateway.tests.test_login import add_user, log_in
from services.gateway.tests.test_stream import record_stock_event

SUBMITTED = "haat.catalog.product.submitted.v1"
APPROVED = "haat.catalog.product.approved.v1"
PUBLISHED = "haat.catalog.product.published.v1"
FAST = {"webhook_allow_private": True, "webhook_retry_schedule_s": [0, 0.3, 0.3, 0.5, 0.5, 1, 1, 1, 1, 1],
        "webhook_poll_interval_s": 0.05}  # fmt: skip


class Receiver:
    """A partner's endpoint: records every request; can be down for a while, or slow. The down time starts
    at the first request, so that it is seen however long a busy machine takes to send that one."""

    def __init__(self, down_for_s: float = 0.0, delay_s: float = 0.0) -> None:
        self.requests: list[tuple[float, dict[str, str], bytes]] = []
        self.down_for_s = down_for_s
        self.down_until = float("inf") if down_for_s else 0.0
        self.delay_s = delay_s
        self.lock = threading.Lock()
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self.lock:
                if not self.requests and self.down_for_s:
                    self.down_until = time.monotonic() + self.down_for_s
                self.requests.append((time.monotonic(), dict(request.headers), body))
            if time.monotonic() < self.down_until:
                return Response(status_code=503)
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            return Response(status_code=204)

        self.server = ThreadedServer(app)

    def __enter__(self) -> Receiver:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    @property
    def url(self) -> str:
        return f"{self.server.url}/hook"

    def delivered_ids(self) -> list[str]:
        """webhook-ids of the requests that were answered 2xx, in order."""
        with self.lock:
            return [h["webhook-id"] for at, h, _ in self.requests if at >= self.down_until]

    def verified(self, secret: str) -> list[dict]:
        with self.lock:
            return [Webhook(secret).verify(body, headers) for _, headers, body in self.requests]


GRANTED = ["clf-1", "c"]  # the CLFs of these tests' events: what the partners were granted


@pytest.fixture
def stack(service):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    gateway = service("gateway", **FAST)
    with TestClient(gateway.definition.create_app(gateway)) as client:
        yield catalog, gateway, client


def subscribe(client, headers, url: str, types: list[str]) -> dict:
    created = client.post("/v1/webhooks/endpoints", json={"url": url, "event_types": types}, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()


def test_subscribed_events_arrive_signed_once_each(stack, api_key):
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with Receiver() as receiver:
        endpoint = subscribe(client, headers, receiver.url, [SUBMITTED])
        assert endpoint["secret"].startswith("whsec_")
        gateway.start_workers(relay=False)
        for n in range(5):
            with catalog.unit_of_work() as uow:
                submitted_product(uow, sku=f"S-{n}")
        catalog.make_relay().drain()
        wait_for(lambda: len(receiver.requests) >= 5, what="five deliveries")
        time.sleep(0.3)
        events = receiver.verified(endpoint["secret"])
    assert len(events) == 5, "each event once"
    assert {e["type"] for e in events} == {SUBMITTED}
    assert sorted(e["subject"] for e in events) == [f"S-{n}" for n in range(5)]
    assert len({h["webhook-id"] for _, h, _ in receiver.requests}) == 5
    # A delivery replayed later by someone who captured it: its signed timestamp is too old to be accepted,
    # and a fresh timestamp breaks the signature.
    _, captured, body = receiver.requests[0]
    old = {**captured, "webhook-timestamp": str(int(captured["webhook-timestamp"]) - 3600)}
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(body, old)
    replayed_now = {**captured, "webhook-timestamp": str(int(time.time()))}
    if replayed_now["webhook-timestamp"] != captured["webhook-timestamp"]:
        with pytest.raises(WebhookVerificationError):
            Webhook(endpoint["secret"]).verify(body, replayed_now)
    deliveries = client.get(f"/v1/webhooks/endpoints/{endpoint['id']}/deliveries", headers=headers).json()["items"]
    assert {d["status"] for d in deliveries} == {"delivered"}
    assert all(d["last_status_code"] == 204 and d["last_latency_ms"] is not None for d in deliveries)


def test_an_endpoint_down_for_a_while_gets_everything_in_order_with_the_same_ids(stack, api_key):
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with Receiver(down_for_s=1.5) as receiver:
        endpoint = subscribe(client, headers, receiver.url, [SUBMITTED, APPROVED, PUBLISHED])
        gateway.start_workers(relay=False)
        with catalog.unit_of_work() as uow:
            submitted_product(uow, sku="ONE")
        for action in ("approve", "publish"):
            with catalog.unit_of_work() as uow:
                products.transition(uow, ADMIN, "ONE", "clf-1", action)
        catalog.make_relay().drain()
        wait_for(lambda: len(receiver.delivered_ids()) >= 3, timeout_s=30, what="delivery after recovery")
        events = receiver.verified(endpoint["secret"])
    first_success = [e["type"] for e in events][-3:]
    assert first_success == [SUBMITTED, APPROVED, PUBLISHED], "one entity's events in their order"
    assert len(receiver.requests) > 3, "the endpoint was retried while it was down"
    ids_per_event: dict[str, set[str]] = {}
    for (_, request_headers, _), event in zip(receiver.requests, events, strict=True):
        ids_per_event.setdefault(event["id"], set()).add(request_headers["webhook-id"])
    assert len(ids_per_event) == 3
    assert all(len(ids) == 1 for ids in ids_per_event.values()), "the same webhook-id on every retry"


def test_a_slow_endpoint_does_not_hold_up_a_fast_one(stack, api_key):
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with Receiver(delay_s=1.0) as slow, Receiver() as fast:
        subscribe(client, headers, slow.url, [SUBMITTED])
        subscribe(client, headers, fast.url, [SUBMITTED])
        gateway.start_workers(relay=False)
        for n in range(8):
            with catalog.unit_of_work() as uow:
                submitted_product(uow, sku=f"P-{n}")
        catalog.make_relay().drain()
        wait_for(lambda: len(fast.requests) == 8, what="the fast endpoint to have everything")
        slow_done = len([1 for at, _, _ in slow.requests if at + 1.0 <= time.monotonic()])
        wait_for(lambda: len(slow.requests) == 8, timeout_s=30, what="the slow endpoint to catch up")
    assert slow_done < 8, "the fast endpoint finished while the slow one was still working"


def test_rotated_secret_keeps_deliveries_verifiable_with_either(stack, api_key):
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with Receiver() as receiver:
        endpoint = subscribe(client, headers, receiver.url, [SUBMITTED])
        rotated = client.post(f"/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret", headers=headers).json()
        assert rotated["secret"] != endpoint["secret"]
        gateway.start_workers(relay=False)
        with catalog.unit_of_work() as uow:
            submitted_product(uow)
        catalog.make_relay().drain()
        wait_for(lambda: receiver.requests, what="a delivery")
        assert receiver.verified(endpoint["secret"]) == receiver.verified(rotated["secret"])
        assert len(receiver.requests[0][1]["webhook-signature"].split(" ")) == 2


def test_replay_and_manual_retry(stack, api_key):
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with catalog.unit_of_work() as uow:
        submitted_product(uow, sku="EARLY")  # before the endpoint exists
    catalog.make_relay().drain()
    gateway.start_workers(relay=False)
    wait_for(lambda: gateway.consumers[0].processed >= 1, what="the gateway to record the event")
    with Receiver() as receiver:
        endpoint = subscribe(client, headers, receiver.url, [SUBMITTED])
        since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        replayed = client.post(
            f"/v1/webhooks/endpoints/{endpoint['id']}/replay", json={"since": since}, headers=headers
        )
        assert replayed.json() == {"queued": 1}
        wait_for(lambda: len(receiver.requests) == 1, what="the replayed event")
        delivery = client.get(f"/v1/webhooks/endpoints/{endpoint['id']}/deliveries", headers=headers).json()["items"][0]
        retried = client.post(f"/v1/webhooks/deliveries/{delivery['id']}/retry", headers=headers)
        assert retried.status_code == 200
        wait_for(lambda: len(receiver.requests) == 2, what="the manual retry")
    assert receiver.requests[0][1]["webhook-id"] == receiver.requests[1][1]["webhook-id"] == delivery["id"]
    assert receiver.verified(endpoint["secret"])[0]["subject"] == "EARLY"


def test_partners_manage_only_their_own_endpoints(stack, api_key):
    _, gateway, client = stack
    alice = api_key(gateway, "partner", clf_ids=GRANTED)
    bob = api_key(gateway, "partner", clf_ids=GRANTED)
    endpoint = subscribe(client, alice, "https://partner.example/hooks", [SUBMITTED])
    assert client.get(f"/v1/webhooks/endpoints/{endpoint['id']}", headers=bob).status_code == 404
    assert client.delete(f"/v1/webhooks/endpoints/{endpoint['id']}", headers=bob).status_code == 404
    assert client.get("/v1/webhooks/endpoints", headers=bob).json()["items"] == []
    mine = client.get(f"/v1/webhooks/endpoints/{endpoint['id']}", headers=alice).json()
    assert "secret" not in mine, "the secret is shown once, at creation"
    with gateway.unit_of_work() as uow:
        key, _ = create_key(uow, role="coordinator", label="didi", clf_id="clf-1")
        uow.commit()
    assert client.get("/v1/webhooks/endpoints", headers={"Authorization": f"Bearer {key}"}).status_code == 403
    unknown = client.post(
        "/v1/webhooks/endpoints", json={"url": "https://x.example/h", "event_types": ["nope"]}, headers=alice
    )
    assert unknown.status_code == 422


def test_private_destinations_are_refused_unless_the_operator_allows_them(service, api_key):
    gateway = service("gateway", webhook_allow_private=False)
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with TestClient(gateway.definition.create_app(gateway)) as client:
        # The last ones carry a loopback address inside IPv6 (compatible, NAT64, 6to4, translated) or are an
        # IANA special block that some Python versions call global.
        for url in ["http://127.0.0.1:9/h", "http://localhost/h", "http://10.1.2.3/h", "http://169.254.169.254/latest",
                    "http://[::127.0.0.1]/h", "http://[64:ff9b::127.0.0.1]/h", "http://[2002:7f00:1::1]/h",
                    "http://[::ffff:0:7f00:1]/h", "http://192.0.0.8/h", "http://[::ffff:127.0.0.1]/h"]:  # fmt: skip
            refused = client.post(
                "/v1/webhooks/endpoints", json={"url": url, "event_types": [SUBMITTED]}, headers=headers
            )
            assert refused.status_code == 422, url
            assert refused.json()["type"].endswith("/forbidden-destination")
    with pytest.raises(ValidationError, match="WEBHOOK_ALLOW_PRIVATE"):
        GatewaySettings(
            environment="production",
            internal_token_secret="real",
            encryption_keys="real-encryption-key",
            database_url="postgresql://db/gateway",
            kafka_bootstrap_servers="kafka:9092",
            webhook_allow_private=True,
        )


def test_a_redirect_is_never_followed(stack, api_key):
    """A partner's endpoint that answers 307 towards another address (a metadata service, an internal host)
    gets a failed attempt; the address it points to is never called."""
    catalog, gateway, client = stack
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    redirecting = FastAPI()
    with Receiver() as target:

        @redirecting.post("/hook")
        async def hook() -> Response:
            return Response(status_code=307, headers={"location": target.url})

        with ThreadedServer(redirecting) as server:
            endpoint = subscribe(client, headers, f"{server.url}/hook", [SUBMITTED])
            gateway.start_workers(relay=False)
            with catalog.unit_of_work() as uow:
                submitted_product(uow, sku="R-1")
            catalog.make_relay().drain()
            path = f"/v1/webhooks/endpoints/{endpoint['id']}/deliveries"
            delivery = wait_for(lambda: next(iter(client.get(path, headers=headers).json()["items"]), None),
                                what="the attempt")  # fmt: skip
            wait_for(lambda: client.get(path, headers=headers).json()["items"][0]["attempts"] >= 2, what="a retry")
            delivery = client.get(path, headers=headers).json()["items"][0]
    assert delivery["status"] != "delivered"
    assert delivery["last_status_code"] == 307
    assert delivery["last_error"] == "redirects are not followed"
    assert target.requests == []


async def test_a_name_that_resolves_to_a_private_address_at_connection_time_is_refused():
    """DNS can change between the check at registration and the connection (rebinding): the resolver every
    delivery goes through refuses a name whose addresses are all private then."""
    from haat_gateway.adapters.destinations import GuardedResolver

    guarded = GuardedResolver(allow_private=False, allowed_hosts=[])
    try:
        with pytest.raises(OSError, match="non-public"):
            await guarded.resolve("localhost", 443)
    finally:
        await guarded.close()
    allowed = GuardedResolver(allow_private=False, allowed_hosts=["localhost"])
    try:
        assert await allowed.resolve("localhost", 443)  # the operator named it
    finally:
        await allowed.close()


def test_pending_and_abandoned_deliveries_survive_a_gateway_restart(service, api_key):
    """Deliveries live in the database: a new gateway process sends what the old one queued, and what
    it had claimed but never settled (it died mid-send) once that claim expires."""
    from sqlalchemy import update

    from haat.events.catalog import StockChangedV1
    from haat.events.envelope import new_event
    from haat.service import ServiceRuntime
    from haat_gateway.adapters.tables import webhook_deliveries
    from haat_gateway.service_layer.event_log import record_event

    gateway = service("gateway", **FAST)
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with Receiver() as receiver, TestClient(gateway.definition.create_app(gateway)) as client:
        endpoint = subscribe(client, headers, receiver.url, ["haat.catalog.stock.changed.v1"])
        for sku in ("A", "B"):
            data = StockChangedV1(sku=sku, clf_id="c", packaging_house_id="p", on_hand=1, reserved=0, available=1,
                                  available_total=1, reason="receipt")  # fmt: skip
            with gateway.unit_of_work() as uow:
                record_event(uow, new_event(data, service="catalog"))
                uow.commit()
        with gateway.engine.begin() as conn:  # "A" was claimed by a process that died before sending
            conn.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.subject == "A")
                .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        restarted = ServiceRuntime(gateway.definition, gateway.settings)
        try:
            restarted.start_workers(relay=False, consumers=True)
            wait_for(lambda: len(receiver.requests) == 2, what="both deliveries after the restart")
        finally:
            restarted.stop()
        assert sorted(e["subject"] for e in receiver.verified(endpoint["secret"])) == ["A", "B"]


def test_an_endpoint_that_only_fails_is_disabled_with_a_notice(service, api_key):
    catalog = service("catalog")
    clf_with_shgs(catalog, announce=False)
    gateway = service("gateway", **{**FAST, "webhook_disable_after_s": 0.5})
    headers = api_key(gateway, "partner", clf_ids=GRANTED)
    with (
        Receiver(down_for_s=3600) as broken,
        Receiver() as monitor,
        TestClient(gateway.definition.create_app(gateway)) as client,
    ):
        failing = subscribe(client, headers, broken.url, [SUBMITTED])
        notices = subscribe(client, headers, monitor.url, ["haat.gateway.webhook_endpoint.disabled.v1"])
        gateway.start_workers()  # the relay too: the notice goes out through the gateway's outbox
        for n in range(3):
            with catalog.unit_of_work() as uow:
                submitted_product(uow, sku=f"F-{n}")
        catalog.make_relay().drain()

        def disabled() -> bool:
            return client.get(f"/v1/webhooks/endpoints/{failing['id']}", headers=headers).json()["enabled"] is False

        wait_for(disabled, timeout_s=30, interval_s=0.2, what="the failing endpoint to be disabled")
        wait_for(lambda: monitor.requests, timeout_s=30, what="the notice")
        notice = monitor.verified(notices["secret"])[0]
        assert notice["type"] == "haat.gateway.webhook_endpoint.disabled.v1"
        assert notice["data"]["endpoint_id"] == failing["id"]
        endpoint = client.get(f"/v1/webhooks/endpoints/{failing['id']}", headers=headers).json()
        assert "failed since" in endpoint["disabled_reason"]
        reenabled = client.patch(f"/v1/webhooks/endpoints/{failing['id']}", json={"enabled": True}, headers=headers)
        assert (reenabled.json()["enabled"], reenabled.json()["disabled_reason"]) == (True, None)


def test_webhook_secrets_are_stored_encrypted_and_resealed_after_a_key_change(service, api_key):
    from sqlalchemy import select

    from haat.secret_box import SecretBox, UnreadableSecret
    from haat_gateway.adapters.tables import webhook_endpoints
    from haat_gateway.service_layer.webhooks import reseal_secrets

    gateway = service("gateway", webhook_allow_private=True, encryption_keys="old-key")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        created = client.post(
            "/v1/webhooks/endpoints", json={"url": "http://127.0.0.1:9/hook", "event_types": [SUBMITTED]},
            headers=api_key(gateway, "partner", clf_ids=GRANTED),
        ).json()  # fmt: skip
    with gateway.engine.connect() as conn:
        stored = conn.execute(select(webhook_endpoints.c.secret)).scalar_one()
    assert created["secret"] not in stored
    with gateway.unit_of_work() as uow:
        assert reseal_secrets(uow, SecretBox("new-key,old-key")) == 1
    with gateway.engine.connect() as conn:
        resealed = conn.execute(select(webhook_endpoints.c.secret)).scalar_one()
    assert SecretBox("new-key").open_text(resealed) == created["secret"]
    with pytest.raises(UnreadableSecret):
        SecretBox("old-key").open_text(resealed)


def test_a_partner_s_endpoint_receives_only_what_its_grant_covers(service, api_key):
    gateway = service("gateway", **FAST)
    with Receiver() as receiver, TestClient(gateway.definition.create_app(gateway)) as client:
        only_b = api_key(gateway, "partner", clf_ids=["clf-b"], event_types=["haat.catalog.stock.changed.v1"])
        endpoint = subscribe(client, only_b, receiver.url, ["haat.catalog.stock.changed.v1"])
        refused = client.post("/v1/webhooks/endpoints", headers=only_b, json={
            "url": receiver.url, "event_types": ["haat.orders.order.created.v1"]})  # fmt: skip
        assert refused.status_code == 403, "an event type outside its grant cannot be subscribed to"
        for clf in ("clf-a", "clf-b", "clf-a"):
            record_stock_event(gateway, clf, f"{clf}-SKU")
        gateway.start_workers(relay=False)  # the delivery job
        wait_for(lambda: len(receiver.requests) >= 1, timeout_s=20, what="the delivery of clf-b's event")
        time.sleep(1)  # the others would have come by now
        delivered = [json.loads(body) for body in (r[2] for r in receiver.requests)]
    assert [event["data"]["clf_id"] for event in delivered] == ["clf-b"]
    assert endpoint["owner"]["clf_ids"] == ["clf-b"]


def test_a_logged_in_admin_manages_an_endpoint_of_her_own(service):
    gateway = service("gateway", **FAST)
    add_user(gateway, "chief", role="admin")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        admin = {"Authorization": f"Bearer {log_in(client, 'chief').json()['access_token']}"}
        made = subscribe(client, admin, "http://127.0.0.1:9/h", ["haat.catalog.stock.changed.v1"])
        listed = client.get("/v1/webhooks/endpoints", headers=admin).json()["items"]
    assert made["owner"]["role"] == "admin"
    assert made["owner"]["id"].startswith("user:")
    assert [e["id"] for e in listed] == [made["id"]]
