"""Partner grants (the CLFs and event types an admin granted a key) and logged-out tokens.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from haat.db import JSON_TYPE, UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        # A partner sees the CLFs an admin granted it (none until then) and, if set, only these event types.
        batch.add_column(sa.Column("clf_ids", JSON_TYPE, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("event_types", JSON_TYPE, nullable=True))
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(36), primary_key=True),
        sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("revoked_tokens")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("event_types")
        batch.drop_column("clf_ids")
