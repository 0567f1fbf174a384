"""What every part of supervision shares: refusals naming the field, who may act, unit lookup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ...domain.findings import InputIssue
from ...domain.supervision import SUPERVISION_DEPARTMENTS
from ...store.models import KeyUnit
from ...store.models_supervision import SupervisionCase
from ...store.queries import supervision as q
from .. import permissions
from ..errors import Conflict, Forbidden, InputRejected, NotFound
from ..platform import Platform

if TYPE_CHECKING:
    from ...store.queries.supervision import Session
    from ..users import Principal

T = TypeVar("T")
REQUEST = "request"  # issues name the request body's fields (domain/messages.CHANNELS)
# The data topics the public supervision figures depend on (services/versions.py: an audited
# entity that has no topic of its own mapping is a topic by its table name)
TOPICS = ("supervision_batches", "supervision_cases", "supervision_findings", "clean_production_audits",
          "energy_audit_requests", "monitoring")


def once_more_on_clash(work: Callable[[], T], tries: int = 3) -> T:
    """Run ``work`` (one transaction); when a concurrent request took the same unique key first
    (a case code, a batch code), run it again: it then sees that row (409 after ``tries``)."""
    for attempt in range(tries):
        try:
            return work()
        except q.WriteClash:
            if attempt == tries - 1:
                raise Conflict("同时提交的另一请求已写入同一记录，请刷新后重试 / another request wrote the same "
                               "record at the same time: reload and try again") from None
    raise AssertionError("unreachable")


def issue(field: str, code: str, **params: Any) -> InputIssue:
    return InputIssue(code, REQUEST, None, field, params)


def refuse(*issues: InputIssue) -> InputRejected:
    return InputRejected(list(issues))


def check_choice(field: str, value: str, choices: dict[str, Any] | tuple[str, ...]) -> InputIssue | None:
    if value in choices:
        return None
    return issue(field, "input.sup.choice", value=value, choices="、".join(k for k in choices if k) or "—")


def check_order(field: str, value: date | None, earlier: date | None, what: str, what_en: str) -> InputIssue | None:
    """``value`` must not be before ``earlier`` (both given)."""
    if value is None or earlier is None or value >= earlier:
        return None
    return issue(field, "input.sup.date_before", value=value.isoformat(), other=earlier.isoformat(), what=what,
                 what_en=what_en)


def raise_if(*found: InputIssue | None) -> None:
    issues = [i for i in found if i is not None]
    if issues:
        raise refuse(*issues)


def unit_of(s: Session, uscc: str, field: str = "uscc") -> KeyUnit:
    """The registry unit with this credit code, else refused naming the field."""
    unit = q.unit_by_uscc(s, (uscc or "").strip())
    if unit is None:
        raise refuse(issue(field, "input.unknown_unit_code", value=uscc))
    return unit


def an_inspector(principal: Principal | None, departments: tuple[str, ...] = SUPERVISION_DEPARTMENTS) -> Principal:
    """An administrator, or an editor of one of the responsible ``departments``."""
    who = permissions.require(principal, "supervision.edit")
    if who.role == "dept_editor" and who.department not in departments:
        raise Forbidden(f"{who.department or '—'}不是责任单位（{'、'.join(departments)}） / "
                        "your department is not responsible for this")
    return who


def inspector(principal: Principal | None, department: str | None = None) -> str:
    """The department an inspector acts for: an editor of one of the responsible departments acts
    for its own; an administrator names one of them. Else 401/403, or the department refused."""
    who = an_inspector(principal)
    if who.role == "dept_editor":
        return who.department
    dept = (department or "").strip()
    raise_if(check_choice("department", dept, SUPERVISION_DEPARTMENTS))
    return dept


def may_act_on(principal: Principal | None, case: SupervisionCase) -> Principal:
    """An inspector may change a case of its own department (an administrator: every case)."""
    who = permissions.require(principal, "supervision.edit")
    inspector(who, case.department)
    if who.role == "dept_editor" and who.department != case.department:
        raise Forbidden(f"案件{case.code}由{case.department}办理 / case {case.code} belongs to {case.department}")
    return who


def own_unit_id(s: Session, platform: Platform, principal: Principal | None) -> int | None:
    """None for county roles (every case); an enterprise account: its unit's id (-1 when its unit
    is not registered, so that it sees nothing), read in the caller's session."""
    who = permissions.require(principal, "supervision.read")
    uscc = permissions.scope_of(platform, who, s).unit
    if uscc is None:
        return None
    uid = q.unit_id_by_uscc(s, uscc)
    return -1 if uid is None else uid


NOT_OWN = "企业账号只能查看本单位的记录 / an enterprise account sees its own unit only"


def case_by_code(s: Session, code: str) -> SupervisionCase:
    case = q.case_by_code(s, code)
    if case is None:
        raise NotFound(f"没有案件 {code} / no case {code}")
    return case


def row_dict(row: Any) -> dict[str, Any]:
    """A row's columns, for the audit trail's before and after."""
    out = {}
    for c in row.__table__.columns:
        v = getattr(row, c.key)
        out[c.key] = v.isoformat() if isinstance(v, date | datetime) else v
    return out
