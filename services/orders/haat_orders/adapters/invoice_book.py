"""Issued GST invoices and credit notes, and the per-CLF, per-year serial counters they are numbered from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from haat_orders.adapters.tables import invoice_counters, invoices


class InvoiceBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def issued(self, order_id: str, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        """The document of one of these kinds already issued for the order, if any."""
        document = self.session.execute(
            select(invoices.c.document).where(invoices.c.order_id == order_id, invoices.c.kind.in_(kinds))
        ).scalar_one_or_none()
        return dict(document) if document is not None else None

    def next_serial(self, clf_id: str, financial_year: str, series: str) -> int:
        """The series' next serial: its counter row stays locked until the transaction ends, so concurrent
        shipments take consecutive numbers and none is taken twice."""
        dialect = self.session.get_bind().dialect.name
        insert_new = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(invoice_counters)
        self.session.execute(
            insert_new.values(clf_id=clf_id, financial_year=financial_year, series=series, last=0)
            .on_conflict_do_nothing()
        )  # fmt: skip
        t = invoice_counters.c
        key = (t.clf_id == clf_id) & (t.financial_year == financial_year) & (t.series == series)
        last = self.session.execute(select(t.last).where(key).with_for_update()).scalar_one()
        self.session.execute(update(invoice_counters).where(key).values(last=last + 1))
        return int(last) + 1

    def add(self, *, id: str, order_id: str, clf_id: str, kind: str, number: str, financial_year: str,
            issued_at: datetime, document: dict[str, Any]) -> None:  # fmt: skip
        self.session.execute(
            insert(invoices).values(
                id=id, order_id=order_id, clf_id=clf_id, kind=kind, number=number, financial_year=financial_year,
                issued_at=issued_at, document=document,
            )
        )  # fmt: skip
