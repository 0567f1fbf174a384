"""The demo's 205-1 forms and project progress (illustrative, marked so): the monthly 205-1 form of
two key units and the yearly progress of two wind projects. Counted back from today: the 205-1
months four and three back are approved (the values of the demo's simulated 2024 forms for the
same month, written into the 205-1 table on approval), two back awaits review for the first unit,
the rest are overdue; one project's last year is approved, the other's overdue. A second run adds
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...domain import reporting as rules
from ...domain.units import UnitError, conversion_factor
from ...store.models_reporting import ReportingObligation
from ...store.queries import reporting as q
from ...store.queries.reporting import Session
from ..platform import Platform
from ..users import Principal
from . import kinds
from .obligations import _plan, first_open_period
from .submissions import EntryIn, review, save

NOTE = "示例数据（演示用），非统计数据"
UNITS = ("91430923000000001N", "91430923000000002R")  # the demo's 益阳海螺水泥 and 圣德锰业
PROJECTS = ("P04-27", "P04-28")  # wind farms under construction (no progress rows in the demo files)
PROJECT_2025 = {"investment_wan": 12000.0, "completion_pct": 60.0}


@dataclass(frozen=True)
class DemoMore:
    obligations: int
    entries: int


def _add(s: Session, rows: list[ReportingObligation], actor: str) -> list[ReportingObligation]:
    have = q.obligation_codes(s)
    new = [r for r in rows if r.code not in have]
    for r in new:
        r.illustrative, r.note = True, NOTE
        kinds.insert(s, r, actor)
    return [ReportingObligation(code=r.code, fields=list(r.fields), unit_uscc=r.unit_uscc, first_period=r.first_period)
            for r in new]


def _months(r: ReportingObligation, first: str) -> list[str]:
    """The months entered for a unit's 205-1 form: two, three for the first unit."""
    return [first, rules.shift("month", first, 1)] + ([rules.shift("month", first, 2)] if r.unit_uscc == UNITS[0] else [])


def _monthly(s: Session, uscc: str, month: int, fields: list[dict]) -> dict[str, float]:
    """The unit's simulated 2024 form of ``month``, in the fields' units (a carrier it lacks: 0)."""
    found = {c: (u, v) for c, u, v in q.monthly_energy(s, uscc, 2024, month)}
    out = {}
    for f in fields:
        unit, value = found.get(f["name"], (f["unit"], 0.0))
        try:
            out[f["name"]] = round(value * conversion_factor(unit, f["unit"]), 1)
        except UnitError:
            out[f["name"]] = 0.0
    return out


def _enter(platform: Platform, who: Principal, code: str, period: str, values: dict, approve: bool | None) -> None:
    sent = save(platform, who, EntryIn(code, period, values, note=NOTE), submit=True)
    if approve:
        review(platform, who, sent.id, sent.version, approve=True)


def load(platform: Platform, who: Principal, today: date | None = None) -> DemoMore:
    today = today or date.today()
    plan = _plan(platform)
    first = rules.shift("month", first_open_period("month", 10, today), -4)
    with platform.sessions.begin() as s:  # the obligations and the values to enter: one transaction
        forms = [r for r in kinds.form_205_rows(s, platform, plan, today, who.username) if r.unit_uscc in UNITS]
        for r in forms:
            r.first_period = first
        projects = [r for r in kinds.project_rows(s, plan, today, who.username) if r.subject in PROJECTS]
        for r in projects:
            r.first_period = str(today.year - 1)
        added = _add(s, forms + projects, who.username)
        values = {(r.code, m): _monthly(s, r.unit_uscc, int(m[5:7]), r.fields)
                  for r in added if r.code.startswith("205-") for m in _months(r, first)}
    entries = 0
    for r in added:  # each entry and approval: the reporting service's own transactions
        if r.code.startswith("205-"):
            for i, m in enumerate(_months(r, first)):
                _enter(platform, who, r.code, m, values[(r.code, m)], i < 2)
                entries += 1
        elif r.code == f"PRJ-{PROJECTS[0]}":
            _enter(platform, who, r.code, r.first_period, PROJECT_2025, True)
            entries += 1
    return DemoMore(len(added), entries)
