"""Tables of the orders database."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from haat.db import JSON_TYPE, UtcDateTime
from haat.messaging.tables import add_messaging_tables

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
    Column("gst_exempt", Boolean, nullable=False, server_default=false()),  # sold at 0% under an exemption
    Column("price_paise", Integer, nullable=False),
    Column("category", String(40)),
    Column("shg_id", String(64)),  # the SHG that made it (the first, when several did): who is paid
    Column("source_event_id", String(64), nullable=False),
    # How many catalog events were applied to this row: a redelivered event must not count twice.
    Column("applied_events", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

add_messaging_tables(metadata)

# One order model for every channel. The id is the connectors' order key (channel-marketplace order id),
# so the same marketplace order can never become two orders, and the catalog reports stock against it.
orders = Table(
    "orders",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("marketplace_order_id", String(64), nullable=False),
    Column("seller_account_id", String(64), nullable=False),
    Column("clf_id", String(64), nullable=False, index=True),
    Column("state", String(20), nullable=False),
    Column("marketplace_status", String(40), nullable=False),
    Column("marketplace_updated_at", UtcDateTime(), nullable=False),
    Column("purchased_at", UtcDateTime(), nullable=False),
    Column("ship_by", UtcDateTime()),
    Column("deliver_by", UtcDateTime()),
    Column("buyer_state", String(60), nullable=False),  # place of supply: decides CGST+SGST or IGST
    Column("buyer_city", String(100), nullable=False),
    Column("buyer_postal_code", String(12), nullable=False),
    Column("packaging_house_id", String(64)),  # the house that reserved the stock (from the catalog)
    Column("stock", String(20), nullable=False),  # pending | reserved | shortfall
    Column("total_paise", Integer, nullable=False),
    Column("package", JSON_TYPE),  # weight and dimensions, when packed
    Column("carrier", String(100)),
    Column("tracking_id", String(100)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_orders_queue", "packaging_house_id", "state", "ship_by"),
    # The order lists' own order (soonest ship-by first), for each scope a caller can have: a page is read
    # off the index instead of sorting every order the caller may see.
    Index("ix_orders_ship_by", "ship_by", "id"),
    Index("ix_orders_clf_ship_by", "clf_id", "ship_by", "id"),
    Index("ix_orders_house_ship_by", "packaging_house_id", "ship_by", "id"),
)

order_items = Table(
    "order_items",
    metadata,
    Column("order_id", String(100), ForeignKey("orders.id"), primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("title", String(500), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_paise", Integer, nullable=False),  # including GST, as the buyer paid
    Column("marketplace_item_id", String(64), nullable=False),
)

# Who or what moved the order, when, and why: the full state history.
order_history = Table(
    "order_history",
    metadata,
    Column("order_id", String(100), ForeignKey("orders.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("from_state", String(20)),
    Column("to_state", String(20), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)

# The CLFs as sellers on invoices (from haat.catalog.registry).
sellers = Table(
    "sellers",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("gstin", String(15)),
    Column("state_code", String(16), nullable=False),
    Column("state_name", String(100), nullable=False),
    Column("district_name", String(100), nullable=False),
    Column("address", Text),
    Column("pincode", String(6)),
)

# Tax invoices (on shipping) and credit notes (on return), numbered per CLF per financial year.
invoices = Table(
    "invoices",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(100), ForeignKey("orders.id"), nullable=False, index=True),
    Column("clf_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),  # tax_invoice | bill_of_supply | credit_note
    Column("number", String(16), nullable=False),
    Column("financial_year", String(4), nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("document", JSON_TYPE, nullable=False),
    UniqueConstraint("clf_id", "number", name="uq_invoices_clf_number"),
    UniqueConstraint("order_id", "kind", name="uq_invoices_order_kind"),
)

invoice_counters = Table(
    "invoice_counters",
    metadata,
    Column("clf_id", String(64), primary_key=True),
    Column("financial_year", String(4), primary_key=True),
    Column("series", String(2), primary_key=True),  # "" invoices, "C" credit notes
    Column("last", Integer, nullable=False),
)

shgs = Table(
    "shgs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("clf_id", String(64), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("bank_account_ref", String(100)),
)

# What each SHG is owed, per delivered order line (a return after delivery adds a reversing line).
settlement_lines = Table(
    "settlement_lines",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(100), ForeignKey("orders.id"), nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # sale | reversal
    Column("clf_id", String(64), nullable=False),
    Column("shg_id", String(64), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("earned_at", UtcDateTime(), nullable=False),
    Column("gross_paise", Integer, nullable=False),
    Column("taxable_paise", Integer, nullable=False),
    # Deductions are worked out when the line is settled, with the fee schedule of that day.
    Column("fee_paise", Integer, nullable=False),
    Column("shipping_paise", Integer, nullable=False),
    Column("tcs_paise", Integer, nullable=False),
    Column("tds_paise", Integer, nullable=False),
    Column("net_paise", Integer, nullable=False),
    Column("settlement_id", String(40), index=True),
    UniqueConstraint("order_id", "line", "kind", name="uq_settlement_lines_once"),
)

settlements = Table(
    "settlements",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("clf_id", String(64), nullable=False, index=True),
    Column("shg_id", String(64), nullable=False),
    Column("period_end", UtcDateTime(), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("gross_paise", Integer, nullable=False),
    Column("fees_paise", Integer, nullable=False),
    Column("tcs_paise", Integer, nullable=False),
    Column("tds_paise", Integer, nullable=False),
    Column("net_paise", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("paid_at", UtcDateTime()),
    Column("payment_reference", String(100)),
)
