"""Tables of statistical reporting (统计报表制度, migration 0012): obligations, their submissions
per period, evidence files, and each account's notifications.

Imported at the end of models.py, so Alembic and every user of ``Base.metadata`` see them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class ReportingObligation(Base):
    """Who reports what, for which periods, by when (a target value today: ``kind`` "target",
    ``subject`` the target's code); ``fields`` is the form (name, labels, unit, range)."""
    __tablename__ = "reporting_obligations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    plan_code: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100), index=True)
    unit_uscc: Mapped[str | None] = mapped_column(String(18))  # a key unit's own obligation (205-1 forms)
    period_kind: Mapped[str] = mapped_column(String(8))  # year | quarter | month
    first_period: Mapped[str] = mapped_column(String(8))
    due_days: Mapped[int] = mapped_column(Integer)  # days after the period ends
    fields: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportingSubmission(Base):
    """One period of one obligation. ``version`` grows with every change: a change names the
    version it was made on and is refused when another came first (two reviewers, one wins)."""
    __tablename__ = "reporting_submissions"
    __table_args__ = (UniqueConstraint("obligation_id", "period", name="uq_submission_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("reporting_obligations.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | returned | approved
    version: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")  # the reporter's remark
    reporter: Mapped[str] = mapped_column(String(100), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportingAttachment(Base):
    """An evidence file of a submission (PDF or image), stored under the platform's home by its
    SHA-256, never under the sent name."""
    __tablename__ = "reporting_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("reporting_submissions.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(Base):
    """A message to one account (submitted, returned, approved, due soon, overdue); its text is
    rendered from the catalogue with ``params`` in the reader's language. ``key`` makes a reminder
    once per account, period and kind."""
    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("username", "key", name="uq_notification_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(160))
    code: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AssessmentFreeze(Base):
    """A frozen assessment year (封存): the barometer's figures, the rule and the entered target
    values as they stood. A correction after freezing adds the next version; versions are never
    changed or removed."""
    __tablename__ = "assessment_freezes"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_freeze_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
