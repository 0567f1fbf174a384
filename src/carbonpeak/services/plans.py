"""Plan use cases: read a plan file, store it, show it, check it."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import typing
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.findings import InputIssue
from ..domain.plan import (
    Action,
    Box,
    CarbonControl,
    CountClaim,
    DataDepartments,
    Denominator,
    ExistingCapacity,
    ListComparison,
    Milestone,
    Plan,
    Project,
    ProjectGroup,
    RateComparison,
    Section,
    Target,
    TargetText,
    Task,
)
from ..domain.target_sources import source_problem
from ..store.models import ActionRow, PlanRow, ProjectGroupRow, ProjectRow, TargetRow, TaskRow
from . import audit, permissions, versions
from .errors import InputRejected, NotFound
from .platform import Platform

PLAN_FORMAT = "carbonpeak-plan/1"
_ADAPTER = TypeAdapter(Plan)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the full plan text loads fast


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _unknown_keys(doc: Any, cls: type, path: str) -> list[tuple[str, str]]:
    """Keys the plan file has but the schema does not: a typo must not pass silently."""
    if not isinstance(doc, dict) or not dataclasses.is_dataclass(cls):
        return []
    hints = _hints(cls)
    out = [(f"{path}.{k}" if path else k, k) for k in doc if k not in hints]
    for k, v in doc.items():
        inner = typing.get_args(hints.get(k)) or ()
        if isinstance(v, list) and inner and dataclasses.is_dataclass(inner[0]):
            for i, item in enumerate(v):
                out += _unknown_keys(item, inner[0], f"{path}.{k}[{i}]" if path else f"{k}[{i}]")
        elif isinstance(v, dict) and inner and dataclasses.is_dataclass(inner[0]):
            out += _unknown_keys(v, inner[0], f"{path}.{k}" if path else k)
    return out


def bundled_plan_path(code: str = "anhua") -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "plans", f"{code}.yaml")))


def read_plan(path: Path) -> tuple[Plan, str]:
    """Parse and validate a plan file; return the plan and the file's sha256."""
    name = path.name
    try:
        raw_bytes = path.read_bytes()
        doc = yaml.load(raw_bytes.decode("utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        row = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputRejected([InputIssue("input.file_unreadable", name, None if row is None else row + 1, None,
                                        {"reason": f"{type(exc).__name__}: {exc}"})]) from exc
    if not isinstance(doc, dict):
        raise InputRejected([InputIssue("input.plan_invalid", name, None, None, {"path": "(root)", "reason": "not a mapping"})])
    fmt = doc.pop("format", None)
    if fmt != PLAN_FORMAT:
        raise InputRejected([InputIssue("input.plan_invalid", name, None, "format",
                                        {"path": "format", "reason": f"expected {PLAN_FORMAT!r}, got {fmt!r}"})])
    unknown = _unknown_keys(doc, Plan, "")
    if unknown:
        raise InputRejected([InputIssue("input.plan_invalid", name, None, p, {"path": p, "reason": f"unknown field {k!r}"})
                             for p, k in unknown])
    try:
        plan = _ADAPTER.validate_python(doc)
    except ValidationError as exc:
        issues = [InputIssue("input.plan_invalid", name, None, _path(e["loc"]),
                             {"path": _path(e["loc"]), "reason": e["msg"]}) for e in exc.errors()]
        raise InputRejected(issues) from exc
    if bad := _unknown_data_kinds(plan) + _bad_sources(plan) + _bad_translations(doc, plan):
        raise InputRejected([InputIssue("input.plan_invalid", name, None, p, {"path": p, "reason": r}) for p, r in bad])
    return plan, hashlib.sha256(raw_bytes).hexdigest()


def _bad_translations(doc: dict[str, Any], plan: Plan) -> list[tuple[str, str]]:
    """``translations.<lang>.<target id>`` names a target of the plan and gives only ``name``/``note``."""
    ids = {t.id for t in plan.targets} | {t.id for t in (plan.carbon_control.targets if plan.carbon_control else ())}
    out = []
    for lg, texts in (doc.get("translations") or {}).items():
        for tid, text in (texts or {}).items():
            if tid not in ids:
                out.append((f"translations.{lg}.{tid}", "no target with this id"))
            out += [(f"translations.{lg}.{tid}.{k}", f"unknown field {k!r}; name or note")
                    for k in (text if isinstance(text, dict) else {}) if k not in ("name", "note")]
    return out


def _unknown_data_kinds(plan: Plan) -> list[tuple[str, str]]:
    """``data_departments.kinds`` names upload kinds; activity rows are assigned by sector."""
    if plan.data_departments is None:
        return []
    kinds = set(permissions.IMPORT_KINDS) - {"activity"}
    return [(f"data_departments.kinds.{k}", f"not an upload kind; one of {', '.join(sorted(kinds))}"
             + (" (activity rows are assigned under data_departments.sectors)" if k == "activity" else ""))
            for k in plan.data_departments.kinds if k not in kinds]


def _bad_sources(plan: Plan) -> list[tuple[str, str]]:
    """A target's ``source`` is ``computed:<module>`` or ``reported:<department>`` (or absent:
    ``plan check`` reports it)."""
    return [(f"targets[{i}].source", why) for i, t in enumerate(plan.targets) if (why := source_problem(t.source))]


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _one_county(s: Session, plan: Plan) -> None:
    """One database holds one county (services/tenancy.py): a plan of another administrative area
    is refused, naming the county already stored and how to add a further county."""
    other = s.execute(select(PlanRow.region, PlanRow.admin_code).where(  # a corrected code or name alone is the same county
        PlanRow.admin_code != plan.admin_code, PlanRow.region != plan.region)).first()
    if other is not None:
        raise InputRejected([InputIssue("input.bad_value", "plan", None, "admin_code", {
            "value": f"{plan.region} {plan.admin_code}",
            "reason": f"此数据库已属于 {other.region}（{other.admin_code}）；另一个县请在 CARBONPEAK_COUNTIES 中增加，"
                      f"用 --county 载入 / this database holds {other.region} ({other.admin_code}); "
                      "a further county gets its own database: add it to CARBONPEAK_COUNTIES and load with --county"})])


def _right_tier(platform: Platform, plan: Plan) -> None:
    """A county's database holds a county's plan; a several-county deployment's own database (the
    city's tier) holds the plan of the city or province above them: its targets, rated on them."""
    upper = platform.settings.is_deployment_tier
    if upper != (plan.tier != "county"):
        where = "市级（部署自身）数据库只存市、省级规划（tier: city / province）" if upper else "县的数据库只存县级规划"
        why = ("the deployment's own database holds a city's or province's plan (tier: city or province)" if upper
               else "a county's database holds a county's plan (tier: county)")
        raise InputRejected([InputIssue("input.bad_value", "plan", None, "tier",
                                        {"value": plan.tier, "reason": f"{where} / {why}"})])


@dataclasses.dataclass(frozen=True)
class StoredPlan:
    """What storing a plan did: ``changed`` (False: the same file was stored already), ``created``."""
    plan: str  # its code
    changed: bool
    created: bool


def store_plan(platform: Platform, plan: Plan, sha256: str, source: str, actor: str) -> StoredPlan:
    """Insert or refresh a plan by code. Task and project statuses already stored are kept:
    they are user data, the plan file only seeds them."""
    with platform.sessions.begin() as s:
        row = s.scalar(select(PlanRow).where(PlanRow.code == plan.code))
        if row is not None and row.source_sha256 == sha256:
            return StoredPlan(plan.code, changed=False, created=False)
        _right_tier(platform, plan)
        _one_county(s, plan)
        created = row is None
        if created:
            row = PlanRow(code=plan.code)
            s.add(row)
        before = None if created else {"source_sha256": row.source_sha256}
        row.name, row.region, row.admin_code = plan.name, plan.region, plan.admin_code
        row.source, row.source_sha256 = source, sha256
        row.extras = {"default_base_year": plan.default_base_year, "land_area_km2": plan.land_area_km2,
                      "land_area_source": plan.land_area_source,
                      "existing_capacity": [dataclasses.asdict(c) for c in plan.existing_capacity],
                      "townships": plan.townships, "departments": plan.departments, "boxes": plan.boxes,
                      "list_comparisons": [dataclasses.asdict(c) for c in plan.list_comparisons],
                      "count_claims": [dataclasses.asdict(c) for c in plan.count_claims],
                      "target_bases": _target_bases(plan),
                      "task_texts": _task_texts(plan),
                      "rate_comparisons": [dataclasses.asdict(c) for c in plan.rate_comparisons],
                      "box_texts": [dataclasses.asdict(b) for b in plan.box_texts],
                      "sections": [dataclasses.asdict(x) for x in plan.sections],
                      "translations": {lg: {k: dataclasses.asdict(v) for k, v in texts.items()}
                                       for lg, texts in plan.translations.items()},
                      "data_departments": None if plan.data_departments is None
                      else dataclasses.asdict(plan.data_departments),
                      "carbon_control": None if plan.carbon_control is None else dataclasses.asdict(plan.carbon_control),
                      "tier": plan.tier}
        _sync_children(s, row, plan)
        audit.record(s, actor, "plans", plan.code, "insert" if created else "update", before,
                     {"source_sha256": sha256, "source": source})
    return StoredPlan(plan.code, changed=True, created=created)


# Target fields kept in the plan's ``extras`` (no column of their own): whether the base or the year is an assumption.
TARGET_EXTRAS = ("base_assumed", "base_note", "year_assumed", "year_note", "source", "projects", "denominator")


def _target_bases(plan: Plan) -> dict[str, dict[str, Any]]:
    def value(t: Target, k: str) -> Any:
        v = getattr(t, k)
        return dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
    return {t.id: {k: value(t, k) for k in TARGET_EXTRAS} for t in plan.targets
            if any(getattr(t, k) for k in TARGET_EXTRAS)}


def _target_extras(stored: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in stored.items() if k in TARGET_EXTRAS}
    if out.get("denominator"):
        out["denominator"] = Denominator(**out["denominator"])
    return out


def _task_texts(plan: Plan) -> dict[str, dict[str, Any]]:
    """A task's full text and milestones (kept in the plan's ``extras``: no column of their own)."""
    return {t.id: {"text": t.text, "milestones": [dataclasses.asdict(m) for m in t.milestones]}
            for a in plan.actions for t in a.tasks if t.text or t.milestones}


def _task(t: TaskRow, texts: dict[str, dict[str, Any]]) -> Task:
    x = texts.get(t.code, {})
    return Task(id=t.code, number=t.number, title=t.title, departments=list(t.departments), clause=t.clause,
                text=x.get("text", ""), milestones=[Milestone(**m) for m in x.get("milestones", [])])


def _sync_children(s: Session, row: PlanRow, plan: Plan) -> None:
    def target_fields(t: Target) -> dict:
        d = dataclasses.asdict(t)
        d["code"] = d.pop("id")
        for k in TARGET_EXTRAS:
            d.pop(k)
        return d

    _sync(row.targets, {t.id: target_fields(t) for t in plan.targets}, TargetRow, keep=())
    _sync(row.groups, {g.id: {"code": g.id, "name": g.name, "box": g.box, "stated_total": g.stated_total,
                              "unit": g.unit, "year": g.year} for g in plan.groups}, ProjectGroupRow, keep=())
    _sync(row.projects, {p.id: {"code": p.id, "box": p.box, "name": p.name, "type": p.type, "town": p.town,
                                "capacity": p.capacity, "capacity_unit": p.capacity_unit, "year": p.year,
                                "status": p.status, "group_code": p.group, "note": p.note} for p in plan.projects},
          ProjectRow, keep=("status",))
    _sync(row.actions, {a.id: {"code": a.id, "number": a.number, "title": a.title} for a in plan.actions}, ActionRow, keep=())
    by_code = {a.code: a for a in row.actions}
    for a in plan.actions:
        _sync(by_code[a.id].tasks, {t.id: {"code": t.id, "number": t.number, "title": t.title, "clause": t.clause,
                                           "departments": list(t.departments)} for t in a.tasks}, TaskRow, keep=())


def _sync(collection: list, wanted: dict[str, dict], model, keep: tuple[str, ...]) -> None:
    """Make a child collection match ``wanted`` (by code), keeping the ``keep`` fields of
    existing rows."""
    current = {o.code: o for o in collection}
    for code, fields in wanted.items():
        obj = current.get(code)
        if obj is None:
            collection.append(model(**fields))
        else:
            for k, v in fields.items():
                if k not in keep:
                    setattr(obj, k, v)
    for code, obj in current.items():
        if code not in wanted:
            collection.remove(obj)


def plan_from_row(row: PlanRow) -> Plan:
    ex = row.extras or {}
    bases, texts = ex.get("target_bases", {}), ex.get("task_texts", {})
    return Plan(
        code=row.code, name=row.name, region=row.region, admin_code=row.admin_code, source=row.source,
        townships=list(ex.get("townships", [])), departments=list(ex.get("departments", [])),
        targets=[Target(id=t.code, name=t.name, indicator=t.indicator, value=t.value, unit=t.unit,
                        direction=t.direction, target_year=t.target_year, base_year=t.base_year,
                        base_value=t.base_value, clause=t.clause, kind=t.kind, value_status=t.value_status,
                        basis=t.basis, note=t.note,
                        **_target_extras(bases.get(t.code, {})))
                 for t in row.targets],
        actions=[Action(id=a.code, number=a.number, title=a.title,
                        tasks=[_task(t, texts) for t in a.tasks]) for a in row.actions],
        projects=[Project(id=p.code, box=p.box, name=p.name, type=p.type, town=p.town, capacity=p.capacity,
                          capacity_unit=p.capacity_unit, year=p.year, status=p.status, group=p.group_code,
                          note=p.note) for p in row.projects],
        groups=[ProjectGroup(id=g.code, name=g.name, box=g.box, stated_total=g.stated_total, unit=g.unit,
                             year=g.year) for g in row.groups],
        list_comparisons=[ListComparison(**c) for c in ex.get("list_comparisons", [])],
        count_claims=[CountClaim(**c) for c in ex.get("count_claims", [])],
        boxes=list(ex.get("boxes", [])), default_base_year=ex.get("default_base_year"),
        land_area_km2=ex.get("land_area_km2"), land_area_source=ex.get("land_area_source", ""),
        existing_capacity=[ExistingCapacity(**c) for c in ex.get("existing_capacity", [])],
        data_departments=DataDepartments(**ex["data_departments"]) if ex.get("data_departments") else None,
        rate_comparisons=[RateComparison(**c) for c in ex.get("rate_comparisons", [])],
        box_texts=[Box(**b) for b in ex.get("box_texts", [])], sections=[Section(**x) for x in ex.get("sections", [])],
        translations={lg: {k: TargetText(**v) for k, v in texts.items()} for lg, texts in ex.get("translations", {}).items()},
        carbon_control=_carbon_control().validate_python(ex["carbon_control"]) if ex.get("carbon_control") else None,
        tier=ex.get("tier", "county"),
    )


@functools.cache
def _carbon_control() -> TypeAdapter:
    return TypeAdapter(CarbonControl)  # built once: building one costs more than the rest of plan_from_row


PLAN_TOPICS = ("plan", "projects", "tasks")  # the data versions a stored plan depends on


def stored_plan(platform: Platform, code: str | None = None) -> Plan | None:
    """The stored plan (``code``, else the first), read once per version of its topics and shared
    by the callers of this platform (as every cached figure: not to be mutated)."""
    key = ("stored_plan", code, versions.key(platform, PLAN_TOPICS))
    return platform.cached(key, lambda: _read_stored_plan(platform, code))


def _read_stored_plan(platform: Platform, code: str | None) -> Plan | None:
    with platform.sessions() as s:
        q = select(PlanRow).order_by(PlanRow.id).options(  # the children in one query each, not one per action
            selectinload(PlanRow.targets), selectinload(PlanRow.actions).selectinload(ActionRow.tasks),
            selectinload(PlanRow.projects), selectinload(PlanRow.groups))
        if code:
            q = q.where(PlanRow.code == code)
        row = s.scalars(q).first()
        if row is None:
            if code:
                raise NotFound(f"no stored plan {code!r}")
            return None
        return plan_from_row(row)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The whole plan as one JSON-ready object (targets, actions with tasks, projects)."""
    d = dataclasses.asdict(plan)
    d["summary"] = {"targets": len(plan.targets), "targets_without_value": sum(t.value is None for t in plan.targets),
                    "actions": len(plan.actions), "tasks": sum(len(a.tasks) for a in plan.actions),
                    "projects": len(plan.projects), "departments": len(plan.departments),
                    "milestones": sum(len(t.milestones) for a in plan.actions for t in a.tasks)}
    return d
