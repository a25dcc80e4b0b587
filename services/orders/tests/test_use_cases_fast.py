"""The orders service's use cases and event handlers on the in-memory unit of work (the fast tier:
`make test-fast`). The same flows run on PostgreSQL in test_invoices, test_settlements and test_intake."""

from datetime import UTC, datetime, timedelta

import pytest

from haat.errors import Conflict, NotAllowed, NotFound
from haat.events.catalog import (
    ClfRegisteredV1,
    ClfUpdatedV1,
    ProductPublishedV1,
    ShgRegisteredV1,
    StockChangedV1,
    StockReservationFailedV1,
)
from haat.events.connectors import MarketplaceOrderReceivedV1, MarketplaceOrderUpdatedV1
from haat.events.envelope import new_event
from haat.identity import Caller
from haat_orders.domain.gst import financial_year
from haat_orders.domain.order import IllegalTransition
from haat_orders.service_layer import catalog_events, fulfilment, intake, invoicing, settlements, stock_feedback
from haat_orders.service_layer.transitions import apply_action
from haat_orders.settings import OrdersSettings
from haat_testkit.fake_orders import FakeOrdersUnitOfWork

pytestmark = pytest.mark.fast
ADMIN = Caller(subject="admin", role="admin")
NOW = datetime.now(UTC)


def catalog(uow: FakeOrdersUnitOfWork, *, gstin: str | None = "10AAAAA0000A1Z5") -> None:
    invoicing.on_clf_registered(uow, new_event(ClfRegisteredV1(
        clf_id="clf-kanti", name="Kanti CLF", gstin=gstin, state_code="10", state_name="Bihar",
        district_name="Muzaffarpur"), service="catalog"))  # fmt: skip
    shg = ShgRegisteredV1(shg_id="shg-laxmi", clf_id="clf-kanti", name="Laxmi SHG", bank_account_ref="SBIN-1")
    settlements.on_shg_registered(uow, new_event(shg, service="catalog"))
    product(uow)


def product(uow: FakeOrdersUnitOfWork, **changes) -> None:
    fields = {"sku": "ACHAR-1", "clf_id": "clf-kanti", "title_en": "Mango pickle", "title_hi": "आम का अचार",
              "hsn_code": "2001", "gst_rate_bp": 1200, "mrp_paise": 25000, "price_paise": 19900,
              "category": "pickles", "shg_ids": ["shg-laxmi"], "status": "published", **changes}  # fmt: skip
    catalog_events.on_product_event(uow, new_event(ProductPublishedV1(**fields), service="catalog"))


def received(uow: FakeOrdersUnitOfWork, n: int = 1, *, state: str = "Bihar", status: str = "open",
             at: datetime = NOW) -> str:  # fmt: skip
    kind = MarketplaceOrderReceivedV1 if status == "open" else MarketplaceOrderUpdatedV1
    order = kind(
        order_key=f"amazon-{n}", channel="amazon", marketplace_order_id=f"408-{n}", seller_account_id="sa-1",
        clf_id="clf-kanti", status=status, marketplace_status=status, purchased_at=NOW, marketplace_updated_at=at,
        shipping_address={"state": state, "city": "Patna"},
        items=[{"sku": "ACHAR-1", "quantity": 2, "unit_price_paise": 22400, "marketplace_item_id": f"{n}-1"}],
    )  # fmt: skip
    intake.on_marketplace_order(uow, new_event(order, service="connectors"))
    return order.order_key


def walk(uow: FakeOrdersUnitOfWork, order_id: str, *actions: str) -> None:
    for action in actions:
        apply_action(uow, order_id, action, "didi", carrier="India Post", tracking_id="EE1")


def test_a_marketplace_order_is_made_once_and_follows_only_newer_reports():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    received(uow)  # the same report again
    assert uow.emitted_types().count("haat.orders.order.created.v1") == 1
    received(uow, status="shipped", at=NOW + timedelta(minutes=5))
    received(uow, status="open", at=NOW + timedelta(minutes=1))  # older, arriving late: changes nothing
    assert uow.orders.get(order_id).state == "shipped"
    moves = [t.rsplit(".", 2)[-2] for t in uow.emitted_types()]
    assert moves == ["created", "accepted", "packed", "shipped"]
    assert [after for _, after, _, _ in uow.orders.history[order_id]] == ["created", "accepted", "packed", "shipped"]


def test_shipping_issues_the_gst_invoice_in_the_same_unit_of_work():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    inside, outside = received(uow, 1, state="Bihar"), received(uow, 2, state="Odisha")
    walk(uow, inside, "accept", "pack", "ship")
    walk(uow, outside, "accept", "pack", "ship")
    bill = uow.invoices.issued(inside, ("tax_invoice",))
    assert bill["number"] == f"KANT/{financial_year(NOW.date())}/00001"
    line = bill["lines"][0]
    # The catalog recorded the pickle at 12%, the rate before 22 Sep 2025; the invoice charges the rate in force
    # on its date, 5%: ₹448 paid for two jars is ₹426.67 taxable and ₹21.33 GST, CGST and SGST half each.
    assert line["gst_rate_bp"] == 500
    assert (line["taxable_paise"], line["cgst_paise"], line["sgst_paise"], line["igst_paise"]) == (42667, 1066, 1067, 0)
    other = uow.invoices.issued(outside, ("tax_invoice",))
    assert other["number"].endswith("/00002")
    assert (other["lines"][0]["igst_paise"], other["supply"]) == (2133, "inter_state")
    assert bill["total_in_words"] == "four hundred forty-eight rupees only"


def test_an_invoice_waits_for_a_product_orders_does_not_know_and_takes_no_serial():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    uow.references.products.clear()  # the product's event has not arrived yet
    walk(uow, order_id, "accept", "pack", "ship")
    assert uow.invoices.issued(order_id, ("tax_invoice",)) is None  # deferred, the shipment still happened
    assert uow.orders.get(order_id).state == "shipped"
    assert uow.invoices.counters == {}
    product(uow)
    assert invoicing.issue(uow, order_id, "invoice")["number"].endswith("/00001")  # issued when asked for


def test_a_bill_of_supply_for_a_clf_without_gstin_has_no_tax():
    uow = FakeOrdersUnitOfWork()
    catalog(uow, gstin=None)
    order_id = received(uow)
    walk(uow, order_id, "accept", "pack", "ship")
    bill = uow.invoices.issued(order_id, ("bill_of_supply",))
    assert bill["totals"]["gross_paise"] == bill["totals"]["taxable_paise"] == 44800


def test_a_clf_that_registers_for_gst_later_issues_tax_invoices_from_then_on():
    uow = FakeOrdersUnitOfWork()
    catalog(uow, gstin=None)
    before = received(uow, 1)
    walk(uow, before, "accept", "pack", "ship")
    later = ClfUpdatedV1(clf_id="clf-kanti", name="Kanti CLF", gstin="10AABCB1334K1ZB", state_code="10",
                         state_name="Bihar", district_name="Muzaffarpur", address="Block office, Kanti",
                         pincode="843109")  # fmt: skip
    invoicing.on_clf_registered(uow, new_event(later, service="catalog"))
    after = received(uow, 2)
    walk(uow, after, "accept", "pack", "ship")
    assert uow.invoices.issued(before, ("bill_of_supply",)) is not None  # what was issued stays as it was
    invoice = uow.invoices.issued(after, ("tax_invoice",))
    assert invoice["supplier"]["gstin"] == "10AABCB1334K1ZB"
    assert (invoice["supplier"]["address"], invoice["supplier"]["pincode"]) == ("Block office, Kanti", "843109")
    assert (invoice["supplier"]["gst_state_code"], invoice["place_of_supply_code"]) == ("10", "10")


def test_delivery_earns_the_shg_its_line_and_a_return_takes_it_back_with_a_credit_note():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    walk(uow, order_id, "accept", "pack", "ship", "deliver")
    (sale,) = uow.ledger.sales_of(order_id)
    assert (sale.shg_id, sale.gross_paise, sale.taxable_paise) == ("shg-laxmi", 44800, 42667)  # as invoiced: 5%
    walk(uow, order_id, "return")
    note = uow.invoices.issued(order_id, ("credit_note",))
    assert note["against_invoice"] == uow.invoices.issued(order_id, ("tax_invoice",))["number"]
    kinds = sorted(line["kind"] for line in uow.ledger.lines.values())
    assert kinds == ["reversal", "sale"]
    assert sum(line["gross_paise"] for line in uow.ledger.lines.values()) == 0


def test_settlements_add_up_to_their_lines_and_are_paid_once():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    for n in (1, 2):
        walk(uow, received(uow, n), "accept", "pack", "ship", "deliver")
    settings = OrdersSettings.model_construct(
        marketplace_fee_bp={"amazon": 900}, shipping_fee_paise={"amazon": 4000}, tcs_bp=50, tds_bp=10
    )
    (made,) = settlements.draw_up(uow, ADMIN, settings, NOW + timedelta(days=1), None)
    lines = [line for line in uow.ledger.lines.values() if line["settlement_id"] == made["id"]]
    assert made["lines"] == 2
    assert made["net_paise"] == sum(line["net_paise"] for line in lines)
    assert made["gross_paise"] - made["fees_paise"] - made["tcs_paise"] - made["tds_paise"] == made["net_paise"]
    assert settlements.draw_up(uow, ADMIN, settings, NOW + timedelta(days=1), None) == []  # nothing settles twice
    with pytest.raises(NotAllowed):
        settlements.mark_paid(uow, Caller(subject="c", role="coordinator", clf_id="clf-kanti"), made["id"], "UTR1")
    uow.ledger.mark_paid(made["id"], NOW, "UTR1")
    with pytest.raises(Conflict, match="UTR1"):
        settlements.mark_paid(uow, ADMIN, made["id"], "UTR2")


def test_an_illegal_move_is_refused_and_nothing_is_recorded():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    before = list(uow.emitted)
    with pytest.raises(IllegalTransition, match="created"):
        apply_action(uow, order_id, "ship", "didi")
    assert uow.emitted == before
    assert len(uow.orders.history[order_id]) == 1


def test_the_house_that_reserved_the_stock_is_the_orders_house():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    change = StockChangedV1(clf_id="clf-kanti", sku="ACHAR-1", packaging_house_id="ph-1", on_hand=10, reserved=2,
                            available=8, available_total=8, reason="reservation", order_id=order_id)  # fmt: skip
    stock_feedback.on_stock_changed(uow, new_event(change, service="catalog"))
    walk(uow, order_id, "accept")
    (accepted,) = [e for e in uow.emitted if e.type.endswith("accepted.v1")]
    assert accepted.data["packaging_house_id"] == "ph-1"
    assert uow.orders.stock[order_id] == "reserved"


def test_an_older_product_event_never_overwrites_a_newer_snapshot():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    newer = new_event(ProductPublishedV1(sku="ACHAR-1", clf_id="clf-kanti", title_en="Mango pickle 2", hsn_code="2001",
                      gst_rate_bp=500, mrp_paise=1, price_paise=1, status="published"), service="catalog")  # fmt: skip
    older = newer.model_copy(update={"time": newer.time - timedelta(hours=1), "id": "older"})
    catalog_events.on_product_event(uow, newer)
    catalog_events.on_product_event(uow, older.model_copy(update={"data": {**older.data, "gst_rate_bp": 1800}}))
    assert uow.references.product("clf-kanti", "ACHAR-1").gst_rate_bp == 500


def test_a_price_shows_what_one_sale_pays_out_on_each_marketplace():
    found = {e["channel"]: e for e in settlements.estimate(OrdersSettings(), 5500, 500, "pickles", registered=True)}
    flipkart = found["flipkart"]
    # ₹55 on Flipkart: 8% commission ₹4.40, shipping ₹35, TCS 0.5% of the ₹52.38 taxable, TDS 0.1% of ₹55
    assert (flipkart["fee_paise"], flipkart["shipping_paise"], flipkart["tcs_paise"], flipkart["tds_paise"]) == (
        440, 3500, 26, 6)  # fmt: skip
    assert flipkart["net_paise"] == 5500 - 440 - 3500 - 26 - 6
    assert found["amazon"]["fee_paise"] == 495  # 9%
    handloom = settlements.estimate(OrdersSettings(), 100000, 500, "handloom", registered=False)
    assert {e["channel"]: e["fee_paise"] for e in handloom} == {"amazon": 7000, "flipkart": 6000}


def reserved_at(uow: FakeOrdersUnitOfWork, order_id: str, house: str) -> None:
    change = StockChangedV1(clf_id="clf-kanti", sku="ACHAR-1", packaging_house_id=house, on_hand=10, reserved=2,
                            available=8, available_total=8, reason="reservation", order_id=order_id)  # fmt: skip
    stock_feedback.on_stock_changed(uow, new_event(change, service="catalog"))


def test_staff_move_only_the_orders_they_may_see_and_get_documents_when_due():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    reserved_at(uow, order_id, "ph-1")
    packer = Caller(subject="user:p", role="fulfilment", packaging_house_id="ph-1")
    strangers = (Caller(subject="user:o", role="coordinator", clf_id="clf-other"),
                 Caller(subject="user:q", role="fulfilment", packaging_house_id="ph-2"))  # fmt: skip
    for stranger in strangers:
        with pytest.raises(NotFound):
            fulfilment.act(uow, stranger, order_id, "accept")
    with pytest.raises(NotAllowed):  # a partner granted the CLF reads its orders, never moves them
        fulfilment.act(uow, Caller(subject="key:k", role="partner", clf_ids=("clf-kanti",)), order_id, "accept")
    fulfilment.act(uow, packer, order_id, "accept")
    with pytest.raises(Conflict) as refused:
        fulfilment.act(uow, packer, order_id, "deliver")
    assert refused.value.extensions["current_state"] == "accepted"
    with pytest.raises(Conflict, match="invoiced when shipped"):
        fulfilment.document(uow, packer, order_id, "invoice")
    fulfilment.act(uow, packer, order_id, "pack", package={"weight_grams": 600})
    fulfilment.act(uow, packer, order_id, "ship", carrier="India Post", tracking_id="EE1")
    invoice = fulfilment.document(uow, packer, order_id, "invoice")
    assert invoice["number"] == f"KANT/{financial_year(NOW)}/00001"  # the first of the CLF's series this year
    assert fulfilment.document(uow, packer, order_id, "invoice")["number"] == invoice["number"]  # issued once
    with pytest.raises(Conflict, match="credit note is issued on return"):
        fulfilment.document(uow, packer, order_id, "credit_note")
    assert uow.orders.get(order_id).state == "shipped"


def test_an_order_the_stock_could_not_cover_is_marked_for_staff():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)
    order_id = received(uow)
    failed = StockReservationFailedV1(order_id=order_id, clf_id="clf-kanti",
                                      shortfalls=[{"sku": "ACHAR-1", "requested": 2, "available": 0}])  # fmt: skip
    stock_feedback.on_reservation_failed(uow, new_event(failed, service="catalog"))
    assert uow.orders.stock[order_id] == "shortfall"


def test_the_bank_file_pays_only_shgs_with_an_account_and_something_to_pay():
    uow = FakeOrdersUnitOfWork()
    catalog(uow)  # Laxmi SHG has bank account SBIN-1
    nobank = ShgRegisteredV1(shg_id="shg-durga", clf_id="clf-kanti", name="Durga SHG", bank_account_ref=None)
    settlements.on_shg_registered(uow, new_event(nobank, service="catalog"))
    end = datetime(2026, 11, 30, tzinfo=UTC)
    unpaid = [
        {"id": "set-1", "shg_id": "shg-laxmi", "net_paise": 123456, "has_bank_details": True, "period_end": end,
         "period_start": datetime(2026, 11, 1, tzinfo=UTC)},
        {"id": "set-2", "shg_id": "shg-durga", "net_paise": 5000, "has_bank_details": False, "period_end": end},
        {"id": "set-3", "shg_id": "shg-laxmi", "net_paise": -200, "has_bank_details": True, "period_end": end},
    ]  # fmt: skip
    lines = settlements.bank_file(uow, unpaid).strip().splitlines()
    assert lines[1:] == ["set-1,shg-laxmi,Laxmi SHG,SBIN-1,1234.56,Haat settlement 01-11-2026 to 30-11-2026"]
