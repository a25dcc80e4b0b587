"""A bulk upload is previewed before it changes anything: what it would create, update, leave as it is or
refuse, and whether it may change products the marketplaces already list.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports", schema=None) as batch_op:
        preview_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
        batch_op.add_column(sa.Column("preview", preview_type, nullable=True))
        batch_op.add_column(sa.Column("change_live", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_column("change_live")
        batch_op.drop_column("preview")
