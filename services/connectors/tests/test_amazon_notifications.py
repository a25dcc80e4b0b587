"""Amazon's notifications are read as Amazon publishes them: each type's own example document (from the
vendored schemas) is accepted and understood; a document the schema refuses is named, not guessed at."""

import json

import pytest

from haat_connectors.adapters.marketplaces.amazon import Amazon
from haat_connectors.adapters.marketplaces.amazon_queue import (
    SCHEMA_OF_TYPE,
    SCHEMAS,
    UnreadableNotification,
    read_message,
)

pytestmark = pytest.mark.fast


def example(notification_type: str) -> dict:
    return json.loads((SCHEMAS / SCHEMA_OF_TYPE[notification_type]).read_text())["examples"][0]


def test_each_types_published_example_is_accepted():
    for notification_type in SCHEMA_OF_TYPE:
        assert read_message(json.dumps(example(notification_type)))["NotificationType"] == notification_type


def test_a_new_unshipped_order_holds_its_units_and_a_buyers_cancel_request_does_not():
    placed = example("ORDER_CHANGE")
    change = placed["Payload"]["OrderChangeNotification"]
    change["OrderChangeType"], change["Summary"]["OrderStatus"] = "OrderStatusChange", "Unshipped"
    read = Amazon.read_notification(read_message(json.dumps(placed)))
    assert (read.kind, read.order_id) == ("order", change["AmazonOrderId"])
    assert read.new_order_items == [(i["SellerSKU"], i["Quantity"]) for i in change["Summary"]["OrderItems"]]
    cancel_request = example("ORDER_CHANGE")  # the published example: BuyerRequestedChange
    assert Amazon.read_notification(read_message(json.dumps(cancel_request))).new_order_items == []


def test_a_document_the_schema_refuses_is_named():
    broken = example("ORDER_CHANGE")
    del broken["Payload"]["OrderChangeNotification"]["SellerId"]
    with pytest.raises(UnreadableNotification, match="SellerId"):
        read_message(json.dumps(broken))
    for body in ("not json", json.dumps({"NotificationType": "FEED_PROCESSING_FINISHED"}), json.dumps([1])):
        with pytest.raises(UnreadableNotification):
            read_message(body)
