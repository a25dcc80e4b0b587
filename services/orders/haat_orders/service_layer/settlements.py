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

from haat.documents.indian_format import date_in_india
from haat.documents.spreadsheet_cells import safe_cell
from haat.errors import Conflict, NotAllowed, NotFound
from haat.events.catalog import ShgRegisteredV1
from haat.events.envelope import CloudEvent
from haat.events.orders import SettlementCreatedV1, SettlementPaidV1
from haat.identity import Caller
from haat_orders.adapters import views
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.gst import charged_rate, tax_line
from haat_orders.domain.references import Shg
from haat_orders.domain.settlement import DEDUCTIONS, LedgerLine, payable, shares
from haat_orders.settings import OrdersSettings

UNKNOWN_SHG = "unassigned"  # a product without an SHG: its lines wait for the CLF to assign them


def on_shg_registered(uow: OrdersUnitOfWork, event: CloudEvent) -> None:
    shg = ShgRegisteredV1.model_validate(event.data)
    uow.references.save_shg(Shg(id=shg.shg_id, clf_id=shg.clf_id, name=shg.name, bank_account_ref=shg.bank_account_ref))


def record_sale(uow: OrdersUnitOfWork, order_id: str) -> None:
    """The delivered order's lines, owed to the SHG that made each product (deductions come at settling)."""
    order = uow.orders.get(order_id)
    if order is None or uow.ledger.has_lines(order_id):
        return
    seller = uow.references.seller(order.clf_id)
    registered = seller is not None and seller.gstin is not None
    now = datetime.now(UTC)
    for line in order.lines:
        product = uow.references.product(order.clf_id, line.sku)
        # taxed as its invoice was: the rate in force on the day (TCS is a share of the taxable value)
        rate = charged_rate(product.hsn_code, product.gst_rate_bp, product.gst_exempt, line.unit_price_paise,
                            date_in_india(now)) if product else 0  # fmt: skip
        taxable = tax_line(line.sku, "", "", line.quantity, line.unit_price_paise, rate, intra_state=True,
                           taxed=registered).taxable_paise  # fmt: skip
        uow.ledger.add_line({
            "id": f"sl-{uuid.uuid4().hex[:16]}", "order_id": order_id, "line": line.number, "kind": "sale",
            "clf_id": order.clf_id, "shg_id": (product.shg_id if product else None) or UNKNOWN_SHG,
            "channel": order.channel, "sku": line.sku, "earned_at": now,
            "gross_paise": line.unit_price_paise * line.quantity, "taxable_paise": taxable,
            **dict.fromkeys(DEDUCTIONS, 0),
        })  # fmt: skip


def record_return(uow: OrdersUnitOfWork, order_id: str) -> None:
    """A return after delivery takes the sale back: a reversing line for each sale line, settled or not."""
    now = datetime.now(UTC)
    for sale in uow.ledger.sales_of(order_id):
        uow.ledger.add_line({
            "id": f"sl-{uuid.uuid4().hex[:16]}", "order_id": order_id, "line": sale.line, "kind": "reversal",
            "clf_id": sale.clf_id, "shg_id": sale.shg_id, "channel": sale.channel, "sku": sale.sku,
            "earned_at": now, "gross_paise": -sale.gross_paise, "taxable_paise": -sale.taxable_paise,
            **dict.fromkeys(DEDUCTIONS, 0),
        })  # fmt: skip


def _price(uow: OrdersUnitOfWork, settings: OrdersSettings, lines: list[LedgerLine]) -> None:
    """Work out each line's deductions with today's fee schedule: sales first (shipping shared over an
    order's lines by value), then reversals, which take back exactly what their sale was."""
    by_order: dict[str, list[LedgerLine]] = {}
    for line in lines:
        if line.kind == "sale":
            by_order.setdefault(line.order_id, []).append(line)
    fees = settings.marketplace_fee_bp
    for order_lines in by_order.values():
        channel = order_lines[0].channel
        shipping = shares(settings.shipping_fee_paise.get(channel, 0), [ln.gross_paise for ln in order_lines])
        for line, ship_share in zip(order_lines, shipping, strict=True):
            product = uow.references.product(line.clf_id, line.sku)
            category = product.category if product else None
            fee_bp = fees.get(f"{channel}:{category}", fees.get(channel, 0))
            owed = payable(line.gross_paise, line.taxable_paise, ship_share, fee_bp=fee_bp,
                           tcs_bp=settings.tcs_bp, tds_bp=settings.tds_bp)  # fmt: skip
            uow.ledger.set_deductions(line.id, {name: getattr(owed, name) for name in DEDUCTIONS})
    for line in lines:
        if line.kind == "reversal":
            sale = uow.ledger.deductions_of_sale(line.order_id, line.line)
            uow.ledger.set_deductions(line.id, {name: -sale[name] for name in DEDUCTIONS})


def estimate(settings: OrdersSettings, price_paise: int, gst_rate_bp: int, category: str | None,
             *, registered: bool) -> list[dict[str, Any]]:  # fmt: skip
    """What one unit sold alone at `price_paise` would pay out on each marketplace, by today's fee schedule:
    the price less its commission, shipping, TCS and TDS, worked out as a settlement line would be."""
    channels = sorted({key.split(":")[0] for key in settings.marketplace_fee_bp} | set(settings.shipping_fee_paise))
    taxable = tax_line("", "", "", 1, price_paise, gst_rate_bp, intra_state=True, taxed=registered).taxable_paise
    found = []
    for channel in channels:
        fee_bp = settings.marketplace_fee_bp.get(f"{channel}:{category}", settings.marketplace_fee_bp.get(channel, 0))
        owed = payable(price_paise, taxable, settings.shipping_fee_paise.get(channel, 0), fee_bp=fee_bp,
                       tcs_bp=settings.tcs_bp, tds_bp=settings.tds_bp)  # fmt: skip
        found.append({"channel": channel, "gross_paise": price_paise, "fee_paise": owed.fee_paise,
                      "shipping_paise": owed.shipping_paise, "tcs_paise": owed.tcs_paise,
                      "tds_paise": owed.tds_paise, "net_paise": owed.net_paise})  # fmt: skip
    return found


def _require_staff(caller: Caller, clf_id: str | None) -> None:
    if caller.is_admin or (caller.role == "coordinator" and clf_id in (None, caller.clf_id)):
        return
    raise NotAllowed("forbidden", "settlements are for admins and the CLF's coordinators")


def draw_up(
    uow: OrdersUnitOfWork, caller: Caller, settings: OrdersSettings, period_end: datetime, clf_id: str | None
) -> list[dict[str, Any]]:
    """A settlement per SHG of every line earned before `period_end` and not settled yet."""
    _require_staff(caller, clf_id)
    if caller.role == "coordinator":
        clf_id = caller.clf_id
    lines = uow.ledger.unsettled(period_end, clf_id)
    _price(uow, settings, lines)
    groups: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        if line.shg_id != UNKNOWN_SHG:
            groups.setdefault((line.clf_id, line.shg_id), []).append(line.id)
    made = []
    now = datetime.now(UTC)
    for (group_clf, shg_id), line_ids in sorted(groups.items()):
        row = uow.ledger.settle(
            {"id": f"st-{uuid.uuid4().hex[:16]}", "clf_id": group_clf, "shg_id": shg_id, "period_end": period_end,
             "created_at": now},
            line_ids,
        )  # fmt: skip
        uow.emit(SettlementCreatedV1(**_event_fields(row)))
        made.append(row)
    uow.commit()
    return made


def _event_fields(row: Any) -> dict[str, Any]:
    data = dict(row)
    return {
        "settlement_id": data["id"], "clf_id": data["clf_id"], "shg_id": data["shg_id"],
        "period_end": data["period_end"].isoformat(), "lines": data["lines"], "gross_paise": data["gross_paise"],
        "fees_paise": data["fees_paise"], "tcs_paise": data["tcs_paise"], "tds_paise": data["tds_paise"],
        "net_paise": data["net_paise"],
    }  # fmt: skip


def get(uow: OrdersUnitOfWork, caller: Caller, settlement_id: str) -> dict[str, Any]:
    found = views.settlement(uow, caller, settlement_id)
    if found is None:
        raise NotFound("settlement", settlement_id)
    return found


def list_settlements(uow: OrdersUnitOfWork, caller: Caller, paid: bool | None) -> list[dict[str, Any]]:
    return views.settlements_list(uow, caller, paid)


def mark_paid(uow: OrdersUnitOfWork, caller: Caller, settlement_id: str, reference: str) -> dict[str, Any]:
    if not caller.is_admin:
        raise NotAllowed("forbidden", "only an admin records payments")
    row = uow.ledger.settlement(settlement_id, for_update=True)
    if row is None:
        raise NotFound("settlement", settlement_id)
    if row["paid_at"] is not None:
        raise Conflict(
            "conflict", f"settlement {settlement_id} was paid on {row['paid_at']:%Y-%m-%d} ({row['payment_reference']})"
        )
    uow.ledger.mark_paid(settlement_id, datetime.now(UTC), reference)
    uow.emit(SettlementPaidV1(**_event_fields(row), reference=reference))
    uow.commit()
    return get(uow, caller, settlement_id)


def payable_now(row: dict[str, Any]) -> bool:
    """Whether an unpaid settlement goes into the bank file: something to pay, and an account to pay it to
    (the others are shown on the settlements page, saying why they wait)."""
    return row["net_paise"] > 0 and bool(row.get("has_bank_details"))


def bank_file(uow: OrdersUnitOfWork, unpaid: list[dict[str, Any]]) -> str:
    """The unpaid settlements (as `list_settlements` shows them) as a bulk-payment CSV: one row per SHG payment,
    amounts in rupees; an SHG without bank details, or a settlement with nothing to pay, is left out rather
    than sent to a bank as a blank."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["settlement_id", "shg_id", "shg_name", "bank_account_ref", "amount_inr", "narration"])
    for row in unpaid:
        if not payable_now(row):
            continue
        shg = uow.references.shg(row["shg_id"])
        amount = Decimal(row["net_paise"]) / 100
        start = row.get("period_start") or row["period_end"]
        narration = f"Haat settlement {start:%d-%m-%Y} to {row['period_end']:%d-%m-%Y}"
        cells = [row["id"], row["shg_id"], shg.name if shg else "", (shg.bank_account_ref or "") if shg else "",
                 f"{amount:.2f}", narration]  # fmt: skip
        writer.writerow([safe_cell(str(c)) for c in cells])
    return out.getvalue()
