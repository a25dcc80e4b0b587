"""What each SHG is owed: settlement lines (a sale per delivered order line, a reversal per return) and
the settlements they are drawn up into."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from haat_orders.adapters.tables import settlement_lines, settlements
from haat_orders.domain.settlement import AMOUNTS, DEDUCTIONS, LedgerLine

sl = settlement_lines.c
LINES = select(sl.id, sl.order_id, sl.line, sl.kind, sl.clf_id, sl.shg_id, sl.channel, sl.sku, sl.gross_paise,
               sl.taxable_paise)  # fmt: skip


def _lines(rows: Any) -> list[LedgerLine]:
    return [LedgerLine(**row._asdict()) for row in rows]


class SettlementLedger:
    def __init__(self, session: Session) -> None:
        self.session = session

    def has_lines(self, order_id: str) -> bool:
        return self.session.scalar(select(sl.id).where(sl.order_id == order_id).limit(1)) is not None

    def add_line(self, values: dict[str, Any]) -> None:
        self.session.execute(insert(settlement_lines).values(values))

    def sales_of(self, order_id: str) -> list[LedgerLine]:
        return _lines(self.session.execute(LINES.where(sl.order_id == order_id, sl.kind == "sale")))

    def unsettled(self, period_end: datetime, clf_id: str | None) -> list[LedgerLine]:
        """Lines earned before `period_end` and not settled yet, locked for this transaction."""
        query = LINES.where(sl.settlement_id.is_(None), sl.earned_at < period_end)
        if clf_id:
            query = query.where(sl.clf_id == clf_id)
        return _lines(self.session.execute(query.order_by(sl.clf_id, sl.shg_id, sl.order_id).with_for_update()))

    def set_deductions(self, line_id: str, amounts: dict[str, int]) -> None:
        self.session.execute(update(settlement_lines).where(sl.id == line_id).values(amounts))

    def deductions_of_sale(self, order_id: str, line: int) -> dict[str, int]:
        sale = self.session.execute(
            select(*(getattr(sl, name) for name in DEDUCTIONS)).where(
                sl.order_id == order_id, sl.line == line, sl.kind == "sale"
            )
        ).one()
        return sale._asdict()

    def settle(self, settlement: dict[str, Any], line_ids: list[str]) -> dict[str, Any]:
        """A settlement of these lines, its totals summed from them; returns it as stored."""
        self.session.execute(update(settlement_lines).where(sl.id.in_(line_ids)).values(settlement_id=settlement["id"]))
        totals = self.session.execute(
            select(*(func.sum(getattr(sl, name)).label(name) for name in AMOUNTS)).where(
                sl.settlement_id == settlement["id"]
            )
        ).one()
        row = {
            **settlement, "lines": len(line_ids), "gross_paise": totals.gross_paise,
            "fees_paise": totals.fee_paise + totals.shipping_paise, "tcs_paise": totals.tcs_paise,
            "tds_paise": totals.tds_paise, "net_paise": totals.net_paise,
        }  # fmt: skip
        self.session.execute(insert(settlements).values(row))
        return row

    def settlement(self, settlement_id: str, *, for_update: bool = False) -> dict[str, Any] | None:
        query = select(settlements).where(settlements.c.id == settlement_id)
        row = self.session.execute(query.with_for_update() if for_update else query).one_or_none()
        return row._asdict() if row else None

    def mark_paid(self, settlement_id: str, at: datetime, reference: str) -> None:
        self.session.execute(
            update(settlements).where(settlements.c.id == settlement_id).values(paid_at=at, payment_reference=reference)
        )
