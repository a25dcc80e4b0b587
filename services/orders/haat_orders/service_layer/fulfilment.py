"""Use cases of the people who handle orders: see them (scoped) and move them along."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, not_, select

from haat.errors import Conflict, NotAllowed, NotFound
from haat.identity import Caller
from haat.pagination import decode_cursor, encode_cursor
from haat.unit_of_work import UnitOfWork
from haat_orders.adapters.tables import order_history, order_items, orders, product_snapshots
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.domain.order import AT_RISK_WITHIN, OPEN_STATES, IllegalTransition, sla
from haat_orders.service_layer import invoicing
from haat_orders.service_layer.transitions import apply_action

# What a partner is not told about an order's buyer (it sees the state, for GST's sake, not the town).
HIDDEN_FROM_PARTNERS = {"buyer_city": ""}


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


# An order line's name as the catalog has it (both languages), else as the marketplace sent it.
LINE_TITLE = func.coalesce(product_snapshots.c.title, order_items.c.title).label("title")


def line_product(clf_id: Any) -> Any:
    """Joins an order line to the catalog's snapshot of its product (the product of that CLF)."""
    return (product_snapshots.c.clf_id == clf_id) & (product_snapshots.c.sku == order_items.c.sku)


def _view(row: Any, now: datetime, caller: Caller) -> dict[str, Any]:
    view = {**row._asdict(), "sla": sla(row.ship_by, row.state, now)}
    return {**view, **HIDDEN_FROM_PARTNERS} if caller.role == "partner" else view


def get_order(uow: UnitOfWork, caller: Caller, order_id: str) -> dict[str, Any]:
    row = uow.session.execute(select(orders).where(orders.c.id == order_id, visible_to(caller))).one_or_none()
    if row is None:
        raise NotFound("order", order_id)
    i = order_items.c
    items = uow.session.execute(
        select(i.line, i.sku, LINE_TITLE, i.quantity, i.unit_price_paise, i.marketplace_item_id)
        .outerjoin(product_snapshots, line_product(row.clf_id))
        .where(i.order_id == order_id)
        .order_by(i.line)
    )
    history = uow.session.execute(
        select(order_history).where(order_history.c.order_id == order_id).order_by(order_history.c.seq)
    )
    return {
        **_view(row, datetime.now(UTC), caller),
        "items": [i._asdict() for i in items],
        "history": [h._asdict() for h in history],
    }


def list_orders(
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
    return {
        "items": [_view(r, now, caller) for r in rows[:limit]],
        "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None,
    }


def _sla_condition(wanted: str, now: datetime) -> Any:
    open_ = orders.c.state.in_(OPEN_STATES)
    late = and_(open_, orders.c.ship_by < now)
    at_risk = and_(open_, orders.c.ship_by >= now, orders.c.ship_by <= now + AT_RISK_WITHIN)
    return {"late": late, "at_risk": at_risk}.get(wanted, and_(not_(late), not_(at_risk)))


def act(
    uow: OrdersUnitOfWork, caller: Caller, order_id: str, action: str, note: str = "", **details: Any
) -> dict[str, Any]:
    if caller.role not in ("admin", "service", "coordinator", "fulfilment"):
        raise NotAllowed("forbidden", "only staff can move orders")
    get_order(uow, caller, order_id)  # 404 for an order the caller may not see
    try:
        apply_action(uow, order_id, action, caller.subject, note, **details)
    except IllegalTransition as refused:
        current = refused.state
        raise Conflict("illegal-transition", str(refused), current_state=current) from None
    uow.commit()
    return get_order(uow, caller, order_id)


def document(uow: UnitOfWork, caller: Caller, order_id: str, kind: str) -> dict[str, Any]:
    """An invoice (once shipped) or credit note (once returned); issued now if it was deferred."""
    order = get_order(uow, caller, order_id)
    if kind == "invoice" and order["state"] not in ("shipped", "delivered", "return_requested", "returned"):
        raise Conflict("not-invoiced-yet", f"an order is invoiced when shipped; this one is {order['state']}")
    if kind == "credit_note" and order["state"] != "returned":
        raise Conflict("no-credit-note", f"a credit note is issued on return; this order is {order['state']}")
    try:
        issued = invoicing.issue(uow, order_id, kind)
    except invoicing.CannotInvoice as missing:
        raise Conflict("cannot-invoice-yet", str(missing)) from None
    uow.commit()
    return issued
