"""Marketplace orders as fetched, the stock held for new ones, and the queue of orders to fetch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from haat.backoff import Backoff, after_failure, due_now
from haat.retry_queue import is_due
from haat_connectors.adapters.tables import marketplace_orders, order_fetches, stock_holds


class MarketplaceOrders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def locked(self, key: str) -> Any:
        """The recorded order (locked for this transaction), or None."""
        query = select(marketplace_orders).where(marketplace_orders.c.order_key == key).with_for_update()
        return self.session.execute(query).one_or_none()

    def exists(self, key: str) -> bool:
        query = select(marketplace_orders.c.order_key).where(marketplace_orders.c.order_key == key)
        return self.session.scalar(query) is not None

    def add(self, row: dict[str, Any]) -> bool:
        """Record a new order; False when the same order got in first (fetched twice at once)."""
        try:
            with self.session.begin_nested():
                self.session.execute(insert(marketplace_orders).values(row))
        except IntegrityError:
            return False
        return True

    def change(self, key: str, values: dict[str, Any]) -> None:
        self.session.execute(update(marketplace_orders).where(marketplace_orders.c.order_key == key).values(values))

    def get(self, key: str) -> Any:
        """The recorded order as it is (a read: no lock), or None."""
        return self.session.execute(
            select(marketplace_orders).where(marketplace_orders.c.order_key == key)
        ).one_or_none()


class StockHolds:
    """Units of new marketplace orders kept off every channel until the catalog has reserved them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def held_for(self, order_key: str) -> bool:
        query = select(stock_holds.c.order_key).where(stock_holds.c.order_key == order_key).limit(1)
        return self.session.scalar(query) is not None

    def add(self, order_key: str, clf_id: str, quantities: dict[str, int]) -> bool:
        """Hold the order's units; False when a concurrent copy of the same notification held them first."""
        now = datetime.now(UTC)
        try:
            with self.session.begin_nested():
                for sku, quantity in quantities.items():
                    self.session.execute(
                        insert(stock_holds).values(
                            order_key=order_key, sku=sku, clf_id=clf_id, quantity=quantity, created_at=now
                        )
                    )
        except IntegrityError:
            return False
        return True

    def release(self, order_key: str) -> list[str]:
        """Drop the order's holds; the SKUs they were for."""
        skus = list(self.session.scalars(select(stock_holds.c.sku).where(stock_holds.c.order_key == order_key)))
        if skus:
            self.session.execute(delete(stock_holds).where(stock_holds.c.order_key == order_key))
        return skus


class OrderFetches:
    """Orders a notification named, to be fetched from the marketplace's API (retried with a backoff)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _key(account_id: str, fetch_id: str) -> Any:
        return and_(order_fetches.c.account_id == account_id, order_fetches.c.marketplace_order_id == fetch_id)

    def request(self, account_id: str, fetch_id: str) -> None:
        """Due now, even when it was backing off after a failure."""
        key, now = self._key(account_id, fetch_id), datetime.now(UTC)
        if self.session.scalar(select(order_fetches.c.attempts).where(key)) is not None:
            self.session.execute(update(order_fetches).where(key).values(**due_now(now)))
            return
        self.session.execute(
            insert(order_fetches).values(
                account_id=account_id, marketplace_order_id=fetch_id, requested_at=now, **due_now(now)
            )
        )

    def due(self, account_id: str, limit: int) -> list[str]:
        query = (
            select(order_fetches.c.marketplace_order_id)
            .where(order_fetches.c.account_id == account_id, is_due(order_fetches, datetime.now(UTC)))
            .order_by(order_fetches.c.requested_at)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def done(self, account_id: str, fetch_id: str, requested_before: datetime) -> None:
        # A notification that came in while fetching asks for a newer state: keep that request.
        self.session.execute(
            delete(order_fetches).where(
                self._key(account_id, fetch_id), order_fetches.c.next_attempt_at <= requested_before
            )
        )

    def failed(self, account_id: str, fetch_id: str, backoff: Backoff) -> None:
        key = self._key(account_id, fetch_id)
        attempts = int(self.session.scalar(select(order_fetches.c.attempts).where(key)) or 0)
        self.session.execute(
            update(order_fetches).where(key).values(after_failure(backoff, attempts, datetime.now(UTC)))
        )
