"""Tables of the catalog database, and the mapping of the domain classes onto them."""

from __future__ import annotations

import unicodedata

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import registry

from haat.db import JSON_TYPE, UtcDateTime
from haat.messaging.tables import SEQUENCE_TYPE, add_messaging_tables
from haat_catalog.domain.product import Product

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

# --- registry: state → district → block (LGD codes) → CLF → SHG → member -------------------------
geo_units = Table(
    "geo_units",
    metadata,
    Column("code", String(16), primary_key=True),  # LGD code
    Column("kind", String(10), nullable=False),  # state | district | block
    Column("parent_code", String(16), ForeignKey("geo_units.code")),
    Column("name_en", String(200), nullable=False),
    Column("name_hi", String(200)),
)

clfs = Table(
    "clfs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("name_hi", String(300)),
    Column("block_code", String(16), ForeignKey("geo_units.code"), nullable=False),
    Column("district_code", String(16), ForeignKey("geo_units.code"), nullable=False),
    Column("state_code", String(16), ForeignKey("geo_units.code"), nullable=False),
    Column("gstin", String(15)),
    Column("address", Text),  # printed on its invoices
    Column("pincode", String(6)),
    # the CLF's choice: its products go to the marketplaces as soon as the reviewers approve them
    Column("publish_on_approval", Boolean, nullable=False, server_default=false()),
    Column("seller_accounts", JSON_TYPE, nullable=False),  # [{channel, seller_id}] — credentials live in connectors
    Column("created_at", UtcDateTime(), nullable=False),
)

shgs = Table(
    "shgs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("clf_id", String(64), ForeignKey("clfs.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("name_hi", String(300)),
    Column("village", String(200)),
    Column("bank_account_ref", String(100)),  # a reference for settlements, not the number itself
    Column("created_at", UtcDateTime(), nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("shg_id", String(64), ForeignKey("shgs.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(15)),
    Column("role", String(20), nullable=False),  # producer | president | secretary | treasurer | member
    Column("created_at", UtcDateTime(), nullable=False),
)

packaging_houses = Table(
    "packaging_houses",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("block_code", String(16), ForeignKey("geo_units.code"), nullable=False),
    Column("state_code", String(16), ForeignKey("geo_units.code"), nullable=False),
    Column("address", Text, nullable=False),
    Column("pincode", String(6), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

# --- products -----------------------------------------------------------------------------------
products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("clf_id", String(64), nullable=False),
    Column("family_id", String(64)),
    Column("title_en", String(500)),
    Column("title_hi", String(500)),
    Column("description_en", Text),
    Column("description_hi", Text),
    Column("category", String(50), nullable=False),
    Column("brand", String(200)),
    Column("hsn_code", String(8), nullable=False),
    Column("gst_rate_bp", Integer, nullable=False),
    Column("gst_exempt_reason", String(300)),
    Column("mrp_paise", Integer, nullable=False),
    Column("price_paise", Integer, nullable=False),
    Column("weight_grams", Integer),
    Column("length_mm", Integer),
    Column("width_mm", Integer),
    Column("height_mm", Integer),
    Column("country_of_origin", String(2), nullable=False),
    Column("ingredients", Text),
    Column("shelf_life_days", Integer),
    Column("fssai_licence", String(14)),
    Column("shg_ids", JSON_TYPE, nullable=False),
    Column("status", String(20), nullable=False),
    Column("rejection_reason", Text),
    Column("history", JSON_TYPE, nullable=False),
    Column("created_by", String(64)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # NFC-normalised, lower-cased text of titles, descriptions, SKU and brand: what search matches.
    Column("search_text", Text, nullable=False),
    UniqueConstraint("clf_id", "sku", name="uq_products_clf_sku"),
    Index("ix_products_clf_status", "clf_id", "status"),
    Index(
        "ix_products_search_trgm",
        "search_text",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    ),
)

listing_statuses = Table(
    "listing_statuses",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("channel", String(30), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("issues", JSON_TYPE, nullable=False),
    Column("reported_at", UtcDateTime(), nullable=False),
)

# --- stock ----------------------------------------------------------------------------------------
stock_levels = Table(
    "stock_levels",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("packaging_house_id", String(64), ForeignKey("packaging_houses.id"), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column("clf_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("packaging_house_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("on_hand_delta", Integer, nullable=False),
    Column("reserved_delta", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("order_id", String(64), index=True),
    Column("actor", String(64), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    # The Idempotency-Key of the person's request (the gateway passes it on): a retry after a lost answer
    # finds its movement here instead of moving the stock twice.
    Column("request_key", String(200)),
    Index("ix_stock_movements_sku", "clf_id", "sku", "id"),
    Index(
        "uq_stock_movements_request",
        "actor",
        "request_key",
        unique=True,
        postgresql_where=text("request_key IS NOT NULL"),
        sqlite_where=text("request_key IS NOT NULL"),
    ),
)

add_messaging_tables(metadata)


def search_text(*parts: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join(p for p in parts if p)).casefold()


def _fill_search_text(_mapper: object, _connection: object, product: Product) -> None:
    product.search_text = search_text(  # type: ignore[attr-defined]
        product.sku, product.title_en, product.title_hi, product.description_en, product.description_hi, product.brand
    )


def start_mappers() -> None:
    if Product not in [m.class_ for m in mapper_registry.mappers]:
        mapper_registry.map_imperatively(Product, products)
        event.listen(Product, "before_insert", _fill_search_text)
        event.listen(Product, "before_update", _fill_search_text)


# --- spreadsheet imports ----------------------------------------------------------------------------
imports = Table(
    "imports",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clf_id", String(64), ForeignKey("clfs.id"), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("submit", Boolean, nullable=False),
    # previewing → previewed (the person sees what it would do and chooses) → queued → running → done;
    # or discarded. A job started without a preview is queued at once.
    Column("status", String(20), nullable=False),
    Column("preview", JSON_TYPE),  # {"created": [sku…], "updated": […], "live": […], "unchanged": […], "bad": [row…]}
    Column("change_live", Boolean, nullable=False, server_default=false()),  # may it change approved/published ones
    Column("total_rows", Integer, nullable=False),
    Column("processed_rows", Integer, nullable=False),
    Column("created_rows", Integer, nullable=False),
    Column("updated_rows", Integer, nullable=False),
    Column("failed_rows", Integer, nullable=False),
    Column("failure_en", Text),
    Column("failure_hi", Text),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Index("ix_imports_pending", "status", "created_at"),
)

import_errors = Table(
    "import_errors",
    metadata,
    Column("id", SEQUENCE_TYPE, primary_key=True, autoincrement=True),
    Column("import_id", String(36), ForeignKey("imports.id"), nullable=False),
    Column("row", Integer, nullable=False),
    Column("column", String(50), nullable=False),
    Column("code", String(50), nullable=False),
    Column("message_en", Text, nullable=False),
    Column("message_hi", Text, nullable=False),
    Column("value", Text, nullable=False),
    Index("ix_import_errors_import_row", "import_id", "row"),
)

product_images = Table(
    "product_images",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clf_id", String(64), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("content_type", String(30), nullable=False),
    Column("extension", String(5), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_product_images_product", "clf_id", "sku", "position"),
)
