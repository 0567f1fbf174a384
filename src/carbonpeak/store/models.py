"""Tables. Natural keys are unique constraints so that repeated imports cannot duplicate data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text,
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
    # the as-built fields rest on illustrative progress records (services/project_progress.py)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    plan: Mapped[PlanRow] = relationship(back_populates="projects")


class ProjectProgress(Base):
    """What a project put into service (and invested) in one year; written only by
    services/project_progress.py. A yearly programme has one row per year."""
    __tablename__ = "project_progress"
    __table_args__ = (UniqueConstraint("project_id", "year", name="uq_project_progress_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[float | None] = mapped_column(Float)  # put into service in the year, in ``unit``
    unit: Mapped[str] = mapped_column(String(32), default="")  # the quantity's unit (default: the project's)
    investment_wan: Mapped[float | None] = mapped_column(Float)  # investment completed in the year, 10^4 yuan
    status: Mapped[str] = mapped_column(String(24), default="")  # the project's status at the end of the year
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))  # department that maintains the row
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


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
    # migration 0012: reminders by e-mail, a password set by an administrator changed at first sign-in
    email: Mapped[str] = mapped_column(String(200), default="")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
from . import models_supervision  # noqa: E402,F401  (energy supervision, migration 0010)
from . import models_carbon  # noqa: E402,F401  (carbon dual control, migration 0011)
from . import models_reporting  # noqa: E402,F401  (statistical reporting, migration 0012)
# The monitoring tables likewise, re-exported here for the services that import them from this module.
from .models_monitoring import (EnergyBudget, EnergyReport, IngestBatch, KeyUnit, MeteringPoint,  # noqa: E402,F401
                                MeterReading, ReadingRollup, TwoHighProject, UnitOutput, UnitRollup)
