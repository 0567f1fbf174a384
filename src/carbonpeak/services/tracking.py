"""Target tracking for a year: every target of the stored plan with its barometer light."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from ..domain.accounting import AccountingOptions
from ..domain.findings import Finding, Severity
from ..domain.indicators import IndicatorValue
from ..domain.plan import Plan, Target
from ..domain.tracking import BarometerRule, assess, barometer_fields, baseline, expected_path
from ..store.models import TargetObservation
from . import flags
from .errors import NotFound
from .indicators import IndicatorSet, illustrative_input_years, indicator_set, qualifier  # noqa: F401 (re-exported)
from .platform import Platform
from .plans import stored_plan

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
    return TrackingContext(plan, indicators, obs, set(indicators.illustrative_years) if indicators else set(),
                           list(indicators.years) if indicators else [], findings)


def _with_base(plan: Plan, t: Target) -> Target:
    if t.base_year is None and plan.default_base_year is not None and t.target_year > plan.default_base_year:
        return dataclasses.replace(t, base_year=plan.default_base_year)
    return t


def assess_target(ctx: TrackingContext, t: Target, year: int, rule: BarometerRule, lang: str = "zh") -> dict[str, Any]:
    t = _with_base(ctx.plan, t)
    actual, base_actual, yoy, source = None, None, None, None
    if t.indicator in COMPUTED:
        basis = t.basis or COMPUTED[t.indicator]
        price_base = t.base_year if "vs_base" in t.indicator else None  # a change vs base: at its base's prices
        v = ctx.indicator(t.indicator, year, basis, price_base)
        if v is not None:
            used_years = {year, t.base_year, year - 1} - {None}
            actual, source = v.value, {"kind": "computed", "indicator": v.as_dict(), "qualifier": qualifier(v, lang),
                                       "illustrative": bool(used_years & ctx.illustrative_years),
                                       "proxy_factor": flags.basis_proxy(basis, used_years, ctx.findings)}
        if t.base_year is not None and "vs_base" not in t.indicator:
            b = ctx.indicator(t.indicator, t.base_year, basis)
            base_actual = b.value if b else None
        if t.indicator in YOY:
            y = ctx.indicator(YOY[t.indicator], year, basis, price_base)
            yoy = y.value if y else None
    else:
        o = ctx.observations.get((t.id, year))
        if o is not None:
            actual, source = o.value, {"kind": "entered", "source": o.source, "illustrative": o.illustrative}
        if t.base_year is not None and (t.id, t.base_year) in ctx.observations:
            base_actual = ctx.observations[(t.id, t.base_year)].value
    st = assess(t, year, actual, rule, base_actual=base_actual, yoy_change=yoy, lang=lang)
    return {"id": t.id, "name": t.name, "indicator": t.indicator, "target_value": t.value, "unit": t.unit,
            "direction": t.direction, "base_year": t.base_year, "target_year": t.target_year,
            "clause": t.clause, "light": st.light, "actual": st.actual, "expected": st.expected,
            "progress": st.progress, "elapsed": st.elapsed, "reason": st.reason, "rule": st.rule,
            "source": source, "note": t.note, "illustrative": bool(source and source.get("illustrative")),
            "proxy_factor": bool(source and source.get("proxy_factor")), **barometer_fields(st, t, lang)}


def assess_year(ctx: TrackingContext, year: int, rule: BarometerRule, lang: str = "zh") -> dict[str, Any]:
    rows = [assess_target(ctx, t, year, rule, lang) for t in ctx.plan.targets]
    findings = list(ctx.findings)
    for r in rows:
        if r["light"] in ("red", "yellow"):
            findings.append(Finding("target.behind", Severity.WARNING,
                                    {"target": r["name"], "id": r["id"], "light": r["light"]}, rule=r["clause"]))
    counts = {c: sum(r["light"] == c for r in rows) for c in ("green", "yellow", "red", "grey")}
    return {"plan": ctx.plan.code, "region": ctx.plan.region, "year": year, "rule": rule.text(lang),
            "bands": {"green_min": rule.green_min, "yellow_min": rule.yellow_min,
                      "intensity_rise_is_red": rule.intensity_rise_is_red},
            "counts": counts, "targets": rows, "findings": [f.as_dict(lang) for f in findings],
            "flags": flags.rows_summary(rows, year, ctx.findings, lang)}


def targets_report(platform: Platform, year: int, options: AccountingOptions, rule: BarometerRule,
                   plan_code: str | None = None, lang: str = "zh") -> dict[str, Any]:
    return assess_year(tracking_context(platform, options, plan_code), year, rule, lang)


def trajectory(platform: Platform, target_id: str, options: AccountingOptions, rule: BarometerRule,
               lang: str = "zh") -> dict[str, Any]:
    """A target's actual values by year beside its time-elapsed path to the target year."""
    ctx = tracking_context(platform, options)
    target = next((t for t in ctx.plan.targets if t.id == target_id), None)
    if target is None:
        raise NotFound(f"no target {target_id!r}")
    years = sorted(set(ctx.data_years) | {y for (tid, y) in ctx.observations if tid == target_id})
    points = [assess_target(ctx, target, y, rule, lang) for y in years]
    t = _with_base(ctx.plan, target)
    by_year = dict(zip(years, points))
    base = baseline(t, by_year[t.base_year]["actual"] if t.base_year in by_year else None)
    path = [{"year": y, "value": v} for y, v in expected_path(t, base)]
    return {"target": {"id": t.id, "name": t.name, "indicator": t.indicator, "target_value": t.value,
                       "unit": t.unit, "direction": t.direction, "base_year": t.base_year,
                       "target_year": t.target_year, "clause": t.clause, "base_value": base.value,
                       "base_source": base.source, "base_assumed": t.base_assumed, "base_note": t.base_note},
            "points": [{"year": y, "actual": p["actual"], "expected": p["expected"], "light": p["light"],
                        "illustrative": p["illustrative"]} for y, p in by_year.items()],
            "path": path, "rule": rule.text(lang)}
