"""The typed results of cases: a case with its findings and their evidence, as a reader sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ...domain.supervision import (
    CASE_STATUSES,
    PRICE_PROPOSALS,
    RECTIFICATION_STATUSES,
    SEVERITIES,
    VIOLATIONS,
    item_name,
    name,
)
from ...store.models import KeyUnit
from ...store.models_supervision import SupervisionBatch, SupervisionCase, SupervisionEvidence
from ...store.queries import supervision as q

if TYPE_CHECKING:
    from ...store.queries.supervision import Session


@dataclass(frozen=True)
class EvidenceView:
    id: int
    file_name: str
    content_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class FindingView:
    number: int
    item: str
    item_name: str
    description: str
    legal_basis: str
    severity: str
    severity_name: str
    violation: bool
    rectification: str
    deadline: date
    status: str
    status_name: str
    overdue: bool  # the deadline has passed and the rectification is not accepted
    review_note: str
    reviewed_on: date | None
    evidence: list[EvidenceView]


@dataclass(frozen=True)
class CaseView:
    code: str
    uscc: str
    unit_name: str
    department: str
    batch: str | None
    inspected_on: date
    inspectors: str
    record: str
    status: str
    status_name: str
    decided_on: date | None
    decision: str
    penalty_yuan: float | None
    credit_record: bool
    price_proposal: str
    price_name: str
    published_on: date | None
    closed_on: date | None
    closure_note: str
    violation: bool
    findings: list[FindingView]
    illustrative: bool
    changed: bool = True  # False: a repeated request found the change already made


def case_view(s: Session, case: SupervisionCase, lang: str = "zh", changed: bool = True,
              today: date | None = None) -> CaseView:
    today = today or date.today()
    unit = s.get(KeyUnit, case.unit_id)
    batch = s.get(SupervisionBatch, case.batch_id) if case.batch_id else None
    found = q.findings_of(s, case.id)
    files: dict[int, list[EvidenceView]] = {}
    if found:
        for e in q.evidence_of_findings(s, [f.id for f in found]):
            files.setdefault(e.finding_id, []).append(evidence_view(e))
    findings = [FindingView(f.number, f.item, item_name(f.item, lang), f.description, f.legal_basis, f.severity,
                            name(SEVERITIES, f.severity, lang), f.severity in VIOLATIONS, f.rectification, f.deadline,
                            f.status, name(RECTIFICATION_STATUSES, f.status, lang),
                            f.deadline < today and f.status != "accepted" and case.status != "closed",
                            f.review_note, f.reviewed_on, files.get(f.id, [])) for f in found]
    return CaseView(case.code, unit.uscc, unit.name, case.department, batch.code if batch else None, case.inspected_on,
                    case.inspectors, case.record, case.status, name(CASE_STATUSES, case.status, lang), case.decided_on,
                    case.decision, case.penalty_yuan, case.credit_record, case.price_proposal,
                    name(PRICE_PROPOSALS, case.price_proposal, lang), case.published_on, case.closed_on,
                    case.closure_note, any(f.violation for f in findings), findings,
                    case.illustrative or unit.illustrative, changed)


def evidence_view(e: SupervisionEvidence) -> EvidenceView:
    at = e.uploaded_at if e.uploaded_at.tzinfo else e.uploaded_at.replace(tzinfo=UTC)  # SQLite gives naive UTC
    return EvidenceView(e.id, e.file_name, e.content_type, e.size_bytes, e.uploaded_by, at)
