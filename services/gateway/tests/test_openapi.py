"""One OpenAPI document for the public API, and no path in it that answers without authentication."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from haat_testkit.http_server import ThreadedServer

PUBLIC = {("post", "/v1/auth/token"), ("get", "/v1/event-types"), ("get", "/healthz"), ("get", "/readyz")}


def test_the_gateway_documents_every_public_path_and_none_is_open(service):
    catalog = service("catalog")
    with ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server:
        gateway = service("gateway", catalog_url=catalog_server.url, rate_per_ip_per_s=1000, rate_burst_per_ip=1000)
        with TestClient(gateway.definition.create_app(gateway)) as client:
            document = client.get("/openapi.json").json()
            paths = document["paths"]
            expected = ["/v1/products", "/v1/products/{sku}", "/v1/stock/{sku}/receipts", "/v1/imports/{import_id}",
                        "/v1/webhooks/endpoints", "/v1/auth/token", "/v1/events/stream", "/v1/me"]  # fmt: skip
            assert [p for p in expected if p not in paths] == []
            products = paths["/v1/products"]["get"]
            assert products["security"] == [{"HTTPBearer": []}]
            assert all(p["name"].lower() != "x-haat-caller" for p in products.get("parameters", []))
            assert "ProductOut" in document["components"]["schemas"]
            assert client.get("/docs").status_code == 200

            open_ones = []
            for path, operations in paths.items():
                url = re.sub(r"\{[^}]+\}", "x", path)
                for method in operations:
                    if (method, path) in PUBLIC:
                        continue
                    answer = client.request(method.upper(), url)
                    if answer.status_code != 401:
                        open_ones.append((method, path, answer.status_code))
    assert open_ones == [], "every path but the public ones needs a key or a token"
