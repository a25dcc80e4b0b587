"""Amazon's notifications take Amazon's path: the connectors subscribe each seller (a destination for our SQS
queue, a subscription per notification type), the Amazon sandbox delivers onto that queue, and the queue
job holds a new order's units off every channel, deleting each message only after its effect is committed.
Against the real SQS-compatible stand-in (moto in server mode) and the sandbox, over real connections."""

import json

from sqlalchemy import func, select

from haat_connectors.adapters.marketplaces.amazon_queue import NotificationQueue, read_message
from haat_connectors.adapters.tables import order_fetches, stock_holds
from haat_connectors.entrypoints.amazon_queue import take
from haat_sandboxes.sqs_queues import DEAD_LETTERS_AFTER, stand_in_client
from haat_testkit.waiting import wait_for

from .sync_helpers import CLF, all_live, connectors_for, publish


def held(runtime, sku: str) -> int:
    with runtime.engine.connect() as conn:
        return int(
            conn.scalar(select(func.coalesce(func.sum(stock_holds.c.quantity), 0)).where(stock_holds.c.sku == sku))
        )


def waiting_on(runtime) -> int:
    """Messages still on the connectors' queue, handed out or not."""
    settings = runtime.settings
    client = stand_in_client(settings.sqs_endpoint_url, settings.aws_region)
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    counts = client.get_queue_attributes(QueueUrl=settings.amazon_notification_queue_url, AttributeNames=names)
    return sum(int(v) for v in counts["Attributes"].values())


def test_a_new_amazon_order_reaches_us_through_the_queue_and_its_units_are_held_at_once(service, fast_sandboxes):
    with connectors_for(service, fast_sandboxes, order_poll_interval_s=3600.0) as connectors:  # no polling help
        wait_for(lambda: fast_sandboxes.stats("amazon")["createSubscription"] == 3, timeout_s=30,
                 what="the seller subscribed to ORDER_CHANGE and both listing notifications")  # fmt: skip
        publish(connectors, ["GHEE-1"], quantity=5)
        wait_for(lambda: all_live(connectors, 2), timeout_s=30, what="live on both")
        fast_sandboxes.place_order("amazon", CLF, {"GHEE-1": 2}).raise_for_status()
        wait_for(lambda: held(connectors, "GHEE-1") == 2, timeout_s=20, what="the order's units held")
        wait_for(lambda: fast_sandboxes.quantity("flipkart", "GHEE-1") == 3, timeout_s=20,
                 what="Flipkart no longer offers the two units sold on Amazon")  # fmt: skip
        wait_for(lambda: waiting_on(connectors) == 0, timeout_s=20, what="every message deleted once acted on")
        stats = fast_sandboxes.stats("amazon")
        assert stats["sqs_messages"] >= 1
        assert stats["createDestination"] == 1  # one destination for the application's queue


def test_a_message_handed_out_twice_changes_nothing_twice(service, fast_sandboxes):
    with connectors_for(service, fast_sandboxes, order_poll_interval_s=3600.0) as connectors:
        wait_for(lambda: fast_sandboxes.stats("amazon")["createSubscription"] == 3, timeout_s=30, what="subscribed")
        publish(connectors, ["GHEE-1"], quantity=5)
        wait_for(lambda: all_live(connectors, 2), timeout_s=30, what="live")
        connectors.stop()  # its workers stop: nobody else reads the queue now
        fast_sandboxes.place_order("amazon", CLF, {"GHEE-1": 1}).raise_for_status()
        queue = NotificationQueue(connectors.settings)
        messages = wait_for(lambda: [m for m in queue.receive(1) if "ORDER_CHANGE" in m.body], what="on the queue")
        order_change = read_message(messages[0].body)
        assert order_change["Payload"]["OrderChangeNotification"]["SellerId"].startswith("AHAAT")
        take(connectors, queue, messages[0])
        take(connectors, queue, messages[0])  # SQS may hand a message out again: at least once
        assert held(connectors, "GHEE-1") == 1
        with connectors.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(order_fetches)) == 1


def test_an_unreadable_message_is_left_for_the_dead_letter_queue(service, fast_sandboxes):
    with connectors_for(service, fast_sandboxes) as connectors:
        settings = connectors.settings
        client = stand_in_client(settings.sqs_endpoint_url, settings.aws_region)
        client.send_message(QueueUrl=settings.amazon_notification_queue_url, MessageBody="not a notification")
        forged = {"NotificationType": "ORDER_CHANGE", "Payload": {"OrderChangeNotification": {"SellerId": "x"}}}
        client.send_message(QueueUrl=settings.amazon_notification_queue_url, MessageBody=json.dumps(forged))
        dead_letters = settings.amazon_notification_queue_url + "-dlq"

        def dead() -> int:
            counts = client.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["ApproximateNumberOfMessages"])
            return int(counts["Attributes"]["ApproximateNumberOfMessages"])

        # Each is handed out, refused (the schema says what is missing) and shown again, until SQS gives up.
        wait_for(lambda: dead() == 2, timeout_s=5 * (DEAD_LETTERS_AFTER + 2) + 15, interval_s=0.5,
                 what="both moved to the dead-letter queue")  # fmt: skip
        assert held(connectors, "x") == 0
