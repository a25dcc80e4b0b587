"""GST invoices checked against hand-computed values, numbers that never repeat under concurrent shipping,
and a credit note on return."""

import threading
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from haat.events.catalog import ClfRegisteredV1, ProductPublishedV1
from haat.events.connectors import MarketplaceOrderReceivedV1
from haat.events.envelope import new_event
from haat_orders.adapters.tables import invoices
from haat_orders.domain.gst import financial_year, number_in_words, rupees_in_words, tax_line
from haat_orders.service_layer.catalog_events import on_product_event
from haat_orders.service_layer.intake import on_marketplace_order
from haat_orders.service_layer.invoicing import on_clf_registered
from haat_orders.service_layer.transitions import apply_action
from haat_testkit.callers import caller_headers


def test_tax_split_against_hand_computed_values():
    # ₹199.00 x 2 at 12%: taxable 398 / 1.12 = 355.357… → ₹355.36; tax ₹42.64 → CGST 21.32 + SGST 21.32.
    intra = tax_line("ACHAR", "Mango pickle", "2001", 2, 19900, 1200, intra_state=True)
    assert (intra.taxable_paise, intra.cgst_paise, intra.sgst_paise, intra.igst_paise) == (35536, 2132, 2132, 0)
    # ₹1,499.00 at 5% to another state: 1499 / 1.05 = 1427.619… → ₹1,427.62; IGST ₹71.38.
    inter = tax_line("KHES", "Khes", "6304", 1, 149900, 500, intra_state=False)
    assert (inter.taxable_paise, inter.cgst_paise, inter.sgst_paise, inter.igst_paise) == (142762, 0, 0, 7138)
    # An odd paisa of tax goes to SGST: ₹10.01 at 18% → taxable 8.48, tax 1.53 → 0.76 + 0.77.
    odd = tax_line("X", "x", "9503", 1, 1001, 1800, intra_state=True)
    assert (odd.taxable_paise, odd.cgst_paise, odd.sgst_paise) == (848, 76, 77)
    assert financial_year(date(2026, 11, 24)) == "2627"
    assert financial_year(date(2027, 3, 31)) == "2627"
    assert financial_year(date(2027, 4, 1)) == "2728"
    assert number_in_words(12345678) == "one crore twenty-three lakh forty-five thousand six hundred seventy-eight"
    assert rupees_in_words(39800) == "three hundred ninety-eight rupees only"
    assert rupees_in_words(100) == "one rupee only"


def seed(runtime, orders: int, buyer_state: str = "Bihar", gstin: str | None = "10AAAAA0000A1Z5") -> list[str]:
    registered = ClfRegisteredV1(
        clf_id="clf-kanti", name="Kanti Jeevika Mahila CLF", gstin=gstin, state_code="10", state_name="Bihar",
        district_name="Muzaffarpur",
    )  # fmt: skip
    product = ProductPublishedV1(
        sku="ACHAR-1", clf_id="clf-kanti", title_en="Mango pickle", title_hi="आम का अचार", hsn_code="2001",
        gst_rate_bp=500, mrp_paise=25000, price_paise=19900, status="published",
    )  # fmt: skip
    ids = []
    with runtime.unit_of_work() as uow:
        on_clf_registered(uow, new_event(registered, service="catalog"))
        on_product_event(uow, new_event(product, service="catalog"))
        for n in range(orders):
            order = MarketplaceOrderReceivedV1(
                order_key=f"amazon-408-{n:07d}", channel="amazon", marketplace_order_id=f"408-{n:07d}",
                seller_account_id="sa-1", clf_id="clf-kanti", status="open", marketplace_status="Unshipped",
                purchased_at=datetime.now(UTC), marketplace_updated_at=datetime.now(UTC),
                shipping_address={"state": buyer_state, "city": "Patna", "postal_code": "800001"},
                items=[{"sku": "ACHAR-1", "quantity": 2, "unit_price_paise": 19900, "marketplace_item_id": f"{n}"}],
            )  # fmt: skip
            on_marketplace_order(uow, new_event(order, service="connectors"))
            ids.append(order.order_key)
        uow.commit()
    return ids


def ship(runtime, order_id: str) -> None:
    with runtime.unit_of_work() as uow:
        for action in ("accept", "pack", "ship"):
            apply_action(uow, order_id, action, "staff", carrier="India Post", tracking_id="EE1")
        uow.commit()


def test_intra_and_inter_state_invoices_and_a_credit_note(service):
    runtime = service("orders")
    (local,) = seed(runtime, 1)
    ship(runtime, local)
    admin = caller_headers(runtime.settings, "admin")
    with TestClient(runtime.definition.create_app(runtime)) as client:
        invoice = client.get(f"/v1/orders/{local}/invoice", headers=admin).json()
        assert invoice["kind"] == "tax_invoice"
        assert invoice["supply"] == "intra_state"
        assert invoice["number"] == f"KANT/{financial_year(date.today())}/00001"
        assert len(invoice["number"]) <= 16
        # ₹398 for two jars of pickle at 5%: taxable 398 / 1.05 = 379.047… → ₹379.05, GST ₹18.95 in halves
        assert invoice["totals"] == {"taxable_paise": 37905, "cgst_paise": 947, "sgst_paise": 948,
                                     "igst_paise": 0, "gross_paise": 39800}  # fmt: skip
        assert invoice["lines"][0]["hsn_code"] == "2001"
        assert invoice["total_in_words"] == "three hundred ninety-eight rupees only"
        assert client.get(f"/v1/orders/{local}/credit-note", headers=admin).status_code == 409

        with runtime.unit_of_work() as uow:
            apply_action(uow, local, "return", "staff", "damaged in transit", restocked=False)
            uow.commit()
        note = client.get(f"/v1/orders/{local}/credit-note", headers=admin).json()
        assert note["kind"] == "credit_note"
        assert note["against_invoice"] == invoice["number"]
        assert note["number"].startswith("KANTC/")
        assert note["totals"]["gross_paise"] == 39800
        assert (
            client.get(f"/v1/orders/{local}/invoice", headers={**admin, "accept": "application/pdf"}).status_code == 200
        )


def test_an_order_to_another_state_pays_igst(service):
    runtime = service("orders")
    (far,) = seed(runtime, 1, buyer_state="Karnataka")
    ship(runtime, far)
    with runtime.engine.connect() as conn:
        document = conn.execute(select(invoices.c.document)).scalar_one()
    assert document["supply"] == "inter_state"
    assert document["totals"]["igst_paise"] == 1895
    assert document["totals"]["cgst_paise"] == 0


def test_invoice_numbers_never_repeat_under_concurrent_shipping(service):
    runtime = service("orders")
    ids = seed(runtime, 24)
    errors = []

    def ship_some(chunk):
        for order_id in chunk:
            try:
                ship(runtime, order_id)
            except Exception as error:  # pragma: no cover - shown by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=ship_some, args=(ids[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with runtime.engine.connect() as conn:
        numbers = sorted(conn.execute(select(invoices.c.number)).scalars())
    year = financial_year(date.today())
    assert numbers == [f"KANT/{year}/{n:05d}" for n in range(1, 25)]  # 24 invoices, no gap, no repeat


def test_a_seller_without_gstin_issues_bills_of_supply(service):
    runtime = service("orders")
    (order,) = seed(runtime, 1, gstin=None)
    ship(runtime, order)
    with runtime.engine.connect() as conn:
        document = conn.execute(select(invoices.c.document)).scalar_one()
    assert document["kind"] == "bill_of_supply"
    assert document["totals"]["cgst_paise"] + document["totals"]["igst_paise"] == 0
