"""Pick lists for the packaging house and sales reports for coordinators and admins."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from haat.documents.spreadsheet_cells import safe_cell
from haat.errors import DomainError, Invalid, NotAllowed
from haat.identity import Caller
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters import views

GroupBy = Literal["shg", "clf", "district", "channel", "product", "month"]
MAX_PICK = 200


def pick_list(uow: UnitOfWork, caller: Caller, order_ids: list[str]) -> dict[str, Any]:
    """What to take from the shelves for a batch of orders: one row per SKU with its total and the orders."""
    if not order_ids or len(order_ids) > MAX_PICK:
        raise Invalid("invalid-batch", f"a pick list takes 1 to {MAX_PICK} orders")
    visible = views.visible_order_ids(uow, caller, order_ids)
    missing = sorted(set(order_ids) - visible)
    if missing:
        raise DomainError.of_kind(
            "not-found", "not-found", f"no such orders: {', '.join(missing[:10])}", missing=missing
        )
    lines: dict[str, dict[str, Any]] = {}
    for sku, title, order_id, quantity in views.lines_to_pick(uow, visible):
        line = lines.setdefault(sku, {"sku": sku, "title": title, "quantity": 0, "orders": []})
        line["quantity"] += quantity
        line["orders"].append({"order_id": order_id, "quantity": quantity})
    return {"orders": sorted(visible), "lines": list(lines.values())}


def sales(uow: UnitOfWork, caller: Caller, group_by: GroupBy) -> list[dict[str, Any]]:
    """Delivered sales (returns taken back), from the settlement lines: gross and net per group."""
    visible = caller.visible_clfs()
    if visible is not None and caller.role not in ("coordinator", "partner"):
        raise NotAllowed("forbidden", "sales reports are for admins, coordinators and granted partners")
    return views.sales(uow, group_by, visible)


def sales_csv(rows: list[dict[str, Any]], group_by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([group_by, "orders", "gross_inr", "net_inr"])
    for row in rows:
        writer.writerow([safe_cell(str(row["group"])), row["orders"], f"{row['gross_paise'] / 100:.2f}",
                         f"{(row['net_paise'] or 0) / 100:.2f}"])  # fmt: skip
    return out.getvalue()
