"""Cases: an inspection with its findings, the decision, publication and closure.

Every change is one transaction with its audit entry; a refused request writes nothing. The same
request sent again changes nothing (``changed`` is False in the answer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...domain.supervision import CHECKLIST_BY_CODE, PRICE_PROPOSALS, SEVERITIES, VIOLATIONS
from ...store.models_supervision import SupervisionBatchUnit, SupervisionCase, SupervisionFinding
from ...store.queries import supervision as q
from .. import audit
from ..errors import Conflict, Forbidden
from ..platform import Platform
from .common import (
    NOT_OWN,
    case_by_code,
    check_choice,
    check_order,
    inspector,
    issue,
    may_act_on,
    once_more_on_clash,
    own_unit_id,
    raise_if,
    refuse,
    row_dict,
    unit_of,
)
from .views import CaseView, case_view

if TYPE_CHECKING:
    from ..users import Principal

ENTITY = SupervisionCase.__tablename__


@dataclass(frozen=True)
class FindingIn:
    item: str
    description: str
    severity: str
    rectification: str
    deadline: date
    legal_basis: str = ""  # empty: the checklist item's proposed legal basis


@dataclass(frozen=True)
class CaseIn:
    uscc: str
    inspected_on: date
    findings: list[FindingIn] = field(default_factory=list)
    department: str | None = None
    batch: str | None = None
    inspectors: str = ""
    record: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class DecisionIn:
    decided_on: date
    decision: str
    penalty_yuan: float | None = None
    credit_record: bool = False
    price_proposal: str = ""


def _finding_issues(data: CaseIn) -> list:
    out = []
    for n, f in enumerate(data.findings, start=1):
        at = f"findings[{n}]"
        out += [check_choice(f"{at}.item", f.item, CHECKLIST_BY_CODE), check_choice(f"{at}.severity", f.severity,
                                                                                     SEVERITIES),
                None if f.description.strip() else issue(f"{at}.description", "input.empty_value"),
                None if f.rectification.strip() else issue(f"{at}.rectification", "input.empty_value"),
                check_order(f"{at}.deadline", f.deadline, data.inspected_on, "检查日期", "the inspection date")]
    return out


def open_case(platform: Platform, principal: Principal | None, data: CaseIn, lang: str = "zh") -> CaseView:
    """Record an inspection and its findings (each with its legal basis, severity, demanded
    rectification and deadline)."""
    dept = inspector(principal, data.department)
    raise_if(*_finding_issues(data))
    return once_more_on_clash(lambda: _open(platform, principal, dept, data, lang))


def _open(platform: Platform, principal: Principal, dept: str, data: CaseIn, lang: str) -> CaseView:
    with platform.sessions() as s, s.begin():
        unit = unit_of(s, data.uscc)
        batch_id = _batch_of(s, data.batch, unit.id) if data.batch else None
        old = q.case_of_inspection(s, unit.id, data.inspected_on, dept)
        if old is not None:
            if _same(s, old, data, batch_id):
                return case_view(s, old, lang, changed=False)
            raise Conflict(f"{dept}已记录该单位{data.inspected_on}的检查（案件{old.code}） / this inspection is already "
                           f"recorded as case {old.code}")
        case = SupervisionCase(code=_next_code(s, data.inspected_on.year), batch_id=batch_id, unit_id=unit.id,
                               department=dept, inspected_on=data.inspected_on, inspectors=data.inspectors.strip(),
                               record=data.record.strip(), status="open", illustrative=data.illustrative,
                               created_by=principal.username)
        s.add(case)
        s.flush()
        rows = [SupervisionFinding(case_id=case.id, number=n, item=f.item, description=f.description.strip(),
                                   legal_basis=f.legal_basis.strip() or CHECKLIST_BY_CODE[f.item].legal_basis,
                                   severity=f.severity, rectification=f.rectification.strip(), deadline=f.deadline,
                                   status="demanded") for n, f in enumerate(data.findings, start=1)]
        s.add_all(rows)
        s.flush()
        audit.record(s, principal.username, ENTITY, case.code, "create", None,
                     {**row_dict(case), "uscc": unit.uscc, "findings": [row_dict(r) for r in rows]})
        return case_view(s, case, lang)


def _batch_of(s, code: str, unit_id: int) -> int:
    batch = q.batch_by_code(s, code)
    if batch is None:
        raise refuse(issue("batch", "input.sup.unknown_batch", value=code))
    if s.get(SupervisionBatchUnit, (batch.id, unit_id)) is None:
        raise refuse(issue("batch", "input.sup.unit_not_in_batch", value=code))
    return batch.id


def _same(s, case: SupervisionCase, data: CaseIn, batch_id: int | None) -> bool:
    rows = q.findings_of(s, case.id)
    given = [(f.item, f.description.strip(), f.severity, f.rectification.strip(), f.deadline) for f in data.findings]
    return case.batch_id == batch_id and given == [(r.item, r.description, r.severity, r.rectification, r.deadline)
                                                   for r in rows]


def _next_code(s, year: int) -> str:
    prefix = f"JC-{year}-"
    codes = q.case_codes_like(s, prefix)
    numbers = [int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _state(case: SupervisionCase, allowed: tuple[str, ...], action: str, action_en: str) -> None:
    if case.status not in allowed:
        raise refuse(issue("status", "input.sup.bad_state", case=case.code, status=case.status, action=action,
                           action_en=action_en))


def decide(platform: Platform, principal: Principal | None, code: str, data: DecisionIn, lang: str = "zh") -> CaseView:
    """The decision: its text, a penalty, a credit record, a proposal for a differentiated or
    punitive electricity price (only when a unit was found above the limit value)."""
    with platform.sessions() as s, s.begin():
        case = case_by_code(s, code)
        who = may_act_on(principal, case)
        if case.status != "open" and (case.decided_on, case.decision) == (data.decided_on, data.decision.strip()):
            return case_view(s, case, lang, changed=False)
        _state(case, ("open",), "作出处理决定", "be decided")
        raise_if(*_decision_issues(s, case, data))
        before = row_dict(case)
        case.status, case.decided_on, case.decision = "decided", data.decided_on, data.decision.strip()
        case.penalty_yuan, case.credit_record, case.price_proposal = data.penalty_yuan, data.credit_record, \
            data.price_proposal
        s.flush()
        audit.record(s, who.username, ENTITY, case.code, "decide", before, row_dict(case))
        return case_view(s, case, lang)


def _decision_issues(s, case: SupervisionCase, data: DecisionIn) -> list:
    p = data.penalty_yuan
    bad_penalty = p is not None and (not math.isfinite(p) or p < 0)
    over_limit = q.has_finding(s, case.id, "unit_product_energy", VIOLATIONS)
    price = check_choice("price_proposal", data.price_proposal, PRICE_PROPOSALS)
    if price is None and data.price_proposal and not over_limit:
        price = issue("price_proposal", "input.sup.price_without_limit")
    return [None if data.decision.strip() else issue("decision", "input.empty_value"),
            issue("penalty_yuan", "input.negative", value=p) if bad_penalty else None, price,
            check_order("decided_on", data.decided_on, case.inspected_on, "检查日期", "the inspection date")]


def publish(platform: Platform, principal: Principal | None, code: str, published_on: date,
            lang: str = "zh") -> CaseView:
    """Publish a decided case (向社会公开): an undecided case is refused, never published."""
    with platform.sessions() as s, s.begin():
        case = case_by_code(s, code)
        who = may_act_on(principal, case)
        if case.published_on is not None:
            return case_view(s, case, lang, changed=False)
        if case.status == "open":
            raise refuse(issue("status", "input.sup.undecided", case=case.code))
        raise_if(check_order("published_on", published_on, case.decided_on, "处理决定日期", "the decision date"))
        before = row_dict(case)
        case.published_on = published_on
        s.flush()
        audit.record(s, who.username, ENTITY, case.code, "publish", before, row_dict(case))
        return case_view(s, case, lang)


def close(platform: Platform, principal: Principal | None, code: str, closed_on: date, note: str = "",
          lang: str = "zh") -> CaseView:
    """Close a decided case once every submitted rectification is reviewed; a finding not
    accepted at closure needs a note saying how the decision was carried out."""
    with platform.sessions() as s, s.begin():
        case = case_by_code(s, code)
        who = may_act_on(principal, case)
        if case.status == "closed":
            return case_view(s, case, lang, changed=False)
        _state(case, ("decided",), "结案", "be closed")
        rows = q.findings_of(s, case.id)
        waiting = [issue(f"findings[{f.number}].status", "input.sup.awaiting_review", number=f.number)
                   for f in rows if f.status == "submitted"]
        unaccepted = any(f.status != "accepted" for f in rows)
        raise_if(*waiting, check_order("closed_on", closed_on, case.decided_on, "处理决定日期", "the decision date"),
                 issue("note", "input.sup.note_required") if unaccepted and not note.strip() else None)
        before = row_dict(case)
        case.status, case.closed_on, case.closure_note = "closed", closed_on, note.strip()
        s.flush()
        audit.record(s, who.username, ENTITY, case.code, "close", before, row_dict(case))
        return case_view(s, case, lang)


def list_cases(platform: Platform, principal: Principal | None, year: int | None = None, lang: str = "zh",
               today: date | None = None) -> list[CaseView]:
    """The cases a reader may see: the county every case, an enterprise its own unit's."""
    with platform.sessions() as s:
        uid = own_unit_id(s, platform, principal)
        return [case_view(s, c, lang, today=today) for c in q.cases(s, uid, year)]


def get_case(platform: Platform, principal: Principal | None, code: str, lang: str = "zh") -> CaseView:
    with platform.sessions() as s:
        uid = own_unit_id(s, platform, principal)
        case = case_by_code(s, code)
        if uid is not None and case.unit_id != uid:
            raise Forbidden(NOT_OWN)
        return case_view(s, case, lang)
