"""A sale on one marketplace, end to end on real parts: sandbox order → connectors → Kafka → orders →
catalog reserves the stock → the other channel shows what is left, counted once (the connectors' hold is
released when the catalog's reservation arrives, so the unit is not subtracted twice)."""

from sqlalchemy import select

from haat.testing.waiting import wait_for
from haat_catalog.factories import ADMIN, clf_with_shgs, published_product
from haat_catalog.service_layer import stock
from haat_connectors.adapters.tables import stock_holds
from haat_connectors.testing import running_connectors, running_sandboxes
from haat_orders.adapters.tables import invoices, orders
from haat_orders.service_layer.transitions import apply_action

CLF = "clf-kanti"


def quantities(sandboxes, sku: str) -> dict[str, int | None]:
    return {channel: sandboxes.quantity(channel, sku) for channel in ("amazon", "flipkart")}


def test_a_marketplace_sale_becomes_an_order_reserves_stock_and_updates_the_other_channel(service):
    catalog = service("catalog")
    house, _ = clf_with_shgs(catalog, CLF)
    orders_service = service("orders")
    catalog.start_workers()
    orders_service.start_workers()
    with (
        running_sandboxes(quota_scale=10) as sandboxes,
        running_connectors(service, sandboxes, CLF, quota_scale=10) as connectors,
    ):
        published_product(catalog, sku="ACHAR-1", clf_id=CLF)
        with catalog.unit_of_work() as uow:
            stock.change_stock(uow, ADMIN, "ACHAR-1", CLF, house, "receipt", 5, "new batch")
        wait_for(lambda: quantities(sandboxes, "ACHAR-1") == {"amazon": 5, "flipkart": 5}, timeout_s=60)
        wait_for(lambda: "BUYABLE" in sandboxes.listings("amazon")[0]["summaries"][0]["status"], timeout_s=10)

        sold = sandboxes.place_order("amazon", CLF, {"ACHAR-1": 2})
        assert sold.status_code == 201
        order_id = f"amazon-{sold.json()['AmazonOrderId']}"

        def order_row():
            with orders_service.engine.connect() as conn:
                return conn.execute(select(orders).where(orders.c.id == order_id)).one_or_none()

        row = wait_for(lambda: (r := order_row()) is not None and r.stock == "reserved" and r, timeout_s=60)
        assert row.state == "created"
        assert row.packaging_house_id == house
        assert row.buyer_state == "Bihar"
        # The hold is gone (the catalog counts the sale now) and both channels show 3, not 1.
        wait_for(lambda: not holds(connectors), timeout_s=30, what="the hold released")
        wait_for(lambda: quantities(sandboxes, "ACHAR-1") == {"amazon": 3, "flipkart": 3}, timeout_s=30)

        # The packaging house ships it: Amazon hears of it (shipment confirmed with the tracking id) and the
        # order has its GST invoice.
        with orders_service.unit_of_work() as uow:
            for action in ("accept", "pack", "ship"):
                apply_action(uow, order_id, action, "staff", carrier="India Post", tracking_id="EE123456789IN")
            uow.commit()
        amazon_id = sold.json()["AmazonOrderId"]
        wait_for(lambda: amazon_status(sandboxes, amazon_id) == "Shipped", timeout_s=30, what="shipped on Amazon")
        with orders_service.engine.connect() as conn:
            invoice = conn.execute(select(invoices.c.document).where(invoices.c.order_id == order_id)).scalar_one()
        assert invoice["kind"] == "bill_of_supply"  # the test CLF has no GSTIN: it charges no GST
        assert invoice["supply"] == "intra_state"  # a Bihar CLF selling to a buyer in Bihar
        assert invoice["totals"]["gross_paise"] == 2 * 149900


def amazon_status(sandboxes, amazon_id: str) -> str | None:
    found = [o for o in sandboxes.control("amazon", "GET", "/orders") if o["AmazonOrderId"] == amazon_id]
    return found[0]["OrderStatus"] if found else None


def holds(connectors) -> list:
    with connectors.engine.connect() as conn:
        return list(conn.execute(select(stock_holds)))
