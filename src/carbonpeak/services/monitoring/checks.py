"""Data quality of the metered series (GB/T 38692-2020 and provincial practice): completeness per
unit and day, gaps longer than three working days, calibration expiry, day against month
statistics, and metered totals against the units' 205-1 reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from ...domain.findings import Finding, Severity
from ...domain.labels import UNITS, say
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
from ...store.queries import monitoring as q
from .. import versions
from ..platform import Platform
from ..scope import COUNTY, Scope
from . import coverage
from .frames import MeteredYear
from .metered import as_of_day, scoped, series
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
    """The data-quality findings of the units ``scope`` sees, kept until the registry, a reading
    or a factor changes (the series' topics: a page or API view without new data costs none)."""
    data = versions.key(platform, versions.METERED)  # before the series: a batch landing meanwhile is seen next time
    whole = series(platform, year)
    as_of = as_of or as_of_day(whole, year)
    key = ("monitoring-quality", year, as_of, scope.unit, data)
    return list(platform.cached(key, lambda: tuple(_quality(platform, whole, year, as_of, scope))))


def _quality(platform: Platform, whole: MeteredYear, year: int, as_of: date, scope: Scope) -> list[Finding]:
    s = scoped(whole, scope)
    # plain dicts: a pandas row lookup per finding costs more than the rule itself
    units, points = s.units, s.points
    unit_of = {int(i): {"unit": n, "uscc": c} for i, n, c in zip(units["id"].tolist(), units["name"].tolist(),
                                                                  units["uscc"].tolist())}
    pts = {int(i): (c, int(u)) for i, c, u in zip(points["id"].tolist(), points["code"].tolist(),
                                                  points["unit_id"].tolist())}
    out = _completeness(platform, s, unit_of, as_of, year)
    out += _gaps(platform, s, unit_of, pts, as_of, year)
    out += _calibration(s.points, unit_of, as_of)
    out += _day_vs_month(s.stated, unit_of, pts)
    out += _reconcile(platform, s.month, year, unit_of, list(unit_of) if scope.one_unit else None)
    return out


def quality_report(platform: Platform, year: int, as_of: date | None = None, lang: str = "zh",
                   scope: Scope = COUNTY) -> QualityReport:
    return QualityReport(year, rule_text("quality", lang), dict(QUALITY),
                         [finding_dict(f, lang) for f in quality(platform, year, as_of, scope)])


Units = dict[int, dict[str, str]]  # unit id → {"unit": name, "uscc": code}: the words of a finding
Points = dict[int, tuple[str, int]]  # point id → (code, unit id)


def _completeness(platform: Platform, s: MeteredYear, unit_of: Units, as_of: date, year: int) -> list[Finding]:
    """Completeness per unit and day (real-time points only), from the unit's first day. A month
    with every expected reading has no incomplete day: only the other months' days are read."""
    out: list[Finding] = []
    end = min(as_of, date(year, 12, 31))
    for uid, n_points, per_day, days in coverage.unit_days(platform, s, end):
        for day, n in days.items():
            share = day_completeness(n, n_points, per_day)
            if share < QUALITY["completeness"]:
                out.append(Finding("monitoring.incomplete", Severity.WARNING,
                                   {**unit_of[int(uid)], "day": day.date().isoformat(),
                                    "share": round(share * 100, 1), "min": QUALITY["completeness"] * 100}, QUALITY_RULE))
    return out


def _gaps(platform: Platform, s: MeteredYear, unit_of: Units, pts: Points, as_of: date, year: int) -> list[Finding]:
    """Gaps longer than three working days, per point (real-time or day statistics)."""
    out: list[Finding] = []
    last = min(as_of, date(year, 12, 31)) + timedelta(days=1)
    for pid, a, b in coverage.gaps(platform, s, last):
        wd = working_days_between(a, b)
        if wd > QUALITY["gap_working_days"]:
            code, uid = pts[pid]
            out.append(Finding("monitoring.gap", Severity.WARNING,
                               {**unit_of[uid], "point": code,
                                "from": (a + timedelta(days=1)).isoformat(),
                                "to": (b - timedelta(days=1)).isoformat(), "working_days": wd}, QUALITY_RULE))
    return out


def _calibration(points: pd.DataFrame, unit_of: Units, as_of: date) -> list[Finding]:
    """Calibration expired, or expiring within the warning window."""
    out: list[Finding] = []
    for exp, unit_id, code in zip(points["calibration_expiry"].tolist(), points["unit_id"].tolist(),
                                  points["code"].tolist()):
        if exp is None or pd.isna(exp):
            continue
        exp = pd.Timestamp(exp).date()
        state = calibration_state(exp, as_of)
        if state is not None:
            out.append(Finding(f"monitoring.calibration_{state}", Severity.WARNING if state == "expired" else Severity.INFO,
                               {**unit_of[int(unit_id)], "point": code, "expiry": exp.isoformat()},
                               rule_text("calibration")))
    return out


def _day_vs_month(stated: pd.DataFrame, unit_of: Units, pts: Points) -> list[Finding]:
    """Daily (summed per month) against monthly statistics beyond 5 %, per point and month."""
    out: list[Finding] = []
    cols = [stated[c].tolist() for c in ("unit_id", "point_id", "at", "quantity", "days_quantity")]
    for uid, pid, at, month_q, days in zip(*cols):
        if month_q <= 0:
            continue
        diff = relative_gap(days, month_q)
        if diff > QUALITY["day_vs_month"]:
            out.append(Finding("monitoring.day_vs_month", Severity.WARNING,
                               {**unit_of[int(uid)], "point": pts[int(pid)][0],
                                "month": at.strftime("%Y-%m"), "days": round(float(days), 3),
                                "month_value": round(float(month_q), 3), "diff": round(diff * 100, 1)},
                               QUALITY_RULE))
    return out


def _reconcile(platform: Platform, monthly: pd.DataFrame, year: int, unit_of: Units,
               unit_ids: list[int] | None) -> list[Finding]:
    """Metered monthly totals per unit and carrier against the unit's 205-1 report (of the units
    ``unit_ids``; None: all): each report joined once to its month's metered rows, each pair of
    measurement units converted once."""
    with platform.engine.connect() as c:
        rep = q.energy_reports(c, year, unit_ids)
    if rep.empty or monthly.empty:
        return []
    met = monthly[["unit_id", "carrier", "unit", "quantity"]].assign(month=monthly["at"].dt.month)
    rep = rep[rep["consumption"] > 0].rename(columns={"unit": "measure"}).reset_index(drop=True)
    j = rep.reset_index(names="report").merge(met, on=["unit_id", "month", "carrier"], sort=False)
    if j.empty:
        return []
    both = list(zip(j["unit"].tolist(), j["measure"].tolist()))  # lists: iterating a pandas column boxes each value
    pairs = {pair: conversion_factor(*pair) for pair in set(both)}
    j["metered"] = j["quantity"].to_numpy(float) * [pairs[pair] for pair in both]
    metered = j.groupby("report", sort=True)["metered"].sum()  # the reports with metered rows, in order
    rows = rep.loc[metered.index]
    diff = relative_gap(metered.to_numpy(), rows["consumption"].to_numpy())
    over = diff > QUALITY["reconcile_205_1"]  # only the forms beyond the tolerance are read row by row
    out = []
    for r, m, d in zip(rows[over].itertuples(index=False), metered.to_numpy()[over], diff[over]):
        out.append(Finding("monitoring.reconcile_205_1", Severity.WARNING,
                           {**unit_of[int(r.unit_id)], "carrier": r.carrier,
                            "month": f"{year}-{int(r.month):02d}", "metered": round(float(m), 3),
                            "reported": round(float(r.consumption), 3), "measure": r.measure,
                            "measure_zh": _unit_zh(r.measure),
                            "diff": round(float(d) * 100, 1)}, rule_text("form_205_1")))
    return out


def _unit_zh(unit: str) -> str:
    """A measurement unit as a Chinese reader writes it (吨, 立方米, 千瓦时); as it is when unnamed."""
    return say(UNITS, unit, "zh") or unit
