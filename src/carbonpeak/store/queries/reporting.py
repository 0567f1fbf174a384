"""The queries of statistical reporting's use cases (services/reporting): obligations, the periods
entered for them, their evidence files, and the registries an obligation is generated from. Each
function takes the caller's session and returns ORM rows, scalars or small results; it never opens
a session or commits. Notifications and accounts: reporting_notices.py; frozen years:
reporting_freeze.py.

``Session`` is the type the services annotate a caller's session with (they import no SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from ..models import EnergyReport, KeyUnit, MeteringPoint, ProjectRow, TargetObservation, TaskRow, utcnow
from ..models_reporting import ReportingAttachment, ReportingObligation, ReportingSubmission

__all__ = ["Scope", "Session"]


@dataclass(frozen=True)
class Scope:
    """The obligations an account reports: its department's, or its unit's (both None: all)."""
    department: str | None = None
    unit_uscc: str | None = None


def _scoped(q: Select, scope: Scope | None) -> Select:
    if scope is not None and scope.department is not None:
        q = q.where(ReportingObligation.department == scope.department)
    if scope is not None and scope.unit_uscc is not None:
        q = q.where(ReportingObligation.unit_uscc == scope.unit_uscc)
    return q


# --- obligations ------------------------------------------------------------------------------

def obligation(s: Session, code: str, scope: Scope | None = None) -> ReportingObligation | None:
    return s.scalar(_scoped(select(ReportingObligation).where(ReportingObligation.code == code), scope))


def obligation_exists(s: Session, code: str) -> bool:
    return s.scalar(select(ReportingObligation.id).where(ReportingObligation.code == code)) is not None


def obligations(s: Session) -> list[ReportingObligation]:
    return list(s.scalars(select(ReportingObligation)))


def active_obligations(s: Session, scope: Scope | None = None) -> list[ReportingObligation]:
    q = select(ReportingObligation).where(ReportingObligation.active.is_(True)).order_by(ReportingObligation.code)
    return list(s.scalars(_scoped(q, scope)))


def obligation_codes(s: Session) -> set[str]:
    return set(s.scalars(select(ReportingObligation.code)))


def obligation_subjects(s: Session) -> set[str]:
    return set(s.scalars(select(ReportingObligation.subject)))


def obligation_kinds(s: Session) -> set[tuple[str, str]]:
    """Each obligation's (kind, subject)."""
    return {(k, x) for k, x in s.execute(select(ReportingObligation.kind, ReportingObligation.subject))}


# --- submissions ------------------------------------------------------------------------------

def submission(s: Session, obligation_id: int, period: str) -> ReportingSubmission | None:
    return s.scalar(select(ReportingSubmission).where(ReportingSubmission.obligation_id == obligation_id,
                                                      ReportingSubmission.period == period))


def approved_values(s: Session, keys: Collection[tuple[int, str]]) -> dict[tuple[int, str], dict[str, Any]]:
    """The approved values of each (obligation id, period) of ``keys`` that has them: one query."""
    if not keys:
        return {}
    ids, periods = {k[0] for k in keys}, {k[1] for k in keys}
    rows = s.execute(select(ReportingSubmission.obligation_id, ReportingSubmission.period, ReportingSubmission.values)
                     .where(ReportingSubmission.obligation_id.in_(ids), ReportingSubmission.period.in_(periods),
                            ReportingSubmission.status == "approved"))
    return {(o, p): dict(v) for o, p, v in rows if (o, p) in keys}


def observed_values(s: Session, keys: Collection[tuple[str, str, int]]) -> dict[tuple[str, str, int], float]:
    """The observed value of each (plan code, target code, year) of ``keys`` that has one: one query."""
    if not keys:
        return {}
    rows = s.execute(select(TargetObservation.plan_code, TargetObservation.target_code, TargetObservation.year,
                            TargetObservation.value)
                     .where(TargetObservation.plan_code.in_({k[0] for k in keys}),
                            TargetObservation.target_code.in_({k[1] for k in keys}),
                            TargetObservation.year.in_({k[2] for k in keys})))
    return {(p, t, y): v for p, t, y, v in rows if (p, t, y) in keys and v is not None}


def submissions_of(s: Session, obligation_ids: Collection[int]) -> list[ReportingSubmission]:
    return list(s.scalars(select(ReportingSubmission).where(ReportingSubmission.obligation_id.in_(obligation_ids))))


def submissions_in(s: Session, obligation_id: int, statuses: Collection[str]) -> list[ReportingSubmission]:
    return list(s.scalars(select(ReportingSubmission).where(ReportingSubmission.obligation_id == obligation_id,
                                                            ReportingSubmission.status.in_(statuses))))


def entered_periods(s: Session, obligation_id: int) -> list[str]:
    """The periods entered for an obligation (any status), earliest first."""
    return sorted(s.scalars(select(ReportingSubmission.period).where(ReportingSubmission.obligation_id == obligation_id)))


def review_rows(s: Session, status: str, scope: Scope | None, limit: int = 500
                ) -> list[tuple[ReportingSubmission, ReportingObligation]]:
    """The submissions in ``status`` with their obligations, earliest submitted first."""
    q = (select(ReportingSubmission, ReportingObligation)
         .join(ReportingObligation, ReportingObligation.id == ReportingSubmission.obligation_id)
         .where(ReportingSubmission.status == status))
    q = _scoped(q, scope).order_by(ReportingSubmission.submitted_at, ReportingSubmission.id).limit(limit)
    return [(sub, ob) for sub, ob in s.execute(q).all()]


def change_if_at(s: Session, submission_id: int, version: int, allowed: Collection[str], **changes: Any) -> bool:
    """The conditional UPDATE: applied (and the version moved on) only when the row is still at
    ``version`` in one of the ``allowed`` statuses; True when it was."""
    done = s.execute(update(ReportingSubmission)
                     .where(ReportingSubmission.id == submission_id, ReportingSubmission.version == version,
                            ReportingSubmission.status.in_(allowed))
                     .values(version=version + 1, updated_at=utcnow(), **changes)
                     .execution_options(synchronize_session=False))
    return done.rowcount == 1


def status_of(s: Session, submission_id: int) -> tuple[str, str]:
    """A submission's status and reviewer as stored now."""
    row = s.execute(select(ReportingSubmission.status, ReportingSubmission.reviewer)
                    .where(ReportingSubmission.id == submission_id)).one()
    return row.status, row.reviewer


def set_due_on(s: Session, submission_id: int, due: date) -> None:
    s.execute(update(ReportingSubmission).where(ReportingSubmission.id == submission_id).values(due_on=due)
              .execution_options(synchronize_session=False))


# --- evidence files ---------------------------------------------------------------------------

def attachments_of(s: Session, submission_ids: Collection[int]) -> list[ReportingAttachment]:
    return list(s.scalars(select(ReportingAttachment).where(ReportingAttachment.submission_id.in_(submission_ids))
                          .order_by(ReportingAttachment.id)))


def attachment(s: Session, attachment_id: int, scope: Scope | None) -> ReportingAttachment | None:
    """An evidence file, if its obligation is within ``scope``."""
    q = (select(ReportingAttachment, ReportingObligation)
         .join(ReportingSubmission, ReportingSubmission.id == ReportingAttachment.submission_id)
         .join(ReportingObligation, ReportingObligation.id == ReportingSubmission.obligation_id)
         .where(ReportingAttachment.id == attachment_id))
    found = s.execute(_scoped(q, scope)).first()
    return None if found is None else found[0]


# --- the registries obligations are generated from and approvals write to ---------------------

def key_units(s: Session) -> list[KeyUnit]:
    return list(s.scalars(select(KeyUnit).order_by(KeyUnit.uscc)))


def unit_names(s: Session) -> dict[str, str]:
    return dict(s.execute(select(KeyUnit.uscc, KeyUnit.name)).all())


def unit_id(s: Session, uscc: str | None) -> int | None:
    return s.scalar(select(KeyUnit.id).where(KeyUnit.uscc == uscc))


def unit_carriers(s: Session) -> list[tuple[int, str, str]]:
    """(unit id, carrier, unit) as the units' 205-1 forms state them, then as their meters do."""
    reported = s.execute(select(EnergyReport.unit_id, EnergyReport.carrier, EnergyReport.unit).distinct()).all()
    metered = s.execute(select(MeteringPoint.unit_id, MeteringPoint.carrier, MeteringPoint.unit)).all()
    return [(u, c, x) for u, c, x in [*reported, *metered]]


def monthly_energy(s: Session, uscc: str, year: int, month: int) -> list[tuple[str, str, float]]:
    """A unit's 205-1 rows of one month: (carrier, unit, consumption)."""
    rows = s.execute(select(EnergyReport.carrier, EnergyReport.unit, EnergyReport.consumption)
                     .join(KeyUnit, KeyUnit.id == EnergyReport.unit_id)
                     .where(KeyUnit.uscc == uscc, EnergyReport.year == year, EnergyReport.month == month)).all()
    return [(c, u, v) for c, u, v in rows]


def projects_by_code(s: Session) -> dict[str, ProjectRow]:
    return {p.code: p for p in s.scalars(select(ProjectRow))}


def task(s: Session, code: str) -> TaskRow | None:
    return s.scalar(select(TaskRow).where(TaskRow.code == code))
