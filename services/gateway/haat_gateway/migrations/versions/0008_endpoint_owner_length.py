"""A webhook endpoint's owner may be a logged-in admin (`user:<uuid>`, 41 characters), not only a key id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.alter_column("owner_key_id", type_=sa.String(64), existing_type=sa.String(36), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.alter_column("owner_key_id", type_=sa.String(36), existing_type=sa.String(64), existing_nullable=False)
