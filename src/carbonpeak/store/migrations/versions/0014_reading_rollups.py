"""monitoring at scale: rollups of readings (hour, day, month; per point and per unit), kept at
ingest; on PostgreSQL meter_readings becomes a table partitioned by month (SQLite: unchanged)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_COLUMNS = ("point_id integer NOT NULL, stat_type smallint NOT NULL, period_start bigint NOT NULL, "
            "value double precision NOT NULL, batch_id integer NOT NULL")
_CONSTRAINTS = ("CONSTRAINT meter_readings_pkey PRIMARY KEY (point_id, stat_type, period_start), "
                "CONSTRAINT meter_readings_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES ingest_batches (id), "
                "CONSTRAINT meter_readings_point_id_fkey FOREIGN KEY (point_id) REFERENCES metering_points (id) "
                "ON DELETE CASCADE")


def _partition_readings() -> None:
    """meter_readings → a table partitioned by month, the stored readings moved into it."""
    from carbonpeak.store import partitions  # the month bounds of the running code

    op.execute("ALTER TABLE meter_readings RENAME TO meter_readings_unpartitioned")
    op.execute("ALTER INDEX meter_readings_pkey RENAME TO meter_readings_unpartitioned_pkey")
    op.execute(f"CREATE TABLE meter_readings ({_COLUMNS}, {_CONSTRAINTS}) PARTITION BY RANGE (period_start)")
    conn = op.get_bind()
    starts = conn.execute(sa.text(
        "SELECT DISTINCT (extract(epoch from date_trunc('month', to_timestamp(period_start + 28800) at time zone 'UTC'))"
        "::bigint - 28800) FROM meter_readings_unpartitioned")).scalars().all()
    for start in sorted(starts):
        partitions.create(conn, int(start))
    op.execute("INSERT INTO meter_readings SELECT * FROM meter_readings_unpartitioned")
    op.execute("DROP TABLE meter_readings_unpartitioned")


def upgrade() -> None:
    op.create_table('reading_rollups',
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('stat_type', sa.SmallInteger(), nullable=False),
    sa.Column('res', sa.String(length=1), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['point_id'], ['metering_points.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('point_id', 'stat_type', 'res', 'bucket')
    )
    op.create_index('ix_reading_rollups_res_bucket', 'reading_rollups', ['res', 'bucket'], unique=False)
    op.create_table('unit_rollups',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('stat_type', sa.SmallInteger(), nullable=False),
    sa.Column('res', sa.String(length=1), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['key_units.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'stat_type', 'res', 'bucket')
    )
    if op.get_bind().dialect.name == "postgresql":
        _partition_readings()
    from carbonpeak.store.rollups import rebuild  # the readings stored so far, rolled up
    rebuild(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE meter_readings RENAME TO meter_readings_partitioned")
        op.execute("ALTER INDEX meter_readings_pkey RENAME TO meter_readings_partitioned_pkey")
        op.execute(f"CREATE TABLE meter_readings ({_COLUMNS}, {_CONSTRAINTS})")
        op.execute("INSERT INTO meter_readings SELECT * FROM meter_readings_partitioned")
        op.execute("DROP TABLE meter_readings_partitioned")
    op.drop_table('unit_rollups')
    op.drop_table('reading_rollups')
