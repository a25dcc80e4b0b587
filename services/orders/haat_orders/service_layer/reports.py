"""Pick lists for the packaging house and sales reports for coordinators and admins."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from sqlalchemy import func, select

from haat.documents.spreadsheet_cells import safe_cell
from haat.errors import DomainError, Invalid, NotAllowed
from haat.identity import Caller
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import order_items, orders, product_snapshots, sellers, settlement_lines
from haat_orders.service_layer.fulfilment import LINE_TITLE, line_product, visible_to

GroupBy = Literal["shg", "clf", "district", "channel", "product", "month"]
MAX_PICK = 200


def pick_list(uow: UnitOfWork, caller: Caller, order_ids: list[str]) -> dict[str, Any]:
    """What to take from the shelves for a batch of orders: one row per SKU with its total and the orders."""
    if not order_ids or len(order_ids) > MAX_PICK:
        raise Invalid("invalid-batch", f"a pick list takes 1 to {MAX_PICK} orders")
    visible = set(uow.session.scalars(select(orders.c.id).where(orders.c.id.in_(order_ids), visible_to(caller))))
    missing = sorted(set(order_ids) - visible)
    if missing:
        raise DomainError.of_kind(
            "not-found", "not-found", f"no such orders: {', '.join(missing[:10])}", missing=missing
        )
    rows = uow.session.execute(
        select(
            order_items.c.sku,
            LINE_TITLE,
            order_items.c.order_id,
            order_items.c.quantity,
        )
        .select_from(order_items.join(orders, orders.c.id == order_items.c.order_id))
        .outerjoin(product_snapshots, line_product(orders.c.clf_id))
        .where(order_items.c.order_id.in_(visible))
        .order_by(order_items.c.sku, order_items.c.order_id)
    )
    lines: dict[str, dict[str, Any]] = {}
    for sku, title, order_id, quantity in rows:
        line = lines.setdefault(sku, {"sku": sku, "title": title, "quantity": 0, "orders": []})
        line["quantity"] += quantity
        line["orders"].append({"order_id": order_id, "quantity": quantity})
    return {"orders": sorted(visible), "lines": list(lines.values())}


def sales(uow: UnitOfWork, caller: Caller, group_by: GroupBy) -> list[dict[str, Any]]:
    """Delivered sales (returns taken back), from the settlement lines: gross and net per group."""
    sl = settlement_lines.c
    if group_by == "month":
        dialect = uow.session.get_bind().dialect.name
        key: Any = (
            func.to_char(sl.earned_at, "YYYY-MM") if dialect == "postgresql" else func.strftime("%Y-%m", sl.earned_at)
        )
    elif group_by == "district":
        key = func.coalesce(sellers.c.district_name, "unknown")
    else:
        key = {"shg": sl.shg_id, "clf": sl.clf_id, "channel": sl.channel, "product": sl.sku}[group_by]
    query = (
        select(
            key.label("group"),
            func.count(func.distinct(sl.order_id)).label("orders"),
            func.sum(sl.gross_paise).label("gross_paise"),
            func.sum(sl.net_paise).label("net_paise"),
        )
        .select_from(settlement_lines.outerjoin(sellers, sellers.c.clf_id == sl.clf_id))
        .group_by(key)
    )
    visible = caller.visible_clfs()
    if visible is not None:
        if caller.role not in ("coordinator", "partner"):
            raise NotAllowed("forbidden", "sales reports are for admins, coordinators and granted partners")
        query = query.where(sl.clf_id.in_(visible))
    return [row._asdict() for row in uow.session.execute(query.order_by(key))]


def sales_csv(rows: list[dict[str, Any]], group_by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([group_by, "orders", "gross_inr", "net_inr"])
    for row in rows:
        writer.writerow([safe_cell(str(row["group"])), row["orders"], f"{row['gross_paise'] / 100:.2f}",
                         f"{(row['net_paise'] or 0) / 100:.2f}"])  # fmt: skip
    return out.getvalue()
