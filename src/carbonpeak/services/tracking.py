"""Target tracking for a year: every target of the stored plan with its barometer light.

Results are the frozen dataclasses of services/tracking_results.py (the API's response schemas)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from ..domain.accounting import AccountingOptions
from ..domain.findings import Finding, Severity
from ..domain.indicators import IndicatorValue
from ..domain.messages import render
from ..domain.plan import Plan, Target
from ..domain.target_sources import AGREEMENT_TOLERANCE, disagrees, module_label, parse_source
from ..domain.tracking import BarometerRule, assess, assess_peak, barometer_fields, baseline, expected_path
from ..store.models import TargetObservation
from . import flags, target_sources
from .carbon import barometer as carbon_barometer
from .errors import NotFound
from .indicators import IndicatorSet, illustrative_input_years, indicator_set, qualifier  # noqa: F401 (re-exported)
from .plans import stored_plan
from .platform import Platform
from .tracking_results import (Bands, Barometer, BarometerRow, EnteredSource, EnteredValue, InventorySource,
                               ModuleSource, ModuleValue, PathPoint, Trajectory, TrajectoryPoint,
                               TrajectoryTarget)

# Indicators the accounting engine computes, with the basis used when a target names none.
COMPUTED = {"nonfossil_share": "raw", "renewable_share_local_generation": "",
            "energy_intensity_change_vs_base": "assessment", "co2_intensity_change_vs_base": "territorial"}
YOY = {"energy_intensity_change_vs_base": "energy_intensity_change_yoy",
       "co2_intensity_change_vs_base": "co2_intensity_change_yoy"}


@dataclass
class TrackingContext:
    """Everything target tracking needs, computed once: the plan, the indicators of every data
    year (the one indicator result every surface shows), entered values, and which years rest on
    illustrative inputs."""
    plan: Plan
    indicators: IndicatorSet | None
    observations: dict[tuple[str, int], Any]
    illustrative_years: set[int]
    data_years: list[int]
    findings: list[Finding] = field(default_factory=list)
    # target values computed from the records of a module (services/target_sources), (target, year) → value
    computed: dict[tuple[str, int], target_sources.ComputedValue] = field(default_factory=dict)
    # the 15th-plan carbon targets (the plan's carbon_control), rated by services/carbon (None: none)
    carbon: carbon_barometer.CarbonBarometer | None = None

    def indicator(self, code: str, year: int, basis: str, price_base_year: int | None = None) -> IndicatorValue | None:
        return self.indicators.get(code, year, basis, price_base_year) if self.indicators else None


def tracking_context(platform: Platform, options: AccountingOptions, plan_code: str | None = None) -> TrackingContext:
    plan = stored_plan(platform, plan_code)
    if plan is None:
        raise NotFound("no plan loaded: run `carbonpeak demo` or `carbonpeak plan load FILE` first")
    findings: list[Finding] = []
    indicators: IndicatorSet | None = None
    try:
        indicators = indicator_set(platform, options, plan.region)
        findings += list(indicators.findings)
    except NotFound:
        findings.append(Finding("indicator.not_estimated", Severity.WARNING,
                                {"indicator": "inventory", "reason": "no activity data stored"}))
    with platform.sessions() as s:
        obs = {(o.target_code, o.year): SimpleNamespace(value=o.value, source=o.source, illustrative=o.illustrative)
               for o in s.scalars(select(TargetObservation).where(TargetObservation.plan_code == plan.code)).all()}
    data_years = list(indicators.years) if indicators else []
    computed = target_sources.compute_values(platform, plan, _answer_years(plan, data_years, obs))
    return TrackingContext(plan, indicators, obs, set(indicators.illustrative_years) if indicators else set(),
                           data_years, findings + list(computed.findings), computed.values,
                           carbon_barometer.load(platform, plan.code))


def _answer_years(plan: Plan, data_years: list[int], obs: dict) -> set[int]:
    """The years the source modules answer: every year from the earliest base or data year to this
    year (or the latest data year): a bounded span, never a year still to come (records say what
    is in service, not what will be)."""
    known = [*data_years, *(y for (_, y) in obs), *(t.base_year for t in plan.targets if t.base_year)]
    lo = min([*known, plan.default_base_year or date.today().year])
    hi = max([*known, date.today().year])
    return set(range(lo, min(hi, lo + 60) + 1))


def _with_base(plan: Plan, t: Target) -> Target:
    if t.base_year is None and plan.default_base_year is not None and t.target_year > plan.default_base_year:
        return dataclasses.replace(t, base_year=plan.default_base_year)
    return t


def from_inventory(t: Target) -> bool:
    """Whether the inventory computes the target: ``computed:accounting``, or no source and an
    indicator the accounting engine computes (plans written before sources were named)."""
    src = parse_source(t.source)
    return t.indicator in COMPUTED and (src is None or src.text == "computed:accounting")


def _inventory_value(ctx: TrackingContext, t: Target, year: int, lang: str) -> tuple:
    actual, base_actual, yoy, source = None, None, None, None
    basis = t.basis or COMPUTED[t.indicator]
    price_base = t.base_year if "vs_base" in t.indicator else None  # a change vs base: at its base's prices
    v = ctx.indicator(t.indicator, year, basis, price_base)
    if v is not None:
        used_years = {year, t.base_year, year - 1} - {None}
        actual, source = v.value, InventorySource("computed", "accounting", v.as_dict(), qualifier(v, lang),
                                                  bool(used_years & ctx.illustrative_years),
                                                  flags.basis_proxy(basis, used_years, ctx.findings))
    if t.base_year is not None and "vs_base" not in t.indicator:
        b = ctx.indicator(t.indicator, t.base_year, basis)
        base_actual = b.value if b else None
    if t.indicator in YOY:
        y = ctx.indicator(YOY[t.indicator], year, basis, price_base)
        yoy = y.value if y else None
    return actual, base_actual, yoy, source


def _answers(cv: target_sources.ComputedValue | None) -> bool:
    """Whether a module's value answers the year (a value, or for a peak target a probability)."""
    return cv is not None and (cv.value is not None or cv.probability is not None)


def _value_of(ctx: TrackingContext, t: Target, year: int) -> float | None:
    cv, o = ctx.computed.get((t.id, year)), ctx.observations.get((t.id, year))
    return cv.value if _answers(cv) else o.value if o is not None else None


def _module_source(ctx: TrackingContext, t: Target, year: int, lang: str) -> ModuleSource | None:
    """Where the value shown comes from: the module's value where its records answer the year,
    else the entered one; both named, and whether they disagree beyond the tolerance."""
    src = parse_source(t.source)
    module = src.name if src and src.kind == "computed" else None
    cv, o = ctx.computed.get((t.id, year)), ctx.observations.get((t.id, year))
    if cv is None and o is None:
        return None
    entered = None if o is None else EnteredValue(o.value, o.source, o.illustrative)
    computed = None if cv is None else ModuleValue(
        cv.value, cv.year, cv.unit, cv.probability, render(cv.rule_code, cv.rule_params, lang), len(cv.records),
        sum(r.counted for r in cv.records), cv.illustrative)
    uses = "computed" if _answers(cv) else "entered" if o is not None else "none"
    label = module_label(module, lang) if module else ""
    why = render("target.uses.computed" if uses == "computed" else "target.uses.entered", {"module": label}, lang)
    return ModuleSource(uses, module, label, "", computed, entered, uses, why,
                        o.source if uses == "entered" else label,
                        disagrees(cv.value if cv else None, o.value if o else None), AGREEMENT_TOLERANCE,
                        bool(cv.illustrative if uses == "computed" else o is not None and o.illustrative))


def _entered_value(ctx: TrackingContext, t: Target, year: int, lang: str) -> tuple:
    base_actual = _value_of(ctx, t, t.base_year) if t.base_year is not None else None
    if target_sources.computed_module(t):
        return _value_of(ctx, t, year), base_actual, None, _module_source(ctx, t, year, lang)
    o = ctx.observations.get((t.id, year))
    source = None
    if o is not None:
        src = parse_source(t.source)
        source = EnteredSource("entered", o.source, o.illustrative,
                               src.name if src and src.kind == "reported" else "")
    return (o.value if o is not None else None), base_actual, None, source


def assess_target(ctx: TrackingContext, t: Target, year: int, rule: BarometerRule, lang: str = "zh") -> BarometerRow:
    t = _with_base(ctx.plan, t)
    if from_inventory(t):
        actual, base_actual, yoy, source = _inventory_value(ctx, t, year, lang)
    else:
        actual, base_actual, yoy, source = _entered_value(ctx, t, year, lang)
    cv = ctx.computed.get((t.id, year))
    if cv is not None and cv.probability is not None and source and source.uses == "computed":
        st = assess_peak(t, year, cv.value, cv.probability, lang=lang)
    else:
        st = assess(t, year, actual, rule, base_actual=base_actual, yoy_change=yoy, lang=lang)
    return BarometerRow(t.id, t.name, t.indicator, t.value, t.unit, t.direction, t.base_year, t.target_year,
                        t.clause, st.light, st.actual, st.expected, st.progress, st.elapsed, st.reason, st.rule,
                        source, t.note, bool(source and source.illustrative), bool(source and source.proxy_factor),
                        t.source, **barometer_fields(st, t, lang))


def _disagreement(r: BarometerRow, year: int, lang: str) -> Finding | None:
    s = r.source
    if not isinstance(s, ModuleSource) or not s.disagree:
        return None
    c, e = s.computed.value, s.entered.value
    return Finding("target.sources_disagree", Severity.WARNING,
                   {"target": r.name, "id": r.id, "year": year, "computed": round(c, 4), "entered": round(e, 4),
                    "diff": round(abs(c - e) / max(abs(c), abs(e)) * 100, 1), "tol": round(s.tolerance * 100),
                    "module": s.module_label}, rule=render("target.uses.computed", {}, lang))


def assess_year(ctx: TrackingContext, year: int, rule: BarometerRule, lang: str = "zh") -> Barometer:
    rows = [assess_target(ctx, t, year, rule, lang) for t in ctx.plan.targets]
    rows += carbon_barometer.rows(ctx.carbon, year, rule, lang)  # the carbon targets, rated by services/carbon
    findings = list(ctx.findings)
    findings += [f for r in rows if (f := _disagreement(r, year, lang)) is not None]
    for r in rows:
        if r.light in ("red", "yellow"):
            findings.append(Finding("target.behind", Severity.WARNING,
                                    {"target": r.name, "id": r.id, "light": r.light}, rule=r.clause))
    counts = {c: sum(r.light == c for r in rows) for c in ("green", "yellow", "red", "grey")}
    return Barometer(ctx.plan.code, ctx.plan.region, year, rule.text(lang),
                     Bands(rule.green_min, rule.yellow_min, rule.intensity_rise_is_red), counts, rows,
                     [f.as_dict(lang) for f in findings], flags.rows_summary(rows, year, ctx.findings, lang))


def targets_report(platform: Platform, year: int, options: AccountingOptions, rule: BarometerRule,
                   plan_code: str | None = None, lang: str = "zh") -> Barometer:
    return assess_year(tracking_context(platform, options, plan_code), year, rule, lang)


def trajectory(platform: Platform, target_id: str, options: AccountingOptions, rule: BarometerRule,
               lang: str = "zh") -> Trajectory:
    """A target's actual values by year beside its time-elapsed path to the target year."""
    ctx = tracking_context(platform, options)
    target = next((t for t in ctx.plan.targets if t.id == target_id), None)
    if target is None and ctx.carbon is not None and target_id in ctx.carbon.ids:
        return carbon_barometer.trajectory(ctx.carbon, target_id, rule, lang)
    if target is None:
        raise NotFound(f"no target {target_id!r}")
    years = sorted(set(ctx.data_years) | {y for (tid, y) in (*ctx.observations, *ctx.computed) if tid == target_id})
    points = [assess_target(ctx, target, y, rule, lang) for y in years]
    t = _with_base(ctx.plan, target)
    by_year = dict(zip(years, points))
    base = baseline(t, by_year[t.base_year].actual if t.base_year in by_year else None)
    return Trajectory(TrajectoryTarget(t.id, t.name, t.indicator, t.value, t.unit, t.direction, t.base_year,
                                       t.target_year, t.clause, base.value, base.source, t.base_assumed, t.base_note),
                      [TrajectoryPoint(y, p.actual, p.expected, p.light, p.illustrative) for y, p in by_year.items()],
                      [PathPoint(y, v) for y, v in expected_path(t, base)], rule.text(lang))
