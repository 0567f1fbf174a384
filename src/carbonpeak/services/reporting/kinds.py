"""More obligations generated from the plan and the registries (按实施方案生成):

- ``form_205_1``: each key unit's monthly 205-1 energy form (能源购进、消费与库存), reported by the unit
  (``unit_uscc``) for 县统计局, due on the 10th of the following month; one field per carrier the
  unit meters or has reported, in a unit the import checks accept for that carrier, never negative.
- ``project``: each plan project a task's milestone names, reported yearly by that task's lead
  department (the first the plan lists), due 31 January: investment completed (万元), completion
  (%), capacity put into service in the year (the project's unit).
- ``task``: each task with milestones, reported quarterly by its lead department, due on the 10th
  after the quarter: each milestone done or not (its deadline year in the label), and completion (%).

A unit, project or task with an obligation of its kind already keeps it; a second run adds nothing.
What an approved submission of each kind writes: publish.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...domain import reporting as rules
from ...domain.plan import Plan
from ...domain.reporting_texts import PERIOD_NAMES, name
from ...domain.units import UnitError, conversion_factor
from ...store.models import KeyUnit
from ...store.models_reporting import ReportingObligation
from ...store.queries import reporting as q
from ...store.queries.reporting import Session
from .. import audit, permissions
from ..platform import Platform
from ..project_progress import base_unit
from ..users import Principal
from .obligations import _plan, first_open_period

KINDS = ("form_205_1", "project", "task")
FORM_205_DEPARTMENT = "县统计局"  # the statistics bureau collects the 205-1 forms
DUE = {"form_205_1": ("month", 10), "project": ("year", 31), "task": ("quarter", 10)}
CLOSED = ("completed", "cancelled")
UNIT_WORDS = {"t": "吨", "m3": "立方米", "kWh": "千瓦时", "kg": "千克"}  # a form field's unit as the 205-1 form writes it


@dataclass(frozen=True)
class Generated:
    created: list[str] = field(default_factory=list)
    existing: int = 0
    refused: list[str] = field(default_factory=list)  # e.g. 205-1 forms when the plan lists no 县统计局


def _spec(name: str, zh: str, en: str, unit: str, low: float | None = 0.0, high: float | None = None,
          required: bool = True) -> dict:
    return rules.FieldSpec(name, zh, en, unit, low, high, required).__dict__


def carrier_fields(platform: Platform, pairs: list[tuple[str, str]]) -> list[dict]:
    """One field per carrier (stated with a unit): resolved in the catalogue and in a unit
    convertible to the carrier's own (the checks of the 205-1 import); others are left out."""
    cat = platform.ref.catalogue
    out: dict[str, dict] = {}
    for carrier, unit in pairs:
        canon = cat.resolve(carrier)
        if canon is None or canon in out:
            continue
        own = cat.carriers[canon].canonical_unit
        try:
            conversion_factor(unit or own, own)
        except UnitError:
            unit = own
        unit = UNIT_WORDS.get(unit or own, unit or own)
        out[canon] = _spec(canon, f"{canon}消费量", f"{canon} consumption", unit)
    return list(out.values())


def _units(s: Session, platform: Platform) -> list[tuple[KeyUnit, list[dict]]]:
    units = q.key_units(s)
    pairs: dict[int, list[tuple[str, str]]] = {}
    for uid, carrier, unit in q.unit_carriers(s):  # the unit as its 205-1 forms state it, else as metered
        pairs.setdefault(uid, []).append((carrier, unit))
    return [(u, carrier_fields(platform, pairs.get(u.id) or [("电力", "万千瓦时")])) for u in units]


def _row(plan: Plan, kind: str, code: str, subject: str, title: str, department: str, fields: list[dict],
         today: date, actor: str, unit: str | None = None, illustrative: bool = False) -> ReportingObligation:
    period_kind, days = DUE[kind]
    return ReportingObligation(code=code, kind=kind, plan_code=plan.code, subject=subject, title=title[:200],
                               department=department, unit_uscc=unit, period_kind=period_kind,
                               first_period=first_open_period(period_kind, days, today), due_days=days, fields=fields,
                               note="", active=True, illustrative=illustrative, created_by=actor)


def form_205_rows(s: Session, platform: Platform, plan: Plan, today: date, actor: str) -> list[ReportingObligation]:
    return [_row(plan, "form_205_1", f"205-{u.uscc}", u.uscc, f"{u.name} 能源购进、消费与库存（205-1表）",
                 FORM_205_DEPARTMENT, fields, today, actor, u.uscc, bool(u.illustrative)) for u, fields in _units(s, platform)]


def _lead_departments(plan: Plan) -> dict[str, str]:
    """Each project a milestone names, with the lead department of that milestone's task."""
    out: dict[str, str] = {}
    for a in plan.actions:
        for t in a.tasks:
            for m in t.milestones:
                for code in m.projects:
                    if t.departments:
                        out.setdefault(code, t.departments[0])
    return out


def project_fields(capacity_unit: str | None) -> list[dict]:
    out = [_spec("investment_wan", "本年完成投资", "investment completed in the year", "万元"),
           _spec("completion_pct", "完成进度", "completion", "%", 0.0, 100.0)]
    if base_unit(capacity_unit):
        out.append(_spec("quantity", "本年投运规模", "put into service in the year", base_unit(capacity_unit),
                          required=False))
    return out


def project_rows(s: Session, plan: Plan, today: date, actor: str) -> list[ReportingObligation]:
    lead = _lead_departments(plan)
    stored = q.projects_by_code(s)
    return [_row(plan, "project", f"PRJ-{p.id}", p.id, f"{p.name} 项目进展", lead[p.id], project_fields(p.capacity_unit),
                 today, actor) for p in plan.projects
            if p.id in lead and p.id in stored and stored[p.id].status not in CLOSED]


def task_fields(task) -> list[dict]:
    out = [_spec(m.id, f"{m.text[:60]}{f'（{m.year}年）' if m.year else ''}：是否完成（1是/0否）",
                 f"milestone {m.id}{f' ({m.year})' if m.year else ''} done (1 yes / 0 no)", "是/否", 0.0, 1.0)
           for m in task.milestones]
    return [*out, _spec("completion_pct", "任务总体完成进度", "task completion", "%", 0.0, 100.0)]


def task_rows(plan: Plan, today: date, actor: str) -> list[ReportingObligation]:
    return [_row(plan, "task", f"TSK-{t.id}", t.id, f"{t.title[:80]} 任务进展", t.departments[0], task_fields(t), today, actor)
            for a in plan.actions for t in a.tasks if t.milestones and t.departments]


def wanted(s: Session, platform: Platform, plan: Plan, kinds: tuple[str, ...], today: date,
           actor: str) -> list[ReportingObligation]:
    rows: list[ReportingObligation] = []
    if "form_205_1" in kinds and FORM_205_DEPARTMENT in plan.departments:
        rows += form_205_rows(s, platform, plan, today, actor)
    if "project" in kinds:
        rows += project_rows(s, plan, today, actor)
    if "task" in kinds:
        rows += task_rows(plan, today, actor)
    return [r for r in rows if r.department in plan.departments]


def form_text(fields: list[dict]) -> str:
    """A form's fields as the audit trail shows them: label (unit): low–high."""
    def bound(v: float | None, none: str) -> str:
        return none if v is None else f"{v:g}"
    return "；".join(f"{f['label_zh']}（{f['unit']}）：{bound(f.get('low'), '−∞')}–{bound(f.get('high'), '+∞')}"
                    for f in fields)


def insert(s: Session, row: ReportingObligation, actor: str) -> None:
    s.add(row)
    audit.record(s, actor, "reporting_obligations", row.code, "insert", None,
                 {"title": row.title, "subject": row.subject, "department": row.department, "unit_uscc": row.unit_uscc,
                  "period_kind": name(PERIOD_NAMES, row.period_kind), "first_period": row.first_period,
                  "due_days": row.due_days, "fields": form_text(row.fields)})


def generate(platform: Platform, who: Principal, kinds: tuple[str, ...] = KINDS, today: date | None = None) -> Generated:
    """The obligations of ``kinds`` from the plan and the registries, in one transaction."""
    permissions.require(who, "reporting.manage")
    plan, today = _plan(platform), today or date.today()
    refused = ["form_205_1"] if "form_205_1" in kinds and FORM_205_DEPARTMENT not in plan.departments else []
    with platform.sessions.begin() as s:  # the registries read and the obligations written: one transaction
        rows = wanted(s, platform, plan, tuple(k for k in kinds if k in KINDS), today, who.username)
        have, codes = q.obligation_kinds(s), q.obligation_codes(s)
        created = []
        for r in rows:
            if r.code not in codes and (r.kind, r.subject) not in have:
                insert(s, r, who.username)
                created.append(r.code)
    return Generated(created, len(rows) - len(created), refused)
