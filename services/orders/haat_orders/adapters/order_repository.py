"""Loading and saving `Order` aggregates: the order row, its lines, and one history row per recorded move."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from haat_orders.adapters.tables import order_history, order_items, orders
from haat_orders.domain.order import CREATED, Buyer, Line, Order


class OrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: str, *, for_update: bool = False) -> Order | None:
        query = select(orders).where(orders.c.id == order_id)
        row = self.session.execute(query.with_for_update() if for_update else query).one_or_none()
        if row is None:
            return None
        items = self.session.execute(
            select(order_items).where(order_items.c.order_id == order_id).order_by(order_items.c.line)
        )
        return Order(
            id=row.id, clf_id=row.clf_id, channel=row.channel, state=row.state,
            lines=tuple(Line(i.sku, i.quantity, i.unit_price_paise, i.line, i.title) for i in items),
            packaging_house_id=row.packaging_house_id, package=row.package, carrier=row.carrier,
            tracking_id=row.tracking_id, marketplace_order_id=row.marketplace_order_id,
            buyer=Buyer(row.buyer_state, row.buyer_city, row.buyer_postal_code),
        )  # fmt: skip

    def add(self, values: dict[str, Any], items: list[dict[str, Any]], *, actor: str, note: str) -> None:
        """A new order (state created) with its lines, and the first line of its history."""
        self.session.execute(insert(orders).values(values))
        for line, item in enumerate(items, start=1):
            self.session.execute(insert(order_items).values(order_id=values["id"], line=line, **item))
        self._record(values["id"], None, CREATED, actor, note)

    def save(self, order: Order) -> None:
        """The order's state and shipping details, and a history row for each move recorded since it was
        loaded (the events are still on the order: the service layer hands them on to their handlers)."""
        if not order.events:
            return
        self.session.execute(
            update(orders)
            .where(orders.c.id == order.id)
            .values(
                state=order.state,
                package=order.package,
                carrier=order.carrier,
                tracking_id=order.tracking_id,
                updated_at=datetime.now(UTC),
            )
        )
        for event in order.events:
            self._record(order.id, event.before, event.after, event.actor, event.note)

    def note_marketplace_report(self, order_id: str, status: str, reported_at: datetime) -> None:
        self.session.execute(
            update(orders)
            .where(orders.c.id == order_id)
            .values(marketplace_status=status, marketplace_updated_at=reported_at)
        )

    def marketplace_reported_at(self, order_id: str) -> datetime | None:
        """When the marketplace's newest applied report was made (locks the order for this transaction)."""
        query = select(orders.c.marketplace_updated_at).where(orders.c.id == order_id).with_for_update()
        reported: datetime | None = self.session.scalar(query)
        return reported

    def note_stock(self, order_id: str, stock: str, packaging_house_id: str | None = None) -> None:
        """What the catalog's stock ledger says: reserved (by the first house that did) or shortfall."""
        self.session.execute(update(orders).where(orders.c.id == order_id).values(stock=stock))
        if packaging_house_id:
            self.session.execute(
                update(orders)
                .where(orders.c.id == order_id, orders.c.packaging_house_id.is_(None))
                .values(packaging_house_id=packaging_house_id)
            )

    def _record(self, order_id: str, before: str | None, after: str, actor: str, note: str) -> None:
        seq = self.session.scalar(
            select(func.coalesce(func.max(order_history.c.seq), 0)).where(order_history.c.order_id == order_id)
        )
        self.session.execute(
            insert(order_history).values(
                order_id=order_id, seq=(seq or 0) + 1, from_state=before, to_state=after, actor=actor, note=note,
                at=datetime.now(UTC),
            )
        )  # fmt: skip
