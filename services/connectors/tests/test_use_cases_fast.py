"""Order intake and the catalog feed on in-memory repositories (the fast tier: `make test-fast`): a sold unit
is held off every channel at once, exactly once, and released when the catalog has it or the order is gone.
The same flows run on PostgreSQL with the sandboxes in test_order_sync and test_listing_sync."""

from datetime import timedelta

import pytest

from haat.events.catalog import ProductPublishedV1, StockChangedV1, StockReservationFailedV1
from haat.events.envelope import new_event
from haat_connectors.domain.marketplace_order import order_key
from haat_connectors.service_layer import catalog_feed, order_sync
from haat_testkit.fake_connectors import ACCOUNTS, NOW, FakeConnectorsUnitOfWork, fetched, listed

pytestmark = pytest.mark.fast


def test_a_published_product_is_listed_on_every_channel_of_its_clf_only():
    uow = FakeConnectorsUnitOfWork(ACCOUNTS)
    draft = ProductPublishedV1(sku="HALDI", clf_id="clf-kanti", title_en="Turmeric", hsn_code="0910",
                               gst_rate_bp=500, mrp_paise=9900, price_paise=9900, status="draft")  # fmt: skip
    catalog_feed.on_product_listed(uow, new_event(draft, service="catalog"))
    assert uow.listings.rows == {}  # a draft is not for sale
    catalog_feed.on_product_listed(uow, new_event(draft.model_copy(update={"status": "published"}), service="catalog"))
    assert uow.listings.dirty("content") == {("sa-amazon", "HALDI"), ("sa-flipkart", "HALDI")}


def test_a_sale_is_held_off_every_channel_once_and_released_when_the_catalog_reserves_it():
    uow = listed()
    order_sync.hold_from_notification(uow, "amazon", "clf-kanti", "408-1", [("AAM-ACHAR", 2)])
    assert uow.holds.quantity("clf-kanti", "AAM-ACHAR") == 2
    assert uow.listings.dirty("stock") == {("sa-amazon", "AAM-ACHAR"), ("sa-flipkart", "AAM-ACHAR")}
    assert order_sync.record_order(uow, fetched()) == "received"
    order_sync.hold_from_notification(uow, "amazon", "clf-kanti", "408-1", [("AAM-ACHAR", 2)])  # a late copy
    assert uow.holds.quantity("clf-kanti", "AAM-ACHAR") == 2, "held once, however often told"
    assert order_sync.record_order(uow, fetched()) == "ignored"
    assert order_sync.record_order(uow, fetched(at=NOW - timedelta(minutes=1))) == "ignored"
    reserved = StockChangedV1(sku="AAM-ACHAR", clf_id="clf-kanti", packaging_house_id="ph-1", on_hand=10, reserved=2,
                              available=8, available_total=8, reason="reservation",
                              order_id=order_key("amazon", "408-1"))  # fmt: skip
    catalog_feed.on_stock_changed(uow, new_event(reserved, service="catalog"))
    assert uow.holds.quantity("clf-kanti", "AAM-ACHAR") == 0
    assert uow.products.rows[("clf-kanti", "AAM-ACHAR")]["available"] == 8
    assert uow.emitted_types() == ["haat.connectors.marketplace_order.received.v1"]


def test_a_cancelled_order_releases_its_hold_and_everyone_hears_of_it():
    uow = listed()
    order_sync.record_order(uow, fetched())
    assert order_sync.record_order(uow, fetched("cancelled", NOW + timedelta(minutes=1))) == "cancelled"
    assert uow.holds.quantity("clf-kanti", "AAM-ACHAR") == 0
    first_seen_cancelled = listed()
    assert order_sync.record_order(first_seen_cancelled, fetched("cancelled")) == "cancelled"
    assert first_seen_cancelled.holds.held == {}
    assert first_seen_cancelled.emitted_types() == [
        "haat.connectors.marketplace_order.received.v1",
        "haat.connectors.marketplace_order.cancelled.v1",
    ]


def test_a_hold_the_catalog_could_not_reserve_is_released():
    uow = listed()
    order_sync.record_order(uow, fetched())
    failed = StockReservationFailedV1(order_id=order_key("amazon", "408-1"), clf_id="clf-kanti",
                                      shortfalls=[{"sku": "AAM-ACHAR", "requested": 2, "available": 0}])  # fmt: skip
    catalog_feed.on_reservation_failed(uow, new_event(failed, service="catalog"))
    assert uow.holds.held == {}


def test_a_stray_notification_for_an_order_the_marketplace_does_not_know_frees_its_units():
    uow = listed()
    order_sync.hold_from_notification(uow, "amazon", "clf-kanti", "408-9", [("AAM-ACHAR", 1)])
    order_sync.unknown_order(uow, "amazon", "clf-kanti", "408-9")
    assert uow.holds.held == {}


def test_a_fetch_that_fails_waits_longer_each_time_and_a_new_notification_makes_it_due_now(monkeypatch):
    uow = listed()
    woken = []
    monkeypatch.setattr(order_sync.FETCH_REQUESTED, "set", lambda: woken.append(1))
    order_sync.queue_fetch(uow, "sa-amazon", "408-1")
    uow.commit()
    assert woken == [1]  # the sync worker is nudged once the request is committed
    for _ in range(3):
        order_sync.fetch_failed(uow, "sa-amazon", "408-1")
    assert order_sync.due_fetches(uow, "sa-amazon", 10) == []
    assert uow.fetches.attempts("sa-amazon", "408-1") == 3
    order_sync.queue_fetch(uow, "sa-amazon", "408-1")
    assert order_sync.due_fetches(uow, "sa-amazon", 10) == ["408-1"]
