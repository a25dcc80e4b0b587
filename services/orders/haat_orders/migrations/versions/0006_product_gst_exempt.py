"""The orders' copy of a product knows whether it is sold at 0% GST under an exemption.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gst_exempt", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("product_snapshots", schema=None) as batch_op:
        batch_op.drop_column("gst_exempt")
