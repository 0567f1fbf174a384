"""carbon dual control: monthly electricity by sector, green certificates, project carbon reviews

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('carbon_monthly_electricity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=100), nullable=False),
    sa.Column('mwh', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('region', 'year', 'month', 'sector', name='uq_monthly_electricity_key')
    )
    with op.batch_alter_table('carbon_monthly_electricity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carbon_monthly_electricity_year'), ['year'], unique=False)

    op.create_table('carbon_green_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('mwh', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('region', 'year', name='uq_green_certificate_key')
    )
    op.create_table('carbon_project_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('two_high', sa.Boolean(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code', 'version', name='uq_project_review_version')
    )
    with op.batch_alter_table('carbon_project_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carbon_project_reviews_code'), ['code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('carbon_project_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carbon_project_reviews_code'))
    op.drop_table('carbon_project_reviews')
    op.drop_table('carbon_green_certificates')
    with op.batch_alter_table('carbon_monthly_electricity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carbon_monthly_electricity_year'))
    op.drop_table('carbon_monthly_electricity')
