"""forward-only data versions per topic (cache keys that survive a restore)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 08:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_versions',
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('topic')
    )


def downgrade() -> None:
    op.drop_table('data_versions')
