"""The orders service's unit of work: the kernel's transaction and outbox, with its repositories."""

from __future__ import annotations

from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.invoice_book import InvoiceBook
from haat_orders.adapters.order_repository import OrderRepository
from haat_orders.adapters.references import References
from haat_orders.adapters.settlement_ledger import SettlementLedger


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderRepository
    invoices: InvoiceBook
    ledger: SettlementLedger
    references: References

    def open_repositories(self) -> None:
        self.orders = OrderRepository(self.session)
        self.invoices = InvoiceBook(self.session)
        self.ledger = SettlementLedger(self.session)
        self.references = References(self.session)
