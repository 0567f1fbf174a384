"""Tables. Natural keys are unique constraints so that repeated imports cannot duplicate data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Integer, SmallInteger, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    admin_code: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    targets: Mapped[list[TargetRow]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                    order_by="TargetRow.id")
    actions: Mapped[list[ActionRow]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                    order_by="ActionRow.number")
    projects: Mapped[list[ProjectRow]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                      order_by="ProjectRow.id")
    groups: Mapped[list[ProjectGroupRow]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                         order_by="ProjectGroupRow.id")


class TargetRow(Base):
    __tablename__ = "plan_targets"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    indicator: Mapped[str] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(16))
    base_year: Mapped[int | None] = mapped_column(Integer)
    base_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    clause: Mapped[str] = mapped_column(String(100))
    value_status: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[PlanRow] = relationship(back_populates="targets")


class ActionRow(Base):
    __tablename__ = "plan_actions"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    plan: Mapped[PlanRow] = relationship(back_populates="actions")
    tasks: Mapped[list[TaskRow]] = relationship(back_populates="action", cascade="all, delete-orphan",
                                                order_by="TaskRow.number")


class TaskRow(Base):
    __tablename__ = "plan_tasks"
    __table_args__ = (UniqueConstraint("action_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    clause: Mapped[str] = mapped_column(String(100))
    departments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(24), default="not_started")
    deadline: Mapped[date | None] = mapped_column(Date)
    progress_note: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[ActionRow] = relationship(back_populates="tasks")


class ProjectGroupRow(Base):
    __tablename__ = "plan_project_groups"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    box: Mapped[int] = mapped_column(Integer)
    stated_total: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    plan: Mapped[PlanRow] = relationship(back_populates="groups")


class ProjectRow(Base):
    __tablename__ = "plan_projects"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    box: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(40))
    town: Mapped[str | None] = mapped_column(String(40))
    capacity: Mapped[float | None] = mapped_column(Float)
    capacity_unit: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24))
    group_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    actual_capacity: Mapped[float | None] = mapped_column(Float)  # as built / commissioned
    actual_year: Mapped[int | None] = mapped_column(Integer)  # year of commissioning
    plan: Mapped[PlanRow] = relationship(back_populates="projects")


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActivityRecord(Base):
    __tablename__ = "activity_records"
    __table_args__ = (UniqueConstraint("region", "year", "sector", "carrier", "use", name="uq_activity_natural_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    sector: Mapped[str] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(40))
    use: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    grid: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))  # department that maintains the row
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class GdpRecord(Base):
    __tablename__ = "gdp_records"
    __table_args__ = (UniqueConstraint("region", "year", name="uq_gdp_natural_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    gdp_current: Mapped[float] = mapped_column(Float)  # 10^4 yuan, current prices
    index_prev: Mapped[float | None] = mapped_column(Float)  # volume index, previous year = 100
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))  # department that maintains the row
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class TargetObservation(Base):
    __tablename__ = "target_observations"
    __table_args__ = (UniqueConstraint("plan_code", "target_code", "year", name="uq_observation_natural_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_code: Mapped[str] = mapped_column(String(64))
    target_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))  # department that maintains the row
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(60))
    entity_key: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))  # admin | dept_editor | enterprise | viewer
    department: Mapped[str | None] = mapped_column(String(100))
    enterprise: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class ForestParcel(Base):
    """One parcel (小班) of a forest management inventory (森林资源二类调查)."""
    __tablename__ = "forest_parcels"
    __table_args__ = (UniqueConstraint("year", "township", "village", "parcel", name="uq_parcel_natural_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    township: Mapped[str] = mapped_column(String(40))
    village: Mapped[str] = mapped_column(String(60), default="")
    parcel: Mapped[str] = mapped_column(String(40))
    land_type: Mapped[str] = mapped_column(String(40), default="")
    forest_type: Mapped[str] = mapped_column(String(40), default="")
    species_group: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(20), default="")
    age_class: Mapped[str] = mapped_column(String(20), default="")
    area_ha: Mapped[float] = mapped_column(Float)
    volume_m3_per_ha: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class PublicBuilding(Base):
    """A public building and its energy in one year (公共建筑能耗), as reported."""
    __tablename__ = "public_buildings"
    __table_args__ = (UniqueConstraint("building_id", "year", name="uq_building_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    building_class: Mapped[str] = mapped_column(String(40))
    subtype: Mapped[str] = mapped_column(String(60))
    climate_zone: Mapped[str] = mapped_column(String(20))
    floor_area_m2: Mapped[float] = mapped_column(Float)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    electricity_kwh: Mapped[float] = mapped_column(Float)
    gas_m3: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))  # department that maintains the row
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


# --- online monitoring of key energy-using units (重点用能单位能耗在线监测) ----------------------------

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
    __tablename__ = "meter_readings"
    point_id: Mapped[int] = mapped_column(ForeignKey("metering_points.id", ondelete="CASCADE"), primary_key=True)
    stat_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch seconds
    value: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("ingest_batches.id"))


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


class FactorOverride(Base):
    """A reference value set by the county (a building quota, a growth rate, a bamboo or tea
    parameter ...): it replaces the shipped row with the same key, or adds one. Audited."""
    __tablename__ = "factor_overrides"
    __table_args__ = (UniqueConstraint("kind", "carrier", "geography", "year", "parameter", name="uq_factor_override_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    factor_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    carrier: Mapped[str] = mapped_column(String(80), default="")
    geography: Mapped[str] = mapped_column(String(80), default="")
    year: Mapped[int] = mapped_column(Integer, default=0)  # 0: any year
    parameter: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30))
    source_document: Mapped[str] = mapped_column(Text)
    source_table: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)  # grows with every change: the cache key
    actor: Mapped[str] = mapped_column(String(100), default="")


class DataVersion(Base):
    """A counter per topic of user data (activity, plan, monitoring, ...) that only moves forward:
    bumped in the transaction of every change to that topic, and past every earlier value on restore,
    so cached figures keyed by it can never be served stale."""
    __tablename__ = "data_versions"
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Sign-in state (sessions, login throttle) lives in its own module; importing it here registers
# its tables on Base.metadata for Alembic and every other user of the models.
from . import models_auth  # noqa: E402,F401
