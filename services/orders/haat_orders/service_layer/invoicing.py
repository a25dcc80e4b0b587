"""GST invoices and credit notes: issued in the transaction that ships (or takes back) the order, numbered
per CLF and financial year without gaps or repeats, whatever runs concurrently."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from haat.documents.indian_format import date_in_india
from haat.errors import NotFound
from haat.events.catalog import ClfRegisteredV1
from haat.events.envelope import CloudEvent
from haat.gst_states import gst_state_code
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.gst import TaxedLine, charged_rate, financial_year, rupees_in_words, tax_line
from haat_orders.domain.order import Buyer, Line, Order
from haat_orders.domain.references import Seller

log = logging.getLogger(__name__)
MAX_NUMBER_LENGTH = 16  # GST rules: an invoice serial number has at most 16 characters


class CannotInvoice(Exception):
    """Something an invoice needs has not reached the orders service yet (the CLF or a product)."""


def on_clf_registered(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    """A CLF registered or changed its seller details (the whole of them either way): the next invoice uses
    them (a GSTIN set later turns its bills of supply into tax invoices from then on)."""
    clf = ClfRegisteredV1.model_validate(event.data)
    uow.references.save_seller(
        Seller(clf_id=clf.clf_id, name=clf.name, gstin=clf.gstin, state_code=clf.state_code,
               state_name=clf.state_name, district_name=clf.district_name, address=clf.address,
               pincode=clf.pincode)
    )  # fmt: skip


def issue_when_possible(uow: OrdersUnitOfWork, order_id: str, kind: str) -> None:
    """Issue now if everything is known; otherwise it is issued when first asked for (GET …/invoice)."""
    try:
        with uow.savepoint():
            issue(uow, order_id, kind)
    except CannotInvoice as missing:
        log.warning("invoice deferred", extra={"order_id": order_id, "reason": str(missing)})


def issue(uow: OrdersUnitOfWork, order_id: str, kind: str) -> dict[str, Any]:
    """The order's invoice (kind "invoice") or credit note ("credit_note"), issued once."""
    wanted = ("tax_invoice", "bill_of_supply") if kind == "invoice" else ("credit_note",)
    existing = uow.invoices.issued(order_id, wanted)
    if existing is not None:
        return existing
    order = uow.orders.get(order_id)
    if order is None or order.buyer is None:
        raise NotFound("order", order_id)
    seller = uow.references.seller(order.clf_id)
    if seller is None:
        raise CannotInvoice(f"the CLF {order.clf_id} is not known to orders yet")
    taxed = seller.gstin is not None
    doc_kind = "credit_note" if kind == "credit_note" else ("tax_invoice" if taxed else "bill_of_supply")
    intra = seller.state_name.casefold() == order.buyer.state.casefold()
    now = datetime.now(UTC)
    day = date_in_india(now)  # the invoice's date, and the day whose GST rates it charges
    lines = [_line(uow, order.clf_id, line, intra, taxed, day) for line in order.lines]
    year = financial_year(day)
    series = "C" if doc_kind == "credit_note" else ""
    number = invoice_number(order.clf_id, series, year, uow.invoices.next_serial(order.clf_id, year, series))
    document = _document(doc_kind, number, year, now, order, order.buyer, seller, lines, intra)
    if doc_kind == "credit_note":
        original = issue(uow, order_id, "invoice")
        document["against_invoice"] = original["number"]
    uow.invoices.add(
        id=f"inv-{uuid.uuid4().hex[:16]}", order_id=order_id, clf_id=order.clf_id, kind=doc_kind, number=number,
        financial_year=year, issued_at=now, document=document,
    )  # fmt: skip
    return document


def _line(uow: OrdersUnitOfWork, clf_id: str, line: Line, intra: bool, taxed: bool, day: date) -> TaxedLine:
    product = uow.references.product(clf_id, line.sku)
    if product is None:
        raise CannotInvoice(f"the product {line.sku} is not known to orders yet (HSN code and GST rate)")
    rate = charged_rate(product.hsn_code, product.gst_rate_bp, product.gst_exempt, line.unit_price_paise, day)
    return tax_line(line.sku, product.title, product.hsn_code, line.quantity, line.unit_price_paise,
                    rate, intra_state=intra, taxed=taxed)  # fmt: skip


def invoice_number(clf_id: str, series: str, year: str, serial: int) -> str:
    """e.g. KANT/2627/00042: the CLF's letters, the series, the financial year and the serial."""
    prefix = re.sub(r"[^A-Z0-9]", "", clf_id.upper().removeprefix("CLF-"))[:4] or "HAAT"
    number = f"{prefix}{series}/{year}/{serial:05d}"
    if len(number) > MAX_NUMBER_LENGTH:
        raise CannotInvoice(f"invoice number {number} would exceed {MAX_NUMBER_LENGTH} characters")
    return number


def _document(
    kind: str, number: str, year: str, now: datetime, order: Order, buyer: Buyer, seller: Seller,
    lines: list[TaxedLine], intra: bool,
) -> dict[str, Any]:  # fmt: skip
    totals = {
        name: sum(getattr(line, f"{name}_paise") for line in lines)
        for name in ("taxable", "cgst", "sgst", "igst", "gross")
    }
    return {
        "kind": kind, "number": number, "financial_year": year, "date": date_in_india(now).isoformat(),
        "order_id": order.id, "channel": order.channel, "marketplace_order_id": order.marketplace_order_id,
        "supplier": {"name": seller.name, "gstin": seller.gstin, "state": seller.state_name,
                     "state_code": seller.state_code, "gst_state_code": gst_state_code(seller.state_name),
                     "district": seller.district_name, "address": seller.address, "pincode": seller.pincode},
        "buyer": {"city": buyer.city, "state": buyer.state, "postal_code": buyer.postal_code},
        "place_of_supply": buyer.state, "place_of_supply_code": gst_state_code(buyer.state),
        "supply": "intra_state" if intra else "inter_state",
        "reverse_charge": False,  # goods sold to consumers: the supplier pays the tax, never the buyer
        "lines": [asdict(line) for line in lines],
        "totals": {f"{name}_paise": value for name, value in totals.items()},
        "total_in_words": rupees_in_words(totals["gross"]),
    }  # fmt: skip
