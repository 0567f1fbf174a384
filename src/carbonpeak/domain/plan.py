"""The plan as data: targets (names and notes in other languages too), actions with tasks (their full
text and milestones), departments, projects, the text of every box and section, and a checker.

The checker reports internal inconsistencies of a plan document as findings: stated totals that differ
from the sum of their parts, gaps in box (专栏) numbering, lists that differ between the text and its box,
counts that exceed the county's townships, a yearly rate that exceeds a whole-period target, targets waiting
for a value, assumed bases and years, milestones not in the text, unknown departments, duplicate ids."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from .findings import Finding, Severity
from .plan_carbon import CarbonControl, CarbonTarget, CarbonYearValue  # noqa: F401  (re-exported)
from .plan_text import TargetText, find_in_plan, milestone_findings, plan_texts  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Denominator:
    """The whole a share target is a share of (a town's households), its year and source: plan data."""
    value: float
    unit: str
    source: str
    year: int | None = None


@dataclass(frozen=True)
class ExistingCapacity:
    """Generation capacity in service before the plan's projects (not in the project registry)."""
    type: str  # hydro | wind | pv | biomass_power | pumped_storage
    capacity: float
    unit: str
    year: int  # in service by the end of this year
    source: str
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    indicator: str
    value: float | None
    unit: str
    direction: str  # "<=", ">=", "=", "~" (about), "~>=" (at least about), "~<=" (at most about)
    target_year: int
    base_year: int | None = None
    base_value: float | None = None
    clause: str = ""
    kind: str = "level"  # "level" | "change" (value is a change in % vs base_year)
    value_status: str = "stated"  # "stated" | "assigned" (to be assigned by province/city)
    basis: str = ""  # which basis of the indicator is assessed
    note: str = ""
    base_assumed: bool = False  # base year/value chosen by whoever transcribed the plan, not stated in it
    base_note: str = ""  # why that base was chosen
    year_assumed: bool = False  # target year chosen by whoever transcribed the plan (the plan names none)
    year_note: str = ""  # why that year was chosen
    # Where the value comes from: "computed:<module>" | "reported:<department>" (domain/target_sources.py)
    source: str = ""
    projects: list[str] = field(default_factory=list)  # the registry projects that deliver it (default: by type)
    denominator: Denominator | None = None  # the whole a share target is a share of, as plan data


@dataclass(frozen=True)
class Milestone:
    """A commitment inside a task's text that is a deliverable rather than a tracked indicator:
    ``text`` is the plan's own words (checked to occur in the plan), ``year`` when the plan names one."""
    id: str
    text: str
    year: int | None = None
    value: float | None = None
    unit: str = ""
    clause: str = ""
    projects: list[str] = field(default_factory=list)  # projects that deliver it
    note: str = ""


@dataclass(frozen=True)
class Task:
    id: str
    number: int
    title: str
    departments: list[str]
    clause: str = ""
    text: str = ""  # the task's full text as printed
    milestones: list[Milestone] = field(default_factory=list)


@dataclass(frozen=True)
class Box:
    """A box (专栏) as printed: number (0 = without a number), title and full text."""
    number: int
    title: str
    text: str
    clause: str = ""  # the task it follows


@dataclass(frozen=True)
class Section:
    """A part of the plan outside the tasks (preamble, 总体要求, 主要目标, 政策保障, 组织实施), in full."""
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Action:
    id: str
    number: int
    title: str
    tasks: list[Task]


@dataclass(frozen=True)
class Project:
    id: str
    box: int  # 专栏 number; 0 = a box without a number
    name: str
    type: str
    town: str | None = None
    capacity: float | None = None
    capacity_unit: str | None = None
    year: int | None = None
    status: str = "planned"  # planned | under_construction | completed | cancelled | delayed
    group: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ProjectGroup:
    id: str
    name: str
    box: int
    stated_total: float
    unit: str
    year: int | None = None


@dataclass(frozen=True)
class ListComparison:
    """Two lists the plan gives for the same thing (text vs box)."""
    where: str
    text_items: list[str]
    box_items: list[str]


@dataclass(frozen=True)
class CountClaim:
    """'X named townships plus the other N': N + named must not exceed the county's total."""
    where: str
    named: list[str]
    stated_other: int
    note: str = ""  # what is known of the named places (e.g. former townships), with its source


@dataclass(frozen=True)
class RateComparison:
    """A yearly rate (a target or project per year) beside a whole-period target of the same thing:
    one year of the rate should not exceed the whole target."""
    where: str
    rate: str  # id of a target or project giving an amount per year
    total: str  # id of a target giving the amount to reach by its target year
    from_year: int | None = None  # first year the rate applies, for the implied total
    note: str = ""


@dataclass(frozen=True)
class DataDepartments:
    """Which department maintains which data (按职责分工): the departments whose editors may
    import activity rows of a sector, and files of every other kind. A sector entry covers that
    sector and its sub-sectors ("工业" covers "工业-非金属矿物制品业"); the entry "*" covers every
    sector. A kind missing from ``kinds`` is maintained by administrators only."""
    sectors: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, list[str]] = field(default_factory=dict)

    def for_sector(self, sector: str) -> list[str]:
        out = list(self.sectors.get("*", []))
        for name, depts in self.sectors.items():
            if name != "*" and (sector == name or sector.startswith(name + "-")):
                out += [d for d in depts if d not in out]
        return out

    def for_kind(self, kind: str) -> list[str]:
        return list(self.kinds.get(kind, []))

    def named(self) -> set[str]:
        return {d for v in (*self.sectors.values(), *self.kinds.values()) for d in v}


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    region: str
    admin_code: str
    source: str
    townships: list[str]
    departments: list[str]
    targets: list[Target]
    actions: list[Action]
    projects: list[Project]
    groups: list[ProjectGroup] = field(default_factory=list)
    list_comparisons: list[ListComparison] = field(default_factory=list)
    count_claims: list[CountClaim] = field(default_factory=list)
    boxes: list[int] = field(default_factory=list)  # box numbers as printed, in order
    default_base_year: int | None = None  # base of the plan period, for targets that name none
    land_area_km2: float | None = None  # county land area, for forest cover
    land_area_source: str = ""  # where the land area comes from
    existing_capacity: list[ExistingCapacity] = field(default_factory=list)  # generation in service before the projects
    data_departments: DataDepartments | None = None  # who maintains which data; None: administrators only
    rate_comparisons: list[RateComparison] = field(default_factory=list)
    box_texts: list[Box] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    translations: dict[str, dict[str, TargetText]] = field(default_factory=dict)  # lang → target id → text
    carbon_control: CarbonControl | None = None  # 碳排放双控: 15th-plan targets and budget settings
    tier: Literal["county", "city", "province"] = "county"  # a city's/province's: targets rated on its counties


def check_plan(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    findings += _duplicate_ids(plan)
    findings += _group_totals(plan)
    findings += _box_gaps(plan)
    findings += _lists(plan)
    findings += _counts(plan)
    findings += _capacity(plan)
    findings += _assumed_bases(plan)
    findings += _assumed_years(plan)
    findings += _rates(plan)
    findings += milestone_findings(plan)
    for t in plan.targets:
        if t.value is None:
            # 二、主要目标: "完成国、省下达指标" — kept without a value until one is entered.
            findings.append(Finding("plan.target_no_value", Severity.INFO, {"target": t.name, "id": t.id},
                                    rule=t.clause))
    known = set(plan.departments)
    for a in plan.actions:
        for task in a.tasks:
            for d in task.departments:
                if d not in known:
                    findings.append(Finding("plan.unknown_department", Severity.WARNING,
                                            {"task": task.id, "department": d}))
    findings += _data_departments(plan, known)
    return findings


def _data_departments(plan: Plan, known: set[str]) -> list[Finding]:
    """Departments named as maintaining data must be in the department list."""
    if plan.data_departments is None:
        return []
    return [Finding("plan.unknown_data_department", Severity.WARNING, {"department": d})
            for d in sorted(plan.data_departments.named() - known)]


def _duplicate_ids(plan: Plan) -> list[Finding]:
    ids = [t.id for t in plan.targets] + [a.id for a in plan.actions] + \
          [t.id for a in plan.actions for t in a.tasks] + [p.id for p in plan.projects] + [g.id for g in plan.groups] + \
          [m.id for a in plan.actions for t in a.tasks for m in t.milestones]
    return [Finding("plan.duplicate_id", Severity.BLOCKING, {"id": i}) for i, n in Counter(ids).items() if n > 1]


def _group_totals(plan: Plan) -> list[Finding]:
    """A stated total must equal the sum of its listed parts (same unit)."""
    out = []
    for g in plan.groups:
        parts = [p for p in plan.projects if p.group == g.id]
        if any(p.capacity is None or p.capacity_unit != g.unit for p in parts):
            continue
        summed = round(sum(p.capacity for p in parts), 6)
        if abs(summed - g.stated_total) > 1e-6:
            out.append(Finding("plan.total_mismatch", Severity.WARNING,
                               {"group": g.name, "box": g.box, "stated": g.stated_total, "summed": summed,
                                "diff": round(summed - g.stated_total, 6), "unit": g.unit,
                                "parts": [p.id for p in parts]},
                               rule=f"专栏{g.box}: stated total vs listed parts"))
    return out


def _box_gaps(plan: Plan) -> list[Finding]:
    numbered = sorted({b for b in plan.boxes if b > 0})
    if not numbered:
        return []
    missing = [n for n in range(1, numbered[-1] + 1) if n not in numbered]
    return [Finding("plan.column_gap", Severity.INFO, {"missing": n}) for n in missing]


def _lists(plan: Plan) -> list[Finding]:
    out = []
    for c in plan.list_comparisons:
        only_text = [x for x in c.text_items if x not in c.box_items]
        only_box = [x for x in c.box_items if x not in c.text_items]
        if only_text or only_box:
            out.append(Finding("plan.list_mismatch", Severity.INFO,
                               {"where": c.where, "text_count": len(c.text_items), "box_count": len(c.box_items),
                                "only_text": only_text, "only_box": only_box,
                                "only_text_s": "、".join(only_text) or "—", "only_box_s": "、".join(only_box) or "—"}))
    return out


CONFIDENCE_ZH = {"high": "高", "medium": "中", "low": "低"}


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "镇乡" else name


def _counts(plan: Plan) -> list[Finding]:
    """'The named N plus the other M' must not exceed the county's townships. Named places that
    are not townships (former townships, villages) are counted apart and lower the confidence."""
    total = len(plan.townships)
    stems = {_stem(t) for t in plan.townships}
    out = []
    for c in plan.count_claims:
        if not total or c.stated_other + len(c.named) <= total:
            continue
        others = [n for n in c.named if _stem(n) not in stems]
        matched = len(c.named) - len(others)
        if c.stated_other + matched <= total:
            confidence = "low"  # exceeds only through places that are not townships
        elif c.stated_other >= total:
            confidence = "medium"  # "其他N" equal to the whole county: likely loose wording for "all"
        else:
            confidence = "high"
        out.append(Finding("plan.count_exceeds", Severity.INFO,
                           {"where": c.where, "stated": c.stated_other, "listed": len(c.named), "total": total,
                            "townships_named": matched, "not_townships": others,
                            "not_townships_s": "、".join(others) or "—", "confidence": confidence,
                            "confidence_zh": CONFIDENCE_ZH[confidence], "note": c.note or "—"}))
    return out


def _assumed_bases(plan: Plan) -> list[Finding]:
    """A base the plan does not state is an assumption of the plan file: say so."""
    return [Finding("plan.base_assumed", Severity.INFO,
                    {"target": t.name, "id": t.id, "base_year": t.base_year if t.base_year is not None else "—",
                     "base_value": t.base_value if t.base_value is not None else "—", "note": t.base_note or "—"},
                    rule=t.clause) for t in plan.targets if t.base_assumed]


def _assumed_years(plan: Plan) -> list[Finding]:
    """A target year the plan does not state is an assumption of the plan file: say so."""
    return [Finding("plan.year_assumed", Severity.INFO,
                    {"target": t.name, "id": t.id, "year": t.target_year, "note": t.year_note or "—"},
                    rule=t.clause) for t in plan.targets if t.year_assumed]


def _amount(plan: Plan, ref: str) -> tuple[float | None, str, int | None] | None:
    """Value, unit (without a per-year suffix) and year of a target or project by id."""
    for t in plan.targets:
        if t.id == ref:
            return t.value, t.unit.removesuffix("/年"), t.target_year
    for p in plan.projects:
        if p.id == ref:
            return p.capacity, (p.capacity_unit or "").removesuffix("/年"), p.year
    return None


def _rates(plan: Plan) -> list[Finding]:
    """One year of a stated yearly rate must not exceed the whole-period target of the same thing."""
    out = []
    for c in plan.rate_comparisons:
        rate, total = _amount(plan, c.rate), _amount(plan, c.total)
        if rate is None or total is None:
            missing = c.rate if rate is None else c.total
            out.append(Finding("plan.unknown_reference", Severity.WARNING, {"where": c.where, "id": missing}))
            continue
        (rv, ru, _), (tv, tu, ty) = rate, total
        if rv is None or tv is None or ru != tu or rv <= tv:
            continue
        years = ty - c.from_year + 1 if c.from_year is not None and ty is not None and ty >= c.from_year else None
        out.append(Finding("plan.rate_exceeds_total", Severity.WARNING,
                           {"where": c.where, "rate_id": c.rate, "rate": rv, "total_id": c.total, "total": tv,
                            "unit": tu, "year": ty, "ratio": round(rv / tv, 2) if tv else None,
                            "years": years if years is not None else "—",
                            "implied": round(rv * years, 6) if years is not None else "—", "note": c.note or "—"},
                           rule=c.where))
    return out


GENERATION_TYPES = ("pv", "wind", "biomass_power", "hydro", "pumped_storage")


def _capacity(plan: Plan) -> list[Finding]:
    """The generation projects beside an installed-capacity target (informative: whether storage counts is unsaid)."""
    out = []
    for t in plan.targets:
        if t.indicator != "installed_capacity" or t.value is None:
            continue
        gen = [p for p in plan.projects if p.type in GENERATION_TYPES and p.capacity_unit == t.unit
               and p.capacity is not None]
        summed = round(sum(p.capacity for p in gen), 6)
        storage = round(sum(p.capacity for p in gen if p.type == "pumped_storage"), 6)
        out.append(Finding("plan.capacity_vs_target", Severity.INFO,
                           {"target": t.name, "direction": t.direction, "value": t.value, "unit": t.unit,
                            "summed": summed, "storage": storage, "projects": [p.id for p in gen]},
                           rule=t.clause))
    return out
