"""The 15th-plan carbon targets tracked like every other target (domain/tracking.assess, the barometer's
rule), their annual milestones, and the 协同考核 table per township and department.

Milestones: the base-year intensity falls at a constant annual rate to the 2030 target
(domain/carbon/indicators.milestones); the annual values the city assigns, where entered, are shown
beside them. The assessment table splits the budget of a year by historical share (the rule is
named) and sets each department's sectors (carbon_control.sector_departments) against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.carbon import Rule, Thresholds
from ...domain.carbon.indicators import Basis, milestones
from ...domain.indicators import constant_price_gdp
from ...domain.plan import Target
from ...domain.tracking import BarometerRule, assess
from ..errors import InputRejected
from ..platform import Platform
from .budget import county_path, decomposition
from .figures import SCOPE, Context, context


@dataclass(frozen=True)
class MilestoneRow:
    year: int
    intensity: float  # t CO2 per 10⁴ yuan, constant base-year prices
    assigned_pct: float | None  # the annual fall assigned, where entered
    assigned_status: str


@dataclass(frozen=True)
class TargetRow:
    id: str
    name: str
    indicator: str
    value: float
    unit: str
    base_year: int
    target_year: int
    status: str  # stated | assigned | illustrative
    source: str
    year: int | None  # the latest year assessed
    actual: float | None
    light: str  # green | yellow | red | grey (domain/tracking)
    why: str
    # what the barometer shows beside the light (domain/tracking.TargetStatus), the same status
    direction: str = "<="
    rated_value: float | None = None  # the value rated: the fall as a change (−17 %), or the cap
    expected: float | None = None
    progress: float | None = None
    elapsed: float | None = None
    ratio: float | None = None
    reason: str = ""
    base_value: float | None = None  # the rated base (0 % change; the base-year CO2 of the path)
    base_source: str = ""  # where the base-year CO2 comes from: inventory | entered | 估算
    illustrative: bool = False


@dataclass(frozen=True)
class TargetsResult:
    rule: str
    targets: list[TargetRow]
    milestones: list[MilestoneRow]
    milestone_rule: str
    year: int | None = None  # the year rated (None: no year after the base year has an inventory)
    basis: str = str(Basis.AVERAGE)  # the electricity factor basis of the actual values (carbon.basis.<code>)
    scope: str = SCOPE  # carbon.text.<code>: all electricity consumed in the county counts


def rated_target(t, c, path, ctx: Context, year: int | None) -> tuple[Target, float | None]:
    """The barometer's target for a carbon target and its actual in ``year`` (the inventory's CO2 on
    the grid average, direct + all electricity consumed; None before the period or without an inventory)."""
    have = year is not None and year > c.base_year and year in ctx.inventory_co2
    if t.indicator == "co2_intensity_reduction":
        tgt = Target(t.id, t.name, t.indicator, -t.value, "%", "<=", t.target_year, t.base_year, None, kind="change")
        g = constant_price_gdp(ctx.gdp, c.base_year).get(year) if have and len(ctx.gdp) else None
        base_int = path.base_co2_t / path.base_gdp
        return tgt, (ctx.inventory_co2[year] / g / base_int - 1.0) * 100.0 if g else None
    tgt = Target(t.id, t.name, t.indicator, t.value, t.unit, "<=", t.target_year, t.base_year, path.base_co2_t)
    return tgt, ctx.inventory_co2[year] if have else None


def targets(platform: Platform, lang: str = "zh", ctx: Context | None = None, year: int | None = None,
            rule: BarometerRule | None = None) -> TargetsResult:
    """The targets rated in ``year`` (None: the latest inventory year after the base year) by the
    barometer rule; the main barometer shows these rows as they are (services/carbon/barometer.py)."""
    ctx = ctx or context(platform)
    c = ctx.control
    path = county_path(platform, ctx)
    base_int = path.base_co2_t / path.base_gdp
    if year is None:
        year = max((y for y in ctx.inventory_co2 if y > c.base_year), default=None)
    rows = []
    for t in c.targets:
        tgt, actual = rated_target(t, c, path, ctx, year)
        st = assess(tgt, year or c.base_year, actual, rule or BarometerRule(), lang=lang)
        ill = t.status == "illustrative" or path.illustrative or (year in ctx.illustrative_years)
        rows.append(TargetRow(t.id, t.name, t.indicator, t.value, t.unit, t.base_year, t.target_year, t.status,
                              t.source, year, actual, st.light, st.why, tgt.direction, tgt.value, st.expected,
                              st.progress, st.elapsed, st.ratio, st.reason, st.base.value if st.base else None,
                              path.base_co2_source, ill))
    red = next(t for t in c.targets if t.indicator == "co2_intensity_reduction")
    assigned = {a.year: a for a in c.assigned}
    ms = [MilestoneRow(y, v, assigned[y].value if y in assigned else None,
                       assigned[y].status if y in assigned else "")
          for y, v in milestones(c.base_year, base_int, red.target_year, base_int * (1 - red.value / 100.0)).items()]
    return TargetsResult("barometer_rule", rows, ms, "milestone_rule", year)


@dataclass(frozen=True)
class AssessmentRow:
    name: str
    kind: str  # department | township
    sectors: list[str]
    budget_t: float | None  # None: no weight to split by (a township without key units' data)
    actual_t: float | None
    ratio: float | None
    level: str  # green | yellow | red | "" (no actual)
    estimated: bool
    note: str  # a code (carbon.text.<code>) or ""


@dataclass(frozen=True)
class AssessmentResult:
    year: int
    rule: str
    weight_basis: list[str]  # codes (carbon.text.<code>)
    actual_year: int | None
    rows: list[AssessmentRow]
    thresholds: dict[str, float]


def _department(sector: str, mapping: dict[str, str]) -> str:
    for prefix, dept in mapping.items():
        if sector == prefix or sector.startswith(prefix + "-"):
            return dept
    return "县发展和改革局"


def assessment(platform: Platform, year: int | None = None, ctx: Context | None = None) -> AssessmentResult:
    """Per department: its sectors' budget (historical share) against those sectors' CO2 in the
    inventory of ``year`` when it exists, else no actual (NE). Per township: its budget by the key
    units' registered energy; no township inventory exists, so no actual is claimed."""
    ctx = ctx or context(platform)
    th = Thresholds(ctx.control.yellow, ctx.control.red)
    sec = decomposition(platform, "sector", Rule.HISTORICAL_SHARE, year, ctx=ctx)
    try:
        town = decomposition(platform, "township", Rule.HISTORICAL_SHARE, sec.year, ctx=ctx)
    except InputRejected:  # no key unit registered in any township: nothing to split by
        town = None
    have = sec.year in ctx.inventory_years
    actual = ctx.lines[ctx.lines["year"] == sec.year].groupby("sector")["co2_t"].sum() if have else None
    depts: dict[str, list] = {}
    for r in sec.rows:
        depts.setdefault(_department(r.entity, ctx.control.sector_departments), []).append(r)
    rows = []
    for d, rs in depts.items():
        b = sum(r.budget_t for r in rs)
        a = float(sum(actual.get(r.entity, 0.0) for r in rs)) if actual is not None else None
        ratio = a / b if a is not None and b > 0 else None
        rows.append(AssessmentRow(d, "department", [r.entity for r in rs], b, a, ratio,
                                  str(th.level(ratio)) if ratio is not None else "", False,
                                  "" if have else "no_inventory_year"))
    for name in ctx.plan.townships:
        got = {r.entity: r.budget_t for r in town.rows} if town else {}
        rows.append(AssessmentRow(name, "township", [], got.get(name), None, None, "", False,
                                  "no_township_inventory" if town else "no_township_weights"))
    return AssessmentResult(sec.year, str(Rule.HISTORICAL_SHARE),
                            [sec.weight_basis, town.weight_basis if town else "no_township_weights"],
                            sec.year if have else None, rows, {"yellow": th.yellow, "red": th.red})
