"""Read models of the catalog: queries that answer a screen or a list directly from the tables, with no
aggregate in between (the repositories serve the use cases that change things)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from haat.identity import Caller
from haat.unit_of_work import UnitOfWork
from haat_catalog.adapters.orm import clfs, geo_units, listing_statuses, products, search_text
from haat_catalog.domain.product import Product


def geo_units_under(session: Session, parent_code: str | None, kind: str | None = None) -> list[Any]:
    """The units directly under `parent_code` (or, without one, every unit of `kind`, states by default);
    by English name."""
    query = select(geo_units).order_by(geo_units.c.name_en)
    if parent_code:
        query = query.where(geo_units.c.parent_code == parent_code)
    else:
        query = query.where(geo_units.c.kind == (kind or "state"))
    return list(session.execute(query))


@dataclass(frozen=True)
class ProductFilter:
    q: str | None = None
    clf_id: str | None = None
    shg_id: str | None = None
    category: str | None = None
    status: str | None = None
    district_code: str | None = None
    channel: str | None = None
    channel_status: str | None = None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_products(
    uow: UnitOfWork, caller: Caller, where: ProductFilter, *, limit: int, after_id: int | None
) -> tuple[list[Product], int | None]:
    """A page of products in creation order, and the id to continue after (None on the last page)."""
    t = products.c
    query: Select[tuple[Product]] = select(Product).order_by(t.id).limit(limit + 1)
    visible = caller.visible_clfs()
    if visible is not None:
        query = query.where(t.clf_id.in_(visible))
    if after_id is not None:
        query = query.where(t.id > after_id)
    if where.q:
        for word in search_text(where.q).split():  # every word must match (Hindi or English)
            query = query.where(t.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    if where.clf_id:
        query = query.where(t.clf_id == where.clf_id)
    if where.category:
        query = query.where(t.category == where.category)
    if where.status:
        query = query.where(t.status == where.status)
    if where.shg_id:
        query = query.where(_contains_shg(where.shg_id, uow))
    if where.district_code:
        query = query.where(t.clf_id.in_(select(clfs.c.id).where(clfs.c.district_code == where.district_code)))
    if where.channel or where.channel_status:
        ls = listing_statuses.c
        conditions = [ls.clf_id == t.clf_id, ls.sku == t.sku]
        if where.channel:
            conditions.append(ls.channel == where.channel)
        if where.channel_status:
            conditions.append(ls.status == where.channel_status)
        query = query.where(exists().where(and_(*conditions)))
    rows = list(uow.session.scalars(query))
    next_after = rows[limit - 1].id if len(rows) > limit else None  # type: ignore[attr-defined]
    return rows[:limit], next_after


def _contains_shg(shg_id: str, uow: UnitOfWork):  # type: ignore[no-untyped-def]
    if uow.session.get_bind().dialect.name == "postgresql":
        return type_coerce(products.c.shg_ids, JSONB).contains([shg_id])  # JSONB @>
    # SQLite keeps JSON as text: match the quoted id inside the array.
    return products.c.shg_ids.like(f'%"{_escape_like(shg_id)}"%', escape="\\")
