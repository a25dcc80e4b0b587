"""Product snapshots, and the outbox/inbox tables.

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
        "product_snapshots",
        sa.Column("clf_id", sa.String(64), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("hsn_code", sa.String(8), nullable=False),
        sa.Column("gst_rate_bp", sa.Integer, nullable=False),
        sa.Column("price_paise", sa.Integer, nullable=False),
        sa.Column("source_event_id", sa.String(64), nullable=False),
        sa.Column("applied_events", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_messaging_tables()


def downgrade() -> None:
    drop_messaging_tables()
    op.drop_table("product_snapshots")
