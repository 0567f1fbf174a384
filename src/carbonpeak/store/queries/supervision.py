"""The queries of supervision's use cases (services/supervision): units, the plan's batches, cases,
findings, evidence and audits. Each function takes the caller's session and returns ORM rows or scalars; it never
opens a session or commits. The figures (indicators, public page, reports): supervision_figures.py.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session  # also the type the services annotate with (no SQLAlchemy import there)

from ..models import EnergyReport, KeyUnit, UnitOutput
from ..models_supervision import (
    CleanProductionAudit,
    EnergyAuditRequest,
    SupervisionBatch,
    SupervisionBatchUnit,
    SupervisionCase,
    SupervisionEvidence,
    SupervisionFinding,
)

# What a write raises when a concurrent transaction took the same unique key first (a case code,
# a batch code): the services retry on it without importing SQLAlchemy themselves.
WriteClash = IntegrityError


def _in_year(column, year: int):
    return column.between(date(year, 1, 1), date(year, 12, 31))


# --- units ------------------------------------------------------------------------------------

def unit_by_uscc(s: Session, uscc: str) -> KeyUnit | None:
    return s.scalar(select(KeyUnit).where(KeyUnit.uscc == uscc))


def unit_id_by_uscc(s: Session, uscc: str) -> int | None:
    return s.scalar(select(KeyUnit.id).where(KeyUnit.uscc == uscc))


def unit_ids_by_uscc(s: Session, usccs: Collection[str]) -> dict[str, int]:
    """The registry ids of those of ``usccs`` that are registered, by credit code."""
    return dict(s.execute(select(KeyUnit.uscc, KeyUnit.id).where(KeyUnit.uscc.in_(set(usccs)))).all())


# --- cases and findings -----------------------------------------------------------------------

def case_by_code(s: Session, code: str) -> SupervisionCase | None:
    return s.scalar(select(SupervisionCase).where(SupervisionCase.code == code))


def case_of_inspection(s: Session, unit_id: int, inspected_on: date, department: str) -> SupervisionCase | None:
    """The case a department recorded for an inspection of a unit on a day (one at most)."""
    return s.scalar(select(SupervisionCase).where(SupervisionCase.unit_id == unit_id,
                                                  SupervisionCase.inspected_on == inspected_on,
                                                  SupervisionCase.department == department))


def case_codes_like(s: Session, prefix: str) -> list[str]:
    """The case codes beginning with ``prefix``."""
    return list(s.scalars(select(SupervisionCase.code).where(SupervisionCase.code.like(f"{prefix}%"))).all())


def cases(s: Session, unit_id: int | None = None, year: int | None = None, limit: int = 1000) -> list[SupervisionCase]:
    """Cases, the latest inspection first: of one unit (None: every unit), inspected in ``year``."""
    q = select(SupervisionCase).order_by(SupervisionCase.inspected_on.desc(), SupervisionCase.code.desc())
    if unit_id is not None:
        q = q.where(SupervisionCase.unit_id == unit_id)
    if year is not None:
        q = q.where(_in_year(SupervisionCase.inspected_on, year))
    return list(s.scalars(q.limit(limit)).all())


def batch_by_code(s: Session, code: str) -> SupervisionBatch | None:
    return s.scalar(select(SupervisionBatch).where(SupervisionBatch.code == code))


def findings_of(s: Session, case_id: int) -> list[SupervisionFinding]:
    """The findings of a case, by their number."""
    return list(s.scalars(select(SupervisionFinding).where(SupervisionFinding.case_id == case_id)
                          .order_by(SupervisionFinding.number)).all())


def findings_of_cases(s: Session, case_ids: Collection[int]) -> list[SupervisionFinding]:
    """The findings of several cases, by their number."""
    return list(s.scalars(select(SupervisionFinding).where(SupervisionFinding.case_id.in_(list(case_ids)))
                          .order_by(SupervisionFinding.number)).all())


def finding(s: Session, case_id: int, number: int) -> SupervisionFinding | None:
    return s.scalar(select(SupervisionFinding).where(SupervisionFinding.case_id == case_id,
                                                     SupervisionFinding.number == number))


def has_finding(s: Session, case_id: int, item: str, severities: Collection[str]) -> bool:
    """Whether the case has a finding on checklist ``item`` of one of ``severities``."""
    found = s.scalar(select(SupervisionFinding.id).where(SupervisionFinding.case_id == case_id,
                                                         SupervisionFinding.item == item,
                                                         SupervisionFinding.severity.in_(tuple(severities))).limit(1))
    return found is not None


# --- evidence ---------------------------------------------------------------------------------

def evidence_of_findings(s: Session, finding_ids: Collection[int]) -> list[SupervisionEvidence]:
    """The files sent for these findings, in the order they were stored."""
    return list(s.scalars(select(SupervisionEvidence).where(SupervisionEvidence.finding_id.in_(list(finding_ids)))
                          .order_by(SupervisionEvidence.id)).all())


def evidence_of_energy_audit(s: Session, request_id: int) -> list[SupervisionEvidence]:
    return list(s.scalars(select(SupervisionEvidence).where(SupervisionEvidence.energy_audit_id == request_id)).all())


def evidence_of_clean_audit(s: Session, audit_id: int) -> list[SupervisionEvidence]:
    return list(s.scalars(select(SupervisionEvidence).where(SupervisionEvidence.clean_audit_id == audit_id)).all())


# --- energy audits and clean-production audits ------------------------------------------------

def energy_audit_of(s: Session, unit_id: int, requested_on: date) -> EnergyAuditRequest | None:
    """The energy audit ordered from a unit on a day (one at most)."""
    return s.scalar(select(EnergyAuditRequest).where(EnergyAuditRequest.unit_id == unit_id,
                                                     EnergyAuditRequest.requested_on == requested_on))


def energy_audits(s: Session, unit_id: int | None = None, limit: int = 1000) -> list[EnergyAuditRequest]:
    """Energy audits ordered, the latest first: of one unit (None: every unit)."""
    q = select(EnergyAuditRequest).order_by(EnergyAuditRequest.requested_on.desc(), EnergyAuditRequest.id.desc())
    if unit_id is not None:
        q = q.where(EnergyAuditRequest.unit_id == unit_id)
    return list(s.scalars(q.limit(limit)).all())


def clean_audit_of(s: Session, unit_id: int, listed_year: int) -> CleanProductionAudit | None:
    """A unit's clean-production audit listed in a year (one at most)."""
    return s.scalar(select(CleanProductionAudit).where(CleanProductionAudit.unit_id == unit_id,
                                                       CleanProductionAudit.listed_year == listed_year))


def clean_audits(s: Session, unit_id: int | None = None, limit: int = 1000) -> list[CleanProductionAudit]:
    """Clean-production audits, the latest listing year first: of one unit (None: every unit)."""
    q = select(CleanProductionAudit).order_by(CleanProductionAudit.listed_year.desc(), CleanProductionAudit.id)
    if unit_id is not None:
        q = q.where(CleanProductionAudit.unit_id == unit_id)
    return list(s.scalars(q.limit(limit)).all())


# --- the plan: subject units, batches ---------------------------------------------------------

def units_by_energy(s: Session) -> list[KeyUnit]:
    """The registry units, the largest annual energy first."""
    return list(s.scalars(select(KeyUnit).order_by(KeyUnit.annual_energy_tce.desc(), KeyUnit.uscc)).all())


def energy_form_rows(s: Session) -> list[Row]:
    """Every 205-1 row as (unit_id, year, carrier, unit, consumption, consumption_tce)."""
    return list(s.execute(select(EnergyReport.unit_id, EnergyReport.year, EnergyReport.carrier, EnergyReport.unit,
                                 EnergyReport.consumption, EnergyReport.consumption_tce)).all())


def batch_codes_by_unit(s: Session) -> list[tuple[int, str]]:
    """(unit id, batch code) for each unit in each batch."""
    return [(uid, code) for uid, code in s.execute(
        select(SupervisionBatchUnit.unit_id, SupervisionBatch.code)
        .join(SupervisionBatch, SupervisionBatch.id == SupervisionBatchUnit.batch_id)).all()]


def outputs_of_unit(s: Session, uscc: str) -> list[UnitOutput]:
    """A unit's product outputs, the latest year first, then by product."""
    return list(s.scalars(select(UnitOutput).join(KeyUnit, KeyUnit.id == UnitOutput.unit_id)
                          .where(KeyUnit.uscc == uscc).order_by(UnitOutput.year.desc(), UnitOutput.product)).all())


def batches(s: Session, year: int | None = None) -> list[SupervisionBatch]:
    """The batches, the latest year first (of ``year`` only when given)."""
    q = select(SupervisionBatch).order_by(SupervisionBatch.year.desc(), SupervisionBatch.code)
    if year is not None:
        q = q.where(SupervisionBatch.year == year)
    return list(s.scalars(q).all())


def batch_members(s: Session, batch_id: int) -> list[Row]:
    """The units of a batch as (id, uscc, name), by credit code."""
    return list(s.execute(select(KeyUnit.id, KeyUnit.uscc, KeyUnit.name)
                          .join(SupervisionBatchUnit, SupervisionBatchUnit.unit_id == KeyUnit.id)
                          .where(SupervisionBatchUnit.batch_id == batch_id).order_by(KeyUnit.uscc)).all())


def inspected_in_batch(s: Session, batch_id: int) -> set[int]:
    """The ids of the units of a batch with an inspection recorded under it."""
    return set(s.scalars(select(SupervisionCase.unit_id).where(SupervisionCase.batch_id == batch_id)).all())
