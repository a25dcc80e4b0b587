"""Settlements: what each SHG is owed for its delivered sales, drawn up per period, exported as a bank's
bulk-payment file and marked paid. Lines are written in the transaction that delivers (or takes back) the
order, so a sale is counted exactly once."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update

from haat.documents.spreadsheet_cells import safe_cell
from haat.errors import Conflict, NotAllowed, NotFound
from haat.events.catalog import ShgRegisteredV1
from haat.events.envelope import CloudEvent
from haat.events.orders import SettlementCreatedV1, SettlementPaidV1
from haat.identity import Caller
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import (
    order_items,
    orders,
    product_snapshots,
    sellers,
    settlement_lines,
    settlements,
    shgs,
)
from haat_orders.domain.gst import tax_line
from haat_orders.domain.settlement import payable, shares
from haat_orders.settings import OrdersSettings

UNKNOWN_SHG = "unassigned"  # a product without an SHG: its lines wait for the CLF to assign them
AMOUNTS = ("gross_paise", "fee_paise", "shipping_paise", "tcs_paise", "tds_paise", "net_paise")


def on_shg_registered(uow: UnitOfWork, event: CloudEvent) -> None:
    shg = ShgRegisteredV1.model_validate(event.data)
    values = {"clf_id": shg.clf_id, "name": shg.name, "bank_account_ref": shg.bank_account_ref}
    if uow.session.scalar(select(shgs.c.id).where(shgs.c.id == shg.shg_id)) is None:
        uow.session.execute(insert(shgs).values(id=shg.shg_id, **values))
    else:
        uow.session.execute(update(shgs).where(shgs.c.id == shg.shg_id).values(**values))


def record_sale(uow: UnitOfWork, order_id: str) -> None:
    """The delivered order's lines, owed to the SHG that made each product (deductions come at settling)."""
    if uow.session.scalar(select(settlement_lines.c.id).where(settlement_lines.c.order_id == order_id).limit(1)):
        return
    order = uow.session.execute(select(orders).where(orders.c.id == order_id)).one()
    seller = uow.session.execute(select(sellers).where(sellers.c.clf_id == order.clf_id)).one_or_none()
    registered = seller is not None and seller.gstin is not None
    now = datetime.now(UTC)
    for item in uow.session.execute(select(order_items).where(order_items.c.order_id == order_id)).all():
        product = uow.session.execute(
            select(product_snapshots).where(
                product_snapshots.c.clf_id == order.clf_id, product_snapshots.c.sku == item.sku
            )
        ).one_or_none()
        rate = product.gst_rate_bp if product else 0
        taxable = tax_line(item.sku, "", "", item.quantity, item.unit_price_paise, rate, intra_state=True,
                           taxed=registered).taxable_paise  # fmt: skip
        uow.session.execute(
            insert(settlement_lines).values(
                id=f"sl-{uuid.uuid4().hex[:16]}", order_id=order_id, line=item.line, kind="sale",
                clf_id=order.clf_id, shg_id=(product.shg_id if product else None) or UNKNOWN_SHG,
                channel=order.channel, sku=item.sku, earned_at=now, gross_paise=item.unit_price_paise * item.quantity,
                taxable_paise=taxable, **dict.fromkeys(AMOUNTS[1:], 0),
            )
        )  # fmt: skip


def record_return(uow: UnitOfWork, order_id: str) -> None:
    """A return after delivery takes the sale back: a reversing line for each sale line, settled or not."""
    sales = uow.session.execute(
        select(settlement_lines).where(settlement_lines.c.order_id == order_id, settlement_lines.c.kind == "sale")
    ).all()
    now = datetime.now(UTC)
    for sale in sales:
        uow.session.execute(
            insert(settlement_lines).values(
                id=f"sl-{uuid.uuid4().hex[:16]}", order_id=order_id, line=sale.line, kind="reversal",
                clf_id=sale.clf_id, shg_id=sale.shg_id, channel=sale.channel, sku=sale.sku, earned_at=now,
                gross_paise=-sale.gross_paise, taxable_paise=-sale.taxable_paise, **dict.fromkeys(AMOUNTS[1:], 0),
            )
        )  # fmt: skip


def _price(uow: UnitOfWork, settings: OrdersSettings, lines: list[Any]) -> None:
    """Work out each line's deductions with today's fee schedule: sales first (shipping shared over an
    order's lines by value), then reversals, which take back exactly what their sale was."""
    by_order: dict[str, list[Any]] = {}
    for line in lines:
        if line.kind == "sale":
            by_order.setdefault(line.order_id, []).append(line)
    fees = settings.marketplace_fee_bp
    for order_lines in by_order.values():
        channel = order_lines[0].channel
        shipping = shares(settings.shipping_fee_paise.get(channel, 0), [ln.gross_paise for ln in order_lines])
        for line, ship_share in zip(order_lines, shipping, strict=True):
            category = uow.session.scalar(
                select(product_snapshots.c.category).where(
                    product_snapshots.c.clf_id == line.clf_id, product_snapshots.c.sku == line.sku
                )
            )
            fee_bp = fees.get(f"{channel}:{category}", fees.get(channel, 0))
            owed = payable(line.gross_paise, line.taxable_paise, ship_share, fee_bp=fee_bp,
                           tcs_bp=settings.tcs_bp, tds_bp=settings.tds_bp)  # fmt: skip
            uow.session.execute(
                update(settlement_lines).where(settlement_lines.c.id == line.id).values(
                    fee_paise=owed.fee_paise, shipping_paise=owed.shipping_paise, tcs_paise=owed.tcs_paise,
                    tds_paise=owed.tds_paise, net_paise=owed.net_paise,
                )
            )  # fmt: skip
    for line in lines:
        if line.kind != "reversal":
            continue
        sale = uow.session.execute(
            select(settlement_lines).where(
                settlement_lines.c.order_id == line.order_id, settlement_lines.c.line == line.line,
                settlement_lines.c.kind == "sale",
            )
        ).one()  # fmt: skip
        uow.session.execute(
            update(settlement_lines)
            .where(settlement_lines.c.id == line.id)
            .values(**{name: -getattr(sale, name) for name in AMOUNTS[1:]})
        )


def _require_staff(caller: Caller, clf_id: str | None) -> None:
    if caller.is_admin or (caller.role == "coordinator" and clf_id in (None, caller.clf_id)):
        return
    raise NotAllowed("forbidden", "settlements are for admins and the CLF's coordinators")


def draw_up(
    uow: UnitOfWork, caller: Caller, settings: OrdersSettings, period_end: datetime, clf_id: str | None
) -> list[dict[str, Any]]:
    """A settlement per SHG of every line earned before `period_end` and not settled yet."""
    _require_staff(caller, clf_id)
    if caller.role == "coordinator":
        clf_id = caller.clf_id
    sl = settlement_lines.c
    open_lines = select(settlement_lines).where(sl.settlement_id.is_(None), sl.earned_at < period_end)
    if clf_id:
        open_lines = open_lines.where(sl.clf_id == clf_id)
    _price(uow, settings, list(uow.session.execute(open_lines.with_for_update())))
    pending = select(sl.clf_id, sl.shg_id).where(sl.settlement_id.is_(None), sl.earned_at < period_end)
    if clf_id:
        pending = pending.where(sl.clf_id == clf_id)
    made = []
    now = datetime.now(UTC)
    for group_clf, shg_id in uow.session.execute(pending.distinct().order_by(sl.clf_id, sl.shg_id)).all():
        if shg_id == UNKNOWN_SHG:
            continue
        settlement_id = f"st-{uuid.uuid4().hex[:16]}"
        chosen = (
            (sl.settlement_id.is_(None))
            & (sl.earned_at < period_end)
            & (sl.clf_id == group_clf)
            & (sl.shg_id == shg_id)
        )
        count = uow.session.execute(update(settlement_lines).where(chosen).values(settlement_id=settlement_id))
        totals = uow.session.execute(
            select(*(func.sum(getattr(sl, name)).label(name) for name in AMOUNTS)).where(
                sl.settlement_id == settlement_id
            )
        ).one()
        row = {
            "id": settlement_id, "clf_id": group_clf, "shg_id": shg_id, "period_end": period_end,
            "lines": count.rowcount, "gross_paise": totals.gross_paise,  # type: ignore[attr-defined]
            "fees_paise": totals.fee_paise + totals.shipping_paise, "tcs_paise": totals.tcs_paise,
            "tds_paise": totals.tds_paise, "net_paise": totals.net_paise, "created_at": now,
        }  # fmt: skip
        uow.session.execute(insert(settlements).values(row))
        uow.emit(SettlementCreatedV1(**_event_fields(row)))
        made.append(row)
    uow.commit()
    return made


def _event_fields(row: Any) -> dict[str, Any]:
    data = dict(row) if isinstance(row, dict) else row._asdict()
    return {
        "settlement_id": data["id"], "clf_id": data["clf_id"], "shg_id": data["shg_id"],
        "period_end": data["period_end"].isoformat(), "lines": data["lines"], "gross_paise": data["gross_paise"],
        "fees_paise": data["fees_paise"], "tcs_paise": data["tcs_paise"], "tds_paise": data["tds_paise"],
        "net_paise": data["net_paise"],
    }  # fmt: skip


def get(uow: UnitOfWork, caller: Caller, settlement_id: str) -> dict[str, Any]:
    row = uow.session.execute(select(settlements).where(settlements.c.id == settlement_id)).one_or_none()
    if row is None or not caller.sees_clf(row.clf_id):
        raise NotFound("settlement", settlement_id)
    lines = uow.session.execute(
        select(settlement_lines)
        .where(settlement_lines.c.settlement_id == settlement_id)
        .order_by(settlement_lines.c.order_id, settlement_lines.c.line, settlement_lines.c.kind)
    )
    return {**row._asdict(), "items": [line._asdict() for line in lines]}


def list_settlements(uow: UnitOfWork, caller: Caller, paid: bool | None) -> list[dict[str, Any]]:
    query = select(settlements).order_by(settlements.c.created_at.desc(), settlements.c.id)
    visible = caller.visible_clfs()
    if visible is not None:
        query = query.where(settlements.c.clf_id.in_(visible))
    if paid is not None:
        query = query.where(settlements.c.paid_at.is_not(None) if paid else settlements.c.paid_at.is_(None))
    return [r._asdict() for r in uow.session.execute(query.limit(500))]


def mark_paid(uow: UnitOfWork, caller: Caller, settlement_id: str, reference: str) -> dict[str, Any]:
    if not caller.is_admin:
        raise NotAllowed("forbidden", "only an admin records payments")
    row = uow.session.execute(
        select(settlements).where(settlements.c.id == settlement_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound("settlement", settlement_id)
    if row.paid_at is not None:
        raise Conflict(
            "conflict", f"settlement {settlement_id} was paid on {row.paid_at:%Y-%m-%d} ({row.payment_reference})"
        )
    uow.session.execute(
        update(settlements)
        .where(settlements.c.id == settlement_id)
        .values(paid_at=datetime.now(UTC), payment_reference=reference)
    )
    uow.emit(SettlementPaidV1(**_event_fields(row), reference=reference))
    uow.commit()
    return get(uow, caller, settlement_id)


def bank_file(uow: UnitOfWork, caller: Caller) -> str:
    """Unpaid settlements as a bulk-payment CSV: one row per SHG payment, amounts in rupees."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["settlement_id", "shg_id", "shg_name", "bank_account_ref", "amount_inr", "narration"])
    for row in list_settlements(uow, caller, paid=False):
        shg = uow.session.execute(select(shgs).where(shgs.c.id == row["shg_id"])).one_or_none()
        amount = Decimal(row["net_paise"]) / 100
        narration = f"Haat settlement to {row['period_end']:%d-%m-%Y}"
        cells = [row["id"], row["shg_id"], shg.name if shg else "", (shg.bank_account_ref or "") if shg else "",
                 f"{amount:.2f}", narration]  # fmt: skip
        writer.writerow([safe_cell(str(c)) for c in cells])
    return out.getvalue()
