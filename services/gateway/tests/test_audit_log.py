"""The audit log: every change through the gateway is kept with who made it, secrets masked, readable by
admins only, and the database refuses to change or delete what it holds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from haat_gateway.adapters.tables import audit_log
from haat_testkit.catalog_factories import clf_with_shgs, product_fields
from haat_testkit.http_server import ThreadedServer


def test_changes_are_audited_with_who_and_what_and_never_rewritten(service, api_key, tmp_path):
    catalog = service("catalog", image_root=tmp_path / "images")
    clf_with_shgs(catalog, "clf-a", "1260")
    with ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server:
        gateway = service("gateway", catalog_url=catalog_server.url, webhook_allow_private=True)
        admin, didi = api_key(gateway, "admin"), api_key(gateway, "coordinator", "clf-a")
        with TestClient(gateway.definition.create_app(gateway)) as client:
            me = client.get("/v1/me", headers=didi).json()
            assert client.post("/v1/products", json=product_fields(clf_id=None, sku="AUD-1"), headers=didi).is_success
            assert client.patch("/v1/products/AUD-1", json={"price_paise": 12300}, headers=didi).is_success
            refused = client.patch("/v1/products/AUD-1", json={"price_paise": -1}, headers=didi)
            assert refused.status_code == 422  # not a change: not audited
            receipt = {"packaging_house_id": "ph-clf-a", "quantity": 4, "reason": "haat"}
            received = client.post("/v1/stock/AUD-1/receipts", headers=didi, json=receipt)
            assert received.is_success, received.text
            subscription = {"url": "http://127.0.0.1:9/hook", "event_types": ["haat.orders.order.created.v1"]}
            endpoint = client.post("/v1/webhooks/endpoints", headers=admin, json=subscription)
            rotated = client.post(f"/v1/webhooks/endpoints/{endpoint.json()['id']}/rotate-secret", headers=admin)

            assert client.get("/v1/audit-log", headers=didi).status_code == 403
            log = client.get("/v1/audit-log", headers=admin).json()["items"]
            mine = client.get("/v1/audit-log", params={"actor": f"key:{me['key_id']}"}, headers=admin).json()["items"]
            product = client.get("/v1/audit-log", params={"target": "/v1/products/AUD-1"}, headers=admin).json()

    assert [(e["action"], e["target"]) for e in mine] == [
        ("POST", "/v1/stock/AUD-1/receipts"), ("PATCH", "/v1/products/AUD-1"), ("POST", "/v1/products"),
    ]  # fmt: skip
    assert mine[1]["changes"] == {"price_paise": 12300}
    assert mine[1]["role"] == "coordinator"
    assert mine[1]["clf_id"] == "clf-a"
    assert mine[0]["changes"]["quantity"] == 4
    assert [e["target"] for e in product["items"]] == ["/v1/products/AUD-1"]
    assert log[0]["target"].endswith("/rotate-secret")
    assert log[1]["target"].startswith("/v1/webhooks/endpoints/")
    assert endpoint.json()["secret"] not in str(log)
    assert rotated.json()["secret"] not in str(log)

    with gateway.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(update(audit_log).values(actor="someone else"))
    with gateway.engine.begin() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(delete(audit_log))
    with gateway.engine.connect() as conn:
        assert conn.scalar(text("SELECT COUNT(*) FROM audit_log")) == 5


def test_masking_keeps_field_names_and_hides_secrets():
    from haat_gateway.service_layer.audit import changes_of

    body = b'{"credentials": {"client_secret": "s3"}, "refresh_token": "r", "nested": [{"password": "p"}], "a": 1}'
    assert changes_of("application/json", body) == {
        "credentials": "***", "refresh_token": "***", "nested": [{"password": "***"}], "a": 1,
    }  # fmt: skip
    assert changes_of("multipart/form-data; boundary=x", b"0123") == {
        "upload_bytes": 4,
        "content_type": "multipart/form-data",
    }
