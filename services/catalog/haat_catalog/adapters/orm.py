"""Tables of the catalog database, and the mapping of the domain classes onto them."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.orm import registry

from haat.db import UtcDateTime
from haat.messaging_tables import add_messaging_tables
from haat_catalog.domain.product import Product

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("clf_id", String(64), nullable=False),
    Column("title_en", String(500)),
    Column("title_hi", String(500)),
    Column("hsn_code", String(8), nullable=False),
    Column("gst_rate_bp", Integer, nullable=False),
    Column("mrp_paise", Integer, nullable=False),
    Column("price_paise", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("submitted_at", UtcDateTime()),
    UniqueConstraint("clf_id", "sku", name="uq_products_clf_sku"),
)

add_messaging_tables(metadata)


def start_mappers() -> None:
    if Product not in [m.class_ for m in mapper_registry.mappers]:
        mapper_registry.map_imperatively(Product, products)
