"""Who may use each operation of the public API, for every operation the gateway's OpenAPI document lists:
a new operation without a rule here fails the test, so none escapes the check.

Each rule names the callers that are let in; everyone else must be refused (401 without credentials,
403 for a role that may never, 404 for data outside the caller's scope). Requests go to real data of
CLF A (a product, its image and import, stock, a seller account, an order, a webhook endpoint and one of
its deliveries), so a caller who is let in gets neither 401, 403 nor 404.
"""

from __future__ import annotations

from haat_testkit.catalog_factories import product_fields
from services.gateway.tests.conftest import PACKAGE, SHEET, SHIPMENT, jpeg

CALLERS = ("anonymous", "admin", "partner", "partner_a", "coordinator_a", "coordinator_b", "fulfilment")
EVERYONE, SIGNED_IN, ADMIN = "anonymous admin partner partner_a coordinator_a coordinator_b fulfilment", "*", "admin"
# partner_a was granted CLF A: it reads CLF A's data and changes none; "partner" was granted nothing yet.
OWN_CLF = "admin coordinator_a"  # changing CLF A's data
READ_OWN_CLF = "admin coordinator_a partner_a"  # reading it
STAFF_OWN_CLF = "admin coordinator_a"  # the fulfilment key has no packaging house: it sees no order
READ_ORDERS = "admin coordinator_a partner_a"
PARTNER_ADMIN = "admin partner_a"  # the endpoint of CLF A's data is partner_a's own
COORDINATORS = "admin coordinator_a coordinator_b"  # each in her own CLF
REFUSED = {401, 403, 404}
# Lists answer everyone who may list, each with what she may see: there the rule names who sees CLF A's item
# (found by this marker in the answer) and everyone else must not see it.

# (method, path) → who is let in. "*" is every signed-in caller.
# fmt: off
ACCESS = {
    ("GET", "/healthz"): EVERYONE, ("GET", "/readyz"): EVERYONE, ("GET", "/v1/event-types"): EVERYONE,
    ("GET", "/v1/me"): SIGNED_IN,
    ("GET", "/v1/events"): READ_OWN_CLF, ("GET", "/v1/audit-log"): ADMIN,
    ("GET", "/v1/api-keys"): ADMIN, ("POST", "/v1/api-keys"): ADMIN, ("PUT", "/v1/api-keys/{key_id}/grant"): ADMIN,
    ("POST", "/v1/api-keys/{key_id}/revoke"): ADMIN,
    ("GET", "/v1/webhooks/endpoints"): PARTNER_ADMIN, ("POST", "/v1/webhooks/endpoints"): "admin partner partner_a",
    ("GET", "/v1/webhooks/endpoints/{endpoint_id}"): PARTNER_ADMIN,
    ("PATCH", "/v1/webhooks/endpoints/{endpoint_id}"): PARTNER_ADMIN,
    ("DELETE", "/v1/webhooks/endpoints/{endpoint_id}"): PARTNER_ADMIN,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/rotate-secret"): PARTNER_ADMIN,
    ("GET", "/v1/webhooks/endpoints/{endpoint_id}/deliveries"): PARTNER_ADMIN,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/replay"): PARTNER_ADMIN,
    ("POST", "/v1/webhooks/deliveries/{delivery_id}/retry"): PARTNER_ADMIN,
    ("GET", "/v1/geo-units"): SIGNED_IN, ("POST", "/v1/geo-units"): ADMIN,
    ("GET", "/v1/clfs"): SIGNED_IN, ("POST", "/v1/clfs"): ADMIN,
    ("GET", "/v1/clfs/{clf_id}"): READ_OWN_CLF, ("PATCH", "/v1/clfs/{clf_id}"): ADMIN,
    ("GET", "/v1/clfs/{clf_id}/shgs"): READ_OWN_CLF,
    ("POST", "/v1/clfs/{clf_id}/shgs"): OWN_CLF,
    ("GET", "/v1/shgs/{shg_id}"): READ_OWN_CLF, ("GET", "/v1/shgs/{shg_id}/members"): READ_OWN_CLF,
    ("POST", "/v1/shgs/{shg_id}/members"): OWN_CLF,
    ("GET", "/v1/packaging-houses"): SIGNED_IN, ("POST", "/v1/packaging-houses"): ADMIN,
    ("GET", "/v1/categories"): SIGNED_IN,
    ("GET", "/v1/products/import-template"): SIGNED_IN,
    ("POST", "/v1/products/import"): COORDINATORS, ("GET", "/v1/imports/{import_id}"): READ_OWN_CLF,
    ("GET", "/v1/imports/{import_id}/errors.csv"): READ_OWN_CLF,
    ("POST", "/v1/imports/{import_id}/confirm"): OWN_CLF, ("POST", "/v1/imports/{import_id}/discard"): OWN_CLF,
    ("POST", "/v1/products/{sku}/images"): OWN_CLF, ("GET", "/v1/products/{sku}/images"): READ_OWN_CLF,
    ("DELETE", "/v1/products/{sku}/images/{image_id}"): OWN_CLF,
    ("GET", "/v1/images/{image_id}"): READ_OWN_CLF, ("GET", "/v1/images/{image_id}/thumbnail"): READ_OWN_CLF,
    ("POST", "/v1/products"): COORDINATORS, ("GET", "/v1/products"): READ_OWN_CLF,
    ("GET", "/v1/products/{sku}"): READ_OWN_CLF, ("PATCH", "/v1/products/{sku}"): OWN_CLF,
    ("POST", "/v1/products/{sku}/reject"): ADMIN, ("POST", "/v1/products/{sku}/{action}"): OWN_CLF,
    ("GET", "/v1/products/{sku}/listings"): READ_OWN_CLF,
    ("GET", "/v1/stock/{sku}"): READ_OWN_CLF, ("POST", "/v1/stock/{sku}/receipts"): OWN_CLF,
    ("POST", "/v1/stock/{sku}/adjustments"): OWN_CLF,
    ("GET", "/v1/seller-accounts"): READ_OWN_CLF, ("POST", "/v1/seller-accounts"): ADMIN,
    ("GET", "/v1/seller-accounts/{account_id}"): READ_OWN_CLF, ("PATCH", "/v1/seller-accounts/{account_id}"): ADMIN,
    ("POST", "/v1/seller-accounts/{account_id}/resync"): ADMIN,
    ("GET", "/v1/seller-accounts/{account_id}/sync"): READ_OWN_CLF,
    ("GET", "/v1/listings/summary"): SIGNED_IN, ("GET", "/v1/listings"): SIGNED_IN,
    ("GET", "/v1/orders"): READ_ORDERS, ("GET", "/v1/orders/{order_id}"): READ_ORDERS,
    ("POST", "/v1/orders/{order_id}/accept"): STAFF_OWN_CLF, ("POST", "/v1/orders/{order_id}/pack"): STAFF_OWN_CLF,
    ("POST", "/v1/orders/{order_id}/ship"): STAFF_OWN_CLF, ("POST", "/v1/orders/{order_id}/deliver"): STAFF_OWN_CLF,
    ("POST", "/v1/orders/{order_id}/cancel"): STAFF_OWN_CLF, ("POST", "/v1/orders/{order_id}/return"): STAFF_OWN_CLF,
    ("GET", "/v1/orders/{order_id}/invoice"): STAFF_OWN_CLF,
    ("GET", "/v1/orders/{order_id}/credit-note"): STAFF_OWN_CLF,
    ("GET", "/v1/orders/{order_id}/packing-slip"): STAFF_OWN_CLF,
    ("POST", "/v1/settlements"): OWN_CLF, ("GET", "/v1/settlements"): READ_OWN_CLF,
    ("GET", "/v1/settlements/bank-file.csv"): OWN_CLF, ("GET", "/v1/settlements/{settlement_id}"): READ_OWN_CLF,
    ("GET", "/v1/settlements/estimate"): SIGNED_IN,
    ("POST", "/v1/settlements/{settlement_id}/paid"): ADMIN,
    ("POST", "/v1/picklists"): STAFF_OWN_CLF, ("GET", "/v1/reports/sales"): READ_OWN_CLF,
}
# fmt: on
# Covered by tests of their own: logging in (test_login), the event stream, which stays open (test_stream),
# and shipping labels, which need the marketplace that makes them (tests/test_order_pipeline).
ELSEWHERE = {
    ("POST", "/v1/auth/token"),
    ("POST", "/v1/auth/logout"),
    ("GET", "/v1/events/stream"),
    ("GET", "/v1/orders/{order_id}/label"),
}  # fmt: skip
# Ending things: every refused caller is tried first, then the last one let in (the first would leave nothing).
ENDING = {("DELETE", "/v1/products/{sku}/images/{image_id}"), ("DELETE", "/v1/webhooks/endpoints/{endpoint_id}"),
          ("POST", "/v1/api-keys/{key_id}/revoke")}  # fmt: skip


def test_every_operation_lets_in_exactly_who_its_rule_names(public_api):
    client, headers, ids = public_api.client, public_api.headers, public_api.ids
    operations = {(m.upper(), p) for p, ops in client.get("/openapi.json").json()["paths"].items() for m in ops}
    unruled = sorted(operations - set(ACCESS) - ELSEWHERE)
    assert not unruled, f"operations without an access rule in this test: {unruled}"
    wrong = []
    for (method, path), rule in sorted(ACCESS.items(), key=lambda item: item[0] in ENDING):
        let_in = set(CALLERS) - {"anonymous"} if rule == SIGNED_IN else set(rule.split())
        callers = list(CALLERS)
        if (method, path) in ENDING:
            callers = [c for c in callers if c not in let_in] + [c for c in callers if c in let_in][-1:]
        url = path.format(**ids)
        marker = MARKERS.get((method, path), "").format(**ids)
        for caller in callers:
            answer = _call(client, method, url, headers[caller], (method, path), ids)
            seen = answer.status_code not in REFUSED and (not marker or marker in answer.text)
            if seen != (caller in let_in):
                wrong.append((method, path, caller, "let in" if caller in let_in else "refused",
                              answer.status_code, answer.text[:120]))  # fmt: skip
    assert not wrong, "(method, path, caller, should be, got):\n" + "\n".join(map(str, wrong))


def _call(client, method: str, url: str, headers: dict[str, str], operation: tuple[str, str], url_ids: dict[str, str]):
    if operation in FILES:
        return client.request(method, url, headers=headers, files={"file": FILES[operation]})
    body = BODIES.get(operation, {} if method != "GET" else None)
    if operation == ("POST", "/v1/picklists"):
        body = {"order_ids": [url_ids["order_id"]]}
    return client.request(method, url, headers=headers, json=body)


# A valid request for every operation that takes one: a refusal must not hide behind a 422.
BODIES = {
    ("POST", "/v1/webhooks/endpoints"): {
        "url": "http://127.0.0.1:9/other",
        "event_types": ["haat.orders.order.created.v1"],
    },
    ("PATCH", "/v1/webhooks/endpoints/{endpoint_id}"): {"description": "renamed"},
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/replay"): {"since": "2026-11-01T00:00:00Z"},
    ("POST", "/v1/geo-units"): {},
    ("POST", "/v1/clfs"): {},
    ("PATCH", "/v1/clfs/{clf_id}"): {"address": "Block office"},
    ("POST", "/v1/packaging-houses"): {},
    ("POST", "/v1/clfs/{clf_id}/shgs"): {"name": "Durga SHG"},
    ("POST", "/v1/shgs/{shg_id}/members"): {"name": "Sunita Devi"},
    ("POST", "/v1/products"): product_fields(clf_id=None, sku="MAT-2"),
    ("PATCH", "/v1/products/{sku}"): {"title_hi": "खेस"},
    ("POST", "/v1/products/{sku}/reject"): {"reason": "blurred photo"},
    ("POST", "/v1/stock/{sku}/receipts"): {"packaging_house_id": "ph-clf-a", "quantity": 1},
    ("POST", "/v1/stock/{sku}/adjustments"): {"packaging_house_id": "ph-clf-a", "delta": 1, "reason": "found"},
    ("POST", "/v1/seller-accounts"): {},
    ("PATCH", "/v1/seller-accounts/{account_id}"): {"enabled": True},
    ("POST", "/v1/orders/{order_id}/pack"): PACKAGE,
    ("POST", "/v1/orders/{order_id}/ship"): SHIPMENT,
    ("POST", "/v1/orders/{order_id}/cancel"): {"reason": "buyer asked"},
    ("POST", "/v1/orders/{order_id}/return"): {"restocked": True},
    ("POST", "/v1/settlements"): {"period_end": "2026-11-01T00:00:00+05:30", "clf_id": "clf-a"},
    ("POST", "/v1/settlements/{settlement_id}/paid"): {"reference": "UTR0001"},
    ("POST", "/v1/api-keys"): {"role": "partner", "label": "bank", "clf_ids": ["clf-a"]},
    ("PUT", "/v1/api-keys/{key_id}/grant"): {"clf_ids": ["clf-b"], "event_types": None},
}
FILES = {
    ("POST", "/v1/products/import"): ("p.csv", SHEET),
    ("POST", "/v1/products/{sku}/images"): ("p.jpg", jpeg()),
}
MARKERS = {
    ("GET", "/v1/events"): "{order_id}",
    ("GET", "/v1/webhooks/endpoints"): "{endpoint_id}",
    ("GET", "/v1/reports/sales"): "clf-a-shg",  # the group of CLF A's SHG
    ("GET", "/v1/products"): "MAT-1",
    ("GET", "/v1/seller-accounts"): "{account_id}",
    ("GET", "/v1/orders"): "{order_id}",
    ("GET", "/v1/settlements"): "{settlement_id}",
    ("GET", "/v1/settlements/bank-file.csv"): "{settlement_id}",
}
