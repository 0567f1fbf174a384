"""Reporting obligations (填报任务): who reports what, for which periods, by when.

Defaults come from the plan: every target whose value is ``reported:<department>`` gets a yearly
obligation of that department, due 90 days after the year (31 March). An administrator adds or
changes obligations; a department the plan does not list, or a first deadline already past, is
refused naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...domain import reporting as rules
from ...domain.findings import InputIssue
from ...domain.plan import Plan, Target
from ...domain.reporting_texts import PERIOD_NAMES, name
from ...domain.target_sources import parse_source
from ...store.models_reporting import ReportingObligation
from ...store.queries import reporting as q
from .. import audit, permissions
from ..errors import Conflict, InputRejected, NotFound
from ..plans import stored_plan
from ..platform import Platform
from ..users import Principal

YEARLY_DUE_DAYS = 90  # 31 March of the following year (30 March after a leap year's end: 90 days from 31 Dec)


@dataclass(frozen=True)
class ObligationIn:
    code: str
    subject: str  # the target's code
    department: str
    first_period: str | None = None  # default: the first period whose deadline is still ahead
    due_days: int = YEARLY_DUE_DAYS
    title: str = ""
    unit_uscc: str | None = None
    low: float | None = None  # default: from the target's unit (a share: 0–100; a count: ≥ 0)
    high: float | None = None
    note: str = ""


@dataclass(frozen=True)
class ObligationView:
    code: str
    kind: str
    subject: str
    title: str
    department: str
    unit_uscc: str | None
    period_kind: str
    period_name: str
    first_period: str
    due_days: int
    fields: list[rules.FieldSpec]
    illustrative: bool
    active: bool
    note: str = ""


@dataclass(frozen=True)
class DefaultsResult:
    created: list[str] = field(default_factory=list)
    existing: int = 0


def _issue(code: str, column: str, **params) -> InputIssue:
    return InputIssue(code, rules.FORM, None, column, params)


def fields_of(row: ReportingObligation) -> list[rules.FieldSpec]:
    return [rules.FieldSpec(**f) for f in row.fields]


def view(row: ReportingObligation, lang: str = "zh") -> ObligationView:
    return ObligationView(row.code, row.kind, row.subject, row.title, row.department, row.unit_uscc, row.period_kind,
                          name(PERIOD_NAMES, row.period_kind, lang), row.first_period, row.due_days, fields_of(row),
                          row.illustrative, row.active, row.note)


def target_field(t: Target, low: float | None = None, high: float | None = None) -> rules.FieldSpec:
    """The one field of a target's form: its unit, and a range from the kind of value it is."""
    if t.unit == "%" and t.kind == "change":
        lo, hi = -100.0, None
    elif t.unit == "%":
        lo, hi = 0.0, 100.0
    elif t.unit == "是/否":
        lo, hi = 0.0, 1.0
    else:
        lo, hi = 0.0, None
    return rules.FieldSpec("value", t.name, t.id, t.unit, lo if low is None else low, hi if high is None else high)


def _plan(platform: Platform) -> Plan:
    plan = stored_plan(platform)
    if plan is None:
        raise NotFound("尚未载入实施方案 / no plan loaded")
    return plan


def first_open_period(kind: str, due_days: int, today: date) -> str:
    """The earliest period whose deadline is today or later."""
    p = str(today.year - 1) if kind == "year" else rules.shift(kind, f"{today.year}-01" if kind == "month"
                                                               else f"{today.year}-Q1", -1)
    while rules.due_on(kind, p, due_days) < today:
        p = rules.shift(kind, p, 1)
    return p


def _check(plan: Plan, data: ObligationIn, today: date) -> tuple[Target, str]:
    targets = {t.id: t for t in plan.targets}
    issues = []
    if not data.code or len(data.code) > 40:
        issues.append(_issue("input.bad_value", "code", value=data.code[:40], reason="1–40"))
    if data.subject not in targets:
        issues.append(_issue("reporting.unknown_subject", "subject", value=data.subject[:40]))
    if data.department not in plan.departments:
        issues.append(_issue("reporting.unknown_department", "department", value=data.department[:100]))
    if not 0 <= data.due_days <= 366:
        issues.append(_issue("input.bad_value", "due_days", value=data.due_days, reason="0–366"))
    first = data.first_period or first_open_period("year", max(0, min(data.due_days, 366)), today)
    bad = rules.period_issue("year", first, "first_period")
    if bad:
        issues.append(bad)
    elif not issues and (due := rules.due_on("year", first, data.due_days)) < today:
        issues.append(_issue("reporting.past_deadline", "first_period", period=first, due=due.isoformat(),
                             today=today.isoformat()))
    if issues:
        raise InputRejected(issues)
    return targets[data.subject], first


def _row(plan: Plan, t: Target, data: ObligationIn, first: str, actor: str, illustrative: bool) -> ReportingObligation:
    spec = target_field(t, data.low, data.high)
    return ReportingObligation(code=data.code, kind="target", plan_code=plan.code, subject=t.id, title=data.title or t.name,
                               department=data.department, unit_uscc=data.unit_uscc, period_kind="year",
                               first_period=first, due_days=data.due_days, fields=[spec.__dict__], note=data.note, active=True,
                               illustrative=illustrative, created_by=actor)


def _audit_after(r: ReportingObligation) -> dict:
    spec = r.fields[0] if r.fields else {}
    return {"subject": r.subject, "department": r.department, "first_period": r.first_period, "due_days": r.due_days,
            "unit": spec.get("unit"), "low": spec.get("low"), "high": spec.get("high")}


def create(platform: Platform, who: Principal, data: ObligationIn, today: date | None = None,
           lang: str = "zh") -> ObligationView:
    """A new obligation (administrators). Its first deadline may not be in the past."""
    permissions.require(who, "reporting.manage")
    plan = _plan(platform)
    t, first = _check(plan, data, today or date.today())
    with platform.sessions.begin() as s:
        if q.obligation_exists(s, data.code):
            raise Conflict(f"填报任务{data.code}已存在 / obligation {data.code} exists")
        return view(_insert(s, plan, t, data, first, who.username, False), lang)


def _insert(s, plan: Plan, t: Target, data: ObligationIn, first: str, actor: str,
            illustrative: bool) -> ReportingObligation:
    row = _row(plan, t, data, first, actor, illustrative)
    s.add(row)
    audit.record(s, actor, "reporting_obligations", row.code, "insert", None, _audit_after(row))
    return row


def add_illustrative(platform: Platform, actor: str, data: ObligationIn, first: str) -> bool:
    """The demo's obligations (marked illustrative): may start in a past period, to show overdue
    reports. Returns whether it was added (a second run adds nothing)."""
    plan = _plan(platform)
    t = next(x for x in plan.targets if x.id == data.subject)
    with platform.sessions.begin() as s:
        if q.obligation_exists(s, data.code):
            return False
        _insert(s, plan, t, data, first, actor, True)
    return True


def reported_targets(plan: Plan) -> list[tuple[Target, str]]:
    """The plan's targets no module computes, with the department the plan names for them."""
    out = []
    for t in plan.targets:
        src = parse_source(t.source)
        if src is not None and src.kind == "reported" and src.name in plan.departments:
            out.append((t, src.name))
    return out


def generate_defaults(platform: Platform, who: Principal, today: date | None = None) -> DefaultsResult:
    """One yearly obligation per reported target (code ``OBL-<target>``), in one transaction;
    a target that has an obligation already keeps it as it is."""
    permissions.require(who, "reporting.manage")
    plan, today = _plan(platform), today or date.today()
    wanted = [ObligationIn(f"OBL-{t.id}", t.id, dept) for t, dept in reported_targets(plan)]
    checked = [(d, *_check(plan, d, today)) for d in wanted]
    with platform.sessions.begin() as s:  # a target with an obligation already (any code) is left alone
        have = q.obligation_codes(s) | q.obligation_subjects(s)
        created = [_insert(s, plan, t, d, first, who.username, False).code
                   for d, t, first in checked if d.code not in have and t.id not in have]
    return DefaultsResult(created, len(wanted) - len(created))


def list_obligations(platform: Platform, who: Principal, lang: str = "zh") -> list[ObligationView]:
    """The obligations ``who`` may see: its own (a department editor, an enterprise), else all."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        return [view(r, lang) for r in q.active_obligations(s, own(who))]


def own(who: Principal) -> q.Scope | None:
    """The obligations ``who`` reports (None: all, for reviewers and viewers)."""
    if who.role == "dept_editor" and not permissions.may_review(who):
        return q.Scope(department=who.department or "\x00")
    if who.role == "enterprise":
        return q.Scope(unit_uscc=who.enterprise or "\x00")
    return None


def get(s: q.Session, code: str) -> ReportingObligation:
    row = q.obligation(s, code)
    if row is None:
        raise NotFound(f"没有填报任务{code} / no obligation {code}")
    return row
