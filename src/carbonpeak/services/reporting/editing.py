"""Editing an obligation (administrators): its deadline rule (days after the period), period kind
and first period, owner department (only one the plan lists), title and the ranges of its form's
fields. Refused as a whole, naming each field: an unknown department or field, a range whose low
is above its high, a period kind changed once periods were entered, a first period after one
already entered, and, for an obligation with nothing entered yet (still a new one), a first
deadline already past. Audited with before and after; the periods not yet submitted take the new
deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain import reporting as rules
from ...domain.findings import InputIssue
from ...domain.plan import Plan
from ...domain.reporting_texts import PERIOD_NAMES, name
from ...store.models_reporting import ReportingObligation
from ...store.queries import reporting as q
from ...store.queries.reporting import Session
from .. import audit, permissions
from ..errors import InputRejected
from ..platform import Platform
from ..users import Principal
from .kinds import form_text
from .obligations import ObligationView, _plan, get, view


@dataclass(frozen=True)
class ObligationChange:
    """What to change (None: keep). ``ranges``: field name → (low, high), None for no bound."""
    due_days: int | None = None
    period_kind: str | None = None
    first_period: str | None = None
    department: str | None = None
    title: str | None = None
    ranges: dict[str, tuple[float | None, float | None]] | None = None


FIXED_PERIOD = {"form_205_1": "month"}  # publish.py writes a 205-1 period into its month of the 205-1 table


def _issue(code: str, column: str, **params: Any) -> InputIssue:
    return InputIssue(code, rules.FORM, None, column, params)


def _state(r: ReportingObligation) -> dict[str, Any]:
    """What the audit trail keeps of an obligation (as it reads: the period kind's name, the form as text)."""
    return {"title": r.title, "department": r.department, "period_kind": name(PERIOD_NAMES, r.period_kind),
            "first_period": r.first_period, "due_days": r.due_days, "fields": form_text(r.fields)}


def _why(lang: str, zh: str, en: str) -> str:
    """A refusal's reason in the reader's language only (zh mode shows no English)."""
    return en if lang == "en" else zh


def _ranges(row: ReportingObligation, ranges: dict[str, tuple[float | None, float | None]], lang: str
            ) -> tuple[list, list]:
    known = {f["name"]: f for f in row.fields}
    issues = [_issue("reporting.unknown_field", str(k)[:40], value=str(k)[:40]) for k in ranges if k not in known]
    for k, (lo, hi) in ranges.items():
        if k in known and lo is not None and hi is not None and lo > hi:
            issues.append(_issue("input.bad_value", k, value=f"[{lo}, {hi}]", reason=_why(lang, "下限不能高于上限", "low above high")))
    fields = [{**f, "low": ranges[f["name"]][0], "high": ranges[f["name"]][1]} if f["name"] in ranges else f
              for f in row.fields]
    return fields, issues


def _checked(plan: Plan, row: ReportingObligation, c: ObligationChange, entered: list[str], today: date,
             lang: str) -> list:
    issues = []
    if c.department is not None and c.department not in plan.departments:
        issues.append(_issue("reporting.unknown_department", "department", value=c.department[:100]))
    if c.due_days is not None and not 0 <= c.due_days <= 366:
        issues.append(_issue("input.bad_value", "due_days", value=c.due_days, reason="0–366"))
    kind = c.period_kind or row.period_kind
    if kind not in rules.PERIOD_KINDS:
        issues.append(_issue("input.bad_value", "period_kind", value=str(kind)[:8],
                             reason=_why(lang, "应为年报、季报或月报", "year, quarter or month")))
    elif row.kind in FIXED_PERIOD and kind != FIXED_PERIOD[row.kind]:  # its approval reads periods of that kind
        issues.append(_issue("input.bad_value", "period_kind", value=name(PERIOD_NAMES, kind, lang),
                             reason=_why(lang, "205-1表按月报送", "the 205-1 form is monthly")))
    elif kind != row.period_kind and entered:
        issues.append(_issue("input.bad_value", "period_kind", value=name(PERIOD_NAMES, kind, lang),
                             reason=_why(lang, "已有填报记录，不能改变报告周期", "periods were entered: the period kind stays")))
    if issues:
        return issues
    first = c.first_period or (row.first_period if kind == row.period_kind else None)
    bad = rules.period_issue(kind, first or "", "first_period")
    if bad:
        return [bad]
    if entered and first > min(entered):
        return [_issue("input.bad_value", "first_period", value=first, reason=_why(lang, f"已有{min(entered)}的填报记录",
                                                                                 f"{min(entered)} was entered"))]
    days = row.due_days if c.due_days is None else c.due_days
    due = rules.due_on(kind, first, days)
    if not entered and due < today and (first, days, kind) != (row.first_period, row.due_days, row.period_kind):
        return [_issue("reporting.past_deadline", "first_period", period=first, due=due.isoformat(), today=today.isoformat())]
    return []


def edit(platform: Platform, who: Principal, code: str, change: ObligationChange, today: date | None = None,
         lang: str = "zh") -> ObligationView:
    """Change an obligation (administrators); nothing is changed when anything is refused."""
    permissions.require(who, "reporting.manage")
    plan, today = _plan(platform), today or date.today()
    with platform.sessions.begin() as s:
        row = get(s, code)
        entered = q.entered_periods(s, row.id)
        fields, issues = _ranges(row, change.ranges or {}, lang)
        issues += _checked(plan, row, change, entered, today, lang)
        if issues:
            raise InputRejected(issues)
        before = _state(row)
        kind = change.period_kind or row.period_kind
        new = {"title": (change.title or row.title)[:200], "department": change.department or row.department,
               "period_kind": kind, "first_period": change.first_period or row.first_period,
               "due_days": row.due_days if change.due_days is None else change.due_days, "fields": fields}
        for k, v in new.items():
            setattr(row, k, v)
        after = _state(row)
        if after != before:
            audit.record(s, who.username, "reporting_obligations", code, "update", before, after)
            _new_deadlines(s, row)
        return view(row, lang)


def _new_deadlines(s: Session, row: ReportingObligation) -> None:
    """The periods not yet submitted (drafts, returned ones) take the obligation's deadline rule."""
    for sub in q.submissions_in(s, row.id, rules.EDITABLE):
        due = rules.due_on(row.period_kind, sub.period, row.due_days)
        if sub.due_on != due:
            q.set_due_on(s, sub.id, due)

