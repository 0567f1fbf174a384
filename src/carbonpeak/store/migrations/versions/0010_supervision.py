"""energy supervision and clean-production audits

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:12:04.692239
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervision_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('supervision_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_batches_year'), ['year'], unique=False)

    op.create_table('clean_production_audits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('industry_group', sa.String(length=24), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('listed_year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=24), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('report_submitted_on', sa.Date(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['key_units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'listed_year', name='uq_cpa_unit_year')
    )
    with op.batch_alter_table('clean_production_audits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clean_production_audits_unit_id'), ['unit_id'], unique=False)

    op.create_table('supervision_batch_units',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['supervision_batches.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['key_units.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', 'unit_id')
    )
    op.create_table('supervision_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=200), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('penalty_yuan', sa.Float(), nullable=True),
    sa.Column('credit_record', sa.Boolean(), nullable=False),
    sa.Column('price_proposal', sa.String(length=16), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['supervision_batches.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['key_units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('supervision_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_cases_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_cases_inspected_on'), ['inspected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_cases_unit_id'), ['unit_id'], unique=False)

    op.create_table('energy_audit_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('report_received_on', sa.Date(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['supervision_cases.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['key_units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('energy_audit_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_energy_audit_requests_unit_id'), ['unit_id'], unique=False)

    op.create_table('supervision_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('rectification', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['supervision_cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'number', name='uq_finding_case_number')
    )
    with op.batch_alter_table('supervision_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_findings_case_id'), ['case_id'], unique=False)

    op.create_table('supervision_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('energy_audit_id', sa.Integer(), nullable=True),
    sa.Column('clean_audit_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clean_audit_id'], ['clean_production_audits.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['energy_audit_id'], ['energy_audit_requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finding_id'], ['supervision_findings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervision_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_evidence_finding_id'), ['finding_id'], unique=False)




def downgrade() -> None:
    with op.batch_alter_table('supervision_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_evidence_finding_id'))

    op.drop_table('supervision_evidence')
    with op.batch_alter_table('supervision_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_findings_case_id'))

    op.drop_table('supervision_findings')
    with op.batch_alter_table('energy_audit_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_energy_audit_requests_unit_id'))

    op.drop_table('energy_audit_requests')
    with op.batch_alter_table('supervision_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_cases_unit_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_cases_inspected_on'))
        batch_op.drop_index(batch_op.f('ix_supervision_cases_batch_id'))

    op.drop_table('supervision_cases')
    op.drop_table('supervision_batch_units')
    with op.batch_alter_table('clean_production_audits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clean_production_audits_unit_id'))

    op.drop_table('clean_production_audits')
    with op.batch_alter_table('supervision_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_batches_year'))

    op.drop_table('supervision_batches')

