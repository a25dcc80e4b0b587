"""Bulk upload on PostgreSQL: template, row-by-row report in Hindi and English, good rows saved and
bad rows reported exactly, re-upload without duplicates, resume after an interruption."""

import csv
import io
import threading

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from haat_catalog.adapters.orm import products
from haat_catalog.adapters.unit_of_work import unit_of_work
from haat_catalog.service_layer.imports import CHUNK_ROWS, process_import
from haat_testkit.catalog_factories import HEADERS, csv_bytes, row


def upload(client, content: bytes, name: str = "products.csv", **form):
    """An upload applied at once, as an automated client asks for it; the pages preview first (preview=true)."""
    return client.post("/v1/products/import", files={"file": (name, content)}, data={"preview": "false", **form})


def count_products(catalog) -> int:
    with catalog.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(products)))


def test_templates_have_hindi_and_english_headers(api):
    client = api.as_("coordinator", "clf-a")
    template = client.get("/v1/products/import-template")
    assert template.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert header[0] == "SKU / एसकेयू"
    assert "MRP (₹) / एमआरपी (₹)" in header
    xlsx = client.get("/v1/products/import-template", params={"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert [cell.value for cell in workbook.active[1]] == header
    # Sheets listing what the columns take: every category key, and her CLF's SHGs by id and name.
    assert ("pickles", "Pickles", "अचार") in [tuple(r) for r in workbook["categories"].iter_rows(values_only=True)]
    shg_ids = [row[0] for row in workbook["shgs"].iter_rows(min_row=2, values_only=True)]
    assert "clf-a-shg-1" in shg_ids
    assert all(i.startswith("clf-a-") for i in shg_ids)


def test_good_rows_are_saved_and_bad_rows_reported_in_both_languages(api, catalog):
    client = api.as_("coordinator", "clf-a")
    rows = [
        row(sku="GOOD-1"),
        row(sku="GOOD-2", title_en="", title_hi="हथकरघा गमछा", mrp="400", price="349"),
        row(sku="BAD-PRICE", mrp="100", price="120"),
        row(sku="BAD-RUPEES", price="twelve"),
        row(sku="BAD-GST", gst_rate="13%"),
        row(sku="", title_en="no sku"),
        row(sku="GOOD-1", title_en="duplicate of row 2"),
        row(sku="BAD-SHG", shg_ids="clf-b-shg-1"),
        row(sku="FOOD-1", category="pickles", hsn_code="2001"),
        row(sku="FORMULA-1", title_en='=HYPERLINK("http://evil")', hsn_code="12"),
    ]
    accepted = upload(client, csv_bytes(rows), preview="true")
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert accepted.headers["location"] == f"/v1/imports/{job['id']}"
    assert (job["status"], job["total_rows"]) == ("previewing", 10)

    # The preview says what the file would do, and changes nothing.
    process_import(lambda: unit_of_work(catalog), job["id"])
    previewed = client.get(f"/v1/imports/{job['id']}").json()
    assert previewed["status"] == "previewed"
    assert previewed["preview"] == {"created": ["GOOD-1", "GOOD-2"], "updated": [], "live": [], "unchanged": [],
                                    "bad": [4, 5, 6, 7, 8, 9, 10, 11]}  # fmt: skip
    assert len(previewed["errors"]) == 9
    assert count_products(catalog) == 0
    client.post(f"/v1/imports/{job['id']}/confirm", json={"change_live": False}).raise_for_status()
    assert client.post(f"/v1/imports/{job['id']}/confirm", json={}).status_code == 409  # chosen once

    process_import(lambda: unit_of_work(catalog), job["id"])
    report = client.get(f"/v1/imports/{job['id']}").json()
    assert (report["status"], report["progress_percent"]) == ("done", 100)
    assert (report["created_rows"], report["updated_rows"], report["failed_rows"]) == (2, 0, 8)
    problems = {(e["row"], e["column"]) for e in report["errors"]}
    assert problems == {
        (4, "price"), (5, "price"), (6, "gst_rate"), (7, "sku"), (8, "sku"), (9, "shg_ids"),
        (10, "fssai_licence"), (10, "shelf_life_days"), (11, "hsn_code"),
    }  # fmt: skip
    duplicate = next(e for e in report["errors"] if e["row"] == 8)
    assert "row 2" in duplicate["message"]
    hindi = client.get(f"/v1/imports/{job['id']}", headers={"Accept-Language": "hi-IN"}).json()
    assert next(e for e in hindi["errors"] if e["row"] == 8)["message"] == "यही एसकेयू इस फ़ाइल की पंक्ति 2 पर भी है"
    assert count_products(catalog) == 2
    gamcha = client.get("/v1/products/GOOD-2").json()
    assert (gamcha["title_hi"], gamcha["mrp_paise"], gamcha["price_paise"]) == ("हथकरघा गमछा", 40000, 34900)
    assert client.get("/v1/products/GOOD-1").json()["price_paise"] == 149950
    assert client.get("/v1/products/GOOD-1").json()["length_mm"] == 400

    errors_csv = client.get(f"/v1/imports/{job['id']}/errors.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in errors_csv or "=HYPERLINK" not in errors_csv, "no formula is exported as a formula"
    assert "यही एसकेयू" in errors_csv
    # The bad rows as uploaded, ready to fix and upload again: the template's columns and a problem column.
    lines = list(csv.reader(io.StringIO(errors_csv)))
    assert lines[0] == [*HEADERS, "Problem / समस्या"]
    bad_price = next(line for line in lines if line[0] == "BAD-PRICE")
    assert bad_price[: len(HEADERS)] == row(sku="BAD-PRICE", mrp="100", price="120")
    assert "price" in bad_price[-1]
    assert len(lines) == 1 + 8


def test_reuploading_updates_instead_of_duplicating(api, catalog):
    client = api.as_("coordinator", "clf-a")
    first = upload(client, csv_bytes([row(sku="A"), row(sku="B")])).json()
    process_import(lambda: unit_of_work(catalog), first["id"])
    again = upload(client, csv_bytes([row(sku="A", price="1000"), row(sku="B")])).json()
    process_import(lambda: unit_of_work(catalog), again["id"])
    report = client.get(f"/v1/imports/{again['id']}").json()
    assert (report["created_rows"], report["updated_rows"], report["failed_rows"]) == (0, 1, 0)  # B: as it was
    assert count_products(catalog) == 2
    assert client.get("/v1/products/A").json()["price_paise"] == 100000


def test_a_live_product_changes_only_when_the_person_chooses_so(api, catalog):
    didi, admin = api.as_("coordinator", "clf-a"), api.as_("admin")
    process_import(
        lambda: unit_of_work(catalog), upload(didi, csv_bytes([row(sku="LIVE"), row(sku="DRAFT")])).json()["id"]
    )
    for action in ("submit", "approve", "publish"):
        admin.post("/v1/products/LIVE/" + action).raise_for_status()
    changed = csv_bytes([row(sku="LIVE", price="999", title_en="Renamed"), row(sku="DRAFT", price="999")])

    job = upload(didi, changed, preview="true", submit="true").json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    preview = didi.get(f"/v1/imports/{job['id']}").json()["preview"]
    assert (preview["live"], preview["updated"]) == (["LIVE"], ["DRAFT"])
    didi.post(f"/v1/imports/{job['id']}/confirm", json={"change_live": False}).raise_for_status()
    process_import(lambda: unit_of_work(catalog), job["id"])
    report = didi.get(f"/v1/imports/{job['id']}", headers={"Accept-Language": "hi"}).json()
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(2, "live_not_changed")]
    assert "मार्केटप्लेस पर है" in report["errors"][0]["message"]
    live = didi.get("/v1/products/LIVE").json()
    assert (live["price_paise"], live["title_en"], live["status"]) == (149950, "Cotton khes", "published")
    draft = didi.get("/v1/products/DRAFT").json()
    assert (draft["price_paise"], draft["status"]) == (99900, "submitted")  # "send for approval" held for it

    job = upload(didi, changed, preview="true").json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    didi.post(f"/v1/imports/{job['id']}/confirm", json={"change_live": True}).raise_for_status()
    process_import(lambda: unit_of_work(catalog), job["id"])
    assert didi.get("/v1/products/LIVE").json()["price_paise"] == 99900

    job = upload(didi, changed, preview="true").json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    assert didi.post(f"/v1/imports/{job['id']}/discard").json()["status"] == "discarded"


def test_a_wrong_file_is_refused_at_once_with_a_reason(api):
    client = api.as_("coordinator", "clf-a")
    not_utf8 = upload(client, "SKU,Title (Hindi)\nS-1,caf\xe9\n".encode("latin-1"))
    assert not_utf8.status_code == 422
    assert "CSV UTF-8" in not_utf8.json()["detail"]
    assert "UTF-8" in not_utf8.json()["detail_hi"]
    assert upload(client, b"PK\x03\x04 not really", name="products.xlsx").status_code == 422
    assert upload(client, b"%PDF-1.4", name="products.pdf").status_code == 422
    no_header = upload(client, csv_bytes([row()], headers=["a", "b"]))
    assert no_header.status_code == 422
    assert "header" in no_header.json()["detail"]
    other_clf = upload(client, csv_bytes([row()]), clf_id="clf-b")
    assert other_clf.status_code == 404


def test_another_clfs_import_is_not_found(api, catalog):
    job = upload(api.as_("coordinator", "clf-a"), csv_bytes([row()])).json()
    assert api.as_("coordinator", "clf-b").get(f"/v1/imports/{job['id']}").status_code == 404


class StopAfter(threading.Event):
    """A stop signal that fires after `checks` looks at it: an interruption between chunks."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.checks = checks

    def is_set(self) -> bool:
        self.checks -= 1
        return self.checks < 0


def test_an_interrupted_import_resumes_where_it_stopped(api, catalog):
    client = api.as_("coordinator", "clf-a")
    rows = [row(sku=f"R-{i}") for i in range(CHUNK_ROWS + 50)]
    job = upload(client, csv_bytes(rows)).json()
    process_import(lambda: unit_of_work(catalog), job["id"], StopAfter(1))
    halfway = client.get(f"/v1/imports/{job['id']}").json()
    assert (halfway["status"], halfway["processed_rows"]) == ("running", CHUNK_ROWS)
    process_import(lambda: unit_of_work(catalog), job["id"])
    done = client.get(f"/v1/imports/{job['id']}").json()
    assert (done["status"], done["created_rows"], done["failed_rows"]) == ("done", CHUNK_ROWS + 50, 0)
    assert count_products(catalog) == CHUNK_ROWS + 50


def test_ten_thousand_rows_of_xlsx_with_three_percent_bad(api, catalog):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    bad_rows = set()
    for i in range(10_000):
        if i % 33 == 0:  # 304 bad rows: ~3%
            sheet.append(row(sku=f"X-{i}", gst_rate="7"))
            bad_rows.add(i + 2)
        else:
            sheet.append(row(sku=f"X-{i}", title_hi=f"खेस नंबर {i}"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = api.as_("coordinator", "clf-a")
    job = upload(client, buffer.getvalue(), name="big.xlsx").json()
    assert job["total_rows"] == 10_000
    process_import(lambda: unit_of_work(catalog), job["id"])
    report = client.get(f"/v1/imports/{job['id']}").json()
    assert report["failed_rows"] == len(bad_rows) == 304
    assert report["created_rows"] == 10_000 - 304
    assert {e["row"] for e in report["errors"]} == bad_rows
    assert {e["column"] for e in report["errors"]} == {"gst_rate"}
    assert count_products(catalog) == 10_000 - 304


def test_overlong_text_is_a_row_error_not_a_failed_chunk(api, catalog):
    client = api.as_("coordinator", "clf-a")
    job = upload(client, csv_bytes([row(sku="LONG", title_en="x" * 501), row(sku="FINE")])).json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    report = client.get(f"/v1/imports/{job['id']}").json()
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [(2, "title_en", "too_long")]
    assert report["created_rows"] == 1


def test_a_row_only_the_database_refuses_fails_alone(api, catalog, monkeypatch):
    from haat_catalog.adapters.repository import ProductRepository

    client = api.as_("coordinator", "clf-a")
    assert client.post("/v1/products", json={"sku": "TAKEN", **_api_fields()}).status_code == 201
    # The import does not see TAKEN (as if it was created by hand after the chunk read its rows).
    monkeypatch.setattr(ProductRepository, "get_many", lambda self, clf_id, skus, for_update=False: {})
    job = upload(client, csv_bytes([row(sku="NEW-1"), row(sku="TAKEN"), row(sku="NEW-2")])).json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    report = client.get(f"/v1/imports/{job['id']}").json()
    assert (report["created_rows"], report["failed_rows"]) == (2, 1)
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(3, "database")]
    assert count_products(catalog) == 3


def _api_fields() -> dict:
    from haat_testkit.catalog_factories import product_fields

    return {k: v for k, v in product_fields(clf_id="clf-a").items() if k != "sku"}
