"""Tables of the orders database."""

from sqlalchemy import Column, Integer, MetaData, String, Table

from haat.db import UtcDateTime
from haat.messaging_tables import add_messaging_tables

metadata = MetaData()

# What orders needs to know of a catalog product to invoice it (HSN code and GST rate per line),
# kept current from haat.catalog.products so invoicing never calls the catalog synchronously.
product_snapshots = Table(
    "product_snapshots",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("hsn_code", String(8), nullable=False),
    Column("gst_rate_bp", Integer, nullable=False),
    Column("price_paise", Integer, nullable=False),
    Column("source_event_id", String(64), nullable=False),
    # How many catalog events were applied to this row: a redelivered event must not count twice.
    Column("applied_events", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

add_messaging_tables(metadata)
