"""The orders service's unit of work in memory (cosmicpython's fake unit of work): its use cases and
handlers run against these repositories in milliseconds, without PostgreSQL or a broker. Each fake keeps
the promise its SQL twin keeps (a serial taken inside a failed savepoint is given back, an older product
event never overwrites a newer one), so that what a fast test shows holds on the real database too."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from haat_orders.domain.order import CREATED, Buyer, Line, Order
from haat_orders.domain.references import ProductFacts, Seller, Shg
from haat_orders.domain.settlement import AMOUNTS, LedgerLine
from haat_testkit.fake_unit_of_work import FakeUnitOfWork


class FakeOrders:
    def __init__(self) -> None:
        self.stored: dict[str, Order] = {}
        self.reported: dict[str, tuple[str, datetime]] = {}
        self.stock: dict[str, str] = {}
        self.history: dict[str, list[tuple[str | None, str, str, str]]] = {}

    def get(self, order_id: str, *, for_update: bool = False) -> Order | None:
        found = self.stored.get(order_id)
        return copy.deepcopy(found) if found else None  # a loaded aggregate is the caller's own copy

    def add(self, values: dict[str, Any], items: list[dict[str, Any]], *, actor: str, note: str) -> None:
        order_id = values["id"]
        self.stored[order_id] = Order(
            id=order_id, clf_id=values["clf_id"], channel=values["channel"], state=CREATED,
            lines=tuple(Line(i["sku"], i["quantity"], i["unit_price_paise"], n, i["title"])
                        for n, i in enumerate(items, start=1)),
            marketplace_order_id=values["marketplace_order_id"],
            buyer=Buyer(values["buyer_state"], values["buyer_city"], values["buyer_postal_code"]),
        )  # fmt: skip
        self.reported[order_id] = (values["marketplace_status"], values["marketplace_updated_at"])
        self.stock[order_id] = values["stock"]
        self.history[order_id] = [(None, CREATED, actor, note)]

    def save(self, order: Order) -> None:
        for event in order.events:
            self.history[order.id].append((event.before, event.after, event.actor, event.note))
        self.stored[order.id] = copy.deepcopy(order)
        self.stored[order.id].events = []

    def note_marketplace_report(self, order_id: str, status: str, reported_at: datetime) -> None:
        self.reported[order_id] = (status, reported_at)

    def marketplace_reported_at(self, order_id: str) -> datetime | None:
        return self.reported[order_id][1] if order_id in self.reported else None

    def note_stock(self, order_id: str, stock: str, packaging_house_id: str | None = None) -> None:
        self.stock[order_id] = stock
        order = self.stored[order_id]
        if packaging_house_id and order.packaging_house_id is None:
            order.packaging_house_id = packaging_house_id


class FakeInvoiceBook:
    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.counters: dict[tuple[str, str, str], int] = {}

    def issued(self, order_id: str, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        found = [d["document"] for d in self.documents if d["order_id"] == order_id and d["kind"] in kinds]
        return dict(found[0]) if found else None

    def next_serial(self, clf_id: str, financial_year: str, series: str) -> int:
        key = (clf_id, financial_year, series)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def add(self, **invoice: Any) -> None:
        self.documents.append(invoice)


class FakeLedger:
    def __init__(self) -> None:
        self.lines: dict[str, dict[str, Any]] = {}
        self.settlements: dict[str, dict[str, Any]] = {}

    def has_lines(self, order_id: str) -> bool:
        return any(line["order_id"] == order_id for line in self.lines.values())

    def add_line(self, values: dict[str, Any]) -> None:
        self.lines[values["id"]] = {**values, "settlement_id": None}

    def sales_of(self, order_id: str) -> list[LedgerLine]:
        return [_ledger_line(v) for v in self.lines.values() if v["order_id"] == order_id and v["kind"] == "sale"]

    def unsettled(self, period_end: datetime, clf_id: str | None) -> list[LedgerLine]:
        found = [v for v in self.lines.values() if v["settlement_id"] is None and v["earned_at"] < period_end
                 and clf_id in (None, v["clf_id"])]  # fmt: skip
        return [_ledger_line(v) for v in sorted(found, key=lambda v: (v["clf_id"], v["shg_id"], v["order_id"]))]

    def set_deductions(self, line_id: str, amounts: dict[str, int]) -> None:
        self.lines[line_id].update(amounts)

    def deductions_of_sale(self, order_id: str, line: int) -> dict[str, int]:
        (sale,) = [v for v in self.lines.values() if (v["order_id"], v["line"], v["kind"]) == (order_id, line, "sale")]
        return {name: sale[name] for name in AMOUNTS[1:]}

    def settle(self, settlement: dict[str, Any], line_ids: list[str]) -> dict[str, Any]:
        chosen = [self.lines[i] for i in line_ids]
        for line in chosen:
            line["settlement_id"] = settlement["id"]
        total = {name: sum(line[name] for line in chosen) for name in AMOUNTS}
        row = {**settlement, "lines": len(chosen), "gross_paise": total["gross_paise"],
               "fees_paise": total["fee_paise"] + total["shipping_paise"], "tcs_paise": total["tcs_paise"],
               "tds_paise": total["tds_paise"], "net_paise": total["net_paise"], "paid_at": None,
               "payment_reference": None}  # fmt: skip
        self.settlements[settlement["id"]] = row
        return dict(row)

    def settlement(self, settlement_id: str, *, for_update: bool = False) -> dict[str, Any] | None:
        found = self.settlements.get(settlement_id)
        return dict(found) if found else None

    def mark_paid(self, settlement_id: str, at: datetime, reference: str) -> None:
        self.settlements[settlement_id].update(paid_at=at, payment_reference=reference)


class FakeReferences:
    def __init__(self) -> None:
        self.products: dict[tuple[str, str], tuple[ProductFacts, datetime]] = {}
        self.applied: dict[tuple[str, str], int] = {}
        self.sellers: dict[str, Seller] = {}
        self.shgs: dict[str, Shg] = {}

    def product(self, clf_id: str, sku: str) -> ProductFacts | None:
        found = self.products.get((clf_id, sku))
        return found[0] if found else None

    def save_product(self, clf_id: str, sku: str, values: dict[str, Any], *, as_of: datetime) -> None:
        key = (clf_id, sku)
        self.applied[key] = self.applied.get(key, 0) + 1
        if key not in self.products or self.products[key][1] <= as_of:
            names = ("title", "hsn_code", "gst_rate_bp", "gst_exempt", "category", "shg_id")
            fields = {name: values[name] for name in names}
            self.products[key] = (ProductFacts(**fields), as_of)

    def seller(self, clf_id: str) -> Seller | None:
        return self.sellers.get(clf_id)

    def save_seller(self, seller: Seller) -> None:
        self.sellers[seller.clf_id] = seller

    def shg(self, shg_id: str) -> Shg | None:
        return self.shgs.get(shg_id)

    def save_shg(self, shg: Shg) -> None:
        self.shgs[shg.id] = shg


class FakeOrdersUnitOfWork(FakeUnitOfWork):
    """Stands where `OrdersUnitOfWork` stands: same repositories by name, events kept in `emitted`."""

    service = "orders"

    def __init__(self) -> None:
        super().__init__()
        self.orders = FakeOrders()
        self.invoices = FakeInvoiceBook()
        self.ledger = FakeLedger()
        self.references = FakeReferences()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        # What the database would roll back: the invoices and their serials.
        kept = (copy.deepcopy(self.invoices.documents), dict(self.invoices.counters))
        try:
            yield
        except BaseException:
            self.invoices.documents, self.invoices.counters = kept
            raise


def _ledger_line(values: dict[str, Any]) -> LedgerLine:
    return LedgerLine(**{name: values[name] for name in LedgerLine.__dataclass_fields__})
