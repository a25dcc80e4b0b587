"""The whole listing path on real parts: catalog → Kafka → connectors → both sandbox marketplaces over HTTP,
and a stock change at the packaging house reaching both channels."""

from haat_catalog.service_layer import stock
from haat_catalog.service_layer.listings import listings_of
from haat_testkit.catalog_factories import ADMIN, clf_with_shgs, published_product
from haat_testkit.connectors import running_connectors, running_sandboxes
from haat_testkit.waiting import wait_for

CLF = "clf-kanti"


def quantities(sandboxes, sku: str) -> set[int | None]:
    return {sandboxes.quantity(channel, sku) for channel in ("amazon", "flipkart")}


def test_a_published_product_goes_live_on_both_channels_and_follows_the_stock_ledger(service):
    catalog = service("catalog")
    house, _ = clf_with_shgs(catalog, CLF)
    catalog.start_workers()
    with running_sandboxes(quota_scale=10) as sandboxes, running_connectors(service, sandboxes, CLF, quota_scale=10):
        published_product(catalog, sku="KHES-1", clf_id=CLF)
        # Stock unknown yet: listed as zero, never oversold.
        wait_for(lambda: quantities(sandboxes, "KHES-1") == {0}, timeout_s=60, what="listed at zero on both")
        with catalog.unit_of_work() as uow:
            stock.change_stock(uow, ADMIN, "KHES-1", CLF, house, "receipt", 6, "woven this week")
        wait_for(lambda: quantities(sandboxes, "KHES-1") == {6}, timeout_s=30, what="six on both channels")
        with catalog.unit_of_work() as uow:
            stock.change_stock(uow, ADMIN, "KHES-1", CLF, house, "adjustment", -2, "two damaged in the rain")
        wait_for(lambda: quantities(sandboxes, "KHES-1") == {4}, timeout_s=30, what="four on both channels")
        amazon = sandboxes.listings("amazon")[0]
        assert amazon["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
        assert amazon["attributes"]["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == 1499.0
        assert amazon["attributes"]["item_name"][1] == {
            "value": "हथकरघा सूती खेस", "language_tag": "hi_IN", "marketplace_id": "A21TJRUUN4KGV"
        }  # fmt: skip
        flipkart = sandboxes.listings("flipkart")[0]
        assert flipkart["tax"] == {"hsn": "63049190", "tax_code": "GST_5"}
        # The marketplaces' word travels back: the catalog shows the product live on both channels.
        wait_for(lambda: catalog_statuses(catalog, "KHES-1") == {"amazon": "live", "flipkart": "live"}, timeout_s=30)


def catalog_statuses(catalog, sku: str) -> dict[str, str]:
    with catalog.unit_of_work() as uow:
        return {row["channel"]: row["status"] for row in listings_of(uow, CLF, sku)}
