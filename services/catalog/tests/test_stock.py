"""The stock ledger on PostgreSQL: receipts and adjustments over the API, reservations driven by order
events (all or nothing, never below zero, exactly one winner for the last unit), releases and returns."""

import threading
import uuid

from sqlalchemy import select

from haat.events import orders as order_events
from haat.events.envelope import new_event
from haat_catalog.service_layer import stock
from haat_testkit.catalog_factories import published_product


def stock_events(runtime) -> list[dict]:
    import json

    outbox = runtime.definition.outbox_table
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.topic == "haat.catalog.stock")
            .order_by(outbox.c.seq)
        )
        return [{"type": r.event_type, **json.loads(r.payload)["data"]} for r in rows]


def order_event(model, order_id: str, lines: dict[str, int], **extra):
    items = [order_events.OrderLine(sku=sku, quantity=q) for sku, q in lines.items()]
    return new_event(model(order_id=order_id, clf_id="clf-a", channel="amazon", items=items, **extra), service="orders")


def apply(runtime, handler, event) -> None:
    with runtime.unit_of_work() as uow:
        handler(uow, event)
        uow.commit()


def test_receipts_and_adjustments_over_the_api(api, catalog):
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    received = didi.post("/v1/stock/KHES-DOUBLE/receipts", json={"packaging_house_id": "ph-clf-a", "quantity": 12})
    assert received.status_code == 200, received.text
    assert received.json()["houses"] == [
        {"packaging_house_id": "ph-clf-a", "on_hand": 12, "reserved": 0, "available": 12}
    ]
    adjusted = didi.post(
        "/v1/stock/KHES-DOUBLE/adjustments",
        json={"packaging_house_id": "ph-clf-a", "delta": -2, "reason": "बारिश में ख़राब"},
    )
    assert adjusted.json()["available_total"] == 10
    no_reason = didi.post("/v1/stock/KHES-DOUBLE/adjustments", json={"packaging_house_id": "ph-clf-a", "delta": -1})
    assert no_reason.status_code == 422
    too_many = didi.post(
        "/v1/stock/KHES-DOUBLE/adjustments", json={"packaging_house_id": "ph-clf-a", "delta": -11, "reason": "lost"}
    )
    assert too_many.status_code == 409
    assert api.as_("coordinator", "clf-b").get("/v1/stock/KHES-DOUBLE").status_code == 404
    assert [e["available"] for e in stock_events(catalog)] == [12, 10]
    assert {e["sku"] for e in stock_events(catalog)} == {"KHES-DOUBLE"}


def test_a_retried_receipt_moves_the_stock_once(api, catalog):
    """The answer to a receipt was lost (the catalog stopped after its commit, say) and the phone sends it
    again with the same Idempotency-Key: the stock moves once. Another key moves it again."""
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    body = {"packaging_house_id": "ph-clf-a", "quantity": 5}
    once = {"Idempotency-Key": "receipt-1"}
    first = didi.post("/v1/stock/KHES-DOUBLE/receipts", json=body, headers=once)
    again = didi.post("/v1/stock/KHES-DOUBLE/receipts", json=body, headers=once)
    assert first.status_code == again.status_code == 200
    assert again.json()["available_total"] == 5
    other = didi.post("/v1/stock/KHES-DOUBLE/receipts", json=body, headers={"Idempotency-Key": "receipt-2"})
    assert other.json()["available_total"] == 10
    assert [e["available"] for e in stock_events(catalog)] == [5, 10]
    # The same key for another change is refused, not answered as if that change had been made.
    published_product(catalog, clf_id="clf-a", sku="OTHER")
    reuses = [("/v1/stock/OTHER/receipts", body), ("/v1/stock/KHES-DOUBLE/receipts", {**body, "quantity": 6}),
              ("/v1/stock/KHES-DOUBLE/adjustments", {**body, "delta": 5, "reason": "recount"})]  # fmt: skip
    for path, changed in reuses:
        reused = didi.post(path, json=changed, headers=once)
        assert reused.status_code == 422, (path, reused.text)
        assert reused.json()["type"].endswith("/idempotency-key-reused")
    assert didi.get("/v1/stock/OTHER").json()["available_total"] == 0
    assert didi.get("/v1/stock/KHES-DOUBLE").json()["available_total"] == 10


def test_an_order_reserves_all_lines_or_nothing(catalog):
    published_product(catalog, clf_id="clf-a", sku="A")
    published_product(catalog, clf_id="clf-a", sku="B")
    with catalog.unit_of_work() as uow:
        stock.change_stock(uow, _admin(), "A", "clf-a", "ph-clf-a", "receipt", 5, "")
    with catalog.unit_of_work() as uow:
        stock.change_stock(uow, _admin(), "B", "clf-a", "ph-clf-a", "receipt", 1, "")

    apply(catalog, stock.on_order_created, order_event(order_events.OrderCreatedV1, "o-1", {"A": 2, "B": 2}))
    events = stock_events(catalog)
    assert events[-1]["type"] == "haat.catalog.stock.reservation_failed.v1"
    assert events[-1]["shortfalls"] == [{"sku": "B", "requested": 2, "available": 1}]
    assert _available(catalog, "A") == 5, "nothing of the failed order was reserved"

    apply(catalog, stock.on_order_created, order_event(order_events.OrderCreatedV1, "o-2", {"A": 2, "B": 1}))
    assert (_available(catalog, "A"), _available(catalog, "B")) == (3, 0)
    assert [e["reason"] for e in stock_events(catalog)[-2:]] == ["reservation", "reservation"]


def test_cancel_releases_ship_consumes_return_restocks_each_once(catalog):
    published_product(catalog, clf_id="clf-a", sku="A")
    with catalog.unit_of_work() as uow:
        stock.change_stock(uow, _admin(), "A", "clf-a", "ph-clf-a", "receipt", 10, "")
    apply(catalog, stock.on_order_created, order_event(order_events.OrderCreatedV1, "o-1", {"A": 3}))
    apply(catalog, stock.on_order_created, order_event(order_events.OrderCreatedV1, "o-2", {"A": 4}))
    assert _levels(catalog, "A") == (10, 7)

    cancelled = order_event(order_events.OrderCancelledV1, "o-1", {"A": 3}, reason="buyer")
    apply(catalog, stock.on_order_cancelled, cancelled)
    apply(catalog, stock.on_order_cancelled, order_event(order_events.OrderCancelledV1, "o-1", {"A": 3}))
    assert _levels(catalog, "A") == (10, 4), "a repeated cancellation releases nothing more"

    for _ in range(2):
        apply(catalog, stock.on_order_shipped, order_event(order_events.OrderShippedV1, "o-2", {"A": 4}))
    assert _levels(catalog, "A") == (6, 0)
    for _ in range(2):
        apply(catalog, stock.on_order_returned, order_event(order_events.OrderReturnedV1, "o-2", {"A": 4}))
    assert _levels(catalog, "A") == (10, 0)
    damaged = order_event(order_events.OrderReturnedV1, "o-9", {"A": 1}, restocked=False)
    apply(catalog, stock.on_order_returned, damaged)
    assert _levels(catalog, "A") == (10, 0)


def test_concurrent_orders_for_the_last_unit_exactly_one_wins(catalog):
    published_product(catalog, clf_id="clf-a", sku="LAST")
    with catalog.unit_of_work() as uow:
        stock.change_stock(uow, _admin(), "LAST", "clf-a", "ph-clf-a", "receipt", 1, "")
    barrier = threading.Barrier(6)
    errors = []

    def buy() -> None:
        try:
            barrier.wait()
            event = order_event(order_events.OrderCreatedV1, f"o-{uuid.uuid4().hex[:6]}", {"LAST": 1})
            apply(catalog, stock.on_order_created, event)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=buy) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert _levels(catalog, "LAST") == (1, 1)
    types = [e["type"] for e in stock_events(catalog)]
    assert types.count("haat.catalog.stock.changed.v1") == 2, "the receipt and the one reservation"
    assert types.count("haat.catalog.stock.reservation_failed.v1") == 5


def _admin():
    from haat_testkit.catalog_factories import ADMIN

    return ADMIN


def _levels(runtime, sku: str) -> tuple[int, int]:
    with runtime.unit_of_work() as uow:
        (level,) = stock.stock_of(uow, _admin(), sku, "clf-a")[1]
    return level.on_hand, level.reserved


def _available(runtime, sku: str) -> int:
    on_hand, reserved = _levels(runtime, sku)
    return on_hand - reserved
