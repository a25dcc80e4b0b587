"""Only a marketplace can push a notification: unsigned, forged and unknown senders are refused alike, a
report dated in the future counts from now, and the service's own document is shown to signed callers only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from haat.identity import HEADER, Caller, issue_token
from haat.secret_box import SecretBox
from haat_connectors.adapters.marketplaces.notification_signatures import SIGNATURE_HEADERS, sign
from haat_connectors.adapters.tables import listings
from haat_connectors.service_layer.accounts import create_account

DESTINATION_SECRET = "destination-secret-of-this-test"
FLIPKART_APP_SECRET = "flipkart-app-secret"


def _status_change(event_time: str, status: list[str]) -> bytes:
    return json.dumps({
        "NotificationType": "LISTINGS_ITEM_STATUS_CHANGE", "EventTime": event_time,
        "Payload": {"SellerId": "A-SELLER", "Sku": "MAT-1", "Status": status},
    }).encode()  # fmt: skip


def _connectors(service):
    connectors = service("connectors", amazon_notification_secret=DESTINATION_SECRET)
    box = SecretBox(connectors.settings.encryption_keys)
    with connectors.unit_of_work() as uow:
        create_account(uow, box, clf_id="clf-a", channel="amazon", seller_id="A-SELLER", account_id="sa-a",
                       credentials={"client_id": "c", "client_secret": "s", "refresh_token": "r"})  # fmt: skip
        create_account(uow, box, clf_id="clf-a", channel="flipkart", seller_id="fk-a", account_id="sa-f",
                       credentials={"application_id": "app", "application_secret": FLIPKART_APP_SECRET})  # fmt: skip
        uow.listings.add("sa-a", "clf-a", "MAT-1", "amazon")
        uow.commit()
    return connectors


def _status(connectors) -> tuple[str, datetime]:
    with connectors.engine.connect() as conn:
        row = conn.execute(select(listings.c.status, listings.c.status_at).where(listings.c.sku == "MAT-1")).one()
    return row.status, row.status_at


def test_unsigned_forged_and_unknown_notifications_change_nothing(service):
    connectors = _connectors(service)
    header = SIGNATURE_HEADERS["amazon"]
    forged = _status_change("2099-01-01T00:00:00Z", ["BUYABLE", "DISCOVERABLE"])
    with TestClient(connectors.definition.create_app(connectors)) as client:
        tries = {
            "unsigned": client.post("/notifications/amazon", content=forged),
            "signed with a guess": client.post("/notifications/amazon", content=forged,
                                               headers={header: sign("haat-development-secret-change-me", forged)}),
            "signed for another body": client.post("/notifications/amazon", content=forged,
                                                   headers={header: sign(DESTINATION_SECRET, b"{}")}),
            "Flipkart's header on Amazon": client.post(
                "/notifications/amazon", content=forged, headers={"X_Authorization": sign(FLIPKART_APP_SECRET, forged)}
            ),
            "unknown seller": client.post(
                "/notifications/amazon", content=forged.replace(b"A-SELLER", b"NOBODY"),
                headers={header: sign(DESTINATION_SECRET, forged.replace(b"A-SELLER", b"NOBODY"))},
            ),
        }  # fmt: skip
    for name, answer in tries.items():
        assert answer.status_code == 401, (name, answer.text)
        assert answer.json()["type"].endswith("/unsigned-notification"), name
    assert _status(connectors)[0] == "pending"


def test_a_signed_report_from_the_future_counts_from_now_and_a_later_one_still_wins(service):
    connectors = _connectors(service)
    header = SIGNATURE_HEADERS["amazon"]
    with TestClient(connectors.definition.create_app(connectors)) as client:
        future = _status_change("2099-01-01T00:00:00Z", ["BUYABLE", "DISCOVERABLE"])
        assert client.post("/notifications/amazon", content=future,
                           headers={header: sign(DESTINATION_SECRET, future)}).status_code == 204  # fmt: skip
        status, at = _status(connectors)
        assert status == "live"
        assert at <= datetime.now(UTC), "the report is dated no later than when it came"
    with connectors.unit_of_work() as uow:  # a genuine status call a moment later says it was taken down
        from haat_connectors.adapters.marketplaces.base import ListingReport
        from haat_connectors.service_layer import listing_sync

        later = ListingReport("MAT-1", "inactive", [], datetime.now(UTC) + timedelta(seconds=1))
        assert listing_sync.apply_report(uow, "sa-a", later)
        uow.commit()
    assert _status(connectors)[0] == "inactive"


def test_flipkart_notifications_are_verified_with_the_sellers_application_secret(service):
    connectors = _connectors(service)
    body = json.dumps({"eventType": "shipment_created", "sellerId": "fk-a", "shipmentId": "S-1",
                       "attributes": {"orderId": "OD-1", "orderItems": []}}).encode()  # fmt: skip
    with TestClient(connectors.definition.create_app(connectors)) as client:
        wrong = client.post("/notifications/flipkart", content=body, headers={"X_Authorization": sign("x", body)})
        right = client.post("/notifications/flipkart", content=body,
                            headers={"X_Authorization": sign(FLIPKART_APP_SECRET, body)})  # fmt: skip
    assert wrong.status_code == 401
    assert right.status_code == 204, right.text


def test_without_a_destination_secret_no_amazon_notification_is_taken_over_http(service):
    connectors = service("connectors")  # the real Amazon delivers through SQS: no HTTP destination
    with connectors.unit_of_work() as uow:
        create_account(uow, SecretBox(connectors.settings.encryption_keys), clf_id="clf-a", channel="amazon",
                       seller_id="A-SELLER", credentials={"client_id": "c", "client_secret": "s",
                                                          "refresh_token": "r"})  # fmt: skip
    body = _status_change(datetime.now(UTC).isoformat(), ["BUYABLE"])
    with TestClient(connectors.definition.create_app(connectors)) as client:
        answer = client.post(
            "/notifications/amazon", content=body, headers={SIGNATURE_HEADERS["amazon"]: sign("", body)}
        )
    assert answer.status_code == 401


def test_the_services_document_is_for_signed_callers_only(service):
    for name in ("catalog", "orders", "connectors"):
        runtime = service(name)
        with TestClient(runtime.definition.create_app(runtime)) as client:
            assert client.get("/openapi.json").status_code == 401, name
            assert client.get("/docs").status_code in (401, 404), name
            signed = issue_token(
                Caller("gateway", "service"), runtime.settings.internal_token_secret.get_secret_value()
            )
            document = client.get("/openapi.json", headers={HEADER: signed})
            assert document.status_code == 200, name
            assert document.json()["paths"], name
