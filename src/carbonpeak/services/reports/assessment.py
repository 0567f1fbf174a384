"""The annual assessment report (年度评估报告) as data: every number comes from the same service
call the API answers with, so a report and the API agree for the same year (tested); the renderers
only lay it out. A section without data says what is missing instead of printing zeros."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ...domain.labels import PROJECT_TYPES, pick, say
from ...domain.tracking import BarometerRule
from .. import buildings, monitoring, plans, registry, sinks, supervision, views
from ..errors import NotFound
from ..platform import Platform
from .annex import annex, report_flags
from .carbon_section import carbon_section
from .model import Assessment, ProjectCount, TaskCount
from .narrative import narrative
from .outlook import peak_outlook

Progress = Callable[[str, int, int], None]  # (step name, step number, steps)

STEPS = ("plan", "targets", "inventory", "monitoring", "projects_tasks", "sinks", "buildings", "supervision", "carbon",
         "annex")
STEP_NAMES = {"plan": ("规划", "plan"), "targets": ("目标晴雨表", "targets"), "inventory": ("能源与碳排放清单", "inventory"),
              "monitoring": ("重点用能单位", "key units"), "projects_tasks": ("项目与任务", "projects and tasks"),
              "sinks": ("碳汇", "sinks"), "buildings": ("公共建筑", "buildings"),
              "supervision": ("节能监察", "energy supervision"), "carbon": ("碳排放双控", "carbon dual control"),
              "annex": ("数据说明", "annex")}
TASK_STATES = ("done", "in_progress", "not_started", "late")


def task_state(task: registry.Task) -> str:
    """A task's real status: done; late (past its deadline and not done, or marked delayed);
    otherwise as recorded: in progress or not started."""
    if task.status == "done":
        return "done"
    if task.overdue or task.status == "delayed":
        return "late"
    return "in_progress" if task.status == "in_progress" else "not_started"


def assessment(platform: Platform, year: int, lang: str = "zh", rule: BarometerRule | None = None,
               progress: Progress | None = None, organisation: str | None = None) -> Assessment:
    """Everything the annual assessment report of ``year`` shows, section by section."""
    say_step = progress or (lambda *_: None)
    n = len(STEPS)
    say_step("plan", 1, n)
    a = _start(platform, year, lang, organisation)
    say_step("targets", 2, n)
    _targets(platform, a, rule or BarometerRule())
    say_step("inventory", 3, n)
    _inventory(platform, a)
    say_step("monitoring", 4, n)
    _monitoring(platform, a)
    say_step("projects_tasks", 5, n)
    _tasks_projects(platform, a)
    say_step("sinks", 6, n)
    _sinks(platform, a)
    say_step("buildings", 7, n)
    _buildings(platform, a)
    say_step("supervision", 8, n)
    _supervision(platform, a)
    say_step("carbon", 9, n)
    a.carbon = carbon_section(platform, year, lang)
    say_step("annex", 10, n)
    a.outlook = peak_outlook(platform, lang)
    a.flags = report_flags(a)
    a.annex = annex(a)
    a.narrative = narrative(a)
    return a


def _start(platform: Platform, year: int, lang: str, organisation: str | None) -> Assessment:
    plan = plans.stored_plan(platform)
    if plan is None:
        raise NotFound("no plan loaded: load a plan first (carbonpeak plan load FILE)")
    return Assessment(
        year=year, lang=lang, generated_at=datetime.now().isoformat(timespec="seconds"),
        plan={"name": plan.name, "region": plan.region, "code": plan.code, "land_area_km2": plan.land_area_km2},
        title=pick(f"{plan.region}碳达峰实施方案{year}年度评估报告", f"{plan.region} carbon-peaking plan: assessment of {year}", lang),
        organisation=organisation or pick(f"{plan.region}发展和改革局", f"{plan.region} Development and Reform Bureau", lang),
        targets=None)


def _targets(platform: Platform, a: Assessment, rule: BarometerRule) -> None:
    bar = views.barometer(platform, a.year, a.lang, rule)
    a.targets = bar
    grey = [t for t in bar.targets if t.light == "grey"]
    if grey and len(grey) == len(bar.targets):
        a.missing.append(pick(f"{a.year}年没有任何目标的实际值：晴雨表全部为灰色（无数据），不是零",
                              f"no target has an actual value for {a.year}: every light is grey (no data), not zero", a.lang))
    elif grey:
        a.missing.append(pick(f"{len(grey)}项目标在{a.year}年没有实际值（灰色），详见目标完成情况表",
                              f"{len(grey)} targets have no actual value for {a.year} (grey): see the target table", a.lang))


def _inventory(platform: Platform, a: Assessment) -> None:
    try:
        inv = views.inventory_view(platform, a.year, lang=a.lang)
        ov = views.overview(platform, a.year, a.lang)
    except NotFound:
        a.missing.append(pick(f"{a.year}年没有能源活动数据：能源消费、碳排放与强度指标未估算",
                              f"no activity data for {a.year}: energy, CO2 and intensities are not estimated", a.lang))
        return
    a.inventory = {k: inv[k] for k in ("totals", "by_sector", "by_carrier", "convention", "factor_releases",
                                       "findings", "illustrative_lines", "metered_key_units", "source", "flags")}
    a.inventory["factors"] = _factors_used(inv["lines"])
    a.inventory["lines"] = len(inv["lines"])
    a.indicators = [h for h in ov.headline if h.get("year") == a.year]
    a.series = ov.series


def _monitoring(platform: Platform, a: Assessment) -> None:
    units = monitoring.plain(monitoring.units_view(platform, a.year, lang=a.lang))
    if not units["units"]:
        a.missing.append(pick("没有重点用能单位名录", "no key energy-using units registered", a.lang))
        return
    a.monitoring = units
    if not any(u["energy_tce"] > 0 for u in units["units"]):
        a.missing.append(pick(f"{a.year}年没有重点用能单位的在线监测数据", f"no metered data of key units for {a.year}", a.lang))


def _tasks_projects(platform: Platform, a: Assessment) -> None:
    tasks = registry.list_tasks(platform)
    a.tasks = tasks_by_department(tasks)
    a.tasks_late = [t for t in tasks if task_state(t) == "late"]
    a.task_totals = {s: sum(1 for t in tasks if task_state(t) == s) for s in TASK_STATES}
    projects = registry.list_projects(platform)
    a.projects = _projects_by_type(projects, a.lang)
    a.projects_due = [p for p in projects
                      if p.year and p.year <= a.year and p.status not in ("completed", "cancelled")]


def _sinks(platform: Platform, a: Assessment) -> None:
    try:
        a.sinks = sinks.stored_ledger(platform, a.plan["land_area_km2"])
    except NotFound:
        a.missing.append(pick("没有森林资源调查（小班）数据：碳汇未估算", "no forest inventory: the sink is not estimated", a.lang))


def _buildings(platform: Platform, a: Assessment) -> None:
    try:
        g = buildings.stored_grades(platform, a.year, lang=a.lang)
        a.buildings = g if g.year == a.year else None
    except NotFound:
        a.buildings = None
    if a.buildings is None:
        a.missing.append(pick(f"{a.year}年没有公共建筑能耗数据", f"no public-building energy for {a.year}", a.lang))


def _supervision(platform: Platform, a: Assessment) -> None:
    """The year's supervision as the public page shows it: published decided cases only."""
    view = supervision.annual_section(platform, a.year, a.lang)
    a.supervision = view
    if view.inspections == 0:
        a.missing.append(pick(f"{a.year}年没有节能监察记录", f"no energy-supervision records for {a.year}", a.lang))


def _factors_used(lines: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for ln in lines:
        for f in ln["factors"]:
            seen.setdefault(f["id"], {**f, "carrier": ln["carrier"]})  # the fuel the factor is of
    return sorted(seen.values(), key=lambda f: f["id"])


def tasks_by_department(tasks: list[registry.Task]) -> list[TaskCount]:
    """Per department: how many tasks and how many in each real status (see :func:`task_state`)."""
    rows: dict[str, dict[str, int]] = {}
    for t in tasks:
        state = task_state(t)
        for d in t.departments:
            r = rows.setdefault(d, {"tasks": 0, **{s: 0 for s in TASK_STATES}})
            r["tasks"] += 1
            r[state] += 1
    counts = [TaskCount(department=d, **r) for d, r in rows.items()]
    return sorted(counts, key=lambda r: (-r.late, -r.tasks, r.department))


def _projects_by_type(projects: list[registry.Project], lang: str) -> list[ProjectCount]:
    rows: dict[str, dict[str, int]] = {}
    for p in projects:
        r = rows.setdefault(p.type, {s: 0 for s in registry.PROJECT_STATUSES})
        r[p.status] += 1
    out = [ProjectCount(type=k, name=say(PROJECT_TYPES, k, lang), projects=sum(v.values()), by_status=v)
           for k, v in rows.items()]
    return sorted(out, key=lambda r: (-r.projects, r.type))


