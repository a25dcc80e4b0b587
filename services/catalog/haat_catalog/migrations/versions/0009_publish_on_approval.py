"""A CLF may choose that its products are published as soon as they are approved.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clfs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publish_on_approval", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("clfs", schema=None) as batch_op:
        batch_op.drop_column("publish_on_approval")
