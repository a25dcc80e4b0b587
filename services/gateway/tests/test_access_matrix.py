"""Who may do what, through the gateway: every role against one CLF's data and the gateway's own paths.

Rows are (method, path) with one expected status per caller; a coordinator of another CLF is answered
404 (her data is not there), a role that may never do a thing 403, an anonymous caller 401.
"""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from haat.secret_box import SecretBox
from haat_connectors.service_layer.accounts import create_account
from haat_testkit.catalog_factories import clf_with_shgs, product_fields
from haat_testkit.http_server import ThreadedServer

CALLERS = ("anonymous", "admin", "partner", "coordinator_a", "coordinator_b", "fulfilment")
# fmt: off
MATRIX = [
    # method, path,                               anon admin partner coord_a coord_b fulfil
    ("GET",  "/v1/me",                             401, 200, 200, 200, 200, 200),
    ("GET",  "/v1/event-types",                    200, 200, 200, 200, 200, 200),
    ("GET",  "/v1/events",                         401, 200, 200, 200, 200, 200),  # each sees what she may
    ("GET",  "/v1/webhooks/endpoints",             401, 200, 200, 403, 403, 403),
    ("GET",  "/v1/clfs/clf-a",                     401, 200, 404, 200, 404, 404),
    ("GET",  "/v1/clfs/clf-a/shgs",                401, 200, 404, 200, 404, 404),
    ("POST", "/v1/clfs",                           401, 422, 403, 403, 403, 403),
    ("POST", "/v1/packaging-houses",               401, 422, 403, 403, 403, 403),
    ("GET",  "/v1/products/MAT-1",                 401, 200, 404, 200, 404, 404),
    ("PATCH", "/v1/products/MAT-1",                401, 200, 403, 200, 404, 404),  # a partner changes nothing
    ("POST", "/v1/products/MAT-1/approve",         401, 409, 403, 403, 404, 404),
    ("GET",  "/v1/products/MAT-1/listings",        401, 200, 404, 200, 404, 404),
    ("GET",  "/v1/products/MAT-1/images",          401, 200, 404, 200, 404, 404),
    ("GET",  "/v1/images/{image}",                 401, 200, 404, 200, 404, 404),
    ("GET",  "/v1/stock/MAT-1",                    401, 200, 404, 200, 404, 404),
    ("POST", "/v1/stock/MAT-1/receipts",           401, 200, 403, 200, 404, 404),
    ("GET",  "/v1/imports/{import}",               401, 200, 404, 200, 404, 404),
    ("GET",  "/v1/seller-accounts",                401, 200, 200, 200, 200, 200),
    ("GET",  "/v1/seller-accounts/sa-a",           401, 200, 404, 200, 404, 404),
    ("PATCH", "/v1/seller-accounts/sa-a",          401, 200, 403, 403, 403, 403),
    ("POST", "/v1/seller-accounts",                401, 422, 403, 403, 403, 403),
    ("GET",  "/v1/listings?clf_id=clf-a",          401, 200, 200, 200, 200, 200),
]
# fmt: on


def test_every_role_gets_exactly_what_it_should(service, api_key, tmp_path):
    catalog = service("catalog", image_root=tmp_path / "images")
    clf_with_shgs(catalog, "clf-a", "1260")
    clf_with_shgs(catalog, "clf-b", "1334")
    connectors = service("connectors")
    with connectors.unit_of_work() as uow:
        credentials = {"client_id": "c", "client_secret": "s", "refresh_token": "r"}
        create_account(
            uow, SecretBox(connectors.settings.encryption_keys), clf_id="clf-a", channel="amazon",
            seller_id="A-SELLER", credentials=credentials, account_id="sa-a",
        )  # fmt: skip
    with (
        ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server,
        ThreadedServer(connectors.definition.create_app(connectors)) as connectors_server,
    ):
        gateway = service(
            "gateway", catalog_url=catalog_server.url, connectors_url=connectors_server.url,
            rate_per_ip_per_s=1000, rate_burst_per_ip=1000,
        )  # fmt: skip
        headers = {
            "anonymous": {},
            "admin": api_key(gateway, "admin"),
            "partner": api_key(gateway, "partner"),
            "coordinator_a": api_key(gateway, "coordinator", "clf-a"),
            "coordinator_b": api_key(gateway, "coordinator", "clf-b"),
            "fulfilment": api_key(gateway, "fulfilment"),
        }
        with TestClient(gateway.definition.create_app(gateway)) as client:
            didi = headers["coordinator_a"]
            made = client.post("/v1/products", json=product_fields(clf_id=None, sku="MAT-1"), headers=didi)
            assert made.status_code == 201, made.text
            photo = io.BytesIO()
            Image.new("RGB", (40, 30)).save(photo, format="JPEG")
            image = client.post("/v1/products/MAT-1/images", files={"file": ("p.jpg", photo.getvalue())}, headers=didi)
            sheet = b"SKU,Title (English),Category,HSN code,GST %,MRP,Selling price\nX-1,Khes,handloom,6304,5,10,9\n"
            job = client.post("/v1/products/import", files={"file": ("p.csv", sheet)}, headers=didi)
            ids = {"{image}": image.json()["id"], "{import}": job.json()["id"]}
            bodies = {
                "PATCH /v1/products/MAT-1": {"title_hi": "खेस"},
                "POST /v1/stock/MAT-1/receipts": {"packaging_house_id": "ph-clf-a", "quantity": 1},
                "POST /v1/clfs": {},
                "POST /v1/packaging-houses": {},
                "POST /v1/seller-accounts": {},
                "PATCH /v1/seller-accounts/sa-a": {"enabled": True},
            }
            wrong = []
            for method, path, *expected in MATRIX:
                url = path
                for placeholder, value in ids.items():
                    url = url.replace(placeholder, value)
                body = bodies.get(f"{method} {path}")
                for caller, status in zip(CALLERS, expected, strict=True):
                    answer = client.request(method, url, headers=headers[caller], json=body)
                    if answer.status_code != status:
                        wrong.append((caller, method, path, status, answer.status_code))
                    assert "secret" not in answer.text or "seller-accounts" not in path  # credentials never shown
    assert not wrong, "(caller, method, path, expected, got):\n" + "\n".join(map(str, wrong))
