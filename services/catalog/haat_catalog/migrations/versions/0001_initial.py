"""Products, and the outbox/inbox tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from haat.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("clf_id", sa.String(64), nullable=False),
        sa.Column("title_en", sa.String(500)),
        sa.Column("title_hi", sa.String(500)),
        sa.Column("hsn_code", sa.String(8), nullable=False),
        sa.Column("gst_rate_bp", sa.Integer, nullable=False),
        sa.Column("mrp_paise", sa.Integer, nullable=False),
        sa.Column("price_paise", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("clf_id", "sku", name="uq_products_clf_sku"),
    )
    create_messaging_tables()


def downgrade() -> None:
    drop_messaging_tables()
    op.drop_table("products")
