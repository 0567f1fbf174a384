"""Tables of carbon dual control (碳排放双控, migration 0011).

Imported at the end of models.py, so Alembic and every user of ``Base.metadata`` see them. Monthly
electricity by sector (the grid company's 分行业用电量) and green certificates are user data like the
activity rows (natural keys, owner, import batch); a project carbon review keeps every version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class MonthlyElectricity(Base):
    """Electricity consumption of one sector in one month (MWh), as the grid company reports it."""
    __tablename__ = "carbon_monthly_electricity"
    __table_args__ = (UniqueConstraint("region", "year", "month", "sector", name="uq_monthly_electricity_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    month: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str] = mapped_column(String(100))
    mwh: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class GreenCertificate(Base):
    """Green electricity with certificates (绿证) consumed in a region in a year (MWh)."""
    __tablename__ = "carbon_green_certificates"
    __table_args__ = (UniqueConstraint("region", "year", name="uq_green_certificate_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    mwh: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class ProjectReview(Base):
    """One version of the carbon review of a project (固定资产投资项目节能审查 with carbon assessment):
    its inputs, the figures, the verdict and the reasons, who and when. A new review of the same
    project code is a new version; none is ever overwritten."""
    __tablename__ = "carbon_project_reviews"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_project_review_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(100))
    start_year: Mapped[int] = mapped_column(Integer)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verdict: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    two_high: Mapped[bool] = mapped_column(Boolean, default=False)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
