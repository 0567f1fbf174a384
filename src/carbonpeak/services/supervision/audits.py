"""Energy audits ordered by the county (能源审计) and clean-production audits (清洁生产审核).

An energy audit request names the unit, when it was ordered and by when the report is due; the
report arrives as a file from the unit. A clean-production audit entry puts an enterprise on the
list of its industry and records each stage it reaches, in order, with its date and evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.supervision import (
    AUDIT_STAGE_NAMES,
    AUDIT_STAGES,
    CLEAN_AUDIT_DEPARTMENTS,
    INDUSTRY_GROUPS,
    MANDATORY_GROUPS,
    name,
    next_stage,
)
from ...store.models import KeyUnit
from ...store.models_supervision import CleanProductionAudit, EnergyAuditRequest, SupervisionCase
from ...store.queries import supervision as q
from .. import audit, permissions
from ..errors import Forbidden, NotFound
from ..platform import Platform
from .common import (
    NOT_OWN,
    an_inspector,
    case_by_code,
    check_choice,
    check_order,
    inspector,
    issue,
    own_unit_id,
    raise_if,
    refuse,
    row_dict,
    unit_of,
)
from .evidence import discard_new_files, store
from .views import EvidenceView, evidence_view

if TYPE_CHECKING:
    from ...store.queries.supervision import Session
    from ..users import Principal


@dataclass(frozen=True)
class EnergyAuditIn:
    uscc: str
    requested_on: date
    due_on: date
    reason: str = ""
    case: str | None = None
    department: str | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class EnergyAuditView:
    id: int
    uscc: str
    unit_name: str
    case: str | None
    department: str
    requested_on: date
    due_on: date
    reason: str
    report_received_on: date | None
    overdue: bool
    reports: list[EvidenceView]
    illustrative: bool


@dataclass(frozen=True)
class CleanAuditIn:
    uscc: str
    industry_group: str
    listed_year: int
    listed_on: date
    mandatory: bool = True
    note: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class StageView:
    stage: str
    name: str
    on: date | None


@dataclass(frozen=True)
class CleanAuditView:
    id: int
    uscc: str
    unit_name: str
    industry_group: str
    group_name: str
    mandatory: bool
    listed_year: int
    stage: str
    stage_name: str
    stages: list[StageView]
    evidence: list[EvidenceView]
    note: str
    illustrative: bool
    changed: bool = True


def _stage_dates(a: CleanProductionAudit) -> dict[str, date | None]:
    return {"listed": a.listed_on, "started": a.started_on, "report_submitted": a.report_submitted_on,
            "assessed": a.assessed_on, "accepted": a.accepted_on}


def request_energy_audit(platform: Platform, principal: Principal | None, data: EnergyAuditIn) -> EnergyAuditView:
    """Order an energy audit (the same order again changes nothing)."""
    dept = inspector(principal, data.department)
    raise_if(check_order("due_on", data.due_on, data.requested_on, "要求日期", "the request date"))
    with platform.sessions() as s, s.begin():
        unit = unit_of(s, data.uscc)
        case_id = case_by_code(s, data.case).id if data.case else None
        old = q.energy_audit_of(s, unit.id, data.requested_on)
        if old is not None:
            return _audit_view(s, old)
        row = EnergyAuditRequest(unit_id=unit.id, case_id=case_id, department=dept, requested_on=data.requested_on,
                                 due_on=data.due_on, reason=data.reason.strip(), illustrative=data.illustrative)
        s.add(row)
        s.flush()
        audit.record(s, principal.username, EnergyAuditRequest.__tablename__, str(row.id), "create", None,
                     {**row_dict(row), "uscc": unit.uscc})
        return _audit_view(s, row)


def receive_audit_report(platform: Platform, principal: Principal | None, request_id: int, source: Path,
                         file_name: str, received_on: date) -> EnergyAuditView:
    """The unit sends its energy audit report (a PDF or image file)."""
    who = permissions.require(principal, "supervision.answer")
    with platform.sessions() as s:
        try:
            with s.begin():
                uid = own_unit_id(s, platform, who)
                row = s.get(EnergyAuditRequest, request_id)
                if row is None:
                    raise NotFound(f"没有能源审计要求 {request_id} / no energy audit request {request_id}")
                if uid is not None and row.unit_id != uid:
                    raise Forbidden(NOT_OWN)
                raise_if(check_order("received_on", received_on, row.requested_on, "要求日期", "the request date"))
                before = row_dict(row)
                ev = store(platform, s, source, file_name, who.username, energy_audit_id=row.id)
                row.report_received_on = received_on
                s.flush()
                audit.record(s, who.username, EnergyAuditRequest.__tablename__, str(row.id), "report", before,
                             {**row_dict(row), "evidence": row_dict(ev)})
        except BaseException:
            discard_new_files(s)
            raise
        s.info.pop("supervision_new_files", None)
        return _audit_view(s, row)


def _audit_view(s: Session, row: EnergyAuditRequest, today: date | None = None) -> EnergyAuditView:
    unit = s.get(KeyUnit, row.unit_id)
    case = s.get_one(SupervisionCase, row.case_id).code if row.case_id else None
    files = q.evidence_of_energy_audit(s, row.id)
    overdue = row.report_received_on is None and row.due_on < (today or date.today())
    return EnergyAuditView(row.id, unit.uscc, unit.name, case, row.department, row.requested_on, row.due_on,
                           row.reason, row.report_received_on, overdue, [evidence_view(f) for f in files],
                           row.illustrative or unit.illustrative)


def list_energy_audits(platform: Platform, principal: Principal | None) -> list[EnergyAuditView]:
    with platform.sessions() as s:
        uid = own_unit_id(s, platform, principal)
        return [_audit_view(s, r) for r in q.energy_audits(s, uid)]


# --- clean-production audits ------------------------------------------------------------------

def list_clean_audit(platform: Platform, principal: Principal | None, data: CleanAuditIn,
                     lang: str = "zh") -> CleanAuditView:
    """Put an enterprise on the clean-production audit list of a year (again: unchanged)."""
    an_inspector(principal, CLEAN_AUDIT_DEPARTMENTS)
    raise_if(check_choice("industry_group", data.industry_group, INDUSTRY_GROUPS),
             None if data.listed_on.year == data.listed_year else issue(
                 "listed_on", "input.sup.not_in_year", value=data.listed_on.isoformat(), year=data.listed_year),
             None if (data.industry_group in MANDATORY_GROUPS or data.industry_group not in INDUSTRY_GROUPS
                      or not data.mandatory) else issue(
                 "mandatory", "input.sup.not_mandatory_group", value=data.industry_group))
    with platform.sessions() as s, s.begin():
        unit = unit_of(s, data.uscc)
        old = q.clean_audit_of(s, unit.id, data.listed_year)
        if old is not None:
            return clean_view(s, old, lang, changed=False)
        row = CleanProductionAudit(unit_id=unit.id, industry_group=data.industry_group, mandatory=data.mandatory,
                                   listed_year=data.listed_year, stage="listed", listed_on=data.listed_on,
                                   note=data.note.strip(), illustrative=data.illustrative)
        s.add(row)
        s.flush()
        audit.record(s, principal.username, CleanProductionAudit.__tablename__, str(row.id), "create", None,
                     {**row_dict(row), "uscc": unit.uscc})
        return clean_view(s, row, lang)


def advance_stage(platform: Platform, principal: Principal | None, audit_id: int, stage: str, on: date,
                  source: Path | None = None, file_name: str = "", lang: str = "zh") -> CleanAuditView:
    """Record the next stage reached (stages only in order, dates not going back), with evidence."""
    who = an_inspector(principal, CLEAN_AUDIT_DEPARTMENTS)
    with platform.sessions() as s:
        try:
            with s.begin():
                row = s.get(CleanProductionAudit, audit_id)
                if row is None:
                    raise NotFound(f"没有清洁生产审核记录 {audit_id} / no clean-production audit {audit_id}")
                dates = _stage_dates(row)
                if row.stage == stage and dates[stage] == on:
                    return clean_view(s, row, lang, changed=False)
                raise_if(check_choice("stage", stage, AUDIT_STAGES))
                expected = next_stage(row.stage)
                if stage != expected:
                    raise refuse(issue("stage", "input.sup.stage_order", stage=row.stage, next=expected or "—"))
                raise_if(check_order("on", on, dates[row.stage], "上一阶段日期", "the previous stage's date"))
                before = row_dict(row)
                setattr(row, f"{stage}_on", on)
                row.stage = stage
                ev = store(platform, s, source, file_name, who.username, clean_audit_id=row.id) if source else None
                s.flush()
                audit.record(s, who.username, CleanProductionAudit.__tablename__, str(row.id), "stage", before,
                             {**row_dict(row), "evidence": row_dict(ev) if ev else None})
        except BaseException:
            discard_new_files(s)
            raise
        s.info.pop("supervision_new_files", None)
        return clean_view(s, row, lang)


def clean_view(s: Session, a: CleanProductionAudit, lang: str = "zh", changed: bool = True) -> CleanAuditView:
    unit = s.get(KeyUnit, a.unit_id)
    files = q.evidence_of_clean_audit(s, a.id)
    dates = _stage_dates(a)
    return CleanAuditView(a.id, unit.uscc, unit.name, a.industry_group, name(INDUSTRY_GROUPS, a.industry_group, lang),
                          a.mandatory, a.listed_year, a.stage, name(AUDIT_STAGE_NAMES, a.stage, lang),
                          [StageView(k, name(AUDIT_STAGE_NAMES, k, lang), dates[k]) for k in AUDIT_STAGES],
                          [evidence_view(f) for f in files], a.note, a.illustrative or unit.illustrative, changed)


def list_clean_audits(platform: Platform, principal: Principal | None, lang: str = "zh") -> list[CleanAuditView]:
    with platform.sessions() as s:
        uid = own_unit_id(s, platform, principal)
        return [clean_view(s, a, lang) for a in q.clean_audits(s, uid)]
