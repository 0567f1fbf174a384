"""Tables of energy supervision (节能监察) and clean-production audits (migration 0010).

Imported at the end of models.py, so Alembic and every user of ``Base.metadata`` see them. A case,
its findings and its evidence belong to one key unit of the registry (``key_units``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class SupervisionBatch(Base):
    """One yearly batch of inspections (分批开展节能监察): which units, which department, when."""
    __tablename__ = "supervision_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisionBatchUnit(Base):
    __tablename__ = "supervision_batch_units"
    batch_id: Mapped[int] = mapped_column(ForeignKey("supervision_batches.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id", ondelete="CASCADE"), primary_key=True)


class SupervisionCase(Base):
    """An inspection of one unit and what followed: decision, publication, closure."""
    __tablename__ = "supervision_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_batches.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    inspectors: Mapped[str] = mapped_column(String(200), default="")
    record: Mapped[str] = mapped_column(Text, default="")  # the inspection record (检查记录)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | decided | closed
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text, default="")
    penalty_yuan: Mapped[float | None] = mapped_column(Float)
    credit_record: Mapped[bool] = mapped_column(Boolean, default=False)
    price_proposal: Mapped[str] = mapped_column(String(16), default="")  # "" | differentiated | punitive
    published_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_note: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisionFinding(Base):
    """One finding of an inspection: checklist item, legal basis, severity, demanded rectification."""
    __tablename__ = "supervision_findings"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_finding_case_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("supervision_cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))  # advice | general | serious
    rectification: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="demanded")  # demanded | submitted | accepted | rejected
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date)


class EnergyAuditRequest(Base):
    """An energy audit ordered (根据需要开展能源审计) and the report received."""
    __tablename__ = "energy_audit_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_cases.id"))
    department: Mapped[str] = mapped_column(String(100))
    requested_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    report_received_on: Mapped[date | None] = mapped_column(Date)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class CleanProductionAudit(Base):
    """An enterprise on the clean-production audit list (清洁生产审核) and the stage it has reached."""
    __tablename__ = "clean_production_audits"
    __table_args__ = (UniqueConstraint("unit_id", "listed_year", name="uq_cpa_unit_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("key_units.id"), index=True)
    industry_group: Mapped[str] = mapped_column(String(24))  # building_materials | mining | food | other
    mandatory: Mapped[bool] = mapped_column(Boolean, default=True)
    listed_year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(24), default="listed")
    listed_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    report_submitted_on: Mapped[date | None] = mapped_column(Date)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class SupervisionEvidence(Base):
    """A file behind a finding's rectification, an energy-audit report or a clean-production stage.
    The bytes are stored under the platform's home by their SHA-256, never under the sent name."""
    __tablename__ = "supervision_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_findings.id", ondelete="CASCADE"), index=True)
    energy_audit_id: Mapped[int | None] = mapped_column(ForeignKey("energy_audit_requests.id", ondelete="CASCADE"))
    clean_audit_id: Mapped[int | None] = mapped_column(ForeignKey("clean_production_audits.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
