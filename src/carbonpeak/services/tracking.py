"""Target tracking for a year: every target of the stored plan with its barometer light."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from ..domain.accounting import AccountingOptions
from ..domain.findings import Finding, Severity
from ..domain.indicators import IndicatorValue, compute_indicators
from ..domain.tracking import BarometerRule, assess
from ..store.models import TargetObservation
from .accounting import stored_lines
from .errors import NotFound
from .platform import Platform
from .plans import stored_plan

# Indicators the accounting engine computes, with the basis used when a target names none.
COMPUTED = {"nonfossil_share": "raw", "renewable_share_local_generation": "",
            "energy_intensity_change_vs_base": "assessment", "co2_intensity_change_vs_base": "territorial"}
YOY = {"energy_intensity_change_vs_base": "energy_intensity_change_yoy",
       "co2_intensity_change_vs_base": "co2_intensity_change_yoy"}


def targets_report(platform: Platform, year: int, options: AccountingOptions, rule: BarometerRule,
                   plan_code: str | None = None, lang: str = "zh") -> dict[str, Any]:
    plan = stored_plan(platform, plan_code)
    if plan is None:
        raise NotFound("no plan loaded: run `carbonpeak demo` or `carbonpeak plan load FILE` first")
    findings: list[Finding] = []
    indicators: dict[tuple[str, int, str], IndicatorValue] = {}
    illustrative_years: set[int] = set()
    try:
        lines, acc_findings, gdp = stored_lines(platform, plan.region, options)
        illustrative_years = illustrative_input_years(lines, gdp)
        base_years = {t.base_year for t in plan.targets if t.base_year}
        for base in base_years or {2020}:
            for v in compute_indicators(lines, gdp, base):
                # change-vs-base values depend on the base year; the others do not
                key_code = v.code if "vs_base" not in v.code else f"{v.code}@{base}"
                indicators[(key_code, v.year, v.basis)] = v
        findings += [f for f in acc_findings if f.code == "factor.electricity.proxy_year"]
    except NotFound:
        findings.append(Finding("indicator.not_estimated", Severity.WARNING,
                                {"indicator": "inventory", "reason": "no activity data stored"}))
    with platform.sessions() as s:
        obs = {(o.target_code, o.year): o for o in
               s.scalars(select(TargetObservation).where(TargetObservation.plan_code == plan.code)).all()}
    rows = []
    for t in plan.targets:
        if t.base_year is None and plan.default_base_year is not None and t.target_year > plan.default_base_year:
            t = dataclasses.replace(t, base_year=plan.default_base_year)
        actual, base_actual, yoy, source = None, None, None, None
        if t.indicator in COMPUTED:
            basis = t.basis or COMPUTED[t.indicator]
            key = f"{t.indicator}@{t.base_year}" if "vs_base" in t.indicator else t.indicator
            v = indicators.get((key, year, basis))
            if v is not None:
                used_years = {year, t.base_year, year - 1} - {None}
                actual, source = v.value, {"kind": "computed", "indicator": v.as_dict(),
                                           "illustrative": bool(used_years & illustrative_years)}
            if t.base_year is not None and "vs_base" not in t.indicator:
                b = indicators.get((t.indicator, t.base_year, basis))
                base_actual = b.value if b else None
            if t.indicator in YOY:
                y = indicators.get((YOY[t.indicator], year, basis))
                yoy = y.value if y else None
        else:
            o = obs.get((t.id, year))
            if o is not None:
                actual, source = o.value, {"kind": "entered", "source": o.source, "illustrative": o.illustrative}
            if t.base_year is not None and (t.id, t.base_year) in obs:
                base_actual = obs[(t.id, t.base_year)].value
        st = assess(t, year, actual, rule, base_actual=base_actual, yoy_change=yoy, lang=lang)
        if st.light in ("red", "yellow"):
            findings.append(Finding("target.behind", Severity.WARNING,
                                    {"target": t.name, "id": t.id, "light": st.light}, rule=t.clause))
        rows.append({"id": t.id, "name": t.name, "indicator": t.indicator, "target_value": t.value, "unit": t.unit,
                     "direction": t.direction, "base_year": t.base_year, "target_year": t.target_year,
                     "clause": t.clause, "light": st.light, "actual": st.actual, "expected": st.expected,
                     "progress": st.progress, "elapsed": st.elapsed, "reason": st.reason, "rule": st.rule,
                     "source": source, "note": t.note})
    for row in rows:
        row["illustrative"] = bool(row["source"] and row["source"].get("illustrative"))
    counts = {c: sum(r["light"] == c for r in rows) for c in ("green", "yellow", "red", "grey")}
    return {"plan": plan.code, "region": plan.region, "year": year, "rule": rule.text(lang),
            "bands": {"green_min": rule.green_min, "yellow_min": rule.yellow_min,
                      "intensity_rise_is_red": rule.intensity_rise_is_red},
            "counts": counts, "targets": rows, "findings": [f.as_dict(lang) for f in findings]}


def illustrative_input_years(lines, gdp) -> set[int]:
    """Years in which any activity line or GDP figure is illustrative (示例数据)."""
    years = set()
    if "illustrative" in lines.columns:
        years |= {int(y) for y in lines.loc[lines["illustrative"].astype(bool), "year"]}
    if len(gdp) and "illustrative" in gdp.columns:
        years |= {int(y) for y in gdp.loc[gdp["illustrative"].astype(bool), "year"]}
    return years
