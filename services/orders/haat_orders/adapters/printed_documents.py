"""The orders service's printable documents as PDF: the GST invoice (or bill of supply, or credit note),
the pick list of a batch and an order's packing slip. Each is drawn from the same JSON the API answers,
so the PDF and the JSON never disagree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from haat.documents.indian_format import IST, hindi_first, indian_date
from haat.documents.printing import PrintedPage, indian_number, rupees

TITLES = {
    "tax_invoice": "कर बीजक / Tax invoice",
    "bill_of_supply": "आपूर्ति बिल / Bill of supply",
    "credit_note": "क्रेडिट नोट / Credit note",
}


def _when(value: Any) -> str:
    """A moment as people in India read it on paper: DD-MM-YYYY HH:MM in IST."""
    if isinstance(value, datetime):
        return f"{value.astimezone(IST):%d-%m-%Y %H:%M} IST"
    return str(value) if value else "—"


def _with_code(name: str, code: str | None) -> str:
    return f"{name} (state code {code})" if code else name


def invoice_pdf(document: dict[str, Any]) -> bytes:
    kind = document["kind"]
    page = PrintedPage(TITLES[kind], footer_note=document["number"])
    page.heading(TITLES[kind])
    supplier, buyer = document["supplier"], document["buyer"]
    issued = indian_date(date.fromisoformat(document["date"]))
    page.line_of_text(f"संख्या / No. {document['number']}    दिनांक / Date {issued}", 10, bold=True)
    if document.get("against_invoice"):
        page.line_of_text(f"मूल बीजक / Against invoice {document['against_invoice']}")
    page.line_of_text(f"Order {document['order_id']} ({document['channel']} {document['marketplace_order_id']})")
    page.ln(2)
    page.line_of_text("विक्रेता / Supplier", bold=True)
    page.line_of_text(supplier["name"])
    where = [
        supplier.get("address"),
        supplier.get("district"),
        _with_code(supplier["state"], supplier.get("gst_state_code")),
    ]
    page.line_of_text(
        ", ".join(part for part in where if part) + (f" {supplier['pincode']}" if supplier.get("pincode") else "")
    )
    page.line_of_text(f"GSTIN: {supplier['gstin'] or 'unregistered (not liable to charge GST)'}")
    page.line_of_text("क्रेता / Buyer", bold=True)
    page.line_of_text(f"{buyer['city']}, {buyer['state']} {buyer['postal_code']}")
    place = _with_code(document["place_of_supply"], document.get("place_of_supply_code"))
    taxed = kind != "bill_of_supply"
    supply = (
        ("intra-state (CGST + SGST)" if document["supply"] == "intra_state" else "inter-state (IGST)") if taxed else ""
    )
    page.line_of_text(f"आपूर्ति का स्थान / Place of supply: {place}" + (f" — {supply}" if supply else ""))
    if taxed:
        page.line_of_text(
            "विपरीत प्रभार / Tax payable on reverse charge: " + ("Yes" if document.get("reverse_charge") else "No")
        )
    page.ln(2)
    lines, totals = document["lines"], document["totals"]
    if taxed:
        _taxed_lines(page, lines, totals)
    else:  # an unregistered seller charges no GST: no tax columns, no claim that prices include it
        rows = [[f"{line['description']} ({line['sku']})", line["hsn_code"], str(line["quantity"]),
                 rupees(line["gross_paise"])] for line in lines]  # fmt: skip
        rows.append(["कुल / Total", "", "", rupees(totals["gross_paise"])])
        page.table_of(["विवरण / Description", "HSN", "Qty", "Amount"], rows, [110, 20, 14, 32], numeric={2, 3})
    page.line_of_text(f"Amount in words: {document['total_in_words']}", 9, bold=True)
    if taxed:
        page.line_of_text("Prices include GST; the taxable value is taken back out of the price paid, line by line.", 7)
    else:
        page.line_of_text("Supplier not registered under GST: no tax is charged on this bill.", 7)
    page.ln(4)
    page.line_of_text(f"For {supplier['name']}", 9)
    page.line_of_text("अधिकृत हस्ताक्षरकर्ता / Authorised signatory", 9)
    return page.pdf_bytes()


def _taxed_lines(page: PrintedPage, lines: list[dict[str, Any]], totals: dict[str, int]) -> None:
    header = ["विवरण / Description", "HSN", "Qty", "GST %", "Taxable", "CGST", "SGST", "IGST", "Total"]
    rows = [
        [
            f"{line['description']} ({line['sku']})", line["hsn_code"], str(line["quantity"]),
            f"{line['gst_rate_bp'] / 100:g}",
            *(rupees(line[f"{k}_paise"]) for k in ("taxable", "cgst", "sgst", "igst")),
            rupees(line["gross_paise"]),
        ]
        for line in lines
    ]  # fmt: skip
    rows.append(
        [
            "कुल / Total",
            "",
            "",
            "",
            *(rupees(totals[f"{k}_paise"]) for k in ("taxable", "cgst", "sgst", "igst", "gross")),
        ]
    )
    page.table_of(header, rows, [50, 14, 8, 9, 19, 16, 16, 16, 19], numeric={2, 3, 4, 5, 6, 7, 8})


def pick_list_pdf(pick: dict[str, Any], packaging_house: str) -> bytes:
    page = PrintedPage("पिक लिस्ट / Pick list", footer_note=packaging_house)
    page.heading("पिक लिस्ट / Pick list")
    page.line_of_text(f"{packaging_house} — {len(pick['orders'])} orders", 10)
    rows = [
        [line["sku"], hindi_first(line["title"]), indian_number(line["quantity"]),
         ", ".join(f"{o['order_id']} x {o['quantity']}" for o in line["orders"]), ""]
        for line in pick["lines"]
    ]  # fmt: skip
    page.table_of(["SKU", "सामान / Item", "Qty", "Orders", "Picked"], rows, [30, 58, 12, 68, 14], size=9, numeric={2})
    return page.pdf_bytes()


def packing_slip_pdf(order: dict[str, Any]) -> bytes:
    page = PrintedPage("पैकिंग पर्ची / Packing slip", footer_note=order["id"])
    page.heading("पैकिंग पर्ची / Packing slip")
    page.line_of_text(f"Order {order['id']}  ({order['channel']} {order['marketplace_order_id']})", 11, bold=True)
    page.line_of_text(f"Ordered {_when(order['purchased_at'])}    Ship by {_when(order['ship_by'])}")
    page.line_of_text(f"Ship to: {order['buyer_city']}, {order['buyer_state']} {order['buyer_postal_code']}")
    page.line_of_text(f"Packed at: {order['packaging_house_id'] or '—'}")
    page.ln(2)
    rows = [[item["sku"], hindi_first(item["title"]), indian_number(item["quantity"]), rupees(item["unit_price_paise"])]
            for item in order["items"]]  # fmt: skip
    page.table_of(["SKU", "सामान / Item", "Qty", "Price"], rows, [34, 100, 16, 28], size=10, numeric={2, 3})
    page.line_of_text(f"कुल / Total {rupees(order['total_paise'])}", 11, bold=True)
    page.line_of_text("धन्यवाद! Made by women's self-help groups. Thank you for buying from them.", 9)
    return page.pdf_bytes()
