"""Read models of orders: what screens, reports and other services read, as it is stored (the use cases'
writes go through the repositories; these only read). Every query is scoped to what the caller may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, not_, select

from haat.identity import Caller
from haat.pagination import decode_cursor, encode_cursor
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import (
    order_history,
    order_items,
    orders,
    product_snapshots,
    sellers,
    settlement_lines,
    settlements,
    shgs,
)
from haat_orders.domain.order import AT_RISK_WITHIN, OPEN_STATES, sla

# What a partner is not told about an order's buyer (it sees the state, for GST's sake, not the town).
HIDDEN_FROM_PARTNERS = {"buyer_city": ""}
# An order line's name as the catalog has it (both languages), else as the marketplace sent it.
LINE_TITLE = func.coalesce(product_snapshots.c.title, order_items.c.title).label("title")


def product_snapshot(uow: UnitOfWork, clf_id: str, sku: str) -> Any:
    """Orders' copy of a catalog product (None: none yet)."""
    t = product_snapshots.c
    return uow.session.execute(select(product_snapshots).where(t.clf_id == clf_id, t.sku == sku)).one_or_none()


def visible_to(caller: Caller) -> Any:
    """The orders a caller may see: admins all, coordinators their CLF's, fulfilment staff their house's,
    a partner those of the CLFs it was granted."""
    if caller.is_admin:
        return orders.c.id.is_not(None)
    if caller.role == "coordinator" and caller.clf_id:
        return orders.c.clf_id == caller.clf_id
    if caller.role == "partner":
        return orders.c.clf_id.in_(caller.clf_ids)
    if caller.role == "fulfilment" and caller.packaging_house_id:
        return orders.c.packaging_house_id == caller.packaging_house_id
    return orders.c.id.is_(None)


def _line_product(clf_id: Any) -> Any:
    """Joins an order line to the catalog's snapshot of its product (the product of that CLF)."""
    return (product_snapshots.c.clf_id == clf_id) & (product_snapshots.c.sku == order_items.c.sku)


def _summary(row: Any, now: datetime, caller: Caller) -> dict[str, Any]:
    view = {**row._asdict(), "sla": sla(row.ship_by, row.state, now)}
    return {**view, **HIDDEN_FROM_PARTNERS} if caller.role == "partner" else view


def order(uow: UnitOfWork, caller: Caller, order_id: str) -> dict[str, Any] | None:
    """The order with its lines and history, or None when there is none the caller may see."""
    row = uow.session.execute(select(orders).where(orders.c.id == order_id, visible_to(caller))).one_or_none()
    if row is None:
        return None
    i = order_items.c
    items = uow.session.execute(
        select(i.line, i.sku, LINE_TITLE, i.quantity, i.unit_price_paise, i.marketplace_item_id)
        .outerjoin(product_snapshots, _line_product(row.clf_id))
        .where(i.order_id == order_id)
        .order_by(i.line)
    )
    history = uow.session.execute(
        select(order_history).where(order_history.c.order_id == order_id).order_by(order_history.c.seq)
    )
    listed = [i._asdict() for i in items]
    return {
        **_summary(row, datetime.now(UTC), caller),
        "lines": [{"sku": i["sku"], "title": i["title"], "quantity": i["quantity"]} for i in listed],
        "items": listed,
        "history": [h._asdict() for h in history],
    }


def order_page(
    uow: UnitOfWork, caller: Caller, *, filters: dict[str, str | None], sla_filter: str | None, limit: int,
    cursor: str | None, shg_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The queue: soonest ship-by first, filtered by any column given and by SLA risk."""
    now = datetime.now(UTC)
    query = select(orders).where(visible_to(caller))
    for name, value in filters.items():
        if value is not None:
            query = query.where(orders.c[name] == value)
    if sla_filter:
        query = query.where(_sla_condition(sla_filter, now))
    if shg_id:  # orders with at least one line made by this SHG
        made_by = (
            select(order_items.c.order_id)
            .join(
                product_snapshots,
                (product_snapshots.c.sku == order_items.c.sku) & (product_snapshots.c.shg_id == shg_id),
            )
            .where(order_items.c.order_id == orders.c.id)
        )
        query = query.where(made_by.exists())
    offset = decode_cursor(cursor) if cursor else 0
    query = query.order_by(orders.c.ship_by.asc().nulls_last(), orders.c.id).offset(offset).limit(limit + 1)
    rows = uow.session.execute(query).all()
    lines = _lines_of(uow, [r.id for r in rows[:limit]])
    return {
        "items": [{**_summary(r, now, caller), "lines": lines.get(r.id, [])} for r in rows[:limit]],
        "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None,
    }


def _lines_of(uow: UnitOfWork, order_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """What is in each order of a page, in one query: SKU, name (the catalog's, both languages) and count."""
    if not order_ids:
        return {}
    i = order_items.c
    found = uow.session.execute(
        select(i.order_id, i.sku, LINE_TITLE, i.quantity)
        .join(orders, orders.c.id == i.order_id)
        .outerjoin(product_snapshots, _line_product(orders.c.clf_id))
        .where(i.order_id.in_(order_ids))
        .order_by(i.order_id, i.line)
    )
    lines: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        lines.setdefault(row.order_id, []).append({"sku": row.sku, "title": row.title, "quantity": row.quantity})
    return lines


def _sla_condition(wanted: str, now: datetime) -> Any:
    open_ = orders.c.state.in_(OPEN_STATES)
    late = and_(open_, orders.c.ship_by < now)
    at_risk = and_(open_, orders.c.ship_by >= now, orders.c.ship_by <= now + AT_RISK_WITHIN)
    return {"late": late, "at_risk": at_risk}.get(wanted, and_(not_(late), not_(at_risk)))


def visible_order_ids(uow: UnitOfWork, caller: Caller, order_ids: list[str]) -> set[str]:
    return set(uow.session.scalars(select(orders.c.id).where(orders.c.id.in_(order_ids), visible_to(caller))))


def lines_to_pick(uow: UnitOfWork, order_ids: set[str]) -> list[tuple[str, str, str, int]]:
    """(sku, title, order id, quantity) of these orders' lines, by SKU."""
    rows = uow.session.execute(
        select(order_items.c.sku, LINE_TITLE, order_items.c.order_id, order_items.c.quantity)
        .select_from(order_items.join(orders, orders.c.id == order_items.c.order_id))
        .outerjoin(product_snapshots, _line_product(orders.c.clf_id))
        .where(order_items.c.order_id.in_(order_ids))
        .order_by(order_items.c.sku, order_items.c.order_id)
    )
    return [(r.sku, r.title, r.order_id, r.quantity) for r in rows]


def sales(uow: UnitOfWork, group_by: str, visible_clfs: set[str] | None) -> list[dict[str, Any]]:
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
    if visible_clfs is not None:
        query = query.where(sl.clf_id.in_(visible_clfs))
    return [row._asdict() for row in uow.session.execute(query.order_by(key))]


# What a coordinator reads beside a settlement's numbers: the SHG by name, whether its bank details are known,
# and the first day of the period (its earliest line).
_SHG_NAME = shgs.c.name.label("shg_name")
_HAS_BANK = (shgs.c.bank_account_ref.is_not(None) & (shgs.c.bank_account_ref != "")).label("has_bank_details")
_PERIOD_START = (
    select(func.min(settlement_lines.c.earned_at))
    .where(settlement_lines.c.settlement_id == settlements.c.id)
    .scalar_subquery()
    .label("period_start")
)


def _settlements_query() -> Any:
    return select(settlements, _SHG_NAME, _HAS_BANK, _PERIOD_START).outerjoin(shgs, shgs.c.id == settlements.c.shg_id)


def settlement(uow: UnitOfWork, caller: Caller, settlement_id: str) -> dict[str, Any] | None:
    row = uow.session.execute(_settlements_query().where(settlements.c.id == settlement_id)).one_or_none()
    if row is None or not caller.sees_clf(row.clf_id):
        return None
    lines = uow.session.execute(
        select(settlement_lines)
        .where(settlement_lines.c.settlement_id == settlement_id)
        .order_by(settlement_lines.c.order_id, settlement_lines.c.line, settlement_lines.c.kind)
    )
    return {**row._asdict(), "items": [line._asdict() for line in lines]}


def settlements_list(uow: UnitOfWork, caller: Caller, paid: bool | None) -> list[dict[str, Any]]:
    query = _settlements_query().order_by(settlements.c.created_at.desc(), settlements.c.id)
    visible = caller.visible_clfs()
    if visible is not None:
        query = query.where(settlements.c.clf_id.in_(visible))
    if paid is not None:
        query = query.where(settlements.c.paid_at.is_not(None) if paid else settlements.c.paid_at.is_(None))
    return [r._asdict() for r in uow.session.execute(query.limit(500))]
