"""The sandboxes answer like the real APIs: checked against Amazon's own published models (vendored), and
the documented Flipkart shapes; quotas, auth and oversell refusals as a connector would meet them."""

import base64
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from haat_sandboxes import sp_api_spec
from haat_testkit.connectors import Sandboxes

SELLER = "AHAATTEST"
CREDS = {"client_id": "cid", "client_secret": "csecret", "refresh_token": "Atzr|test"}
INDIA = {"marketplaceIds": "A21TJRUUN4KGV"}


def at_once(call, count: int) -> list:
    """`count` calls sent together, as a busy client would."""
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(call, range(count)))


def amazon_token(sandboxes: Sandboxes) -> dict[str, str]:
    sandboxes.control("amazon", "PUT", f"/sellers/{SELLER}", {"seller_id": SELLER, **CREDS})
    answer = httpx.post(f"{sandboxes.amazon_url}/auth/o2/token", data={"grant_type": "refresh_token", **CREDS})
    assert answer.status_code == 200
    assert answer.json()["expires_in"] == 3600
    return {"x-amz-access-token": answer.json()["access_token"]}


def listing_body(quantity: int = 5) -> dict:
    return {
        "productType": "FOOD",
        "requirements": "LISTING",
        "attributes": {
            "item_name": [{"value": "Mango pickle", "language_tag": "en_IN"}],
            "brand": [{"value": "Kanti SHG"}],
            "condition_type": [{"value": "new_new"}],
            "supplier_declared_has_product_identifier_exemption": [{"value": True}],
            "purchasable_offer": [{"currency": "INR", "our_price": [{"schedule": [{"value_with_tax": 149.0}]}]}],
            "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
        },
    }


def test_amazon_listing_is_accepted_then_buyable_in_the_real_shapes(sandboxes):
    headers = amazon_token(sandboxes)
    url = f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/PICKLE-1"
    put = httpx.put(url, params=INDIA, json=listing_body(), headers=headers)
    assert put.status_code == 200
    assert put.json()["status"] == "ACCEPTED"
    assert sp_api_spec.problems(sp_api_spec.LISTINGS, "ListingsItemSubmissionResponse", put.json()) == []
    assert put.headers["x-amzn-RateLimit-Limit"] == "5"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        item = httpx.get(url, params=INDIA, headers=headers).json()
        if "BUYABLE" in item["summaries"][0]["status"]:
            break
        time.sleep(0.1)
    assert item["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert sp_api_spec.problems(sp_api_spec.LISTINGS, "Item", item) == []


def test_amazon_refuses_bad_requests_like_the_real_api(sandboxes):
    headers = amazon_token(sandboxes)
    url = f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/PICKLE-1"
    no_type = httpx.put(url, params=INDIA, json={"attributes": {}}, headers=headers)
    assert no_type.status_code == 400
    assert no_type.json()["errors"][0]["code"] == "InvalidInput"
    assert "productType" in no_type.json()["errors"][0]["details"]
    assert sp_api_spec.problems(sp_api_spec.LISTINGS, "ErrorList", no_type.json()) == []
    assert httpx.put(url, json=listing_body(), headers=headers).status_code == 400  # marketplaceIds missing
    missing = {**listing_body(), "attributes": {"item_name": [{"value": "x"}]}}
    invalid = httpx.put(url, params=INDIA, json=missing, headers=headers).json()
    assert invalid["status"] == "INVALID"
    assert {i["attributeNames"][0] for i in invalid["issues"]} >= {"brand", "purchasable_offer"}
    assert (
        httpx.put(url, params=INDIA, json=listing_body(), headers={"x-amz-access-token": "forged"}).status_code == 403
    )
    other_seller = f"{sandboxes.amazon_url}/listings/2021-08-01/items/SOMEONE-ELSE/PICKLE-1"
    assert httpx.put(other_seller, params=INDIA, json=listing_body(), headers=headers).status_code == 403


def test_amazon_enforces_the_published_quota_per_operation(sandboxes):
    headers = amazon_token(sandboxes)
    statuses = at_once(
        lambda n: httpx.put(
            f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/SKU-{n}",
            params=INDIA, json=listing_body(), headers=headers, timeout=10,
        ),
        20,
    )  # fmt: skip
    codes = [answer.status_code for answer in statuses]
    assert codes.count(200) >= 10  # the burst of 10 (and what refilled meanwhile at 5/s)
    assert codes.count(429) >= 4
    assert set(codes) == {200, 429}
    throttled = next(a for a in statuses if a.status_code == 429)
    assert throttled.json()["errors"][0]["code"] == "QuotaExceeded"
    assert throttled.headers["x-amzn-RateLimit-Limit"] == "5"
    # Another operation has its own bucket.
    get = httpx.get(f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/SKU-0", params=INDIA, headers=headers)
    assert get.status_code == 200


def test_amazon_orders_only_what_is_in_stock_and_lists_them_in_the_real_shape(sandboxes):
    headers = amazon_token(sandboxes)
    url = f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/PICKLE-1"
    httpx.put(url, params=INDIA, json=listing_body(quantity=1), headers=headers)
    time.sleep(0.5)
    order = {"seller_id": SELLER, "items": [{"sku": "PICKLE-1", "quantity": 1}], "state": "Odisha"}
    assert httpx.post(f"{sandboxes.amazon_url}/_sandbox/orders", json=order).status_code == 201
    refused = httpx.post(f"{sandboxes.amazon_url}/_sandbox/orders", json=order)
    assert refused.status_code == 409  # the last unit is sold: a buyer cannot order it again
    time.sleep(1.1)  # getOrders answers orders last updated at least a second ago
    listed = httpx.get(
        f"{sandboxes.amazon_url}/orders/v0/orders",
        params={"MarketplaceIds": "A21TJRUUN4KGV", "LastUpdatedAfter": "2020-01-01T00:00:00Z"},
        headers=headers,
    ).json()
    assert sp_api_spec.problems(sp_api_spec.ORDERS, "GetOrdersResponse", listed) == []
    (found,) = listed["payload"]["Orders"]
    assert found["OrderStatus"] == "Unshipped"
    assert found["ShippingAddress"]["StateOrRegion"] == "Odisha"
    items = httpx.get(
        f"{sandboxes.amazon_url}/orders/v0/orders/{found['AmazonOrderId']}/orderItems", headers=headers
    ).json()
    assert sp_api_spec.problems(sp_api_spec.ORDERS, "GetOrderItemsResponse", items) == []
    assert items["payload"]["OrderItems"][0]["ItemPrice"] == {"CurrencyCode": "INR", "Amount": "149.00"}


def flipkart_token(sandboxes: Sandboxes) -> dict[str, str]:
    sandboxes.control("flipkart", "PUT", "/sellers/fk-test", {"application_id": "app", "application_secret": "s"})
    basic = base64.b64encode(b"app:s").decode()
    answer = httpx.get(
        f"{sandboxes.flipkart_url}/oauth-service/oauth/token",
        params={"grant_type": "client_credentials", "scope": "Seller_Api"},
        headers={"authorization": f"Basic {basic}"},
    )
    assert answer.status_code == 200
    assert answer.json()["token_type"] == "bearer"
    return {"authorization": f"Bearer {answer.json()['access_token']}"}


def flipkart_listing(sku: str, inventory: int = 3) -> dict:
    return {
        "product_id": sku, "title": "Madhubani painting", "price": {"mrp": 999, "selling_price": 799},
        "tax": {"hsn": "97019900", "tax_code": "GST_12"}, "listing_status": "ACTIVE",
        "fulfillment": {"dispatch_sla": 1}, "packages": [
            {"name": "p", "dimensions": {"length": 40, "breadth": 30, "height": 2}, "weight": 0.4}
        ],
        "locations": [{"id": "LOC-1", "inventory": inventory}],
    }  # fmt: skip


def test_flipkart_listings_batches_validation_and_inventory(sandboxes):
    headers = flipkart_token(sandboxes)
    base = sandboxes.flipkart_url
    created = httpx.post(f"{base}/listings/v3", json={"ART-1": flipkart_listing("ART-1")}, headers=headers)
    assert created.json() == {"ART-1": {"status": "success", "errors": []}}
    bad = httpx.post(f"{base}/listings/v3", json={"ART-2": {"product_id": "ART-2"}}, headers=headers)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["code"] == "INVALID_REQUEST"
    eleven = {f"S-{n}": flipkart_listing(f"S-{n}") for n in range(11)}
    assert httpx.post(f"{base}/listings/v3", json=eleven, headers=headers).status_code == 400
    stock = {"ART-1": {"product_id": "ART-1", "locations": [{"id": "LOC-1", "inventory": 0}]}}
    assert httpx.post(f"{base}/listings/v3/update/inventory", json=stock, headers=headers).status_code == 200
    assert sandboxes.quantity("flipkart", "ART-1") == 0
    assert httpx.post(f"{base}/listings/v3", json={}, headers={"authorization": "Bearer forged"}).status_code == 401


def test_flipkart_limits_each_seller_and_lists_shipments(sandboxes):
    headers = flipkart_token(sandboxes)
    base = sandboxes.flipkart_url
    httpx.post(f"{base}/listings/v3", json={"ART-1": flipkart_listing("ART-1")}, headers=headers)
    order = {"seller_id": "fk-test", "items": [{"sku": "ART-1", "quantity": 2}]}
    assert httpx.post(f"{base}/_sandbox/orders", json=order).status_code == 201
    found = httpx.post(f"{base}/v3/shipments/filter", json={"filter": {"type": "preDispatch"}}, headers=headers).json()
    (shipment,) = found["shipments"]
    assert shipment["orderItems"][0]["status"] == "APPROVED"
    assert shipment["orderItems"][0]["priceComponents"]["sellingPrice"] == 799
    codes = [a.status_code for a in at_once(lambda _: httpx.get(f"{base}/listings/v3/ART-1", headers=headers), 40)]
    assert codes.count(200) >= 20  # 10/s with a burst of 20
    assert codes.count(429) >= 8
    assert set(codes) == {200, 429}


def test_amazon_delivers_notifications_onto_the_subscribed_sqs_queue_in_the_published_shape(sandboxes):
    from jsonschema import Draft7Validator

    from haat_sandboxes.sqs_queues import create_notification_queue, stand_in_client

    seller = amazon_token(sandboxes)
    client = stand_in_client(sandboxes.sqs_url, "eu-west-1")
    queue = create_notification_queue(client, "test-notifications")
    arn = client.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    notifications = f"{sandboxes.amazon_url}/notifications/v1"
    # Destinations are grantless: the seller's token is refused, the application's own token is taken.
    spec = {"name": "haat", "resourceSpecification": {"sqs": {"arn": arn}}}
    assert httpx.post(f"{notifications}/destinations", json=spec, headers=seller).status_code == 403
    grant = {"grant_type": "client_credentials", "scope": "sellingpartnerapi::notifications",
             "client_id": CREDS["client_id"], "client_secret": CREDS["client_secret"]}  # fmt: skip
    application = {
        "x-amz-access-token": httpx.post(f"{sandboxes.amazon_url}/auth/o2/token", data=grant).json()["access_token"]
    }
    missing = {"name": "haat", "resourceSpecification": {"sqs": {"arn": arn + "-nowhere"}}}
    assert httpx.post(f"{notifications}/destinations", json=missing, headers=application).status_code == 400
    made = httpx.post(f"{notifications}/destinations", json=spec, headers=application)
    assert sp_api_spec.problems(sp_api_spec.NOTIFICATIONS, "CreateDestinationResponse", made.json()) == []
    destination = made.json()["payload"]["destinationId"]
    assert httpx.post(f"{notifications}/destinations", json=spec, headers=application).status_code == 409

    subscriptions = f"{notifications}/subscriptions/ORDER_CHANGE"
    assert httpx.get(subscriptions, headers=seller).status_code == 404
    wrong_version = httpx.post(
        subscriptions, json={"payloadVersion": "2.0", "destinationId": destination}, headers=seller
    )
    assert wrong_version.status_code == 400
    subscribed = httpx.post(subscriptions, json={"payloadVersion": "1.0", "destinationId": destination}, headers=seller)
    assert sp_api_spec.problems(sp_api_spec.NOTIFICATIONS, "CreateSubscriptionResponse", subscribed.json()) == []
    assert httpx.get(subscriptions, headers=seller).json()["payload"] == subscribed.json()["payload"]

    url = f"{sandboxes.amazon_url}/listings/2021-08-01/items/{SELLER}/PICKLE-1"
    httpx.put(url, params=INDIA, json=listing_body(), headers=seller).raise_for_status()
    time.sleep(0.5)  # accepted, then buyable
    sandboxes.control("amazon", "POST", "/orders", {"seller_id": SELLER, "items": [{"sku": "PICKLE-1", "quantity": 2}]})
    messages = []
    for _ in range(10):
        messages += client.receive_message(QueueUrl=queue, WaitTimeSeconds=1, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if messages:
            break
    (message,) = messages  # the listing's status change has no subscription: it is not delivered
    body = json.loads(message["Body"])
    schema = json.loads((sp_api_spec.MODELS / "OrderChangeNotification.json").read_text())
    assert list(Draft7Validator(schema).iter_errors(body)) == []
    change = body["Payload"]["OrderChangeNotification"]
    assert (change["SellerId"], change["OrderChangeType"], change["Summary"]["OrderStatus"]) == (
        SELLER, "OrderStatusChange", "Unshipped")  # fmt: skip
    assert body["NotificationMetadata"]["SubscriptionId"] == subscribed.json()["payload"]["subscriptionId"]
