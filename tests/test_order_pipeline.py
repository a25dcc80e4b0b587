"""A sale on one marketplace, end to end on real parts: sandbox order → connectors → Kafka → orders →
catalog reserves the stock → the other channel shows what is left, counted once (the connectors' hold is
released when the catalog's reservation arrives, so the unit is not subtracted twice)."""

import httpx
import pypdfium2
from sqlalchemy import select

from haat_catalog.service_layer import stock
from haat_connectors.adapters.tables import listings, stock_holds
from haat_orders.adapters.tables import invoices, orders
from haat_orders.service_layer.transitions import apply_action
from haat_testkit.callers import caller_headers
from haat_testkit.catalog_factories import ADMIN, clf_with_shgs, published_product
from haat_testkit.connectors import running_connectors, running_sandboxes
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for

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


def test_a_flipkart_order_is_packed_there_and_its_label_printed_through_the_orders_api(service):
    """Flipkart ships its own orders: packing (weight and dimensions) goes to Flipkart, which makes the
    label; staff print it from the orders API, which fetches it through the connectors over HTTP."""
    catalog = service("catalog")
    house, _ = clf_with_shgs(catalog, CLF)
    catalog.start_workers()
    with (
        running_sandboxes(quota_scale=10) as sandboxes,
        running_connectors(service, sandboxes, CLF, quota_scale=10) as connectors,
        ThreadedServer(connectors.definition.create_app(connectors)) as connectors_http,
    ):
        orders_service = service("orders", connectors_url=connectors_http.url)
        orders_service.start_workers()
        published_product(catalog, sku="KHES-1", clf_id=CLF)
        with catalog.unit_of_work() as uow:
            stock.change_stock(uow, ADMIN, "KHES-1", CLF, house, "receipt", 3, "new batch")
        try:
            wait_for(lambda: quantities(sandboxes, "KHES-1") == {"amazon": 3, "flipkart": 3}, timeout_s=120)
        except AssertionError as late:  # say where it stopped: the connectors' records and the sandboxes'
            seen = f"listings {listing_states(connectors)}, sandboxes {quantities(sandboxes, 'KHES-1')}"
            raise AssertionError(f"{late}: {seen}") from None
        sold = sandboxes.place_order("flipkart", CLF, {"KHES-1": 1})
        assert sold.status_code == 201
        shipment_id = sold.json()["shipmentId"]
        staff = caller_headers(orders_service.settings, "fulfilment", packaging_house_id=house)
        other_house = caller_headers(orders_service.settings, "fulfilment", packaging_house_id="ph-elsewhere")
        with ThreadedServer(orders_service.definition.create_app(orders_service)) as orders_http:
            api = f"{orders_http.url}/v1/orders"

            def reserved_order():
                found = httpx.get(api, headers=staff, params={"channel": "flipkart"}).json()["items"]
                return found[0] if found and found[0]["stock"] == "reserved" else None

            order = wait_for(reserved_order, timeout_s=60, what="the Flipkart order in the house's queue")
            label_url = f"{api}/{order['id']}/label"
            assert httpx.get(label_url, headers=staff).status_code == 409  # not packed: Flipkart has no label
            assert httpx.post(f"{api}/{order['id']}/accept", headers=staff, json={}).status_code == 200
            package = {"weight_grams": 900, "length_cm": 30, "width_cm": 25, "height_cm": 6}
            assert httpx.post(f"{api}/{order['id']}/pack", headers=staff, json=package).status_code == 200
            wait_for(lambda: flipkart_state(sandboxes, shipment_id) == "PACKED", timeout_s=30, what="packed there")
            label = httpx.get(label_url, headers=staff, timeout=30)
            assert label.status_code == 200, label.text
            assert label.headers["content-type"] == "application/pdf"
            assert httpx.get(label_url, headers=other_house).status_code == 404  # another house's order
        text = pypdfium2.PdfDocument(label.content)[0].get_textpage().get_text_range()
        assert shipment_id in text
        assert "KHES-1" in text
        assert "AWB" in text
        packed = flipkart_shipment(sandboxes, shipment_id)
        assert packed["packages"][0]["packages"][0]["weight"] == 0.9  # the packer's weight reached Flipkart


def listing_states(connectors) -> list:
    with connectors.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(listings.c.sku, listings.c.status, listings.c.pushed_quantity))]


def flipkart_shipment(sandboxes, shipment_id: str) -> dict | None:
    return next((s for s in sandboxes.control("flipkart", "GET", "/orders") if s["shipmentId"] == shipment_id), None)


def flipkart_state(sandboxes, shipment_id: str) -> str | None:
    shipment = flipkart_shipment(sandboxes, shipment_id)
    return shipment["orderItems"][0]["status"] if shipment else None


def amazon_status(sandboxes, amazon_id: str) -> str | None:
    found = [o for o in sandboxes.control("amazon", "GET", "/orders") if o["AmazonOrderId"] == amazon_id]
    return found[0]["OrderStatus"] if found else None


def holds(connectors) -> list:
    with connectors.engine.connect() as conn:
        return list(conn.execute(select(stock_holds)))
