"""The project registry and the task board: listing, filtering, editing with audit and roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ..domain.findings import InputIssue
from ..store.models import ActionRow, PlanRow, ProjectRow, TaskRow
from . import audit, permissions
from .errors import InputRejected, NotFound
from .platform import Platform
from .users import Principal

PROJECT_STATUSES = ("planned", "under_construction", "completed", "delayed", "cancelled")
TASK_STATUSES = ("not_started", "in_progress", "done", "delayed")
PROJECT_FIELDS = ("status", "actual_capacity", "actual_year", "note")
TASK_FIELDS = ("status", "deadline", "progress_note")
GENERATION_TYPES = ("pv", "wind", "biomass_power", "hydro", "pumped_storage")


def _project_dict(p: ProjectRow) -> dict[str, Any]:
    return {"id": p.code, "box": p.box, "name": p.name, "type": p.type, "town": p.town, "capacity": p.capacity,
            "capacity_unit": p.capacity_unit, "year": p.year, "status": p.status, "group": p.group_code,
            "note": p.note, "actual_capacity": p.actual_capacity, "actual_year": p.actual_year,
            "illustrative": bool(p.illustrative)}  # as-built fields from illustrative progress (services/project_progress)


def list_projects(platform: Platform, type: str | None = None, town: str | None = None,
                  status: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
    q = select(ProjectRow).order_by(ProjectRow.id)
    for col, val in ((ProjectRow.type, type), (ProjectRow.town, town), (ProjectRow.status, status),
                     (ProjectRow.year, year)):
        if val not in (None, ""):
            q = q.where(col == val)
    with platform.sessions() as s:
        return [_project_dict(p) for p in s.scalars(q)]


def _bad(field: str, value: Any, reason: str) -> InputIssue:
    return InputIssue("input.bad_value", "request", None, field, {"value": value, "reason": reason})


def _validated(changes: dict[str, Any], allowed: tuple[str, ...], statuses: tuple[str, ...]) -> dict[str, Any]:
    issues = [_bad(k, v, f"not editable; editable: {', '.join(allowed)}") for k, v in changes.items() if k not in allowed]
    if "status" in changes and changes["status"] not in statuses:
        issues.append(_bad("status", changes["status"], f"one of {', '.join(statuses)}"))
    if changes.get("actual_capacity") is not None and not (0 <= float(changes["actual_capacity"]) < 1e9):
        issues.append(_bad("actual_capacity", changes["actual_capacity"], "a non-negative number"))
    if changes.get("actual_year") is not None and not (1990 <= int(changes["actual_year"]) <= 2100):
        issues.append(_bad("actual_year", changes["actual_year"], "a year 1990-2100"))
    if "deadline" in changes and changes["deadline"] is not None and not isinstance(changes["deadline"], date):
        issues.append(_bad("deadline", changes["deadline"], "a date YYYY-MM-DD"))
    if issues:
        raise InputRejected(issues)
    return changes


def update_project(platform: Platform, code: str, changes: dict[str, Any], principal: Principal) -> dict[str, Any]:
    permissions.require(principal, "project.edit")
    changes = _validated(changes, PROJECT_FIELDS, PROJECT_STATUSES)
    with platform.sessions.begin() as s:
        p = s.scalar(select(ProjectRow).where(ProjectRow.code == code))
        if p is None:
            raise NotFound(f"no project {code!r}")
        before = {k: getattr(p, k) for k in changes}
        if before != changes:
            for k, v in changes.items():
                setattr(p, k, v)
            audit.record(s, principal.username, "plan_projects", code, "update", before, changes)
        return _project_dict(p)


def capacity_summary(platform: Platform) -> dict[str, Any]:
    """Generation capacity of the registry by type and year (planned and as built) beside the
    installed-capacity target."""
    projects = [p for p in list_projects(platform) if p["type"] in GENERATION_TYPES]
    planned: dict[str, dict[str, float]] = {}
    built: dict[str, dict[str, float]] = {}
    units = {p["capacity_unit"] for p in projects}
    for p in projects:
        if p["status"] == "cancelled" or p["capacity"] is None:
            continue
        key = str(p["year"]) if p["year"] else "未定"
        planned.setdefault(p["type"], {}).setdefault(key, 0.0)
        planned[p["type"]][key] += p["capacity"]
        if p["actual_capacity"] is not None and p["actual_year"]:
            built.setdefault(p["type"], {}).setdefault(str(p["actual_year"]), 0.0)
            built[p["type"]][str(p["actual_year"])] += p["actual_capacity"]
    with platform.sessions() as s:
        plan = s.scalars(select(PlanRow).order_by(PlanRow.id)).first()
        target = next((t for t in plan.targets if t.indicator == "installed_capacity"), None) if plan else None
    return {"unit": "/".join(sorted(u for u in units if u)), "planned": planned, "built": built,
            "target": None if target is None else {"id": target.code, "name": target.name, "value": target.value,
                                                    "unit": target.unit, "year": target.target_year},
            "note": "抽水蓄能为储能电站，是否计入装机目标以方案口径为准；现有电站不在项目清单中"}


def _task_dict(t: TaskRow, a: ActionRow, today: date) -> dict[str, Any]:
    overdue = t.deadline is not None and t.deadline < today and t.status != "done"
    return {"id": t.code, "action": a.code, "action_title": a.title, "number": t.number, "title": t.title,
            "clause": t.clause, "departments": list(t.departments), "status": t.status,
            "deadline": t.deadline.isoformat() if t.deadline else None, "progress_note": t.progress_note,
            "overdue": overdue}


def list_tasks(platform: Platform, principal: Principal | None = None, department: str | None = None,
               today: date | None = None) -> list[dict[str, Any]]:
    """All tasks; those of ``department`` (or the principal's department) first."""
    today = today or date.today()
    mine = department or (principal.department if principal else None)
    with platform.sessions() as s:
        rows = s.execute(select(TaskRow, ActionRow).join(ActionRow).order_by(ActionRow.number, TaskRow.number)).all()
        out = [_task_dict(t, a, today) for t, a in rows]
    if department:
        out = [t for t in out if department in t["departments"]]
    if mine:
        out.sort(key=lambda t: mine not in t["departments"])  # stable: own department first
    return out


def update_task(platform: Platform, code: str, changes: dict[str, Any], principal: Principal,
                today: date | None = None) -> dict[str, Any]:
    permissions.require(principal, "task.edit")  # the role first; the task's departments below
    changes = _validated(changes, TASK_FIELDS, TASK_STATUSES)
    with platform.sessions.begin() as s:
        row = s.execute(select(TaskRow, ActionRow).join(ActionRow).where(TaskRow.code == code)).first()
        if row is None:
            raise NotFound(f"no task {code!r}")
        t, a = row
        permissions.require_task(principal, list(t.departments))
        before = {k: getattr(t, k) for k in changes}
        if before != changes:
            for k, v in changes.items():
                setattr(t, k, v)
            audit.record(s, principal.username, "plan_tasks", code, "update", before, changes)
        return _task_dict(t, a, today or date.today())
