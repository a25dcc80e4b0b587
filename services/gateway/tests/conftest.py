from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from haat.events.connectors import MarketplaceOrderReceivedV1
from haat.events.envelope import CloudEvent, new_event
from haat.secret_box import SecretBox
from haat_connectors.service_layer.accounts import create_account
from haat_gateway.service_layer.api_keys import create_key
from haat_gateway.service_layer.event_log import record_event
from haat_orders.service_layer.intake import on_marketplace_order
from haat_testkit.catalog_factories import clf_with_shgs, product_fields
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for

SHEET = b"SKU,Title (English),Category,HSN code,GST %,MRP,Selling price\nX-1,Khes,handloom,6304,5,10,9\n"
PACKAGE = {"weight_grams": 500, "length_cm": 20, "width_cm": 15, "height_cm": 5}
SHIPMENT = {"carrier": "India Post", "tracking_id": "EE123456789IN"}


@pytest.fixture
def api_key():
    """`api_key(gateway, role, clf_id)` → the Authorization header of a new key."""

    def make(gateway, role: str = "admin", clf_id: str | None = None, **grant) -> dict[str, str]:
        """`grant`: a partner's clf_ids and event_types."""
        with gateway.unit_of_work() as uow:
            secret, _ = create_key(uow, role=role, label="test", clf_id=clf_id, **grant)
            uow.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@dataclass
class PublicApi:
    client: TestClient
    headers: dict[str, dict[str, str]]  # caller → Authorization header
    ids: dict[str, str]  # path parameter → an id of CLF A's data
    service_urls: dict[str, str]  # the services behind the gateway, reachable directly (as the gateway does)
    internal_secret: str  # signs the X-Haat-Caller token the services trust


@pytest.fixture
def public_api(service, api_key, tmp_path) -> Iterator[PublicApi]:
    """The gateway in front of a real catalog, connectors and orders, with data of CLF A behind every kind of
    path (a product, its photo and import, stock, a seller account, an open and a settled order, a webhook
    endpoint and a delivery) and a key for each kind of caller, coordinators of CLF A and of CLF B."""
    catalog = service("catalog", image_root=tmp_path / "images")
    _, shgs_of_a = clf_with_shgs(catalog, "clf-a", "1260")
    clf_with_shgs(catalog, "clf-b", "1334")
    connectors = service("connectors")
    with connectors.unit_of_work() as uow:
        create_account(uow, SecretBox(connectors.settings.encryption_keys), clf_id="clf-a", channel="amazon",
                       seller_id="A-SELLER", credentials={"client_id": "c", "client_secret": "s",
                                                          "refresh_token": "r"}, account_id="sa-a")  # fmt: skip
    with (
        ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server,
        ThreadedServer(connectors.definition.create_app(connectors)) as connectors_server,
    ):
        orders = service("orders", connectors_url=connectors_server.url)  # shipping labels come from there
        order_id = _an_order_of_clf_a(orders, "ACCESS-1")
        catalog.start_workers(consumers=False)  # the product reaches orders' snapshots: a settlement needs its SHG
        orders.start_workers(relay=False)
        with ThreadedServer(orders.definition.create_app(orders)) as orders_server:
            yield from _gateway_in_front(service, api_key, catalog_server, connectors_server, orders_server,
                                         orders, order_id, shgs_of_a[0])  # fmt: skip


def _gateway_in_front(service: Any, api_key: Any, catalog_server: Any, connectors_server: Any, orders_server: Any,
                      orders: Any, order_id: str, shg_id: str) -> Iterator[PublicApi]:  # fmt: skip
    gateway = service(
        "gateway", catalog_url=catalog_server.url, connectors_url=connectors_server.url,
        orders_url=orders_server.url, rate_per_ip_per_s=10000, rate_burst_per_ip=10000,
        webhook_allow_private=True,
    )  # fmt: skip
    headers = {
        "anonymous": {}, "admin": api_key(gateway, "admin"), "partner": api_key(gateway, "partner"),
        "coordinator_a": api_key(gateway, "coordinator", "clf-a"),
        "coordinator_b": api_key(gateway, "coordinator", "clf-b"), "fulfilment": api_key(gateway, "fulfilment"),
        "partner_a": api_key(gateway, "partner", clf_ids=["clf-a"]),
    }  # fmt: skip
    # A 500 comes back as a 500 (the tests report it with what was asked) instead of being raised.
    with TestClient(gateway.definition.create_app(gateway), raise_server_exceptions=False) as client:
        ids = _data_of_clf_a(client, gateway, orders, headers, order_id, shg_id)
        urls = {"catalog": catalog_server.url, "connectors": connectors_server.url, "orders": orders_server.url}
        yield PublicApi(client, headers, ids, urls, gateway.settings.internal_token_secret.get_secret_value())


def jpeg() -> bytes:
    photo = io.BytesIO()
    Image.new("RGB", (40, 30)).save(photo, format="JPEG")
    return photo.getvalue()


def _an_order_of_clf_a(orders: Any, marketplace_id: str) -> str:
    now = datetime.now(UTC)
    data = MarketplaceOrderReceivedV1(
        order_key=f"amazon-{marketplace_id}", channel="amazon", marketplace_order_id=marketplace_id,
        seller_account_id="sa-a", clf_id="clf-a", status="open", marketplace_status="Unshipped",
        purchased_at=now, marketplace_updated_at=now, ship_by=now + timedelta(days=1),
        shipping_address={"state": "Bihar", "city": "Patna", "postal_code": "800001"},
        items=[{"sku": "MAT-1", "quantity": 1, "unit_price_paise": 19900, "marketplace_item_id": f"{marketplace_id}-1",
                "title": "Sikki mat"}],
    )  # fmt: skip
    with orders.unit_of_work() as uow:
        on_marketplace_order(uow, new_event(data, service="connectors"))
        uow.commit()
    return f"amazon-{marketplace_id}"


def _data_of_clf_a(client: TestClient, gateway: Any, orders: Any, headers: dict[str, dict[str, str]],
                   order_id: str, shg_id: str) -> dict[str, str]:  # fmt: skip
    didi, partner, admin = headers["coordinator_a"], headers["partner_a"], headers["admin"]
    fields = product_fields(clf_id=None, sku="MAT-1", shg_ids=[shg_id])
    made = client.post("/v1/products", params={"submit": "true"}, json=fields, headers=didi)
    assert made.status_code == 201, made.text
    image = client.post("/v1/products/MAT-1/images", files={"file": ("p.jpg", jpeg())}, headers=didi)
    job = client.post("/v1/products/import", files={"file": ("p.csv", SHEET)}, headers=didi)
    shg = client.get("/v1/clfs/clf-a/shgs", headers=didi).json()[0]["id"]
    endpoint = client.post("/v1/webhooks/endpoints", headers=partner, json={
        "url": "http://127.0.0.1:9/hook", "event_types": ["haat.orders.order.created.v1"]}).json()["id"]  # fmt: skip
    with orders.engine.connect() as conn:  # the order's created event, as the gateway would consume it
        outbox = orders.definition.outbox_table
        payload = conn.scalar(select(outbox.c.payload).where(outbox.c.event_type == "haat.orders.order.created.v1"))
    event = CloudEvent.model_validate_json(payload)
    with gateway.unit_of_work() as uow:
        record_event(uow, event)  # as the gateway's consumer does: kept in the event log and fanned out
        uow.commit()
        _, spare = create_key(uow, role="partner", label="spare", clf_ids=["clf-b"])
        uow.commit()
    delivery = client.get(f"/v1/webhooks/endpoints/{endpoint}/deliveries", headers=partner).json()["items"][0]["id"]
    snapshots = orders.definition.metadata.tables["product_snapshots"]

    def snapshot() -> bool:
        with orders.engine.connect() as conn:
            return conn.scalar(select(snapshots.c.shg_id).where(snapshots.c.sku == "MAT-1")) is not None

    wait_for(snapshot, what="orders' snapshot of MAT-1")
    delivered = _an_order_of_clf_a(orders, "ACCESS-2")
    for action, body in (("accept", {}), ("pack", PACKAGE), ("ship", SHIPMENT), ("deliver", {})):
        moved = client.post(f"/v1/orders/{delivered}/{action}", json=body, headers=admin)
        assert moved.status_code == 200, moved.text
    period_end = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    drawn = client.post("/v1/settlements", json={"period_end": period_end, "clf_id": "clf-a"}, headers=admin)
    assert drawn.status_code == 201, drawn.text
    return {
        "settlement_id": drawn.json()[0]["id"], "clf_id": "clf-a", "shg_id": shg, "sku": "MAT-1",
        "action": "submit", "image_id": image.json()["id"], "import_id": job.json()["id"], "account_id": "sa-a",
        "order_id": order_id, "endpoint_id": endpoint, "delivery_id": delivery, "key_id": spare.key_id,
    }  # fmt: skip
