"""Targets answered by the project registry: what is in service, by type, with commissioning dates.

Rule (every project-fed target): a project with progress records (services/project_progress.py,
one per project and year) counts what each record of a year no later than Y put into service
(a yearly target: the records of Y only); a record that states no quantity but 已建成 counts the
project's planned size once (said beside it). A project without progress records counts in year Y
when it has a commissioning year (``actual_year``) no later than Y and is not cancelled; it counts
with its as-built size (``actual_capacity``), else its planned size. The projects a target counts are
those its plan entry lists (``projects``), else those of the rule's types (and town). A yearly
target counts only the projects commissioned in Y. A share target divides by the plan's stated
``denominator``. A year in which no project (and no existing plant) counts has no computed value:
the registry does not answer it yet, and the barometer takes the entered value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...domain.labels import UNITS, say
from ...domain.plan import Plan, Target
from ...domain.target_source_texts import TYPE_NAMES
from ...domain.units import UnitError, conversion_factor
from .. import project_progress, registry
from ..project_progress import ProgressRecord
from ..registry import Project
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register


@dataclass(frozen=True)
class ProjectRule:
    types: tuple[str, ...]
    what: tuple[str, str]  # what is counted, zh / en
    existing: bool = False  # add the plan's existing generation capacity (not in the registry)
    per_year: bool = False  # a yearly target: only the projects commissioned in the year
    share: bool = False  # a share target: divided by the plan's denominator, × 100
    town: str | None = None


GENERATION = ("hydro", "pv", "wind", "biomass_power", "pumped_storage")
RULES: dict[str, ProjectRule] = {
    "installed_capacity": ProjectRule(GENERATION, ("发电", "generation"), existing=True),
    "mine_restoration_area": ProjectRule(("mine_restoration",), ("矿山地质环境恢复治理", "mine restoration")),
    "firebreak_length": ProjectRule(("firebreak",), ("生物防火隔离带", "biological firebreak")),
    "large_timber_area": ProjectRule(("large_timber",), ("大径材培育", "large-timber cultivation")),
    "public_chargers": ProjectRule(("charging",), ("公共充电桩", "public charger")),
    "scenic_charging_space_share": ProjectRule(("charging_scenic",), ("景区充电车位", "scenic-spot charging space"),
                                               share=True),
    "dongping_rooftop_pv_share": ProjectRule(("rooftop_pv",), ("居民屋顶光伏", "residential rooftop PV"), share=True,
                                             town="东坪镇"),
}


def _factor(unit: str | None, to: str) -> float | None:
    """Size in ``unit`` → ``to`` (same spelling: 1); None when they do not convert."""
    if not unit or unit == to or unit.removesuffix("/年") == to:
        return 1.0 if unit else None
    try:
        return conversion_factor(unit.removesuffix("/年"), to)
    except UnitError:
        return None


def _types(rule: ProjectRule, t: Target) -> dict[str, str]:
    """What the rule counts, in words: the plan's project ids, or the names of the types."""
    if t.projects:
        return {"types_zh": "、".join(t.projects), "types_en": ", ".join(t.projects)}
    names = [TYPE_NAMES.get(x, (x, x)) for x in rule.types]
    return {"types_zh": "、".join(n[0] for n in names), "types_en": ", ".join(n[1] for n in names)}


def selected(projects: list[Project], rule: ProjectRule, target: Target) -> list[Project]:
    if target.projects:
        return [p for p in projects if p.id in target.projects]
    return [p for p in projects if p.type in rule.types and (rule.town is None or p.town == rule.town)]


def project_record(p: Project, year: int, unit: str, per_year: bool) -> SourceRecord:
    """A project as a record of the drill-down, counted or not in ``year`` (and why not)."""
    built = p.actual_capacity is not None
    size, f = (p.actual_capacity if built else p.capacity), _factor(p.capacity_unit, unit)
    in_service = p.actual_year is not None and p.status != "cancelled" and (
        p.actual_year == year if per_year else p.actual_year <= year)
    value = size * f if size is not None and f is not None else None
    if in_service:
        note = "unit_mismatch" if value is None else "" if built else "as_planned"
    else:
        note = "cancelled" if p.status == "cancelled" else "no_year" if p.actual_year is None else "later"
    return SourceRecord("project", p.id, p.name, value, unit, in_service and value is not None,
                        p.actual_year, p.status, p.type, p.town or "", note,
                        illustrative=p.illustrative)


# A quantity in a unit that does not convert to the target's (a carbon-sink project's tCO2/a):
# (quantity, unit, project) → (value in the target's unit, note code) or None (services/target_sources/sinks.py).
Convert = Callable[[float, str, Project], tuple[float, str] | None]


def _progress_value(r: ProgressRecord, p: Project, unit: str, sized: bool, convert: Convert | None) -> tuple:
    """A progress record's contribution in ``unit`` and the note saying how it counts."""
    if r.quantity is None:
        if sized or r.status != "completed" or p.capacity is None:
            return None, "no_quantity"
        f = _factor(p.capacity_unit, unit)
        return (p.capacity * f, "as_planned") if f is not None else (None, "unit_mismatch")
    f = _factor(r.unit or p.capacity_unit, unit)
    if f is not None:
        return r.quantity * f, ""
    got = convert(r.quantity, r.unit, p) if convert else None
    return got if got is not None else (None, "unit_mismatch")


def progress_records(p: Project, rows: list[ProgressRecord], year: int, unit: str, per_year: bool,
                     convert: Convert | None = None) -> list[SourceRecord]:
    """A project's progress records as records of the drill-down, counted or not in ``year``."""
    sized = any(r.quantity is not None for r in rows)
    out = []
    for r in rows:
        value, note = _progress_value(r, p, unit, sized, convert)
        in_year = r.year == year if per_year else r.year <= year
        if not in_year:
            note = "other_year" if per_year else "later"
        elif p.status == "cancelled":
            note = "cancelled"
        counted = in_year and value is not None and p.status != "cancelled"
        label = f"{p.name}（{r.year}年进展）"
        out.append(SourceRecord("project", p.id, label, value, unit, counted, r.year, r.status or p.status,
                                p.type, p.town or "", note, r.illustrative,
                                r.source + (f"；{r.note}" if r.note else "")))
    return out


def existing_records(plan: Plan, year: int, unit: str) -> list[SourceRecord]:
    out = []
    for c in plan.existing_capacity:
        f = _factor(c.unit, unit)
        out.append(SourceRecord("existing", f"existing:{c.type}", c.name or c.type,
                                c.capacity * f if f is not None else None, unit, c.year <= year and f is not None,
                                c.year, "in_service", c.type, "", "" if f is not None else "unit_mismatch",
                                source=c.source + (f"；{c.note}" if c.note else "")))
    return out


def by_type(records: list[SourceRecord]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in records:
        if r.counted and r.value is not None:
            out[r.type] = out.get(r.type, 0.0) + r.value
    return out


def rule_values(inp: SourceInput, t: Target, rule: ProjectRule, module: str, convert: Convert | None = None,
                code: str | None = None, extra: dict | None = None) -> list[ComputedValue]:
    """The rule's value in every year asked (None where nothing counts yet). ``code``/``extra``:
    another rule text and its parameters (the sink projects)."""
    projects = selected(inp.once("projects", lambda s: registry.projects_in(s, inp.platform)), rule, t)
    progress = inp.once("progress", project_progress.stored_progress_in)
    unit = t.unit  # a share counts in its denominator's unit (households, spaces), else in the projects' own
    if rule.share:
        unit = t.denominator.unit if t.denominator else next((p.capacity_unit for p in projects), None) or t.unit
    base_code = code or ("source.rule.capacity" if rule.existing else "source.rule.projects_year" if rule.per_year
                         else "source.rule.projects")
    out = []
    for y in inp.years:
        recs = existing_records(inp.plan, y, unit) if rule.existing else []
        for p in projects:
            recs += progress_records(p, progress[p.id], y, unit, rule.per_year, convert) if p.id in progress \
                else [project_record(p, y, unit, rule.per_year)]
        counted = [r.value for r in recs if r.counted and r.value is not None]
        total = sum(counted) if counted else None
        params = {"year": y, "what_zh": rule.what[0], "what_en": rule.what[1], "unit": t.unit,
                  **_unit_words(t.unit), **_types(rule, t)}
        inputs: dict[str, float | None] = {"counted": total, **{f"type:{k}": v for k, v in by_type(recs).items()}}
        params |= extra or {}
        rule_code = base_code
        if rule.share:
            d = t.denominator
            rule_code = "source.rule.projects_share" if d else "source.rule.share_no_denominator"
            params |= {"denominator": f"{d.value:g} {d.unit}" if d else "—", "denominator_source": d.source if d else "—"}
            inputs["denominator"] = d.value if d else None
            total = total / d.value * 100.0 if d and total is not None and d.value else None
        out.append(ComputedValue(t.id, y, total, t.unit, module, rule_code, params, tuple(recs), inputs,
                                 illustrative=any(r.illustrative for r in recs if r.counted)))
    return out


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    return rule_values(inp, t, RULES[t.indicator], "projects")


register(SourceModule("projects", frozenset(RULES), _compute))


def _unit_words(unit: str) -> dict[str, str]:
    """The target's unit as the rule text names it in each language (吨标准煤, 平方公里 …)."""
    return {"unit_zh": say(UNITS, unit, "zh") or unit, "unit_en": say(UNITS, unit, "en") or unit}
