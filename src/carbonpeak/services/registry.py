"""The project registry and the task board: listing, filtering, editing with audit and roles.

Results are frozen dataclasses (:class:`Project`, :class:`Task`, :class:`CapacitySummary`): the
API declares them as its response schemas (extra keys refused) and serialises them as they are;
pages and scripts read their named fields."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ConfigDict, with_config

from ..domain.findings import InputIssue
from ..domain.plan import GENERATION_TYPES
from ..store.models import ActionRow, ProjectRow, TaskRow
from ..store.queries import projects as q
from ..store.queries.projects import Session
from . import audit, permissions, plans, versions
from .errors import InputRejected, NotFound
from .platform import Platform
from .users import Principal

PROJECT_STATUSES = ("planned", "under_construction", "completed", "delayed", "cancelled")
TASK_STATUSES = ("not_started", "in_progress", "done", "delayed")
PROJECT_FIELDS = ("status", "actual_capacity", "actual_year", "note")
TASK_FIELDS = ("status", "deadline", "progress_note")


_SCHEMA = with_config(ConfigDict(extra="forbid"))  # as a response schema: no key it does not name


@_SCHEMA
@dataclass(frozen=True)
class Project:
    """A project of the registry with its as-built fields (``illustrative``: they come from
    illustrative progress records, services/project_progress.py)."""
    id: str
    box: int | None
    name: str
    type: str
    town: str | None
    capacity: float | None
    capacity_unit: str | None
    year: int | None
    status: str
    group: str | None
    note: str
    actual_capacity: float | None
    actual_year: int | None
    illustrative: bool

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@_SCHEMA
@dataclass(frozen=True)
class Task:
    """A task of the board; ``deadline`` as YYYY-MM-DD, ``overdue``: past it and not done."""
    id: str
    action: str
    action_title: str
    number: int
    title: str
    clause: str
    departments: list[str]
    status: str
    deadline: str | None
    progress_note: str
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@_SCHEMA
@dataclass(frozen=True)
class CapacityTarget:
    id: str
    name: str
    value: float | None
    unit: str
    year: int | None


@_SCHEMA
@dataclass(frozen=True)
class CapacitySummary:
    """Generation capacity by type and year (planned; as built) beside the installed-capacity target."""
    unit: str
    planned: dict[str, dict[str, float]]
    built: dict[str, dict[str, float]]
    target: CapacityTarget | None
    note: str


def _project(p: ProjectRow) -> Project:
    return Project(p.code, p.box, p.name, p.type, p.town, p.capacity, p.capacity_unit, p.year, p.status, p.group_code,
                   p.note, p.actual_capacity, p.actual_year, bool(p.illustrative))


def list_projects(platform: Platform, type: str | None = None, town: str | None = None,
                  status: str | None = None, year: int | None = None) -> list[Project]:
    filters = {k: v for k, v in (("type", type), ("town", town), ("status", status), ("year", year))
               if v not in (None, "")}
    with platform.sessions() as s:
        if not filters:
            return projects_in(s, platform)
        return [_project(p) for p in q.projects(s, **filters)]


def projects_in(s: Session, platform: Platform) -> list[Project]:
    """The whole registry, read in the caller's session once per version of the projects (never per
    filter value)."""
    return list(platform.cached(("projects", versions.key(platform, versions.PROJECTS)),
                                lambda: tuple(_project(p) for p in q.projects(s))))


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


def update_project(platform: Platform, code: str, changes: dict[str, Any], principal: Principal) -> Project:
    permissions.require(principal, "project.edit")
    changes = _validated(changes, PROJECT_FIELDS, PROJECT_STATUSES)
    with platform.sessions.begin() as s:
        p = q.project_coded(s, code)
        if p is None:
            raise NotFound(f"no project {code!r}")
        before = {k: getattr(p, k) for k in changes}
        if before != changes:
            for k, v in changes.items():
                setattr(p, k, v)
            audit.record(s, principal.username, "plan_projects", code, "update", before, changes)
        return _project(p)


def capacity_summary(platform: Platform) -> CapacitySummary:
    """Generation capacity of the registry by type and year (planned and as built) beside the
    installed-capacity target."""
    projects = [p for p in list_projects(platform) if p.type in GENERATION_TYPES]
    planned: dict[str, dict[str, float]] = {}
    built: dict[str, dict[str, float]] = {}
    units = {p.capacity_unit for p in projects}
    for p in projects:
        if p.status == "cancelled" or p.capacity is None:
            continue
        key = str(p.year) if p.year else "未定"
        planned.setdefault(p.type, {}).setdefault(key, 0.0)
        planned[p.type][key] += p.capacity
        if p.actual_capacity is not None and p.actual_year:
            built.setdefault(p.type, {}).setdefault(str(p.actual_year), 0.0)
            built[p.type][str(p.actual_year)] += p.actual_capacity
    plan = plans.stored_plan(platform)
    target = next((t for t in plan.targets if t.indicator == "installed_capacity"), None) if plan else None
    return CapacitySummary("/".join(sorted(u for u in units if u)), planned, built,
                           None if target is None else CapacityTarget(target.id, target.name, target.value,
                                                                      target.unit, target.target_year),
                           "抽水蓄能为储能电站，是否计入装机目标以方案口径为准；现有电站不在项目清单中")


def _task(t: TaskRow, a: ActionRow, today: date) -> Task:
    overdue = t.deadline is not None and t.deadline < today and t.status != "done"
    return Task(t.code, a.code, a.title, t.number, t.title, t.clause, list(t.departments), t.status,
                t.deadline.isoformat() if t.deadline else None, t.progress_note, overdue)


def list_tasks(platform: Platform, principal: Principal | None = None, department: str | None = None,
               today: date | None = None) -> list[Task]:
    """All tasks; those of ``department`` (or the principal's department) first."""
    today = today or date.today()
    mine = department or (principal.department if principal else None)
    with platform.sessions() as s:
        out = [_task(t, a, today) for t, a in q.tasks_with_actions(s)]
    if department:
        out = [t for t in out if department in t.departments]
    if mine:
        out.sort(key=lambda t: mine not in t.departments)  # stable: own department first
    return out


def update_task(platform: Platform, code: str, changes: dict[str, Any], principal: Principal,
                today: date | None = None) -> Task:
    permissions.require(principal, "task.edit")  # the role first; the task's departments below
    changes = _validated(changes, TASK_FIELDS, TASK_STATUSES)
    with platform.sessions.begin() as s:
        row = q.task_with_action(s, code)
        if row is None:
            raise NotFound(f"no task {code!r}")
        t, a = row
        permissions.require_task(principal, list(t.departments))
        before = {k: getattr(t, k) for k in changes}
        if before != changes:
            for k, v in changes.items():
                setattr(t, k, v)
            audit.record(s, principal.username, "plan_tasks", code, "update", before, changes)
        return _task(t, a, today or date.today())
