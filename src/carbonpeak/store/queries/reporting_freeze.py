"""The queries of frozen assessment years (封存, services/reporting/freeze.py): their versions and the
target values entered up to a year. Each function takes the caller's session; it never opens a
session or commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import TargetObservation
from ..models_reporting import AssessmentFreeze


def observations_to(s: Session, year: int) -> list[TargetObservation]:
    """Every entered target value of ``year`` and before."""
    return list(s.scalars(select(TargetObservation).where(TargetObservation.year <= year)))


def last_version(s: Session, year: int) -> int:
    """The latest version of a frozen year (0: not frozen)."""
    return s.scalar(select(func.max(AssessmentFreeze.version)).where(AssessmentFreeze.year == year)) or 0


def latest(s: Session, year: int) -> AssessmentFreeze | None:
    return s.scalar(select(AssessmentFreeze).where(AssessmentFreeze.year == year)
                    .order_by(AssessmentFreeze.version.desc()).limit(1))


def is_frozen(s: Session, year: int) -> bool:
    return s.scalar(select(AssessmentFreeze.id).where(AssessmentFreeze.year == year).limit(1)) is not None


def versions(s: Session, year: int | None = None) -> list[AssessmentFreeze]:
    """The versions of every frozen year (or of ``year``), by year and version."""
    q = select(AssessmentFreeze).order_by(AssessmentFreeze.year, AssessmentFreeze.version)
    return list(s.scalars(q if year is None else q.where(AssessmentFreeze.year == year)))


def version(s: Session, year: int, number: int) -> AssessmentFreeze | None:
    return s.scalar(select(AssessmentFreeze).where(AssessmentFreeze.year == year, AssessmentFreeze.version == number))
