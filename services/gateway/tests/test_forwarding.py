"""The catalog's paths through the gateway: API keys in front, scoping by the catalog behind, over real
HTTP between the two."""

import io

from fastapi.testclient import TestClient
from PIL import Image

from haat.broker import free_port
from haat_gateway.service_layer.users import create_user
from haat_testkit.catalog_factories import clf_with_shgs, product_fields
from haat_testkit.http_server import ThreadedServer


def test_catalog_paths_through_the_gateway(service, tmp_path, api_key):
    catalog = service("catalog", image_root=tmp_path / "images")
    clf_with_shgs(catalog, "clf-a", "1260")
    clf_with_shgs(catalog, "clf-b", "1334")
    with ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server:
        gateway = service("gateway", catalog_url=catalog_server.url)
        with TestClient(gateway.definition.create_app(gateway)) as client:
            admin, didi_a, didi_b = (
                api_key(gateway, "admin"),
                api_key(gateway, "coordinator", "clf-a"),
                api_key(gateway, "coordinator", "clf-b"),
            )

            assert client.get("/v1/products").status_code == 401, "no key, no entry"
            created = client.post(
                "/v1/products", params={"submit": "true"}, json=product_fields(clf_id=None), headers=didi_a
            )
            assert created.status_code == 201, created.text
            assert created.json()["clf_id"] == "clf-a"
            assert created.json()["created_by"].startswith("key:")
            assert client.get("/v1/products/KHES-DOUBLE", headers=didi_b).status_code == 404
            assert (
                client.get("/v1/products", params={"q": "खेस"}, headers=admin).json()["items"][0]["sku"] == "KHES-DOUBLE"
            )
            invalid = client.post("/v1/products", json=product_fields(hsn_code="1"), headers=didi_a)
            assert invalid.status_code == 422
            assert invalid.headers["content-type"] == "application/problem+json"

            photo = io.BytesIO()
            Image.new("RGB", (80, 60)).save(photo, format="JPEG")
            uploaded = client.post(
                "/v1/products/KHES-DOUBLE/images", files={"file": ("p.jpg", photo.getvalue())}, headers=didi_a
            )
            assert uploaded.status_code == 201, uploaded.text
            image = client.get(uploaded.json()["url"], headers=didi_a)
            assert image.headers["content-type"] == "image/jpeg"
            assert Image.open(io.BytesIO(image.content)).size == (80, 60)

            template = client.get("/v1/products/import-template", headers=didi_a)
            assert template.headers["content-disposition"].endswith('.csv"')
            assert client.get("/v1/nothing-here", headers=admin).status_code == 404
            assert client.get("/v1/me", headers=admin).json()["role"] == "admin", "the gateway's own paths win"

            # A logged-in coordinator (password, not key) is scoped the same way.
            with gateway.unit_of_work() as uow:
                create_user(uow, username="didi-b", password="sikki-grass-doll", role="coordinator", clf_id="clf-b")
                uow.commit()
            token = client.post("/v1/auth/token", data={"username": "didi-b", "password": "sikki-grass-doll"})
            as_user = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert client.get("/v1/products/KHES-DOUBLE", headers=as_user).status_code == 404
            mine = client.post("/v1/products", json=product_fields(clf_id=None, sku="B-1"), headers=as_user)
            assert (mine.status_code, mine.json()["clf_id"]) == (201, "clf-b")
            assert mine.json()["created_by"].startswith("user:")


def test_an_unreachable_service_is_a_502_problem(service, api_key):
    gateway = service("gateway", catalog_url=f"http://127.0.0.1:{free_port()}")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        response = client.get("/v1/products", headers=api_key(gateway, "admin"))
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert "catalog" in response.json()["detail"]
