"""10,000 duplicated and shuffled marketplace reports make exactly the right orders in their final states."""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from haat.events.connectors import (
    MarketplaceOrderCancelledV1,
    MarketplaceOrderReceivedV1,
    MarketplaceOrderUpdatedV1,
)
from haat.events.envelope import new_event
from haat_orders.adapters.tables import order_history, orders
from haat_orders.service_layer.intake import on_marketplace_order

FINAL = {"open": "created", "cancelled": "cancelled", "shipped": "shipped", "delivered": "delivered",
         "return_requested": "return_requested", "returned": "returned"}  # fmt: skip
PATHS = [["open"], ["open", "cancelled"], ["open", "shipped", "delivered"],
         ["open", "shipped", "delivered", "return_requested", "returned"]]  # fmt: skip


def report(n: int, status: str, at: datetime):
    kind = {"open": MarketplaceOrderReceivedV1, "cancelled": MarketplaceOrderCancelledV1}.get(
        status, MarketplaceOrderUpdatedV1
    )
    data = kind(
        order_key=f"amazon-408-{n:07d}", channel="amazon", marketplace_order_id=f"408-{n:07d}",
        seller_account_id="sa-1", clf_id="clf-kanti", status=status, marketplace_status=status,
        purchased_at=at, marketplace_updated_at=at, shipping_address={"state": "Bihar", "city": "Patna"},
        items=[{"sku": "ACHAR-1", "quantity": 1 + n % 3, "unit_price_paise": 19900, "marketplace_item_id": f"{n}-1"}],
    )  # fmt: skip
    return new_event(data, service="connectors")


def test_duplicated_and_shuffled_reports_make_each_order_once_in_its_newest_state(service):
    runtime = service("orders")
    rng = random.Random(7)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    expected, events = {}, []
    for n in range(2500):
        path = rng.choice(PATHS)
        expected[f"amazon-408-{n:07d}"] = FINAL[path[-1]]
        for step, status in enumerate(path):
            event = report(n, status, start + timedelta(minutes=n, seconds=step))
            events += [event] * rng.choice((1, 1, 2, 3))  # marketplaces repeat themselves
    events = (events * 10000)[: max(10000, len(events))]
    rng.shuffle(events)
    assert len(events) >= 10000
    with runtime.unit_of_work() as uow:
        for event in events:
            on_marketplace_order(uow, event)
            uow.session.flush()
        uow.commit()

    with runtime.engine.connect() as conn:
        found = dict(conn.execute(select(orders.c.id, orders.c.state)).all())
        created_events = conn.execute(
            select(func.count())
            .select_from(runtime.definition.outbox_table)
            .where(runtime.definition.outbox_table.c.event_type == "haat.orders.order.created.v1")
        ).scalar_one()
        moves = conn.execute(select(func.count()).select_from(order_history)).scalar_one()
    assert found == expected
    assert created_events == len(expected)  # one order.created per marketplace order
    assert moves >= len(expected)
