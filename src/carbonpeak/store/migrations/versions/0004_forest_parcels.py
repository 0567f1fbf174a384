"""forest inventory parcels

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:49:00.105938
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forest_parcels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('township', sa.String(length=40), nullable=False),
    sa.Column('village', sa.String(length=60), nullable=False),
    sa.Column('parcel', sa.String(length=40), nullable=False),
    sa.Column('land_type', sa.String(length=40), nullable=False),
    sa.Column('forest_type', sa.String(length=40), nullable=False),
    sa.Column('species_group', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('age_class', sa.String(length=20), nullable=False),
    sa.Column('area_ha', sa.Float(), nullable=False),
    sa.Column('volume_m3_per_ha', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'township', 'village', 'parcel', name='uq_parcel_natural_key')
    )
    with op.batch_alter_table('forest_parcels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forest_parcels_year'), ['year'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('forest_parcels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forest_parcels_year'))

    op.drop_table('forest_parcels')
