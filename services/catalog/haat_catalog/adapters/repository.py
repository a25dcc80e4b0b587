"""Loading and saving catalog aggregates; `for_update` locks the row on PostgreSQL for the transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import products, stock_levels, stock_movements
from haat_catalog.domain.product import Product
from haat_catalog.domain.stock import Movement, StockLevel


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, product: Product) -> None:
        self.session.add(product)

    def get(self, clf_id: str, sku: str, *, for_update: bool = False) -> Product | None:
        query = select(Product).filter_by(clf_id=clf_id, sku=sku)
        if for_update:
            query = query.with_for_update()
        return self.session.scalars(query).one_or_none()

    def get_many(self, clf_id: str, skus: list[str], *, for_update: bool = False) -> dict[str, Product]:
        query = select(Product).where(products.c.clf_id == clf_id, products.c.sku.in_(skus))
        if for_update:
            query = query.with_for_update()
        return {p.sku: p for p in self.session.scalars(query)}

    def clfs_with_sku(self, sku: str, visible_clfs: set[str] | None) -> list[str]:
        query = select(products.c.clf_id).where(products.c.sku == sku).order_by(products.c.clf_id)
        if visible_clfs is not None:
            query = query.where(products.c.clf_id.in_(visible_clfs))
        return list(self.session.scalars(query))


class StockRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def level(self, clf_id: str, sku: str, packaging_house_id: str) -> StockLevel:
        """The stock level, locked for this transaction (created at zero on first use)."""
        t = stock_levels.c
        key = (t.clf_id == clf_id) & (t.sku == sku) & (t.packaging_house_id == packaging_house_id)
        row = self.session.execute(select(t.on_hand, t.reserved).where(key).with_for_update()).one_or_none()
        if row is None:
            self.session.execute(
                insert(stock_levels).values(
                    clf_id=clf_id,
                    sku=sku,
                    packaging_house_id=packaging_house_id,
                    on_hand=0,
                    reserved=0,
                    updated_at=datetime.now(UTC),
                )
            )
            return StockLevel(clf_id, sku, packaging_house_id)
        return StockLevel(clf_id, sku, packaging_house_id, on_hand=row.on_hand, reserved=row.reserved)

    def levels(self, clf_id: str, sku: str, *, for_update: bool = False) -> list[StockLevel]:
        t = stock_levels.c
        query = select(stock_levels).where(t.clf_id == clf_id, t.sku == sku).order_by(t.packaging_house_id)
        if for_update:
            query = query.with_for_update()
        return [
            StockLevel(r.clf_id, r.sku, r.packaging_house_id, on_hand=r.on_hand, reserved=r.reserved)
            for r in self.session.execute(query)
        ]

    def applied_request(self, actor: str, request_key: str) -> Any:
        """The stock movement this person's request with this Idempotency-Key already made, if any."""
        t = stock_movements.c
        found = select(t.clf_id, t.sku, t.packaging_house_id, t.kind, t.on_hand_delta, t.reason).where(
            t.actor == actor, t.request_key == request_key
        )
        return self.session.execute(found.limit(1)).one_or_none()

    def save(
        self, level: StockLevel, movement: Movement, *, actor: str, order_id: str | None = None,
        request_key: str | None = None,
    ) -> None:  # fmt: skip
        now = datetime.now(UTC)
        t = stock_levels.c
        self.session.execute(
            stock_levels.update()
            .where(t.clf_id == level.clf_id, t.sku == level.sku, t.packaging_house_id == level.packaging_house_id)
            .values(on_hand=level.on_hand, reserved=level.reserved, updated_at=now)
        )
        self.session.execute(
            insert(stock_movements).values(
                clf_id=level.clf_id,
                sku=level.sku,
                packaging_house_id=level.packaging_house_id,
                kind=movement.kind,
                on_hand_delta=movement.on_hand_delta,
                reserved_delta=movement.reserved_delta,
                reason=movement.reason,
                order_id=order_id,
                actor=actor,
                at=now,
                request_key=request_key,
            )
        )

    def available_total(self, clf_id: str, sku: str) -> int:
        t = stock_levels.c
        total = self.session.scalar(
            select(func.coalesce(func.sum(t.on_hand - t.reserved), 0)).where(t.clf_id == clf_id, t.sku == sku)
        )
        return int(total or 0)

    def order_holdings(self, order_id: str, kind: str) -> dict[tuple[str, str, str], int]:
        """Per (clf, sku, house): the quantity of `kind` movements recorded for an order."""
        m = stock_movements.c
        rows = self.session.execute(
            select(m.clf_id, m.sku, m.packaging_house_id, func.sum(m.reserved_delta))
            .where(m.order_id == order_id, m.kind == kind)
            .group_by(m.clf_id, m.sku, m.packaging_house_id)
        )
        return {(r[0], r[1], r[2]): int(r[3]) for r in rows}
