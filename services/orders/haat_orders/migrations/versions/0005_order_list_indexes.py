"""Indexes in the order lists' own order (ship-by, then id) for admins, a CLF and a packaging house

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_ship_by", ["ship_by", "id"], unique=False)
        batch_op.create_index("ix_orders_clf_ship_by", ["clf_id", "ship_by", "id"], unique=False)
        batch_op.create_index("ix_orders_house_ship_by", ["packaging_house_id", "ship_by", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_house_ship_by")
        batch_op.drop_index("ix_orders_clf_ship_by")
        batch_op.drop_index("ix_orders_ship_by")
