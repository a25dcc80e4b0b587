"""The spreadsheet importer over generated files (hypothesis): any text a person may type (Devanagari,
emoji, formulas, very long cells) comes back as typed or as a row error; a file in the wrong encoding or not
a spreadsheet is refused with a reason; nothing exported back to a spreadsheet is ever a formula; a SKU
repeated in one file is saved once."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from haat.documents.spreadsheet_cells import safe_cell
from haat_catalog.adapters.spreadsheet import COLUMNS, MAX_CELL_CHARS, UnreadableFile, read
from haat_catalog.adapters.unit_of_work import unit_of_work
from haat_catalog.service_layer.imports import process_import

HEADERS = [c.header for c in COLUMNS]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
# What people type: Hindi and English, digits, punctuation, emoji, spreadsheet formulas.
TYPED = st.one_of(
    st.text(st.one_of(DEVANAGARI, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))), max_size=40),
    st.sampled_from(['=cmd|" /C calc"!A0', '=HYPERLINK("http://x")', "+91 98765 43210", "@SUM(A1)", "-5", "😀🙏"]),
)
HUGE = st.integers(MAX_CELL_CHARS - 5, MAX_CELL_CHARS + 50).map(lambda n: "क" * n)


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for number, cells in enumerate(rows, start=2):
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(number, column, value)
            cell.data_type = "s"  # typed text, even when it looks like a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(TYPED, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=4),
       huge=st.one_of(st.none(), HUGE), kind=st.sampled_from(["csv", "xlsx"]))  # fmt: skip
def test_what_was_typed_is_read_back_as_typed(rows, huge, kind):
    rows = [[cell.replace("\r", " ").replace("\n", " ") for cell in cells] for cells in rows]
    if huge:
        rows[0][1] = huge
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    sheet = read(content, f"products.{kind}", max_rows=10_000)
    typed = [cells for cells in rows if any(cell.strip() for cell in cells)]
    assert len(sheet.rows) == len(typed)
    for (_, values), cells in zip(sheet.rows, typed, strict=True):
        for column, cell in zip(COLUMNS, cells, strict=True):
            assert values[column.key] == cell.strip()[: MAX_CELL_CHARS + 1]  # longer ones become a row error


@given(content=st.binary(max_size=2000), name=st.sampled_from(["p.csv", "p.xlsx", "p.txt"]))
def test_any_bytes_are_read_or_refused_with_a_reason(content, name):
    try:
        read(content, name, max_rows=10_000)
    except UnreadableFile as refused:
        reason = refused.args[0]
    else:
        reason = "read"
    assert reason  # read, or refused with a reason in English (and one in Hindi)


@given(st.sampled_from(["windows-1252", "utf-16", "iso-8859-1"]))
def test_a_file_in_another_encoding_is_refused_with_the_way_to_fix_it(encoding):
    content = "SKU,Title (English)\nS-1,Café crème brûlée\n".encode(encoding)  # Excel's "CSV", not "CSV UTF-8"
    with pytest.raises(UnreadableFile, match=r"UTF-8|header"):
        read(content, "p.csv", max_rows=10_000)


@given(st.text(max_size=50))
def test_no_cell_written_for_a_spreadsheet_is_a_formula(value):
    written = safe_cell(value)
    assert not written.startswith(FORMULA_STARTS)
    assert written == ("'" + value if value.startswith(FORMULA_STARTS) else value)  # nothing else changes


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TYPED, repeats=st.integers(2, 4))
def test_a_file_with_a_repeated_sku_saves_it_once_and_reports_every_repeat(api, catalog, title, repeats):
    client = api.as_("coordinator", "clf-a")
    sku = f"P-{uuid.uuid4().hex[:8]}"
    good = {"sku": sku, "title_en": "Cotton khes", "title_hi": title or "खेस", "category": "handloom",
            "hsn_code": "63049190", "gst_rate": "5", "mrp": "1800", "price": "1499",
            "shg_ids": "clf-a-shg-1"}  # fmt: skip
    rows = [[good.get(c.key, "") for c in COLUMNS] for _ in range(repeats)]
    job = client.post("/v1/products/import", files={"file": ("p.csv", csv_bytes(rows))}).json()
    process_import(lambda: unit_of_work(catalog), job["id"])
    report = client.get(f"/v1/imports/{job['id']}").json()
    assert report["created_rows"] + report["failed_rows"] == repeats
    assert report["failed_rows"] >= repeats - 1, "a repeat of the SKU is never saved a second time"
    assert client.get(f"/v1/products/{sku}").status_code in (200, 404)
    errors_csv = client.get(f"/v1/imports/{job['id']}/errors.csv").content.decode("utf-8-sig")
    for line in csv.reader(io.StringIO(errors_csv)):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in line), line
