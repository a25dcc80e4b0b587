"""Rate limits (429 with Retry-After) and Idempotency-Key on POSTs, through the real gateway app."""

import httpx
from fastapi.testclient import TestClient

from haat_testkit.catalog_factories import clf_with_shgs, product_fields
from haat_testkit.http_server import ThreadedServer


def test_a_key_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected(service, api_key):
    gateway = service(
        "gateway", rate_per_key_per_s=0.1, rate_burst_per_key=5, rate_per_ip_per_s=1000, rate_burst_per_ip=1000
    )
    busy, calm = api_key(gateway), api_key(gateway)
    with TestClient(gateway.definition.create_app(gateway)) as client:
        answers = [client.get("/v1/me", headers=busy).status_code for _ in range(8)]
        assert answers[:5] == [200] * 5
        assert answers[5:] == [429] * 3
        limited = client.get("/v1/me", headers=busy)
        assert limited.headers["content-type"] == "application/problem+json"
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/v1/me", headers=calm).status_code == 200
        assert client.get("/healthz").status_code == 200, "health checks are never limited"


def test_an_address_over_its_rate_is_limited_whatever_key_it_uses(service):
    gateway = service("gateway", rate_per_ip_per_s=0.1, rate_burst_per_ip=3)
    with TestClient(gateway.definition.create_app(gateway)) as client:
        codes = [client.get("/v1/event-types").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(service, api_key):
    catalog = service("catalog")
    clf_with_shgs(catalog, "clf-a")
    with ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server:
        gateway = service("gateway", catalog_url=catalog_server.url)
        headers = api_key(gateway, "coordinator", "clf-a")
        with TestClient(gateway.definition.create_app(gateway)) as client:
            body = product_fields(clf_id=None, sku="IDEM-1")
            once = {**headers, "Idempotency-Key": "create-idem-1"}
            first = client.post("/v1/products", json=body, headers=once)
            again = client.post("/v1/products", json=body, headers=once)
            other = client.post("/v1/products", json={**body, "title_en": "changed"}, headers=once)
            without = client.post("/v1/products", json=body, headers=headers)
            listed = client.get("/v1/products", headers=headers).json()["items"]
    assert first.status_code == 201
    assert (again.status_code, again.json(), again.headers["idempotent-replayed"]) == (201, first.json(), "true")
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert without.status_code == 409, "without the key, a second create is a real (refused) duplicate"
    assert [p["sku"] for p in listed] == ["IDEM-1"]


def test_an_oversized_request_is_refused_before_it_is_read(service, api_key):
    gateway = service("gateway", max_request_bytes=1024)
    with TestClient(gateway.definition.create_app(gateway)) as client:
        big = client.post(
            "/v1/webhooks/endpoints",
            content=b"{" + b" " * 2000 + b"}",
            headers={**api_key(gateway), "content-type": "application/json"},
        )
    assert big.status_code == 413
    assert big.headers["content-type"] == "application/problem+json"


def test_a_forwarded_for_header_cannot_choose_the_address_unless_it_comes_from_a_trusted_proxy(service):
    """A client that rotates X-Forwarded-For must still be one address; behind a configured proxy, the
    header is how the real client is known."""
    for trusted, expected_limited in (([], True), (["127.0.0.1"], False)):
        gateway = service("gateway", rate_per_ip_per_s=0.1, rate_burst_per_ip=3, trusted_proxies=trusted)
        with ThreadedServer(gateway.definition.create_app(gateway)) as server:
            codes = [
                httpx.get(f"{server.url}/v1/event-types", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(8)
            ]
        assert (429 in codes) == expected_limited, (trusted, codes)


def test_the_same_idempotency_key_with_another_query_is_another_request(service, api_key):
    catalog = service("catalog")
    clf_with_shgs(catalog, "clf-a")
    with ThreadedServer(catalog.definition.create_app(catalog)) as catalog_server:
        gateway = service("gateway", catalog_url=catalog_server.url)
        headers = {**api_key(gateway, "coordinator", "clf-a"), "Idempotency-Key": "create-q"}
        with TestClient(gateway.definition.create_app(gateway)) as client:
            body = product_fields(clf_id=None, sku="IDEM-Q")
            draft = client.post("/v1/products", json=body, headers=headers)
            submitted = client.post("/v1/products", params={"submit": "true"}, json=body, headers=headers)
    assert draft.status_code == 201
    assert submitted.status_code == 422, "not the draft's answer replayed for a request that asked to submit"
    assert submitted.json()["type"].endswith("/idempotency-key-reused")
