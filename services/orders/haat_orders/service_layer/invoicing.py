"""GST invoices and credit notes: issued in the transaction that ships (or takes back) the order, numbered
per CLF and financial year without gaps or repeats, whatever runs concurrently."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from haat.events.catalog import ClfRegisteredV1
from haat.events.envelope import CloudEvent
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import invoice_counters, invoices, order_items, orders, product_snapshots, sellers
from haat_orders.domain.gst import TaxedLine, financial_year, rupees_in_words, tax_line

log = logging.getLogger(__name__)
MAX_NUMBER_LENGTH = 16  # GST rules: an invoice serial number has at most 16 characters


class CannotInvoice(Exception):
    """Something an invoice needs has not reached the orders service yet (the CLF or a product)."""


def on_clf_registered(uow: UnitOfWork, event: CloudEvent) -> None:
    clf = ClfRegisteredV1.model_validate(event.data)
    values = {"name": clf.name, "gstin": clf.gstin, "state_code": clf.state_code, "state_name": clf.state_name,
              "district_name": clf.district_name}  # fmt: skip
    if uow.session.scalar(select(sellers.c.clf_id).where(sellers.c.clf_id == clf.clf_id)) is None:
        uow.session.execute(insert(sellers).values(clf_id=clf.clf_id, **values))
    else:
        uow.session.execute(update(sellers).where(sellers.c.clf_id == clf.clf_id).values(**values))


def issue_when_possible(uow: UnitOfWork, order_id: str, kind: str) -> None:
    """Issue now if everything is known; otherwise it is issued when first asked for (GET …/invoice)."""
    try:
        with uow.session.begin_nested():
            issue(uow, order_id, kind)
    except CannotInvoice as missing:
        log.warning("invoice deferred", extra={"order_id": order_id, "reason": str(missing)})


def issue(uow: UnitOfWork, order_id: str, kind: str) -> dict[str, Any]:
    """The order's invoice (kind "invoice") or credit note ("credit_note"), issued once."""
    wanted = ("tax_invoice", "bill_of_supply") if kind == "invoice" else ("credit_note",)
    existing = uow.session.execute(
        select(invoices.c.document).where(invoices.c.order_id == order_id, invoices.c.kind.in_(wanted))
    ).scalar_one_or_none()
    if existing is not None:
        return dict(existing)
    order = uow.session.execute(select(orders).where(orders.c.id == order_id)).one()
    seller = uow.session.execute(select(sellers).where(sellers.c.clf_id == order.clf_id)).one_or_none()
    if seller is None:
        raise CannotInvoice(f"the CLF {order.clf_id} is not known to orders yet")
    taxed = seller.gstin is not None
    doc_kind = "credit_note" if kind == "credit_note" else ("tax_invoice" if taxed else "bill_of_supply")
    intra = seller.state_name.casefold() == order.buyer_state.casefold()
    lines = [_line(uow, order.clf_id, item, intra, taxed) for item in _items(uow, order_id)]
    now = datetime.now(UTC)
    year = financial_year(now.date())
    number = _next_number(uow, order.clf_id, year, "C" if doc_kind == "credit_note" else "")
    document = _document(doc_kind, number, year, now, order, seller, lines, intra)
    if doc_kind == "credit_note":
        original = issue(uow, order_id, "invoice")
        document["against_invoice"] = original["number"]
    uow.session.execute(
        insert(invoices).values(
            id=f"inv-{uuid.uuid4().hex[:16]}", order_id=order_id, clf_id=order.clf_id, kind=doc_kind,
            number=number, financial_year=year, issued_at=now, document=document,
        )
    )  # fmt: skip
    return document


def _items(uow: UnitOfWork, order_id: str) -> list[Any]:
    query = select(order_items).where(order_items.c.order_id == order_id).order_by(order_items.c.line)
    return list(uow.session.execute(query))


def _line(uow: UnitOfWork, clf_id: str, item: Any, intra: bool, taxed: bool) -> TaxedLine:
    product = uow.session.execute(
        select(product_snapshots).where(product_snapshots.c.clf_id == clf_id, product_snapshots.c.sku == item.sku)
    ).one_or_none()
    if product is None:
        raise CannotInvoice(f"the product {item.sku} is not known to orders yet (HSN code and GST rate)")
    return tax_line(item.sku, product.title, product.hsn_code, item.quantity, item.unit_price_paise,
                    product.gst_rate_bp, intra_state=intra, taxed=taxed)  # fmt: skip


def _next_number(uow: UnitOfWork, clf_id: str, year: str, series: str) -> str:
    """The next serial of the CLF's series: the counter row is locked until the transaction ends, so
    concurrent shipments take consecutive numbers and none is taken twice."""
    dialect = uow.session.get_bind().dialect.name
    insert_new = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(invoice_counters)
    uow.session.execute(
        insert_new.values(clf_id=clf_id, financial_year=year, series=series, last=0).on_conflict_do_nothing()
    )
    key = (
        (invoice_counters.c.clf_id == clf_id)
        & (invoice_counters.c.financial_year == year)
        & (invoice_counters.c.series == series)
    )
    last = uow.session.execute(select(invoice_counters.c.last).where(key).with_for_update()).scalar_one()
    uow.session.execute(update(invoice_counters).where(key).values(last=last + 1))
    prefix = re.sub(r"[^A-Z0-9]", "", clf_id.upper().removeprefix("CLF-"))[:4] or "HAAT"
    number = f"{prefix}{series}/{year}/{last + 1:05d}"
    if len(number) > MAX_NUMBER_LENGTH:
        raise CannotInvoice(f"invoice number {number} would exceed {MAX_NUMBER_LENGTH} characters")
    return number


def _document(
    kind: str, number: str, year: str, now: datetime, order: Any, seller: Any, lines: list[TaxedLine], intra: bool
) -> dict[str, Any]:
    totals = {
        name: sum(getattr(line, f"{name}_paise") for line in lines)
        for name in ("taxable", "cgst", "sgst", "igst", "gross")
    }
    return {
        "kind": kind, "number": number, "financial_year": year, "date": now.date().isoformat(),
        "order_id": order.id, "channel": order.channel, "marketplace_order_id": order.marketplace_order_id,
        "supplier": {"name": seller.name, "gstin": seller.gstin, "state": seller.state_name,
                     "state_code": seller.state_code, "district": seller.district_name},
        "buyer": {"city": order.buyer_city, "state": order.buyer_state, "postal_code": order.buyer_postal_code},
        "place_of_supply": order.buyer_state, "supply": "intra_state" if intra else "inter_state",
        "lines": [asdict(line) for line in lines],
        "totals": {f"{name}_paise": value for name, value in totals.items()},
        "total_in_words": rupees_in_words(totals["gross"]),
    }  # fmt: skip
