"""public buildings and their yearly energy

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 07:09:23.057858
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('public_buildings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('building_class', sa.String(length=40), nullable=False),
    sa.Column('subtype', sa.String(length=60), nullable=False),
    sa.Column('climate_zone', sa.String(length=20), nullable=False),
    sa.Column('floor_area_m2', sa.Float(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('electricity_kwh', sa.Float(), nullable=False),
    sa.Column('gas_m3', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('building_id', 'year', name='uq_building_year')
    )
    with op.batch_alter_table('public_buildings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_buildings_year'), ['year'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('public_buildings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_buildings_year'))

    op.drop_table('public_buildings')
