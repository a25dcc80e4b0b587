"""Marketplace orders become one record and one `received` event each, whatever the duplicates and the
order of the notifications, and the newest state wins; their units are held off the other channel."""

import json

import httpx
from sqlalchemy import select

from haat.events import topics
from haat_connectors.adapters.tables import marketplace_orders
from haat_testkit.topic_reader import read_topic
from haat_testkit.waiting import wait_for

from .sync_helpers import CLF, all_live, connectors_for, publish


def orders_of(runtime) -> dict[str, str]:
    with runtime.engine.connect() as conn:
        return {r.order_key: r.status for r in conn.execute(select(marketplace_orders))}


def test_duplicate_and_reordered_notifications_make_one_order_each_in_its_final_state(service, fast_sandboxes, broker):
    with connectors_for(service, fast_sandboxes) as connectors:
        publish(connectors, ["GHEE-1"], quantity=20)
        wait_for(lambda: all_live(connectors, 2), timeout_s=30, what="live on both")
        faults = {"duplicate_notifications": True, "reorder_notifications": True}
        for channel in ("amazon", "flipkart"):
            fast_sandboxes.control(channel, "PUT", "/faults", faults)

        amazon_orders = [fast_sandboxes.place_order("amazon", CLF, {"GHEE-1": 1}).json() for _ in range(6)]
        for order in amazon_orders[:2]:
            fast_sandboxes.control("amazon", "POST", f"/orders/{order['AmazonOrderId']}/cancel")
        flipkart_orders = [fast_sandboxes.place_order("flipkart", CLF, {"GHEE-1": 2}).json() for _ in range(3)]
        cancelled_shipment = flipkart_orders[0]["shipmentId"]
        httpx.post(f"{fast_sandboxes.flipkart_url}/_sandbox/shipments/{cancelled_shipment}/cancelled", timeout=10)
        for channel in ("amazon", "flipkart"):
            fast_sandboxes.control(channel, "POST", "/notifications/flush")

        expected = {f"amazon-{o['AmazonOrderId']}": "open" for o in amazon_orders[2:]}
        expected |= {f"amazon-{o['AmazonOrderId']}": "cancelled" for o in amazon_orders[:2]}
        expected |= {f"flipkart-{o['orderItems'][0]['orderId']}": "open" for o in flipkart_orders[1:]}
        expected[f"flipkart-{flipkart_orders[0]['orderItems'][0]['orderId']}"] = "cancelled"
        wait_for(lambda: orders_of(connectors) == expected, timeout_s=60, interval_s=0.5, what="every order, final")

        # Held off the other channel: 4 open Amazon units and 4 open Flipkart units are not for sale anywhere.
        wait_for(
            lambda: {fast_sandboxes.quantity(c, "GHEE-1") for c in ("amazon", "flipkart")} == {12},
            timeout_s=30, what="both channels at 20 - 8 held",
        )  # fmt: skip
        assert fast_sandboxes.stats("amazon")["notifications"] >= 8

    raw = read_topic(broker.bootstrap_servers, topics.CONNECTORS_ORDERS, at_least=12, timeout_s=15)
    records = [json.loads(r.value) for r in raw]
    received = [r for r in records if r["type"] == "haat.connectors.marketplace_order.received.v1"]
    cancelled = [r for r in records if r["type"] == "haat.connectors.marketplace_order.cancelled.v1"]
    assert sorted(r["subject"] for r in received) == sorted(expected)  # each order received exactly once
    assert sorted(r["subject"] for r in cancelled) == sorted(k for k, v in expected.items() if v == "cancelled")
    assert all(r["data"]["raw"] for r in received)  # the marketplace's own snapshot is kept
    gst_state = {r["data"]["shipping_address"]["state"] for r in received}
    assert gst_state <= {"Bihar", "Odisha"}
