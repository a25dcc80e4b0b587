"""The registry (geography, CLFs, SHGs, members, packaging houses), the full product, listing status
per channel, and the stock ledger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from haat.db import UtcDateTime

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # substring search in Hindi and English
    op.create_table('geo_units',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['geo_units.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('listing_statuses',
    sa.Column('clf_id', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issues', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reported_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('clf_id', 'sku', 'channel')
    )
    op.create_table('stock_movements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('clf_id', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('packaging_house_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on_hand_delta', sa.Integer(), nullable=False),
    sa.Column('reserved_delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('order_id', sa.String(length=64), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movements_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_stock_movements_sku', ['clf_id', 'sku', 'id'], unique=False)

    op.create_table('clfs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_hi', sa.String(length=300), nullable=True),
    sa.Column('block_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=False),
    sa.Column('state_code', sa.String(length=16), nullable=False),
    sa.Column('gstin', sa.String(length=15), nullable=True),
    sa.Column('seller_accounts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_code'], ['geo_units.code'], ),
    sa.ForeignKeyConstraint(['district_code'], ['geo_units.code'], ),
    sa.ForeignKeyConstraint(['state_code'], ['geo_units.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('packaging_houses',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('block_code', sa.String(length=16), nullable=False),
    sa.Column('state_code', sa.String(length=16), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('pincode', sa.String(length=6), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_code'], ['geo_units.code'], ),
    sa.ForeignKeyConstraint(['state_code'], ['geo_units.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('shgs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('clf_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_hi', sa.String(length=300), nullable=True),
    sa.Column('village', sa.String(length=200), nullable=True),
    sa.Column('bank_account_ref', sa.String(length=100), nullable=True),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clf_id'], ['clfs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shgs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shgs_clf_id'), ['clf_id'], unique=False)

    op.create_table('stock_levels',
    sa.Column('clf_id', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('packaging_house_id', sa.String(length=64), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['packaging_house_id'], ['packaging_houses.id'], ),
    sa.PrimaryKeyConstraint('clf_id', 'sku', 'packaging_house_id')
    )
    op.create_table('members',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('shg_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=15), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shg_id'], ['shgs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_shg_id'), ['shg_id'], unique=False)

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('description_en', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('description_hi', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=50), nullable=False, server_default=sa.text("'general'")))
        batch_op.add_column(sa.Column('brand', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('weight_grams', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('length_mm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('width_mm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('height_mm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('country_of_origin', sa.String(length=2), nullable=False, server_default=sa.text("'IN'")))
        batch_op.add_column(sa.Column('ingredients', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('shelf_life_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fssai_licence', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('shg_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('history', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('created_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('updated_at', UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.create_index('ix_products_clf_status', ['clf_id', 'status'], unique=False)
        batch_op.create_index('ix_products_search_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_column('submitted_at')
    # Products of revision 0001: last changed when created, searchable by SKU and titles.
    op.execute(
        "UPDATE products SET updated_at = created_at, "
        "search_text = lower(sku || ' ' || coalesce(title_en, '') || ' ' || coalesce(title_hi, ''))"
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=UtcDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index('ix_products_search_trgm', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_index('ix_products_clf_status')
        batch_op.drop_column('search_text')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_by')
        batch_op.drop_column('history')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('shg_ids')
        batch_op.drop_column('fssai_licence')
        batch_op.drop_column('shelf_life_days')
        batch_op.drop_column('ingredients')
        batch_op.drop_column('country_of_origin')
        batch_op.drop_column('height_mm')
        batch_op.drop_column('width_mm')
        batch_op.drop_column('length_mm')
        batch_op.drop_column('weight_grams')
        batch_op.drop_column('brand')
        batch_op.drop_column('category')
        batch_op.drop_column('description_hi')
        batch_op.drop_column('description_en')
        batch_op.drop_column('family_id')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_shg_id'))

    op.drop_table('members')
    op.drop_table('stock_levels')
    with op.batch_alter_table('shgs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shgs_clf_id'))

    op.drop_table('shgs')
    op.drop_table('packaging_houses')
    op.drop_table('clfs')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_sku')
        batch_op.drop_index(batch_op.f('ix_stock_movements_order_id'))

    op.drop_table('stock_movements')
    op.drop_table('listing_statuses')
    op.drop_table('geo_units')
