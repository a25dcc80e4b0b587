"""The printed documents are real PDFs whose Hindi renders: each is opened with PDFium, its text read back
and its first page turned into an image."""

from datetime import UTC, date, datetime

import pypdfium2
import uharfbuzz
from fastapi.testclient import TestClient
from PIL import Image, ImageOps

from haat.documents.printing import font_files, indian_number, rupees
from haat_testkit.callers import caller_headers

from .test_invoices import seed, ship

HINDI_NAME = "आम का अचार"


def _open(pdf: bytes) -> tuple[str, Image.Image]:
    assert pdf.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=2).to_pil().convert("L")
    return text, image


def _ink_rows(image: Image.Image) -> int:
    """How many pixel rows of the page carry dark marks (a blank page or boxes of nothing have few)."""
    dark = ImageOps.invert(image).point(lambda v: 255 if v > 128 else 0)
    width, height = dark.size
    pixels = dark.load()
    return sum(1 for y in range(height) if any(pixels[x, y] for x in range(0, width, 2)))


def test_the_font_draws_every_hindi_letter_of_a_product_name():
    # A glyph id of 0 is the font's "missing" box (tofu): shaping the name must need none.
    blob = uharfbuzz.Blob.from_file_path(str(font_files()[""]))
    font = uharfbuzz.Font(uharfbuzz.Face(blob))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(HINDI_NAME + " क्षत्रिय स्त्री ₹")
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer)
    assert all(info.codepoint != 0 for info in buffer.glyph_infos)
    assert len(buffer.glyph_infos) < len(HINDI_NAME + " क्षत्रिय स्त्री ₹")  # conjuncts joined: fewer glyphs
    assert indian_number(12345678) == "1,23,45,678"
    assert rupees(12345600) == "₹1,23,456.00"
    assert rupees(-5) == "-₹0.05"


def test_invoice_packing_slip_and_pick_list_are_pdfs_with_hindi_that_renders(service, tmp_path):
    runtime = service("orders")
    first, second = seed(runtime, 2)
    ship(runtime, first)
    admin = caller_headers(runtime.settings, "admin")
    pdf_first = {**admin, "accept": "application/pdf, application/json;q=0.5"}
    with TestClient(runtime.definition.create_app(runtime)) as client:
        as_json = client.get(f"/v1/orders/{first}/invoice", headers=admin)
        assert as_json.headers["content-type"].startswith("application/json")
        invoice = client.get(f"/v1/orders/{first}/invoice", headers=pdf_first)
        assert invoice.status_code == 200
        assert invoice.headers["content-type"] == "application/pdf"
        slip = client.get(f"/v1/orders/{second}/packing-slip", headers=pdf_first)
        picks = client.post("/v1/picklists", json={"order_ids": [first, second]}, headers=pdf_first)
        assert client.get(f"/v1/orders/{second}/invoice", headers=pdf_first).status_code == 409  # not shipped

    text, image = _open(invoice.content)
    number = as_json.json()["number"]
    assert number in text
    assert HINDI_NAME in text  # the product's Hindi name, as text a reader can copy
    assert "₹379.05" in text  # two jars at ₹199, 5% GST (pickles since 22 Sep 2025)
    assert "₹9.47" in text
    assert "₹398.00" in text
    assert "Bihar (state code 10)" in text
    assert "reverse charge: No" in text
    assert "Authorised signatory" in text
    issued = date.fromisoformat(as_json.json()["date"])
    assert f"{issued:%d-%m-%Y}" in text  # the Indian way, not 2026-12-03
    assert "three hundred ninety-eight rupees only" in text
    assert _ink_rows(image) > 150  # a page of text, not a blank one
    image.save(tmp_path / "invoice.png")

    text, image = _open(slip.content)
    assert second in text
    assert HINDI_NAME in text
    assert "Patna" in text
    text, image = _open(picks.content)
    assert HINDI_NAME in text
    assert "4" in text
    print(f"invoice page rendered to {tmp_path / 'invoice.png'}")


def _document(kind: str, gstin: str | None) -> dict:
    line = {"sku": "ACHAR", "description": "आम का अचार / Mango pickle", "hsn_code": "2001", "quantity": 2,
            "gst_rate_bp": 500 if gstin else 0, "gross_paise": 39800, "taxable_paise": 37905 if gstin else 39800,
            "cgst_paise": 947 if gstin else 0, "sgst_paise": 948 if gstin else 0, "igst_paise": 0}  # fmt: skip
    totals = {f"{k}_paise": line[f"{k}_paise"] for k in ("taxable", "cgst", "sgst", "igst", "gross")}
    return {
        "kind": kind, "number": "KANT/2627/00001", "date": "2026-12-03", "order_id": "o-1", "channel": "amazon",
        "marketplace_order_id": "402-1", "supplier": {"name": "Kanti CLF", "gstin": gstin, "state": "Bihar",
        "gst_state_code": "10", "district": "Muzaffarpur"}, "buyer": {"city": "Cuttack", "state": "Odisha",
        "postal_code": "753001"}, "place_of_supply": "Odisha", "place_of_supply_code": "21",
        "supply": "inter_state", "reverse_charge": False, "lines": [line], "totals": totals,
        "total_in_words": "three hundred ninety-eight rupees only",
    }  # fmt: skip


def test_a_bill_of_supply_shows_no_tax_and_a_tax_invoice_shows_the_state_codes():
    from haat_orders.adapters.printed_documents import invoice_pdf, packing_slip_pdf

    bill, _ = _open(invoice_pdf(_document("bill_of_supply", None)))
    assert "CGST" not in bill
    assert "Prices include GST" not in bill
    assert "no tax is charged" in bill
    assert "03-12-2026" in bill
    taxed, _ = _open(invoice_pdf(_document("tax_invoice", "10AAAAK1234A1Z5")))
    assert "Odisha (state code 21)" in taxed
    assert "Bihar (state code 10)" in taxed
    assert "IGST" in taxed
    assert "Prices include GST" in taxed
    # a packing slip prints Indian time: 20:00 UTC on the 2nd is 01:30 on the 3rd in India
    slip = {"id": "o-1", "channel": "amazon", "marketplace_order_id": "402-1", "buyer_city": "Patna",
            "buyer_state": "Bihar", "buyer_postal_code": "800001", "packaging_house_id": "ph-kanti", "items": [],
            "purchased_at": datetime(2026, 12, 2, 20, 0, tzinfo=UTC), "ship_by": None, "total_paise": 0}  # fmt: skip
    text, _ = _open(packing_slip_pdf(slip))
    assert "03-12-2026 01:30 IST" in text
    assert "UTC" not in text
