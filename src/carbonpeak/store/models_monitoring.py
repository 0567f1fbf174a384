"""Tables of the online monitoring of key energy-using units (重点用能单位能耗在线监测, migration 0006):
the registry, metering points, readings and their batches, budgets, outputs, 205-1 reports and the
"两高" list. Imported at the end of models.py (which re-exports them), so Alembic and every user of
``Base.metadata`` see these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class KeyUnit(Base):
    """A key energy-using unit (重点用能单位) in the county's registry."""
    __tablename__ = "key_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    name: Mapped[str] = mapped_column(String(200))
    industry_code: Mapped[str] = mapped_column(String(8))  # GB/T 4754-2017
    industry: Mapped[str] = mapped_column(String(100), default="")
    town: Mapped[str] = mapped_column(String(40), default="")
    annual_energy_tce: Mapped[float] = mapped_column(Float)
    category: Mapped[str] = mapped_column(String(16))  # online (在线监测, ≥10 000 tce) | supervision (节能监察)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of the API token
    token_hint: Mapped[str | None] = mapped_column(String(12))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last batch received
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class MeteringPoint(Base):
    __tablename__ = "metering_points"
    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_point_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))  # dataCode
    carrier: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20))
    multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    kind: Mapped[str] = mapped_column(String(8))  # counter | amount
    interval_min: Mapped[int] = mapped_column(Integer, default=15)
    max_rate: Mapped[float | None] = mapped_column(Float)  # per hour, after the multiplier
    calibration_expiry: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class IngestBatch(Base):
    """One batch of readings as received (HTTP, MQTT or file): the provenance of each reading."""
    __tablename__ = "ingest_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # http | mqtt | file
    device: Mapped[str] = mapped_column(String(64), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    records: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class MeterReading(Base):
    """A reading. On PostgreSQL partitioned by month of ``period_start`` (China time; migration 0014,
    store/partitions.py); on SQLite a plain table."""
    __tablename__ = "meter_readings"
    __table_args__ = ({"postgresql_partition_by": "RANGE (period_start)"},)
    point_id: Mapped[int] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"), primary_key=True)
    stat_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch seconds
    value: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("ingest_batches.id"))


class ReadingRollup(Base):
    """Readings of a point rolled up per hour, day and month (``res`` h/d/m; ``bucket`` the local
    start in epoch seconds), kept in the same transaction as the readings (store/rollups.py):
    ``n`` readings starting in the bucket, ``quantity`` the consumption of the intervals starting in
    it (a counter's steps times the multiplier; amounts as stated). Kept when old readings are
    dropped by retention."""
    __tablename__ = "reading_rollups"
    __table_args__ = (Index("ix_reading_rollups_res_bucket", "res", "bucket"),)
    point_id: Mapped[int] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"), primary_key=True)
    stat_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    res: Mapped[str] = mapped_column(String(1), primary_key=True)  # h | d | m
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[float] = mapped_column(Float)


class UnitRollup(Base):
    """Readings of a unit (all its points) per hour, day and month: how many arrived (completeness)."""
    __tablename__ = "unit_rollups"
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"), primary_key=True)
    stat_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    res: Mapped[str] = mapped_column(String(1), primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class EnergyBudget(Base):
    __tablename__ = "energy_budgets"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_budget_unit_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    budget_tce: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class UnitOutput(Base):
    """Product output of a unit in a year and the energy attributed to it (单位产品能耗)."""
    __tablename__ = "unit_outputs"
    __table_args__ = (UniqueConstraint("unit_id", "year", "product", name="uq_output_unit_year_product"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    product: Mapped[str] = mapped_column(String(100))
    output_t: Mapped[float] = mapped_column(Float)
    energy_tce: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class EnergyReport(Base):
    """One energy row of a monthly 205-1 form (能源购进、消费与库存)."""
    __tablename__ = "energy_reports_205_1"
    __table_args__ = (UniqueConstraint("unit_id", "year", "month", "carrier", name="uq_2051_unit_month_carrier"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    row_code: Mapped[str] = mapped_column(String(8), default="")
    carrier: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20))
    consumption: Mapped[float] = mapped_column(Float)
    consumption_tce: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class TwoHighProject(Base):
    """A project on the "两高" list (high energy use, high emissions): 在建 / 拟建 / 存量."""
    __tablename__ = "two_high_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    uscc: Mapped[str] = mapped_column(String(18), default="")
    status: Mapped[str] = mapped_column(String(8))
    industry: Mapped[str] = mapped_column(String(100), default="")
    product: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[str] = mapped_column(String(100), default="")
    unit_energy: Mapped[float] = mapped_column(Float)  # unit product energy consumption, in the benchmark's unit
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


# The registry files' tables, by import kind, with the natural key a row is written on (and the
# audit entry's key, "|"-joined). services/monitoring (files, imports) writes them and
# services/permissions scopes the audit trail by them: here, below both, so that permissions
# needs nothing of the monitoring package (an import-linter contract keeps it so).
REGISTRY_TABLES: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "key_units": (KeyUnit, ("uscc",)), "metering_points": (MeteringPoint, ("unit_id", "code")),
    "energy_budgets": (EnergyBudget, ("unit_id", "year")), "unit_outputs": (UnitOutput, ("unit_id", "year", "product")),
    "form_205_1": (EnergyReport, ("unit_id", "year", "month", "carrier")), "two_high": (TwoHighProject, ("name",)),
}
