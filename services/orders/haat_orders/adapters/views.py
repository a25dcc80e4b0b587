"""Read models of orders: what other services and screens read as it is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haat_orders.adapters.tables import product_snapshots


def product_snapshot(session: Session, clf_id: str, sku: str) -> Any:
    """Orders' copy of a catalog product (None: none yet)."""
    t = product_snapshots.c
    return session.execute(select(product_snapshots).where(t.clf_id == clf_id, t.sku == sku)).one_or_none()
