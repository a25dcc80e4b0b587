"""Stock movements remember the Idempotency-Key of the request that made them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=200), nullable=True))
        batch_op.create_index(
            "uq_stock_movements_request", ["actor", "request_key"], unique=True,
            postgresql_where=sa.text("request_key IS NOT NULL"), sqlite_where=sa.text("request_key IS NOT NULL"),
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("uq_stock_movements_request")
        batch_op.drop_column("request_key")
