"""Read models of the connectors: listing sync state as lists and counts, scoped to what a caller sees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haat_connectors.adapters.tables import listings


def listing_counts(session: Session, visible_clfs: set[str] | None) -> list[dict[str, Any]]:
    """Listings per CLF, channel and status."""
    c = listings.c
    query = select(c.clf_id, c.channel, c.status, func.count().label("count")).group_by(c.clf_id, c.channel, c.status)
    if visible_clfs is not None:
        query = query.where(c.clf_id.in_(visible_clfs))
    return [r._asdict() for r in session.execute(query.order_by(c.clf_id, c.channel, c.status))]


def listing_page(
    session: Session, visible_clfs: set[str] | None, *, skus: list[str] | None, filters: dict[str, str | None],
    offset: int, limit: int,
) -> list[Any]:  # fmt: skip
    """One page of listings (one row more than `limit` when there are more), by CLF, SKU and channel."""
    c = listings.c
    query = select(listings).order_by(c.clf_id, c.sku, c.channel)
    if visible_clfs is not None:
        query = query.where(c.clf_id.in_(visible_clfs))
    if skus:
        query = query.where(c.sku.in_(skus))
    for name, value in filters.items():
        if value is not None:
            query = query.where(c[name] == value)
    return list(session.execute(query.offset(offset).limit(limit + 1)).all())
