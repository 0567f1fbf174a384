"""Data quality of the metered series (GB/T 38692-2020 and provincial practice): completeness per
unit and day, gaps longer than three working days, calibration expiry, day against month
statistics, and metered totals against the units' 205-1 reports."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pandas as pd
from sqlalchemy import select

from ...domain.findings import Finding, Severity
from ...domain.messages import render
from ...domain.monitoring import (
    QUALITY,
    QUALITY_RULE_OF,
    calibration_state,
    day_completeness,
    relative_gap,
    working_days_between,
)
from ...domain.units import conversion_factor
from ...store.models import EnergyReport
from ..platform import Platform
from ..scope import COUNTY, Scope
from .metered import _local_index, as_of_day, scoped, series
from .types import QualityReport

QUALITY_RULE = render("monitoring.rule.quality", {})  # the rule as stored with each finding (Chinese)


def rule_text(key: str, lang: str = "zh") -> str:
    return render(f"monitoring.rule.{key}", {}, lang)


def finding_dict(f: Finding, lang: str = "zh") -> dict[str, Any]:
    """A quality finding as the API and the pages show it: message and rule in ``lang``."""
    out = f.as_dict(lang)
    if f.code in QUALITY_RULE_OF:
        out["rule"] = rule_text(QUALITY_RULE_OF[f.code], lang)
    return out


def quality(platform: Platform, year: int, as_of: date | None = None, scope: Scope = COUNTY) -> list[Finding]:
    """The data-quality findings of the units ``scope`` sees."""
    whole = series(platform, year)
    as_of = as_of or as_of_day(whole, year)
    s = scoped(whole, scope)
    unit_of = s["units"].set_index("id")
    pts = s["points"].set_index("id")
    out = _completeness(s, unit_of, pts, as_of, year)
    out += _gaps(s["raw"], unit_of, pts, as_of, year)
    out += _calibration(s["points"], unit_of, as_of)
    out += _day_vs_month(s["day"], s["month"], pts)
    out += _reconcile(platform, s["month"], year, [int(i) for i in s["units"]["id"]] if scope.one_unit else None)
    return out


def quality_report(platform: Platform, year: int, as_of: date | None = None, lang: str = "zh",
                   scope: Scope = COUNTY) -> QualityReport:
    return QualityReport(year, rule_text("quality", lang), dict(QUALITY),
                         [finding_dict(f, lang) for f in quality(platform, year, as_of, scope)])


def _completeness(s: dict, unit_of: pd.DataFrame, pts: pd.DataFrame, as_of: date, year: int) -> list[Finding]:
    """Completeness per unit and day (real-time points only), from the unit's first day."""
    out: list[Finding] = []
    points, counts = s["points"], s["day_rt_counts"]
    rt_points = s["raw"].loc[s["raw"]["stat_type"] == 0, "point_id"].unique()
    for uid, plist in points[points["id"].isin(rt_points)].groupby("unit_id"):
        expected_per_day = float(sum(1440 / pts.at[p, "interval_min"] for p in plist["id"]))
        c = counts[counts["point_id"].isin(plist["id"])].groupby("at")["n"].sum()
        if c.empty:
            continue
        days = pd.date_range(c.index.min(), min(pd.Timestamp(as_of), pd.Timestamp(year, 12, 31)), freq="D")
        full = c.reindex(days, fill_value=0)
        for day, n in full.items():
            share = day_completeness(n, len(plist), expected_per_day)
            if share < QUALITY["completeness"]:
                u = unit_of.loc[uid]
                out.append(Finding("monitoring.incomplete", Severity.WARNING,
                                   {"unit": u["name"], "uscc": u["uscc"], "day": day.date().isoformat(),
                                    "share": round(share * 100, 1), "min": QUALITY["completeness"] * 100}, QUALITY_RULE))
    return out


def _gaps(raw: pd.DataFrame, unit_of: pd.DataFrame, pts: pd.DataFrame, as_of: date, year: int) -> list[Finding]:
    """Gaps longer than three working days, per point (real-time or day statistics)."""
    out: list[Finding] = []
    for (pid, stat), g in raw[raw["stat_type"].isin([0, 1])].groupby(["point_id", "stat_type"]):
        days = sorted(set(_local_index(g["period_start"]).dt.date))
        edges = list(pairwise(days)) + [(days[-1], min(as_of, date(year, 12, 31)) + timedelta(days=1))]
        for a, b in edges:
            wd = working_days_between(a, b)
            if wd > QUALITY["gap_working_days"]:
                p, u = pts.loc[pid], unit_of.loc[pts.at[pid, "unit_id"]]
                out.append(Finding("monitoring.gap", Severity.WARNING,
                                   {"unit": u["name"], "uscc": u["uscc"], "point": p["code"],
                                    "from": (a + timedelta(days=1)).isoformat(),
                                    "to": (b - timedelta(days=1)).isoformat(), "working_days": wd}, QUALITY_RULE))
    return out


def _calibration(points: pd.DataFrame, unit_of: pd.DataFrame, as_of: date) -> list[Finding]:
    """Calibration expired, or expiring within the warning window."""
    out: list[Finding] = []
    for _, p in points.iterrows():
        exp = p["calibration_expiry"]
        if exp is None or pd.isna(exp):
            continue
        exp = pd.Timestamp(exp).date()
        state = calibration_state(exp, as_of)
        if state is not None:
            u = unit_of.loc[p["unit_id"]]
            out.append(Finding(f"monitoring.calibration_{state}", Severity.WARNING if state == "expired" else Severity.INFO,
                               {"unit": u["name"], "uscc": u["uscc"], "point": p["code"], "expiry": exp.isoformat()},
                               rule_text("calibration")))
    return out


def _day_vs_month(d: pd.DataFrame, m: pd.DataFrame, pts: pd.DataFrame) -> list[Finding]:
    """Daily against monthly statistics beyond 5 %."""
    out: list[Finding] = []
    d_month = d.assign(at=d["at"].dt.to_period("M").dt.to_timestamp()).groupby(["point_id", "at"])["quantity"].sum()
    for _, r in m[m["basis"] == "month"].iterrows():
        k = (r["point_id"], r["at"])
        if k not in d_month.index or r["quantity"] <= 0:
            continue
        diff = relative_gap(d_month[k], r["quantity"])
        if diff > QUALITY["day_vs_month"]:
            out.append(Finding("monitoring.day_vs_month", Severity.WARNING,
                               {"unit": r["name"], "uscc": r["uscc"], "point": pts.at[r["point_id"], "code"],
                                "month": r["at"].strftime("%Y-%m"), "days": round(float(d_month[k]), 3),
                                "month_value": round(float(r["quantity"]), 3), "diff": round(diff * 100, 1)},
                               QUALITY_RULE))
    return out


def _reconcile(platform: Platform, monthly: pd.DataFrame, year: int, unit_ids: list[int] | None) -> list[Finding]:
    """Metered monthly totals per unit and carrier against the unit's 205-1 report (of the units
    ``unit_ids``; None: all)."""
    q = select(EnergyReport.unit_id, EnergyReport.month, EnergyReport.carrier, EnergyReport.unit,
               EnergyReport.consumption).where(EnergyReport.year == year)
    if unit_ids is not None:
        q = q.where(EnergyReport.unit_id.in_(unit_ids))
    with platform.engine.connect() as c:
        rep = pd.read_sql(q, c)
    if rep.empty or monthly.empty:
        return []
    out = []
    met = monthly.assign(month=monthly["at"].dt.month)
    for _, r in rep.iterrows():
        sel = met[(met["unit_id"] == r["unit_id"]) & (met["month"] == r["month"]) & (met["carrier"] == r["carrier"])]
        if sel.empty:
            continue
        metered = float(sum(q * conversion_factor(u, r["unit"]) for q, u in zip(sel["quantity"], sel["unit"])))
        if r["consumption"] <= 0:
            continue
        diff = relative_gap(metered, r["consumption"])
        if diff > QUALITY["reconcile_205_1"]:
            out.append(Finding("monitoring.reconcile_205_1", Severity.WARNING,
                               {"unit": sel["name"].iloc[0], "uscc": sel["uscc"].iloc[0], "carrier": r["carrier"],
                                "month": f"{year}-{int(r['month']):02d}", "metered": round(metered, 3),
                                "reported": round(float(r["consumption"]), 3), "measure": r["unit"],
                                "measure_zh": _unit_zh(r["unit"]),
                                "diff": round(diff * 100, 1)}, rule_text("form_205_1")))
    return out


def _unit_zh(unit: str) -> str:
    """A measurement unit as a Chinese reader writes it (吨, 立方米, 千瓦时); as it is when unnamed."""
    from ..reports.labels import UNITS, say  # noqa: PLC0415 (reports imports monitoring)
    return say(UNITS, unit, "zh") or unit
