"""owner department of imported rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:09:37.129026
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activity_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=100), nullable=True))

    with op.batch_alter_table('gdp_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=100), nullable=True))

    with op.batch_alter_table('target_observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=100), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('target_observations', schema=None) as batch_op:
        batch_op.drop_column('owner')

    with op.batch_alter_table('gdp_records', schema=None) as batch_op:
        batch_op.drop_column('owner')

    with op.batch_alter_table('activity_records', schema=None) as batch_op:
        batch_op.drop_column('owner')

