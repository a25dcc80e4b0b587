"""The catalog's product API on a real PostgreSQL database."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

PRODUCT = {
    "sku": "AAM-ACHAR-500",
    "clf_id": "clf-1",
    "title_en": "Raw mango pickle",
    "title_hi": "कच्चे आम का अचार",
    "hsn_code": "2001",
    "gst_rate_bp": 1200,
    "mrp_paise": 25000,
    "price_paise": 22000,
}


def outbox_count(runtime) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(runtime.definition.outbox_table)) or 0)


def test_submit_then_read_a_product_in_hindi(service):
    catalog = service("catalog")
    with TestClient(catalog.definition.create_app(catalog)) as client:
        created = client.post("/v1/products", json=PRODUCT)
        assert created.status_code == 201, created.text
        fetched = client.get("/v1/clfs/clf-1/products/AAM-ACHAR-500")
    assert fetched.status_code == 200
    assert fetched.json()["title_hi"] == "कच्चे आम का अचार"
    assert fetched.json()["status"] == "submitted"
    assert outbox_count(catalog) == 1


def test_bad_input_is_a_problem_and_stores_nothing(service):
    catalog = service("catalog")
    with TestClient(catalog.definition.create_app(catalog)) as client:
        invalid = client.post("/v1/products", json={**PRODUCT, "price_paise": 30000})
        malformed = client.post("/v1/products", json={**PRODUCT, "mrp_paise": "lots"})
        missing = client.get("/v1/clfs/clf-1/products/NOPE")
    assert invalid.status_code == 422
    assert invalid.headers["content-type"] == "application/problem+json"
    assert "cannot exceed MRP" in invalid.json()["detail"]
    assert malformed.status_code == 422
    assert missing.status_code == 404
    assert outbox_count(catalog) == 0


def test_duplicate_sku_in_a_clf_is_a_conflict_and_emits_nothing_more(service):
    catalog = service("catalog")
    with TestClient(catalog.definition.create_app(catalog)) as client:
        assert client.post("/v1/products", json=PRODUCT).status_code == 201
        again = client.post("/v1/products", json={**PRODUCT, "title_en": "Changed"})
        other_clf = client.post("/v1/products", json={**PRODUCT, "clf_id": "clf-2"})
    assert again.status_code == 409
    assert other_clf.status_code == 201, "SKUs are unique per CLF, not globally"
    assert outbox_count(catalog) == 2


def test_health_and_readiness(service):
    catalog = service("catalog")
    with TestClient(catalog.definition.create_app(catalog)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": True, "broker": True}
