"""The public supervision page (监察公开): inspections done, decided findings, the violators list.

Only published cases are shown, and only a decided case can be published (cases.publish), so an
undecided case is never public; the filter here says so again. No evidence file, no inspection
record text and no inspector's name is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
from ...store.models_supervision import SupervisionCase, SupervisionFinding
from ...store.queries import supervision as q
from ...store.queries import supervision_figures as qf
from ..platform import Platform
from .indicators import ComputedValue, computed_in


@dataclass(frozen=True)
class PublicFinding:
    item_name: str
    severity_name: str
    violation: bool
    legal_basis: str
    deadline: date
    status_name: str


@dataclass(frozen=True)
class PublicCase:
    code: str
    uscc: str
    unit_name: str
    industry: str
    department: str
    inspected_on: date
    decided_on: date
    published_on: date
    closed_on: date | None
    status_name: str
    decision: str
    penalty_yuan: float | None
    credit_record: bool
    price_name: str
    violation: bool
    findings: list[PublicFinding]
    illustrative: bool


@dataclass(frozen=True)
class PublicView:
    year: int
    inspections: int  # cases inspected in the year (any state: a count, no names)
    units_inspected: int
    decided: int
    published: int
    cases: list[PublicCase]
    violators: list[PublicCase]  # the published cases with a violation found
    indicators: list[ComputedValue]
    illustrative: bool


def public_view(platform: Platform, year: int, lang: str = "zh") -> PublicView:
    """The public page of ``year``, its figures and T16/T18/T19 read in one session."""
    with platform.sessions() as s:
        inspected = qf.inspection_counts(s, year)
        decided = qf.decided_count(s, year)
        rows = qf.published_cases(s, year)
        findings: dict[int, list[SupervisionFinding]] = {}
        if rows:
            for f in q.findings_of_cases(s, [c.id for c, _ in rows]):
                findings.setdefault(f.case_id, []).append(f)
        indicators = computed_in(s, year)
    cases = [_public(c, u, findings.get(c.id, []), lang) for c, u in rows]
    return PublicView(year, inspected[0], inspected[1], decided, len(cases), cases,
                      [c for c in cases if c.violation], indicators, any(c.illustrative for c in cases))


def _public(c: SupervisionCase, u: KeyUnit, found: list[SupervisionFinding], lang: str) -> PublicCase:
    items = [PublicFinding(item_name(f.item, lang), name(SEVERITIES, f.severity, lang), f.severity in VIOLATIONS,
                           f.legal_basis, f.deadline, name(RECTIFICATION_STATUSES, f.status, lang)) for f in found]
    return PublicCase(c.code, u.uscc, u.name, u.industry, c.department, c.inspected_on, c.decided_on, c.published_on,
                      c.closed_on, name(CASE_STATUSES, c.status, lang), c.decision, c.penalty_yuan, c.credit_record,
                      name(PRICE_PROPOSALS, c.price_proposal, lang), any(i.violation for i in items), items,
                      c.illustrative or u.illustrative)
