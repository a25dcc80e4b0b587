"""The order actions over HTTP: legal moves with their history and events, illegal ones refused with the
current state and nothing changed, and every caller limited to her own CLF or packaging house."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from haat.events.catalog import StockChangedV1
from haat.events.connectors import MarketplaceOrderReceivedV1
from haat.events.envelope import new_event
from haat_orders.service_layer.intake import on_marketplace_order
from haat_orders.service_layer.stock_feedback import on_stock_changed
from haat_testkit.callers import caller_headers

ORDER = "flipkart-OD100"


def received_order(runtime, ship_by: datetime) -> None:
    data = MarketplaceOrderReceivedV1(
        order_key=ORDER, channel="flipkart", marketplace_order_id="OD100", seller_account_id="sa-1",
        clf_id="clf-a", status="open", marketplace_status="APPROVED", purchased_at=datetime.now(UTC),
        marketplace_updated_at=datetime.now(UTC), ship_by=ship_by,
        shipping_address={"state": "Odisha", "city": "Bhubaneswar", "postal_code": "751001"},
        items=[{"sku": "DOKRA-1", "quantity": 2, "unit_price_paise": 89900, "marketplace_item_id": "OD100-1",
                "title": "Dokra horse"}],
    )  # fmt: skip
    reserved = StockChangedV1(
        sku="DOKRA-1", clf_id="clf-a", packaging_house_id="ph-a", on_hand=5, reserved=2, available=3,
        available_total=3, reason="reservation", order_id=ORDER,
    )  # fmt: skip
    with runtime.unit_of_work() as uow:
        on_marketplace_order(uow, new_event(data, service="connectors"))
        on_stock_changed(uow, new_event(reserved, service="catalog"))
        uow.commit()


def events_of(runtime) -> int:
    outbox = runtime.definition.outbox_table
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox)).scalar_one()


def test_orders_move_legally_and_illegal_moves_change_nothing(service):
    runtime = service("orders")
    received_order(runtime, ship_by=datetime.now(UTC) + timedelta(hours=2))
    staff = caller_headers(runtime.settings, "fulfilment", packaging_house_id="ph-a")
    with TestClient(runtime.definition.create_app(runtime)) as client:
        queue = client.get("/v1/orders?sla=at_risk", headers=staff).json()["items"]
        assert [o["id"] for o in queue] == [ORDER]
        assert queue[0]["packaging_house_id"] == "ph-a"
        assert client.post(f"/v1/orders/{ORDER}/accept", json={}, headers=staff).json()["state"] == "accepted"

        before = events_of(runtime)
        refused = client.post(f"/v1/orders/{ORDER}/ship", json={"carrier": "India Post", "tracking_id": "EE1"},
                              headers=staff)  # fmt: skip
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["current_state"] == "accepted"
        order = client.get(f"/v1/orders/{ORDER}", headers=staff).json()
        assert order["state"] == "accepted"
        assert [m["to_state"] for m in order["history"]] == ["created", "accepted"]
        assert events_of(runtime) == before  # nothing was emitted either

        bad = client.post(f"/v1/orders/{ORDER}/pack", json={"weight_grams": -5}, headers=staff)
        assert bad.status_code == 422
        packed = client.post(
            f"/v1/orders/{ORDER}/pack",
            json={"weight_grams": 1200, "length_cm": 30, "width_cm": 20, "height_cm": 10}, headers=staff,
        )  # fmt: skip
        assert packed.json()["package"]["weight_grams"] == 1200
        shipped = client.post(
            f"/v1/orders/{ORDER}/ship", json={"carrier": "India Post", "tracking_id": "EE123456789IN"}, headers=staff
        ).json()
        assert (shipped["state"], shipped["tracking_id"]) == ("shipped", "EE123456789IN")
        late_cancel = client.post(f"/v1/orders/{ORDER}/cancel", json={"reason": "buyer asked"}, headers=staff)
        assert late_cancel.json()["current_state"] == "shipped"
        assert [m["actor"] for m in shipped["history"]] == ["marketplace", "test-user", "test-user", "test-user"]


def test_each_caller_sees_and_moves_only_her_own_orders(service):
    runtime = service("orders")
    received_order(runtime, ship_by=datetime.now(UTC) + timedelta(days=1))
    callers = {
        "coordinator of the CLF": (caller_headers(runtime.settings, "coordinator", clf_id="clf-a"), 1, 200),
        "coordinator of another CLF": (caller_headers(runtime.settings, "coordinator", clf_id="clf-b"), 0, 404),
        "staff of the house": (caller_headers(runtime.settings, "fulfilment", packaging_house_id="ph-a"), 1, 200),
        "staff of another house": (caller_headers(runtime.settings, "fulfilment", packaging_house_id="ph-b"), 0, 404),
        "partner": (caller_headers(runtime.settings, "partner"), 0, 404),
        "admin": (caller_headers(runtime.settings, "admin"), 1, 200),
    }
    with TestClient(runtime.definition.create_app(runtime)) as client:
        for who, (headers, visible, status) in callers.items():
            assert len(client.get("/v1/orders", headers=headers).json()["items"]) == visible, who
            assert client.get(f"/v1/orders/{ORDER}", headers=headers).status_code == status, who
            cancel = client.post(f"/v1/orders/{ORDER}/cancel", json={"reason": "x"}, headers=headers)
            allowed = {"partner": (403,)}.get(who, (404,) if status == 404 else (200, 409))  # partners never may
            assert cancel.status_code in allowed, who
