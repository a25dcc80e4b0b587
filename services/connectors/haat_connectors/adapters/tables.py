"""Tables of the connectors database: seller accounts, the products to list, per-channel listing sync state,
stock holds and the marketplaces' raw order snapshots."""

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

from haat.db import JSON_TYPE, UtcDateTime
from haat.messaging.tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)

seller_accounts = Table(
    "seller_accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("clf_id", String(64), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("seller_id", String(64), nullable=False),  # the marketplace's own id of the seller
    Column("location_id", String(64)),  # Flipkart: the seller location that holds the stock
    Column("credentials", Text, nullable=False),  # sealed with haat.secret_box: never stored in clear
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("order_cursor", UtcDateTime()),  # orders updated after this have been pulled
    # One connectors replica syncs an account at a time, so that the account's client-side rate limiter
    # is the only one spending its quota.
    Column("lease_owner", String(100)),
    Column("lease_until", UtcDateTime()),
    UniqueConstraint("clf_id", "channel", name="uq_seller_accounts_clf_channel"),
)

# The live connectors replicas (a heartbeat each lease round): accounts are shared out among them.
sync_replicas = Table(
    "sync_replicas",
    metadata,
    Column("owner", String(100), primary_key=True),
    Column("seen_at", UtcDateTime(), nullable=False),
)

# What catalog says should be for sale: the newest product snapshot and available quantity per SKU.
products = Table(
    "products",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("snapshot", JSON_TYPE),  # None while only its stock is known
    Column("listed", Boolean, nullable=False),  # published (True) or retired / never published (False)
    Column("version", Integer, nullable=False),
    Column("available", Integer),  # None until the catalog reports stock: pushed as zero
)

listings = Table(
    "listings",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("clf_id", String(64), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("pushed_version", Integer, nullable=False),  # product version the marketplace has (0: none)
    Column("pushed_quantity", Integer),
    Column("content_dirty", Boolean, nullable=False),
    Column("stock_dirty", Boolean, nullable=False),
    Column("status", String(20), nullable=False),  # pending | live | rejected | suppressed | inactive
    Column("issues", JSON_TYPE, nullable=False),
    Column("status_at", UtcDateTime(), nullable=False),
    Column("submitted_at", UtcDateTime()),
    Column("verify_at", UtcDateTime()),  # ask the marketplace for the listing's status at this time
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", Text),
    Index("ix_listings_work", "account_id", "stock_dirty", "content_dirty", "next_attempt_at"),
    Index("ix_listings_sku", "clf_id", "sku"),
)

# Units sold on a marketplace that the catalog's stock does not reflect yet: kept off every channel until
# the catalog reserves them (or the order turns out cancelled or unknown), so nothing is sold twice.
stock_holds = Table(
    "stock_holds",
    metadata,
    Column("order_key", String(100), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("clf_id", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_stock_holds_sku", "clf_id", "sku"),
)

marketplace_orders = Table(
    "marketplace_orders",
    metadata,
    Column("order_key", String(100), primary_key=True),  # channel-orderid: Haat's id of the order
    Column("channel", String(20), nullable=False),
    Column("marketplace_order_id", String(64), nullable=False),
    Column("account_id", String(64), nullable=False),
    Column("clf_id", String(64), nullable=False),
    Column("status", String(30), nullable=False),
    Column("marketplace_status", String(40), nullable=False),
    Column("marketplace_updated_at", UtcDateTime(), nullable=False),
    Column("snapshot", JSON_TYPE, nullable=False),  # the marketplace's own order and items, as received
    Column("received_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Orders a notification says changed, to be fetched in full (the notification itself is only a hint).
order_fetches = Table(
    "order_fetches",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("marketplace_order_id", String(64), primary_key=True),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
)

# Things to tell a marketplace about an order (shipped with tracking, cancelled by the seller): done by the
# account's sync worker within its quota, retried until the marketplace has them.
marketplace_tasks = Table(
    "marketplace_tasks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("account_id", String(64), nullable=False),
    Column("order_key", String(100), nullable=False),
    Column("kind", String(20), nullable=False),  # ship | cancel
    Column("details", JSON_TYPE, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime()),
    Column("last_error", Text),
    UniqueConstraint("order_key", "kind", name="uq_marketplace_tasks_once"),
    Index("ix_marketplace_tasks_due", "account_id", "done_at", "next_attempt_at"),
)
