"""Seller accounts, a listing's standing and what Haat owes the marketplaces about their orders, on in-memory
repositories (the fast tier). The same flows run on PostgreSQL with the sandboxes in test_listing_sync,
test_order_sync and test_notification_senders."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from haat.errors import Conflict, Invalid, NotFound
from haat.events.catalog import ProductPublishedV1
from haat.events.envelope import new_event
from haat.events.orders import OrderCancelledV1, OrderLine, OrderPackedV1, OrderShippedV1
from haat.identity import Caller
from haat.secret_box import SecretBox
from haat_connectors.adapters.marketplaces.base import ListingReport, Notification
from haat_connectors.service_layer import accounts, catalog_feed, listing_sync, notifications, order_sync, order_tasks
from haat_testkit.fake_connectors import fetched, listed

pytestmark = pytest.mark.fast
BOX_KEYS = secrets.token_urlsafe(32)
BOX = SecretBox(BOX_KEYS)
AMAZON = {"client_id": "amzn1.app", "client_secret": "s3cret-client", "refresh_token": "Atzr|refresh"}
DIDI = Caller(subject="user:didi", role="coordinator", clf_id="clf-kanti")


def test_a_seller_account_keeps_its_credentials_sealed_and_sends_what_the_clf_already_sells():
    uow = listed()  # Kanti's mango pickle is on sale on amazon and flipkart
    with pytest.raises(Invalid) as missing:
        accounts.create_account(uow, BOX, clf_id="clf-new", channel="amazon", seller_id="A1", credentials={})
    assert missing.value.extensions["missing"] == ["client_id", "client_secret", "refresh_token"]
    with pytest.raises(Invalid):
        accounts.create_account(uow, BOX, clf_id="clf-new", channel="meesho", seller_id="A1", credentials=AMAZON)
    with pytest.raises(Conflict):  # one account per CLF and channel
        accounts.create_account(uow, BOX, clf_id="clf-kanti", channel="amazon", seller_id="A2", credentials=AMAZON)
    uow.products.store("clf-other", "KHES", {"sku": "KHES"}, listed=True)
    flipkart = {"application_id": "app", "application_secret": "fk-secret"}
    made = accounts.create_account(
        uow, BOX, clf_id="clf-other", channel="flipkart", seller_id="F9", credentials=flipkart
    )
    assert "credentials" not in made  # never shown again
    assert "fk-secret" not in uow.accounts.rows[made["id"]]["credentials"]  # sealed at rest
    assert BOX.open(uow.accounts.rows[made["id"]]["credentials"])["application_secret"] == "fk-secret"
    assert uow.listings.dirty("content") >= {(made["id"], "KHES")}  # what the CLF sells goes to the new channel
    assert accounts.find_by_seller(uow, "flipkart", "F9").id == made["id"]
    assert [a["id"] for a in accounts.list_accounts(uow, DIDI)] == ["sa-amazon", "sa-flipkart"]
    with pytest.raises(NotFound):
        accounts.get(uow, made["id"], DIDI)  # another CLF's account does not exist for her

    changed = accounts.change_account(uow, BOX, made["id"], enabled=False, credentials=None)
    assert changed["enabled"] is False
    with pytest.raises(Invalid):
        accounts.change_account(uow, BOX, made["id"], enabled=None, credentials={"application_id": "only"})
    keys = secrets.token_urlsafe(32)
    for row in uow.accounts.rows.values():
        row["credentials"] = BOX.seal(AMAZON)
    assert accounts.reseal_all(uow, SecretBox(f"{keys},{BOX_KEYS}")) == len(uow.accounts.rows)
    assert SecretBox(keys).open(uow.accounts.rows["sa-amazon"]["credentials"]) == AMAZON  # the newest key opens it


def test_a_resync_sends_every_listing_again_and_shows_how_far_it_got():
    uow = listed()
    assert accounts.sync_progress(uow, "sa-amazon")["percent"] == 100.0
    progress = accounts.resync(uow, "sa-amazon")
    assert (progress["total"], progress["waiting"], progress["percent"]) == (1, 1, 0.0)
    with pytest.raises(NotFound):
        accounts.resync(uow, "sa-nobody")


def test_a_retired_product_is_taken_off_every_channel():
    uow = listed()
    retired = ProductPublishedV1(sku="AAM-ACHAR", clf_id="clf-kanti", title_en="Mango pickle", hsn_code="2001",
                                 gst_rate_bp=1200, mrp_paise=25000, price_paise=22400, status="retired")  # fmt: skip
    catalog_feed.on_product_retired(uow, new_event(retired, service="catalog"))
    assert uow.products.listed_skus("clf-kanti") == []
    assert uow.listings.dirty("content") == {("sa-amazon", "AAM-ACHAR"), ("sa-flipkart", "AAM-ACHAR")}


def report(status: str, at: datetime, issues: list | None = None) -> ListingReport:
    return ListingReport("AAM-ACHAR", status, issues or [], at)  # type: ignore[arg-type]


def test_a_listings_standing_follows_only_newer_reports_and_announces_only_news():
    uow = listed()
    now = datetime.now(UTC)
    issue = [{"code": "90220", "message": "'item_weight' is required", "severity": "error"}]
    assert listing_sync.apply_report(uow, "sa-amazon", report("rejected", now, issue))
    assert not listing_sync.apply_report(uow, "sa-amazon", report("live", now - timedelta(minutes=1)))  # stale
    assert listing_sync.apply_report(uow, "sa-amazon", report("rejected", now + timedelta(seconds=1), issue))
    assert [(e.data["status"], e.data["issues"][0]["code"]) for e in uow.emitted] == [("rejected", "90220")]
    forged = report("live", datetime(2099, 1, 1, tzinfo=UTC))  # dated in the future: counts as now
    assert listing_sync.apply_report(uow, "sa-amazon", forged)
    assert uow.listings.rows[("sa-amazon", "AAM-ACHAR")]["status_at"] <= datetime.now(UTC)
    assert listing_sync.apply_report(uow, "sa-amazon", report("inactive", datetime.now(UTC) + timedelta(seconds=1)))
    assert [e.data["status"] for e in uow.emitted] == ["rejected", "live", "inactive"]
    assert not listing_sync.apply_report(uow, "sa-nobody", report("live", now))


def test_a_notification_asks_for_a_listings_status_now_and_a_settled_report_stops_asking():
    uow = listed()
    listing_sync.verify_now(uow, "sa-amazon", "AAM-ACHAR")
    assert listing_sync.due_for_verification(uow, "sa-amazon", 10) == ["AAM-ACHAR"]
    listing_sync.verify_later(uow, "sa-amazon", "AAM-ACHAR", 60)
    assert listing_sync.due_for_verification(uow, "sa-amazon", 10) == []
    listing_sync.verify_now(uow, "sa-amazon", "AAM-ACHAR")
    listing_sync.apply_report(uow, "sa-amazon", report("live", datetime.now(UTC)))
    assert listing_sync.due_for_verification(uow, "sa-amazon", 10) == []  # settled: nothing more to ask


def order_event(model, order_key: str, **extra):
    data = model(order_id=order_key, clf_id="clf-kanti", channel="amazon",
                 items=[OrderLine(sku="AAM-ACHAR", quantity=2)], **extra)  # fmt: skip
    return new_event(data, service="orders")


def test_the_marketplace_is_told_once_of_each_move_of_its_open_orders():
    uow = listed()
    order_sync.record_order(uow, fetched())
    key = fetched().order_key
    order_tasks.on_order_packed(uow, order_event(OrderPackedV1, key, weight_grams=600))
    order_tasks.on_order_packed(uow, order_event(OrderPackedV1, key, weight_grams=600))  # told twice
    order_tasks.on_order_shipped(uow, order_event(OrderShippedV1, key, carrier="India Post", tracking_id="EE1"))
    order_tasks.on_order_cancelled(uow, order_event(OrderCancelledV1, "amazon-not-ours", reason="x"))
    due = order_tasks.due(uow, "sa-amazon", 10)
    assert [(t.kind, t.details.get("weight_grams") or t.details.get("tracking_id")) for t in due] == [
        ("pack", 600), ("ship", "EE1")]  # fmt: skip
    order_tasks.finished(uow, due[0].id, None, due[0].attempts)
    order_tasks.finished(uow, due[1].id, "InvalidInput: not yet packed on Amazon", due[1].attempts)
    assert order_tasks.due(uow, "sa-amazon", 10) == []  # the refused one waits for its retry
    assert uow.tasks.rows[due[1].id]["last_error"].startswith("InvalidInput")
    order_sync.record_order(uow, fetched(status="cancelled", at=datetime.now(UTC) + timedelta(seconds=1)))
    order_tasks.on_order_cancelled(uow, order_event(OrderCancelledV1, key, reason="buyer asked"))
    assert not uow.tasks.exists(key, "cancel")  # the marketplace itself cancelled it: nothing to tell


def test_a_notification_holds_a_new_orders_units_and_asks_for_the_order_however_it_arrived():
    uow = listed()
    account = accounts.get(uow, "sa-amazon")
    new_order = Notification("seller-sa-amazon", "order", order_id="408-9", new_order_items=[("AAM-ACHAR", 2)])
    notifications.act_on(uow, account, new_order)
    notifications.act_on(uow, account, new_order)  # delivered twice (SQS: at least once)
    assert uow.holds.quantity("clf-kanti", "AAM-ACHAR") == 2
    assert uow.listings.dirty("stock") == {("sa-amazon", "AAM-ACHAR"), ("sa-flipkart", "AAM-ACHAR")}
    assert uow.fetches.due("sa-amazon", 10) == ["408-9"]
    changed = Notification("seller-sa-amazon", "listing", listing_sku="AAM-ACHAR")
    notifications.act_on(uow, account, changed)  # no status in it: ask the marketplace now
    assert listing_sync.due_for_verification(uow, "sa-amazon", 10) == ["AAM-ACHAR"]
    live = Notification("seller-sa-amazon", "listing", listing_sku="AAM-ACHAR",
                        listing=report("live", datetime.now(UTC)))  # fmt: skip
    notifications.act_on(uow, account, live)
    assert uow.listings.rows[("sa-amazon", "AAM-ACHAR")]["status"] == "live"
    assert listing_sync.due_for_verification(uow, "sa-amazon", 10) == []
