"""The county carbon budget (碳预算) 2026–2030, its decomposition (分解) to townships, sectors and key
units by the rule the user picks, and tracking of actual (or estimated) CO2 against it (预警).

The path follows domain/carbon/budget.budget_path from the plan's carbon_control data: the base
year's CO2 (the inventory; else the value entered; else the 以电折碳 estimate of a full year,
labelled 估算) and GDP (stored; else entered), the 15th-plan intensity fall and the projected GDP
growth. Every decomposition names its rule, the weights' basis and the reserve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from ...domain.carbon import BudgetError, Rule, Thresholds, decompose_named, month_use, year_use
from ...domain.carbon.budget import budget_path
from ...domain.findings import InputIssue
from ...domain.messages import render
from .. import monitoring
from ..errors import InputRejected, NotFound
from ..platform import Platform
from .estimate import monthly_estimate
from .figures import Context, context

LEVELS = ("township", "sector", "unit")
# what the default historical weights are, per level (a code, rendered as carbon.text.<code>; named in every output)
WEIGHT_BASIS = {"sector": "weight_sector_inventory", "township": "weight_township_units", "unit": "weight_unit_energy"}
INPUT_FIELDS = ("history", "output", "benchmark", "growth", "shares")


@dataclass(frozen=True)
class PathResult:
    base_year: int
    base_co2_t: float
    base_co2_source: str  # inventory | entered | 估算
    base_gdp: float
    base_gdp_source: str  # stored | entered
    intensity_reduction: float
    target_id: str
    years: tuple[int, ...]
    gdp: tuple[float, ...]
    intensity: tuple[float, ...]
    budget_t: tuple[float, ...]
    total_t: float
    annual_factor: float
    rule: str
    illustrative: bool


@dataclass(frozen=True)
class AllocationRow:
    entity: str
    weight: float
    share: float
    budget_t: float


@dataclass(frozen=True)
class DecompositionResult:
    level: str
    year: int
    rule: str
    weight_basis: str
    budget_t: float
    reserve: float
    reserve_t: float
    rows: list[AllocationRow]


FIELD_ZH = {"history": "历史排放", "output": "产出", "benchmark": "强度标杆", "growth": "允许增长率", "shares": "份额"}


def _issue(code: str, column: str | None, **params) -> InputRejected:
    """A refusal of the request; a rule and the fields it needs are named as the reader knows them
    (the catalogue's names, not codes)."""
    if "rule" in params:
        params["rule"] = render(f"carbon.rule.{params['rule']}", {}, "zh")
    if "fields" in params:
        params["fields"] = "、".join(FIELD_ZH.get(f.strip(), f.strip()) for f in str(params["fields"]).split(","))
    return InputRejected([InputIssue(code, "request", None, column, params)])


def _intensity_target(ctx: Context):
    for t in ctx.control.targets:
        if t.indicator == "co2_intensity_reduction":
            return t
    raise NotFound("carbon_control names no co2_intensity_reduction target")


def county_path(platform: Platform, ctx: Context | None = None) -> PathResult:
    ctx = ctx or context(platform)
    c, t = ctx.control, _intensity_target(ctx)
    y0 = c.base_year
    if y0 in ctx.inventory_co2:
        co2, co2_src = ctx.inventory_co2[y0], "inventory"
    elif c.base_co2_t is not None:
        co2, co2_src = c.base_co2_t, "entered"
    else:
        est = monthly_estimate(platform, y0, ctx)
        if est.months < 12:
            raise NotFound(f"no inventory of {y0} and only {est.months} months of electricity: enter base_co2_t")
        co2, co2_src = est.total_t, "估算"
    stored = ctx.gdp.set_index("year")["gdp_current"].to_dict() if len(ctx.gdp) else {}
    gdp, gdp_src = (float(stored[y0]), "stored") if y0 in stored else (c.base_gdp, "entered")
    if gdp is None:
        raise NotFound(f"no GDP of {y0} stored or entered (carbon_control.base_gdp)")
    try:
        p = budget_path(y0, co2, gdp, c.gdp_growth, t.value / 100.0)
    except BudgetError as e:
        raise _issue(e.code, "carbon_control", **e.params) from e
    return PathResult(y0, co2, co2_src, gdp, gdp_src, t.value / 100.0, t.id, p.years, p.gdp, p.intensity, p.budget_t,
                      p.total_t, p.annual_factor, "path_geometric",
                      c.status == "illustrative" or co2_src == "估算")


def _entities(platform: Platform, ctx: Context, level: str) -> tuple[list[str], list[float]]:
    if level == "sector":
        y = max(ctx.inventory_years)
        g = ctx.lines[(ctx.lines["year"] == y) & (ctx.lines["category"] != "generation")].groupby("sector")["co2_t"].sum()
        g = g[g > 0]
        return list(g.index), [float(v) for v in g.values]
    with platform.engine.connect() as conn:
        units = conn.execute(select(monitoring.KeyUnit.name, monitoring.KeyUnit.town,
                                    monitoring.KeyUnit.annual_energy_tce).order_by(monitoring.KeyUnit.name)).all()
    if level == "unit":
        return [u[0] for u in units], [float(u[2]) for u in units]
    towns = list(ctx.plan.townships)
    return towns, [float(sum(u[2] for u in units if u[1] == t)) for t in towns]


def decomposition(platform: Platform, level: str, rule: Rule | str, year: int | None = None,
                  reserve: float | None = None, inputs: dict[str, dict[str, float]] | None = None,
                  ctx: Context | None = None) -> DecompositionResult:
    """One year's county budget split at ``level`` by ``rule``; ``inputs`` field → entity → value
    (history overrides the default weights; output, benchmark, growth, shares as the rule needs)."""
    ctx = ctx or context(platform)
    if level not in LEVELS:
        raise _issue("input.bad_value", "level", value=level, reason=" / ".join(LEVELS))
    try:
        rule = Rule(rule)
    except ValueError as e:
        raise _issue("input.bad_value", "rule", value=str(rule), reason=" / ".join(r.value for r in Rule)) from e
    path = county_path(platform, ctx)
    year = year or path.years[0]
    if year not in path.years:
        raise _issue("input.bad_value", "year", value=year, reason=f"{path.years[0]}–{path.years[-1]}")
    names, history = _entities(platform, ctx, level)
    if not names:
        raise NotFound(f"no {level} to decompose to (registry empty)")
    arrays = _inputs(names, history, inputs or {})
    try:
        d = decompose_named(year, path.budget_t[path.years.index(year)], names, rule,
                            ctx.control.reserve if reserve is None else reserve, **arrays)
    except BudgetError as e:
        raise _issue(e.code, "inputs", **e.params) from e
    basis = WEIGHT_BASIS[level] if "history" not in (inputs or {}) else "weight_entered_history"
    return DecompositionResult(level, year, str(rule), basis, d.budget_t, d.reserve, d.reserve_t,
                               [AllocationRow(r.entity, r.weight, r.share, r.budget_t) for r in d.rows])


def _inputs(names: list[str], history: list[float], given: dict[str, dict[str, float]]) -> dict[str, list[float]]:
    issues = []
    out: dict[str, list[float]] = {"history": history}
    for fld, values in given.items():
        if fld not in INPUT_FIELDS:
            issues.append(InputIssue("input.bad_value", "request", None, "inputs",
                                     {"value": fld, "reason": " / ".join(INPUT_FIELDS)}))
            continue
        issues += [InputIssue("carbon.unknown_entity", "request", None, f"inputs.{fld}", {"entity": e})
                   for e in values if e not in names]
        issues += [InputIssue("carbon.missing_entity", "request", None, f"inputs.{fld}", {"entity": e})
                   for e in names if e not in values]
        out[fld] = [float(values.get(e, 0.0)) for e in names]
    if issues:
        raise InputRejected(issues)
    return out


@dataclass(frozen=True)
class UseRow:
    period: str
    actual_t: float
    budget_t: float
    ratio: float
    level: str
    estimated: bool  # 估算 (以电折碳), not an inventory


@dataclass(frozen=True)
class TrackingResult:
    thresholds: dict[str, float]
    years: list[UseRow]
    months: list[UseRow]
    month_year: int | None


def tracking(platform: Platform, ctx: Context | None = None, year: int | None = None) -> TrackingResult:
    """Each budget year against its inventory (or the full-year estimate), and the months of ``year``
    (None: the latest estimated year; no months when ``year`` has no estimate) against the budget due
    by then (seasonal profile of the calibration year)."""
    ctx = ctx or context(platform)
    path = county_path(platform, ctx)
    th = Thresholds(ctx.control.yellow, ctx.control.red)
    rows: list[UseRow] = []
    months: list[UseRow] = []
    month_year = None
    for y, b in zip(path.years, path.budget_t):
        if y in ctx.inventory_co2:
            u = year_use(y, ctx.inventory_co2[y], b, th)
            rows.append(UseRow(u.period, u.actual_t, u.budget_t, u.ratio, str(u.level), False))
            continue
        if ctx.electricity is None or y not in ctx.electricity.years:
            continue
        try:
            est = monthly_estimate(platform, y, ctx)
        except NotFound:
            continue
        prof = np.nan_to_num(ctx.electricity.mwh[ctx.electricity.years.index(est.calibration_year)]).sum(axis=0)
        for u in month_use(y, [m.co2_t for m in est.months_list], b, prof if prof.sum() > 0 else None, th):
            months.append(UseRow(u.period, u.actual_t, u.budget_t, u.ratio, str(u.level), True))
        month_year = y
        if est.months == 12:
            u = year_use(y, est.total_t, b, th)
            rows.append(UseRow(u.period, u.actual_t, u.budget_t, u.ratio, str(u.level), True))
    if year is not None:
        month_year = year if any(m.period.startswith(f"{year}-") for m in months) else None
    if month_year is not None:
        months = [m for m in months if m.period.startswith(f"{month_year}-")]
    else:
        months = []
    return TrackingResult({"yellow": th.yellow, "red": th.red}, rows, months, month_year)
