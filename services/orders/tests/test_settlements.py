"""Settlements per SHG add up to the sum of their lines to the paisa; a return after delivery is taken back;
the bank file is a CSV a bank can read and never a formula; payment is recorded once."""

import csv
import io
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from haat.events.catalog import ClfRegisteredV1, ProductPublishedV1, ShgRegisteredV1
from haat.events.connectors import MarketplaceOrderReceivedV1
from haat.events.envelope import new_event
from haat_orders.domain.settlement import basis_points, payable, shares
from haat_orders.service_layer.catalog_events import on_product_event
from haat_orders.service_layer.intake import on_marketplace_order
from haat_orders.service_layer.invoicing import on_clf_registered
from haat_orders.service_layer.settlements import on_shg_registered
from haat_orders.service_layer.transitions import apply_action
from haat_testkit.callers import caller_headers


def test_deductions_round_to_the_paisa_and_shares_add_up():
    assert basis_points(39800, 900) == 3582  # 9% of ₹398.00
    assert basis_points(1001, 50) == 5  # 0.5% of ₹10.01 = 5.005 paise → 5
    assert shares(4000, [39800, 14990, 1]) == [2906, 1094, 0]  # 2905.6, 1094.3, 0.07: the .6 gets the paisa
    assert sum(shares(3500, [3, 3, 3])) == 3500
    owed = payable(39800, 35536, 2903, fee_bp=900, tcs_bp=50, tds_bp=10)
    assert (owed.fee_paise, owed.tcs_paise, owed.tds_paise) == (3582, 178, 40)
    assert owed.net_paise == 39800 - 3582 - 2903 - 178 - 40


def seed(runtime) -> None:
    events = [
        ClfRegisteredV1(clf_id="clf-kanti", name="Kanti CLF", gstin="10AAAAA0000A1Z5", state_code="10",
                        state_name="Bihar", district_name="Muzaffarpur"),
        ShgRegisteredV1(shg_id="shg-laxmi", clf_id="clf-kanti", name="Laxmi SHG", bank_account_ref="=HYPERLINK(1)"),
        ShgRegisteredV1(shg_id="shg-durga", clf_id="clf-kanti", name="Durga SHG", bank_account_ref="SBIN0001234-77"),
        ProductPublishedV1(sku="ACHAR-1", clf_id="clf-kanti", title_en="Mango pickle", hsn_code="2001",
                           gst_rate_bp=1200, mrp_paise=25000, price_paise=19900, category="pickles",
                           shg_ids=["shg-laxmi"], status="published"),
        ProductPublishedV1(sku="KHES-1", clf_id="clf-kanti", title_en="Khes", hsn_code="6304", gst_rate_bp=500,
                           mrp_paise=180000, price_paise=149900, category="handloom", shg_ids=["shg-durga"],
                           status="published"),
    ]  # fmt: skip
    handlers = {"ClfRegisteredV1": on_clf_registered, "ShgRegisteredV1": on_shg_registered}
    with runtime.unit_of_work() as uow:
        for data in events:
            handlers.get(type(data).__name__, on_product_event)(uow, new_event(data, service="catalog"))
        for n, items in enumerate(([("ACHAR-1", 2), ("KHES-1", 1)], [("ACHAR-1", 1)], [("KHES-1", 1)])):
            order = MarketplaceOrderReceivedV1(
                order_key=f"amazon-{n}", channel="amazon", marketplace_order_id=str(n), seller_account_id="sa",
                clf_id="clf-kanti", status="open", marketplace_status="Unshipped", purchased_at=datetime.now(UTC),
                marketplace_updated_at=datetime.now(UTC), shipping_address={"state": "Bihar"},
                items=[{"sku": sku, "quantity": q, "unit_price_paise": 19900 if sku == "ACHAR-1" else 149900,
                        "marketplace_item_id": f"{n}-{sku}"} for sku, q in items],
            )  # fmt: skip
            on_marketplace_order(uow, new_event(order, service="connectors"))
            for action in ("accept", "pack", "ship", "deliver"):
                apply_action(uow, order.order_key, action, "staff", carrier="Post", tracking_id="T")
        apply_action(uow, "amazon-2", "return", "staff", "wrong colour")  # delivered, then returned
        uow.commit()


def test_settlements_per_shg_add_up_and_returns_are_taken_back(service):
    runtime = service("orders")
    seed(runtime)
    admin = caller_headers(runtime.settings, "admin")
    other = caller_headers(runtime.settings, "coordinator", clf_id="clf-other")
    with TestClient(runtime.definition.create_app(runtime)) as client:
        period_end = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        made = client.post("/v1/settlements", json={"period_end": period_end}, headers=admin)
        assert made.status_code == 201, made.text
        by_shg = {s["shg_id"]: s for s in made.json()}
        assert set(by_shg) == {"shg-laxmi", "shg-durga"}
        for settlement in by_shg.values():
            full = client.get(f"/v1/settlements/{settlement['id']}", headers=admin).json()
            assert settlement["net_paise"] == sum(line["net_paise"] for line in full["items"])
            assert settlement["gross_paise"] == sum(line["gross_paise"] for line in full["items"])
        laxmi = by_shg["shg-laxmi"]
        assert laxmi["gross_paise"] == 19900 * 3
        durga = client.get(f"/v1/settlements/{by_shg['shg-durga']['id']}", headers=admin).json()
        kinds = sorted((line["order_id"], line["kind"]) for line in durga["items"])
        assert kinds == [("amazon-0", "sale"), ("amazon-2", "reversal"), ("amazon-2", "sale")]
        assert durga["gross_paise"] == 149900  # the returned khes is taken back in full
        # A second draw-up finds nothing new: no line is settled twice.
        assert client.post("/v1/settlements", json={"period_end": period_end}, headers=admin).json() == []
        assert client.get(f"/v1/settlements/{laxmi['id']}", headers=other).status_code == 404

        bank = client.get("/v1/settlements/bank-file.csv", headers=admin)
        rows = list(csv.DictReader(io.StringIO(bank.text)))
        assert {r["shg_id"] for r in rows} == {"shg-laxmi", "shg-durga"}
        assert next(r for r in rows if r["shg_id"] == "shg-laxmi")["bank_account_ref"] == "'=HYPERLINK(1)"
        assert next(r for r in rows if r["shg_id"] == "shg-laxmi")["amount_inr"] == f"{laxmi['net_paise'] / 100:.2f}"

        assert (
            client.post(f"/v1/settlements/{laxmi['id']}/paid", json={"reference": "UTR1"}, headers=other).status_code
            == 403
        )
        paid = client.post(f"/v1/settlements/{laxmi['id']}/paid", json={"reference": "UTR123"}, headers=admin)
        assert paid.json()["payment_reference"] == "UTR123"
        again = client.post(f"/v1/settlements/{laxmi['id']}/paid", json={"reference": "UTR999"}, headers=admin)
        assert again.status_code == 409
        assert [r["shg_id"] for r in csv.DictReader(io.StringIO(client.get(
            "/v1/settlements/bank-file.csv", headers=admin).text))] == ["shg-durga"]  # fmt: skip
        listed = {s["shg_id"]: s for s in client.get("/v1/settlements", headers=admin).json()["items"]}
        assert (listed["shg-durga"]["shg_name"], listed["shg-durga"]["has_bank_details"]) == ("Durga SHG", True)
        assert listed["shg-durga"]["period_start"] is not None  # the period as a range of dates

        # An SHG whose bank details are gone is left out of the bank file (the page says so), not sent blank.
        with runtime.unit_of_work() as uow:
            gone = ShgRegisteredV1(shg_id="shg-durga", clf_id="clf-kanti", name="Durga SHG", bank_account_ref=None)
            on_shg_registered(uow, new_event(gone, service="catalog"))
            uow.commit()
        assert client.get("/v1/settlements/bank-file.csv", headers=admin).text.count("\n") == 1  # the header
        listed = {s["shg_id"]: s for s in client.get("/v1/settlements", headers=admin).json()["items"]}
        assert listed["shg-durga"]["has_bank_details"] is False


def test_pick_list_and_sales_report(service):
    runtime = service("orders")
    seed(runtime)
    admin = caller_headers(runtime.settings, "admin")
    coordinator = caller_headers(runtime.settings, "coordinator", clf_id="clf-kanti")
    with TestClient(runtime.definition.create_app(runtime)) as client:
        picks = client.post("/v1/picklists", json={"order_ids": ["amazon-0", "amazon-1"]}, headers=admin).json()
        assert [(line["sku"], line["quantity"]) for line in picks["lines"]] == [("ACHAR-1", 3), ("KHES-1", 1)]
        unknown = client.post("/v1/picklists", json={"order_ids": ["amazon-0", "nope"]}, headers=admin)
        assert unknown.status_code == 404
        by_shg = client.get("/v1/reports/sales?group_by=shg", headers=coordinator).json()["items"]
        assert {r["group"]: r["gross_paise"] for r in by_shg} == {"shg-laxmi": 59700, "shg-durga": 149900}
        monthly = client.get("/v1/reports/sales?group_by=month&format=csv", headers=admin)
        assert monthly.text.splitlines()[0] == "month,orders,gross_inr,net_inr"
        assert ",3,2096.00," in monthly.text.splitlines()[1]  # three orders; the returned khes taken back
        by_district = client.get("/v1/reports/sales?group_by=district", headers=admin).json()["items"]
        assert [(r["group"], r["orders"]) for r in by_district] == [("Muzaffarpur", 3)]
        durga = client.get("/v1/orders?shg_id=shg-durga", headers=admin).json()["items"]
        assert sorted(o["id"] for o in durga) == ["amazon-0", "amazon-2"]  # the orders with her khes
        ungranted = caller_headers(runtime.settings, "partner")
        assert client.get("/v1/reports/sales", headers=ungranted).json()["items"] == [], "a partner sees its grant"
        granted = caller_headers(runtime.settings, "partner", clf_ids=("clf-kanti",))
        by_shg_for_partner = client.get("/v1/reports/sales?group_by=shg", headers=granted).json()["items"]
        assert {r["group"] for r in by_shg_for_partner} == {"shg-laxmi", "shg-durga"}
        fulfilment = caller_headers(runtime.settings, "fulfilment", packaging_house_id="ph-1")
        assert client.get("/v1/reports/sales", headers=fulfilment).status_code == 403
