"""statistical reporting: obligations, submissions, evidence, notifications, frozen assessment
years; account e-mail, forced password change and last sign-in

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reporting_obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('plan_code', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('unit_uscc', sa.String(length=18), nullable=True),
    sa.Column('period_kind', sa.String(length=8), nullable=False),
    sa.Column('first_period', sa.String(length=8), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('reporting_obligations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_obligations_department'), ['department'], unique=False)

    op.create_table('reporting_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reporter', sa.String(length=100), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['obligation_id'], ['reporting_obligations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('obligation_id', 'period', name='uq_submission_period')
    )
    with op.batch_alter_table('reporting_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_submissions_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_submissions_obligation_id'), ['obligation_id'], unique=False)

    op.create_table('reporting_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['reporting_submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reporting_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_attachments_submission_id'), ['submission_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username', 'key', name='uq_notification_key')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_username'), ['username'], unique=False)

    op.create_table('assessment_freezes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'version', name='uq_freeze_version')
    )
    with op.batch_alter_table('assessment_freezes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_freezes_year'), ['year'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('email')
    with op.batch_alter_table('assessment_freezes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_freezes_year'))
    op.drop_table('assessment_freezes')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_username'))
    op.drop_table('notifications')
    with op.batch_alter_table('reporting_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_attachments_submission_id'))
    op.drop_table('reporting_attachments')
    with op.batch_alter_table('reporting_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_submissions_obligation_id'))
        batch_op.drop_index(batch_op.f('ix_reporting_submissions_due_on'))
    op.drop_table('reporting_submissions')
    with op.batch_alter_table('reporting_obligations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_obligations_department'))
    op.drop_table('reporting_obligations')
