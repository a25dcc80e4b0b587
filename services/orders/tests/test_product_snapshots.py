"""Orders keeps a snapshot of each catalog product; events applied out of order never regress it."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from haat.events.catalog import ProductSubmittedV1
from haat.events.envelope import new_event
from haat_orders.adapters.tables import product_snapshots
from haat_orders.service_layer.catalog_events import on_product_event


def submitted(title: str, at: datetime):
    data = ProductSubmittedV1(
        sku="S-1", clf_id="clf-1", title_en=title, hsn_code="2001", gst_rate_bp=1200, mrp_paise=100, price_paise=90
    )
    return new_event(data, service="catalog").model_copy(update={"time": at})


def apply(orders, event) -> None:
    with orders.unit_of_work() as uow:
        on_product_event(uow, event)
        uow.commit()


def test_an_older_event_never_overwrites_a_newer_snapshot(service):
    orders = service("orders")
    now = datetime.now(UTC)
    apply(orders, submitted("newer", now))
    apply(orders, submitted("older", now - timedelta(minutes=1)))
    with orders.engine.connect() as conn:
        row = conn.execute(select(product_snapshots)).one()
    assert row.title == "newer"
    assert row.applied_events == 2
    apply(orders, submitted("newest", now + timedelta(minutes=1)))
    with orders.engine.connect() as conn:
        assert conn.execute(select(product_snapshots.c.title)).scalar_one() == "newest"
