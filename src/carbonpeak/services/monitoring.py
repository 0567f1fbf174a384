"""Key energy-using units: registry files, consumption series, data quality, budgets and early
warning, efficiency against benchmarks, the "两高" list and the public disclosure.

Registry-type files (units, metering points, budgets, outputs, 205-1 forms, the "两高" list) are
imported like every other user file (services/imports.py: atomic, idempotent, audited). Meter
readings arrive through services/ingest.py.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from ..domain.accounting import AccountingOptions, account, prepare_activity
from ..domain.findings import Finding, InputIssue, Severity
from ..domain.monitoring import (
    CST,
    BudgetRule,
    budget_status,
    consumption,
    efficiency_class,
    elapsed_share,
    needs_rectification,
    uscc_problem,
)
from ..domain.units import UnitError, conversion_factor
from ..refdata import load_benchmarks
from ..store.models import (
    EnergyBudget,
    EnergyReport,
    KeyUnit,
    MeteringPoint,
    MeterReading,
    TwoHighProject,
    UnitOutput,
)
from . import versions
from .errors import InputRejected, NotFound
from .platform import Platform, frame_weight
from .tables import read_typed

ONLINE_THRESHOLD_TCE = 10_000  # plan: online monitoring of units using ≥ 10 000 tce a year
SUPERVISION_THRESHOLD_TCE = 1_000  # plan: energy supervision of units using ≥ 1 000 tce a year
QUALITY = {"completeness": 0.90, "day_vs_month": 0.05, "reconcile_205_1": 0.05, "gap_working_days": 3,
           "calibration_warn_days": 30}
QUALITY_RULE = "GB/T 38692-2020 及省级实践：数据完整率≥90%，日/月数据偏差≤5%，故障3个工作日内修复 " \
               "(completeness ≥ 90 %, daily vs monthly within 5 %, faults repaired within 3 working days)"
_USCC = ("统一社会信用代码", "USCC", "enterpriseCode")
_SRC = {"source": (("来源", "数据来源"), "text", False), "illustrative": (("示例数据", "示例"), "text", False)}

FILE_KINDS: dict[str, dict[str, tuple]] = {
    "key_units": {
        "uscc": (_USCC, "text", True), "name": (("单位名称", "企业名称"), "text", True),
        "industry_code": (("行业代码",), "text", True), "industry": (("行业", "行业名称"), "text", False),
        "town": (("乡镇", "所在乡镇"), "text", False),
        "annual_energy_tce": (("年综合能耗", "年综合能耗(吨标准煤)", "年综合能耗（吨标准煤）"), "number", True),
        "category": (("监管类别", "类别"), {"在线监测": "online", "online": "online", "节能监察": "supervision",
                                         "supervision": "supervision"}, False), **_SRC},
    "metering_points": {
        "uscc": (_USCC, "text", True), "code": (("计量点编码", "dataCode", "计量点"), "text", True),
        "carrier": (("能源品种",), "text", True), "unit": (("计量单位", "单位"), "text", True),
        "multiplier": (("倍率",), "number", False),
        "kind": (("表计类型", "类型"), {"累计值": "counter", "累计": "counter", "counter": "counter",
                                    "周期量": "amount", "增量": "amount", "amount": "amount"}, True),
        "interval_min": (("采集间隔", "采集间隔(分钟)", "采集间隔（分钟）"), "int", False),
        "max_rate": (("每小时上限", "最大速率"), "number", False),
        "calibration_expiry": (("检定有效期至", "检定有效期"), "date", False),
        "description": (("说明", "名称"), "text", False), **_SRC},
    "energy_budgets": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True),
        "budget_tce": (("用能预算", "年度用能预算(吨标准煤)", "年度用能预算（吨标准煤）"), "number", True), **_SRC},
    "unit_outputs": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True), "product": (("产品", "产品名称"), "text", True),
        "output_t": (("产量", "产量(吨)", "产量（吨）"), "number", True),
        "energy_tce": (("产品综合能耗", "产品综合能耗(吨标准煤)", "产品综合能耗（吨标准煤）"), "number", True), **_SRC},
    "form_205_1": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True), "month": (("月份",), "int", True),
        "row_code": (("行代码", "代码"), "text", False), "carrier": (("能源名称", "能源品种"), "text", True),
        "unit": (("计量单位",), "text", True), "consumption": (("消费量合计", "消费量"), "number", True),
        "consumption_tce": (("折标准煤", "消费量折标准煤(吨)", "消费量折标准煤（吨）"), "number", False), **_SRC},
    "two_high": {
        "name": (("项目名称",), "text", True), "uscc": (_USCC, "text", False),
        "status": (("项目状态", "状态"), {"在建": "在建", "拟建": "拟建", "存量": "存量"}, True),
        "industry": (("行业",), "text", False), "product": (("产品",), "text", True),
        "capacity": (("产能", "设计产能"), "text", False),
        "unit_energy": (("单位产品能耗", "单位产品综合能耗"), "number", True), **_SRC},
}
FILE_KEYS = {"key_units": ["uscc"], "metering_points": ["uscc", "code"], "energy_budgets": ["uscc", "year"],
             "unit_outputs": ["uscc", "year", "product"], "form_205_1": ["uscc", "year", "month", "carrier"],
             "two_high": ["name"]}
_MODELS = {"key_units": (KeyUnit, ("uscc",)), "metering_points": (MeteringPoint, ("unit_id", "code")),
           "energy_budgets": (EnergyBudget, ("unit_id", "year")),
           "unit_outputs": (UnitOutput, ("unit_id", "year", "product")),
           "form_205_1": (EnergyReport, ("unit_id", "year", "month", "carrier")), "two_high": (TwoHighProject, ("name",))}
REGISTRY_MODELS = _MODELS  # kind → (table, natural key): imports write and services/permissions.py reads
_INDUSTRY = re.compile(r"^[A-T]?\d{2,4}$")


def detect(cols: set[str]) -> str | None:
    """The monitoring file kind a set of (lower-case) headers belongs to, if any."""
    def has(kind, col):
        return any(s.lower() in cols for s in (col, *FILE_KINDS[kind][col][0]))
    if has("two_high", "unit_energy"):
        return "two_high"
    if has("form_205_1", "month") and has("form_205_1", "consumption"):
        return "form_205_1"
    if has("metering_points", "code") and has("metering_points", "kind"):
        return "metering_points"
    if has("energy_budgets", "budget_tce"):
        return "energy_budgets"
    if has("unit_outputs", "output_t"):
        return "unit_outputs"
    if has("key_units", "industry_code"):
        return "key_units"
    return None


def read_records(platform: Platform, kind: str, path: Path, name: str) -> tuple[pd.DataFrame, list[dict], Any, tuple, str]:
    """Validate a monitoring registry file; returns (frame, records, model, natural key, column)."""
    issues: list[InputIssue] = []
    df = read_typed(path, FILE_KINDS[kind], FILE_KEYS[kind], name, issues)
    rows = df["row"].astype(int).tolist()
    with platform.sessions() as s:
        units = dict(s.execute(select(KeyUnit.uscc, KeyUnit.id)).all())
    new_units = set(df["uscc"]) if kind == "key_units" else set()
    for i, code in zip(rows, df["uscc"]):
        if not code:
            continue
        why = uscc_problem(code)
        if why:
            issues.append(InputIssue("input.bad_uscc", name, i, "uscc", {"value": code, "reason": why}))
        elif kind not in ("key_units", "two_high") and code not in units and code not in new_units:
            issues.append(InputIssue("input.unknown_unit_code", name, i, "uscc", {"value": code}))
    cat = platform.ref.catalogue
    if kind == "key_units":
        for i, code in zip(rows, df["industry_code"]):
            if code and not _INDUSTRY.match(code):
                issues.append(InputIssue("input.bad_value", name, i, "industry_code",
                                         {"value": code, "reason": "GB/T 4754 code such as C3011"}))
        df["category"] = [c if isinstance(c, str) else None if pd.isna(e) else ("online" if e >= ONLINE_THRESHOLD_TCE else "supervision")
                          for c, e in zip(df["category"], df["annual_energy_tce"])]
    if kind in ("metering_points", "form_205_1"):
        resolved = []
        for i, c, u in zip(rows, df["carrier"], df["unit"]):
            canon = cat.resolve(c) if c else None
            resolved.append(canon)
            if not c or not u:
                continue
            if canon is None:
                issues.append(InputIssue("input.unknown_carrier", name, i, "carrier",
                                         {"value": c, "examples": "原煤、天然气、电力"}))
                continue
            try:
                conversion_factor(u, cat.carriers[canon].canonical_unit)
            except UnitError:
                issues.append(InputIssue("input.unit_mismatch", name, i, "unit",
                                         {"value": u, "carrier": canon, "expected": cat.carriers[canon].canonical_unit}))
        df["carrier"] = resolved
    if kind == "metering_points":
        df["multiplier"] = df["multiplier"].fillna(1.0)
        df["interval_min"] = df["interval_min"].fillna(15)
        for i, m, iv in zip(rows, df["multiplier"], df["interval_min"]):
            if pd.isna(m) or pd.isna(iv):
                continue
            if m <= 0:
                issues.append(InputIssue("input.bad_value", name, i, "multiplier", {"value": m, "reason": "> 0"}))
            if iv not in (1, 5, 10, 15, 30, 60):
                issues.append(InputIssue("input.bad_value", name, i, "interval_min",
                                         {"value": iv, "reason": "one of 1, 5, 10, 15, 30, 60 minutes"}))
    if kind == "form_205_1":
        for i, m in zip(rows, df["month"]):
            if not pd.isna(m) and not 1 <= m <= 12:
                issues.append(InputIssue("input.bad_value", name, i, "month", {"value": m, "reason": "1–12"}))
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    model, key = _MODELS[kind]
    columns = set(model.__table__.columns.keys())
    records = []
    for r in df.to_dict("records"):
        rec = {c: _plain(r[c]) for c in FILE_KINDS[kind] if c in columns}
        if "unit_id" in columns:
            rec["unit_id"] = units.get(r["uscc"])
        if "illustrative" in columns:
            rec["illustrative"] = bool(r["illustrative"])
        records.append(rec)
    return df, records, model, key, FILE_KEYS[kind][-1]


def _plain(v):
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


# --- reading series -------------------------------------------------------------------------------

def _registry(platform: Platform) -> tuple[pd.DataFrame, pd.DataFrame]:
    with platform.engine.connect() as c:
        units = pd.read_sql(select(KeyUnit.id, KeyUnit.uscc, KeyUnit.name, KeyUnit.industry_code, KeyUnit.industry,
                                   KeyUnit.town, KeyUnit.annual_energy_tce, KeyUnit.category, KeyUnit.illustrative,
                                   KeyUnit.last_seen_at, KeyUnit.token_hint), c)
        points = pd.read_sql(select(MeteringPoint.__table__), c)
    return units, points


def visible_unit(platform: Platform, principal) -> str | None:
    """The one unit an enterprise account may see: its USCC, or "-" (no unit) when its unit is not
    registered; None for county roles, who see every unit."""
    if principal.role != "enterprise":
        return None
    return unit_code(platform, principal.enterprise) or "-"


def only_unit(result: dict[str, Any], uscc: str | None) -> dict[str, Any]:
    """A copy of a monitoring result with only the rows of unit ``uscc`` (all rows for None).
    The rectification list of other parties' projects is left out for a single unit."""
    if uscc is None:
        return result
    out = dict(result)
    for key in ("units", "items", "two_high", "rows"):
        if key in out:
            out[key] = [r for r in out[key] if r.get("uscc") == uscc]
    if "findings" in out:
        out["findings"] = [f for f in out["findings"] if f["data"].get("uscc") == uscc]
    if "rectification" in out:
        out["rectification"] = []
    return out


def unit_code(platform: Platform, text: str | None) -> str | None:
    """The USCC of a unit named by its code or its name (an enterprise account may hold either)."""
    if not text:
        return None
    with platform.engine.connect() as c:
        return c.scalar(select(KeyUnit.uscc).where((KeyUnit.uscc == text) | (KeyUnit.name == text)))


def _epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=CST).timestamp())


def readings(platform: Platform, start: date, end: date, point_ids: list[int] | None = None) -> pd.DataFrame:
    """Stored readings with period start in [start, end) (local days)."""
    R = MeterReading.__table__
    q = select(R.c.point_id, R.c.stat_type, R.c.period_start, R.c.value, R.c.batch_id).where(
        R.c.period_start >= _epoch(start), R.c.period_start < _epoch(end))
    if point_ids is not None:
        q = q.where(R.c.point_id.in_(point_ids))
    with platform.engine.connect() as c:
        return pd.read_sql(q, c)


def _local_index(epochs: pd.Series) -> pd.Series:
    return pd.to_datetime(epochs, unit="s", utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)


def series(platform: Platform, year: int) -> dict[str, pd.DataFrame]:
    """Consumption per point at three resolutions for ``year`` (local time), each row saying
    which statistic it comes from (``basis``): hourly from real-time readings; daily from day
    statistics, else from real-time readings; monthly from month statistics, else from the daily
    series."""
    def compute():
        units, points = _registry(platform)
        raw = readings(platform, date(year, 1, 1), date(year + 1, 1, 2))  # one day past: the last counter step
        pts = points.set_index("id")
        hourly, daily_rt, daily_st, monthly_st = [], [], [], []
        for (pid, stat), g in raw.groupby(["point_id", "stat_type"], sort=False):
            p = pts.loc[pid]
            t, v = consumption(p["kind"], int(stat), g["period_start"].to_numpy(), g["value"].to_numpy(float),
                               float(p["multiplier"]))
            f = pd.DataFrame({"point_id": pid, "at": _local_index(pd.Series(t)), "quantity": v})
            f = f[f["at"].dt.year == year]
            if stat == 0:
                hourly.append(f.assign(at=f["at"].dt.floor("h")).groupby(["point_id", "at"], as_index=False)["quantity"].sum())
                daily_rt.append(f.assign(at=f["at"].dt.floor("D")).groupby(["point_id", "at"], as_index=False)
                                .agg(quantity=("quantity", "sum"), n=("quantity", "size")))
            elif stat == 1:
                daily_st.append(f)
            elif stat == 2:
                monthly_st.append(f)
        empty = pd.DataFrame({"point_id": pd.Series(dtype=int), "at": pd.Series(dtype="datetime64[ns]"),
                              "quantity": pd.Series(dtype=float)})
        def cat(frames):
            out = pd.concat(frames or [empty], ignore_index=True)
            out["at"] = pd.to_datetime(out["at"])
            return out
        h = cat(hourly).assign(basis="real-time")
        d_rt = cat(daily_rt).assign(basis="real-time")
        d_st = cat(daily_st).assign(basis="day")
        daily = pd.concat([d_st, d_rt[~d_rt.set_index(["point_id", "at"]).index.isin(d_st.set_index(["point_id", "at"]).index)]],
                          ignore_index=True)
        m_st = cat(monthly_st).assign(basis="month")
        m_d = daily.assign(at=daily["at"].dt.to_period("M").dt.to_timestamp()).groupby(
            ["point_id", "at"], as_index=False)["quantity"].sum().assign(basis="daily sum")
        monthly = pd.concat([m_st, m_d[~m_d.set_index(["point_id", "at"]).index.isin(m_st.set_index(["point_id", "at"]).index)]],
                            ignore_index=True)
        out: dict[str, Any] = {"factor_findings": []}
        for res, frame in (("hour", h), ("day", daily), ("month", monthly)):
            out[res], found = _energy(platform, frame.drop(columns=[c for c in ("n",) if c in frame]), points, units, year)
            out["factor_findings"] += [f for f in found if f not in out["factor_findings"]]
        out["day_rt_counts"] = d_rt
        out["raw"] = raw
        out["units"], out["points"] = units, points  # the registry the series was computed with
        return out
    return platform.cached(("monitoring-series", year, versions.key(platform, versions.METERED)), compute,
                           lambda d: frame_weight(*(v for v in d.values() if isinstance(v, pd.DataFrame))))


def _energy(platform: Platform, frame: pd.DataFrame, points: pd.DataFrame, units: pd.DataFrame, year: int
            ) -> tuple[pd.DataFrame, list[Finding]]:
    """Quantities in the point's unit → tce and CO2 by the accounting engine (factor ids kept)."""
    cols = ["point_id", "at", "basis", "quantity", "unit_id", "uscc", "name", "industry", "industry_code", "town",
            "carrier", "unit", "energy_tce", "co2_t", "factor_ids"]
    if frame.empty:
        out = pd.DataFrame({c: pd.Series(dtype=float if c in ("quantity", "energy_tce", "co2_t") else object) for c in cols})
        out["at"] = pd.Series(dtype="datetime64[ns]")
        out["point_id"] = out["unit_id"] = pd.Series(dtype="int64")
        return out, []
    f = frame.merge(points[["id", "unit_id", "carrier", "unit"]], left_on="point_id", right_on="id").drop(columns="id")
    f = f.merge(units[["id", "uscc", "name", "industry", "industry_code", "town"]], left_on="unit_id", right_on="id").drop(columns="id")
    # One accounting line per distinct (carrier, unit): the engine's factors per unit quantity,
    # with their ids, then spread over the rows.
    keys = f[["carrier", "unit"]].drop_duplicates().reset_index(drop=True)
    act = pd.DataFrame({"year": year, "region": "key_units", "sector": keys["carrier"] + "|" + keys["unit"],
                        "carrier": keys["carrier"], "quantity": 1.0, "unit": keys["unit"]})
    ref = platform.ref  # one reference for the whole computation (each read asks the store)
    prepared, issues = prepare_activity(act, "monitoring", ref.catalogue)
    if issues:
        raise InputRejected(issues)
    res = account(prepared, ref.factors, ref.catalogue,
                  AccountingOptions(electricity_fallback="nearest"), file="monitoring")
    if res.issues:
        raise InputRejected(res.issues)
    per = keys.assign(tce=res.lines["energy_tce"].to_numpy(), co2=res.lines["co2_t"].to_numpy(),
                      factor_ids=res.lines["factor_ids"].to_numpy())
    f = f.merge(per, on=["carrier", "unit"], how="left")
    f["energy_tce"] = f["quantity"] * f["tce"]
    f["co2_t"] = f["quantity"] * f["co2"]
    return f[cols], res.findings


def aggregate(platform: Platform, year: int, resolution: str = "month", by: str = "unit",
              uscc: str | None = None) -> list[dict[str, Any]]:
    """Energy [tce] and CO2 [t] by period and carrier, per unit, industry or town."""
    if resolution not in ("hour", "day", "month"):
        raise NotFound(f"resolution {resolution!r}: hour, day or month")
    key = {"unit": ["uscc", "name"], "industry": ["industry_code", "industry"], "town": ["town"]}.get(by)
    if key is None:
        raise NotFound(f"grouping {by!r}: unit, industry or town")
    f = series(platform, year)[resolution]
    if uscc:
        f = f[f["uscc"] == uscc]
    if f.empty:
        return []
    g = f.groupby(key + ["at", "carrier", "unit", "basis"], as_index=False).agg(
        quantity=("quantity", "sum"), energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"),
        factor_ids=("factor_ids", "first"))
    g["at"] = g["at"].dt.strftime("%Y-%m-%d %H:%M" if resolution == "hour" else "%Y-%m-%d" if resolution == "day" else "%Y-%m")
    return g.to_dict("records")


def metered_totals(platform: Platform) -> list[dict[str, Any]]:
    """Metered energy and CO2 of all key units per year (monthly series), for the inventory's
    industrial sector beside the statistical series."""
    with platform.engine.connect() as c:
        lo, hi = c.execute(select(func.min(MeterReading.period_start), func.max(MeterReading.period_start))).one()
    if lo is None:
        return []
    out = []
    for y in range(datetime.fromtimestamp(lo, CST).year, datetime.fromtimestamp(hi, CST).year + 1):
        m = series(platform, y)["month"]
        if not m.empty:
            out.append({"year": y, "units": int(m["uscc"].nunique()), "energy_tce": float(m["energy_tce"].sum()),
                        "co2_t": float(m["co2_t"].sum()), "months": int(m["at"].nunique())})
    return out


# --- data quality -------------------------------------------------------------------------------

def _working_days_between(a: date, b: date) -> int:
    """Working days (Mon–Fri; public holidays are not modelled) strictly between a and b."""
    if b <= a:
        return 0
    return int(np.busday_count(a + timedelta(days=1), b))


def quality(platform: Platform, year: int, as_of: date | None = None) -> list[Finding]:
    s = series(platform, year)
    units, points = s["units"], s["points"]
    as_of = as_of or _as_of(s, year)
    unit_of = units.set_index("id")
    pts = points.set_index("id")
    out: list[Finding] = []
    rule = QUALITY_RULE
    # Completeness per unit and day (real-time points only), from the unit's first day.
    counts = s["day_rt_counts"]
    rt_points = s["raw"].loc[s["raw"]["stat_type"] == 0, "point_id"].unique()
    for uid, plist in points[points["id"].isin(rt_points)].groupby("unit_id"):
        expected_per_day = float(sum(1440 / pts.at[p, "interval_min"] for p in plist["id"]))
        c = counts[counts["point_id"].isin(plist["id"])].groupby("at")["n"].sum()
        if c.empty:
            continue
        days = pd.date_range(c.index.min(), min(pd.Timestamp(as_of), pd.Timestamp(year, 12, 31)), freq="D")
        full = c.reindex(days, fill_value=0)
        # a counter's last reading of a day opens the next step: count readings, not steps
        for day, n in full.items():
            share = min(1.0, (n + len(plist)) / expected_per_day) if n else 0.0
            if share < QUALITY["completeness"]:
                u = unit_of.loc[uid]
                out.append(Finding("monitoring.incomplete", Severity.WARNING,
                                   {"unit": u["name"], "uscc": u["uscc"], "day": day.date().isoformat(),
                                    "share": round(share * 100, 1), "min": QUALITY["completeness"] * 100}, rule))
    # Gaps longer than three working days, per point (real-time or day statistics).
    raw = s["raw"]
    for (pid, stat), g in raw[raw["stat_type"].isin([0, 1])].groupby(["point_id", "stat_type"]):
        days = sorted(set(_local_index(g["period_start"]).dt.date))
        edges = list(pairwise(days)) + [(days[-1], min(as_of, date(year, 12, 31)) + timedelta(days=1))]
        for a, b in edges:
            wd = _working_days_between(a, b)
            if wd > QUALITY["gap_working_days"]:
                p, u = pts.loc[pid], unit_of.loc[pts.at[pid, "unit_id"]]
                out.append(Finding("monitoring.gap", Severity.WARNING,
                                   {"unit": u["name"], "uscc": u["uscc"], "point": p["code"],
                                    "from": (a + timedelta(days=1)).isoformat(),
                                    "to": (b - timedelta(days=1)).isoformat(), "working_days": wd}, rule))
    # Calibration expiry.
    for _, p in points.iterrows():
        exp = p["calibration_expiry"]
        if exp is None or pd.isna(exp):
            continue
        exp = pd.Timestamp(exp).date()
        u = unit_of.loc[p["unit_id"]]
        if exp < as_of:
            out.append(Finding("monitoring.calibration_expired", Severity.WARNING,
                               {"unit": u["name"], "uscc": u["uscc"], "point": p["code"], "expiry": exp.isoformat()},
                               "GB 17167-2006 计量器具检定"))
        elif exp <= as_of + timedelta(days=QUALITY["calibration_warn_days"]):
            out.append(Finding("monitoring.calibration_due", Severity.INFO,
                               {"unit": u["name"], "uscc": u["uscc"], "point": p["code"], "expiry": exp.isoformat()},
                               "GB 17167-2006 计量器具检定"))
    # Daily vs monthly statistics beyond 5 %.
    d, m = s["day"], s["month"]
    d_month = d.assign(at=d["at"].dt.to_period("M").dt.to_timestamp()).groupby(["point_id", "at"])["quantity"].sum()
    for _, r in m[m["basis"] == "month"].iterrows():
        k = (r["point_id"], r["at"])
        if k not in d_month.index or r["quantity"] <= 0:
            continue
        diff = abs(d_month[k] - r["quantity"]) / r["quantity"]
        if diff > QUALITY["day_vs_month"]:
            out.append(Finding("monitoring.day_vs_month", Severity.WARNING,
                               {"unit": r["name"], "uscc": r["uscc"], "point": pts.at[r["point_id"], "code"],
                                "month": r["at"].strftime("%Y-%m"), "days": round(float(d_month[k]), 3),
                                "month_value": round(float(r["quantity"]), 3), "diff": round(diff * 100, 1)}, rule))
    out += _reconcile(platform, m, year)
    return out


def _reconcile(platform: Platform, monthly: pd.DataFrame, year: int) -> list[Finding]:
    """Metered monthly totals per unit and carrier against the unit's 205-1 report."""
    with platform.engine.connect() as c:
        rep = pd.read_sql(select(EnergyReport.unit_id, EnergyReport.month, EnergyReport.carrier, EnergyReport.unit,
                                 EnergyReport.consumption).where(EnergyReport.year == year), c)
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
        diff = abs(metered - r["consumption"]) / r["consumption"]
        if diff > QUALITY["reconcile_205_1"]:
            out.append(Finding("monitoring.reconcile_205_1", Severity.WARNING,
                               {"unit": sel["name"].iloc[0], "uscc": sel["uscc"].iloc[0], "carrier": r["carrier"],
                                "month": f"{year}-{int(r['month']):02d}", "metered": round(metered, 3),
                                "reported": round(float(r["consumption"]), 3), "measure": r["unit"],
                                "diff": round(diff * 100, 1)}, "205-1《能源购进、消费与库存》"))
    return out


def _as_of(s: dict, year: int) -> date:
    """The day figures are stated at: the last day with data in ``year`` (never past today)."""
    raw = s["raw"]
    if raw.empty:
        return min(date.today(), date(year, 12, 31))
    last = _local_index(raw["period_start"]).max().date()
    return min(last, date(year, 12, 31), date.today())


# --- budgets, efficiency, units -------------------------------------------------------------------

def budgets(platform: Platform, year: int, as_of: date | None = None, rule: BudgetRule | None = None,
            lang: str = "zh") -> dict[str, Any]:
    rule = rule or BudgetRule()
    s = series(platform, year)
    as_of = as_of or _as_of(s, year)
    m = s["day"]
    used = m[m["at"].dt.date <= as_of].groupby("unit_id")["energy_tce"].sum()
    share = elapsed_share(year, as_of)
    with platform.sessions() as ss:
        rows = ss.execute(select(EnergyBudget, KeyUnit).join(KeyUnit, EnergyBudget.unit_id == KeyUnit.id)
                          .where(EnergyBudget.year == year).order_by(KeyUnit.name)).all()
    items = []
    for b, u in rows:
        st = budget_status(float(used.get(u.id, 0.0)), b.budget_tce, share, rule)
        items.append({"uscc": u.uscc, "name": u.name, **st, "budget_source": b.source,
                      "illustrative": b.illustrative or u.illustrative})
    return {"year": year, "as_of": as_of.isoformat(), "rule": rule.text(lang),
            "rule_params": {"yellow": rule.yellow, "red": rule.red},
            "basis": ("累计用能取日数据（无日数据时取实时读数），按 GB/T 2589-2020 折标" if lang == "zh" else
                      "use to date from the daily series (day statistics, else real-time readings), tce by GB/T 2589-2020"),
            "items": items}


EFFICIENCY_RULE = {
    "zh": "单位产品能耗越低越好：≤1级/标杆为标杆水平；≤2级（新建准入值）为达到准入值；≤3级/基准（限定值）为达到基准；"
          "高于3级为未达基准/超限额。在建、拟建项目须达到准入值（无2级时须达标杆），存量项目须达到基准。",
    "en": "Lower is better: ≤ level 1/标杆 benchmark; ≤ level 2 (access value of new plants) access; ≤ level 3/基准 "
          "(limit) baseline; above: below baseline. 在建/拟建 must reach the access value (the 标杆 where no level 2 "
          "exists); 存量 the baseline."}


def efficiency(platform: Platform, year: int, lang: str = "zh") -> dict[str, Any]:
    marks = {b.product: b for b in load_benchmarks()}
    with platform.sessions() as s:
        outs = s.execute(select(UnitOutput, KeyUnit).join(KeyUnit, UnitOutput.unit_id == KeyUnit.id)
                         .where(UnitOutput.year == year).order_by(KeyUnit.name)).all()
        projects = s.scalars(select(TwoHighProject).order_by(TwoHighProject.status, TwoHighProject.name)).all()
    items = []
    for o, u in outs:
        value = o.energy_tce * 1000 / o.output_t if o.output_t else None
        b = marks.get(o.product)
        cls = efficiency_class(value, b) if (b and value is not None) else "unrated"
        items.append({"uscc": u.uscc, "name": u.name, "product": o.product, "output_t": o.output_t,
                      "energy_tce": o.energy_tce, "value": value, "unit": "kgce/t", "class": cls,
                      "benchmark": _bench(b), "illustrative": o.illustrative or u.illustrative})
    listed = []
    for p in projects:
        b = marks.get(p.product)
        cls = efficiency_class(p.unit_energy, b) if b else "unrated"
        listed.append({"name": p.name, "uscc": p.uscc, "status": p.status, "industry": p.industry, "product": p.product,
                       "capacity": p.capacity, "unit_energy": p.unit_energy, "class": cls,
                       "rectify": needs_rectification(p.status, cls) if b else None, "benchmark": _bench(b),
                       "source": p.source, "illustrative": p.illustrative})
    return {"year": year, "units": items, "two_high": listed,
            "rule": EFFICIENCY_RULE["en" if lang == "en" else "zh"],
            "rectification": [p for p in listed if p["rectify"]]}


def _bench(b) -> dict | None:
    if b is None:
        return None
    return {"id": b.id, "product": b.product, "level1": b.level1, "level2": b.level2, "level3": b.level3,
            "unit": b.unit, "document": b.document, "status": b.status, "note": b.note}


def units_view(platform: Platform, year: int, as_of: date | None = None, lang: str = "zh") -> dict[str, Any]:
    s = series(platform, year)
    units, points = s["units"], s["points"]
    as_of = as_of or _as_of(s, year)
    m = s["month"]
    tot = m.groupby("unit_id").agg(energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"))
    bud = {b["uscc"]: b for b in budgets(platform, year, as_of, lang=lang)["items"]}
    eff: dict[str, list] = {}
    for e in efficiency(platform, year, lang)["units"]:
        eff.setdefault(e["uscc"], []).append(e)
    findings = quality(platform, year, as_of)
    nf: dict[str, int] = {}
    for f in findings:
        nf[f.params.get("uscc")] = nf.get(f.params.get("uscc"), 0) + 1
    items = []
    for _, u in units.sort_values(["category", "annual_energy_tce"], ascending=[True, False]).iterrows():
        items.append({"uscc": u["uscc"], "name": u["name"], "industry_code": u["industry_code"], "industry": u["industry"],
                      "town": u["town"], "category": u["category"], "annual_energy_tce": u["annual_energy_tce"],
                      "points": int((points["unit_id"] == u["id"]).sum()),
                      "last_seen": None if pd.isna(u["last_seen_at"]) else pd.Timestamp(u["last_seen_at"]).isoformat(),
                      "token": bool(u["token_hint"]) if isinstance(u["token_hint"], str) else False,
                      "energy_tce": float(tot["energy_tce"].get(u["id"], 0.0)),
                      "co2_t": float(tot["co2_t"].get(u["id"], 0.0)),
                      "budget": bud.get(u["uscc"]), "efficiency": eff.get(u["uscc"], []),
                      "findings": nf.get(u["uscc"], 0), "illustrative": bool(u["illustrative"])})
    return {"year": year, "as_of": as_of.isoformat(), "units": items,
            "thresholds": {"online_tce": ONLINE_THRESHOLD_TCE, "supervision_tce": SUPERVISION_THRESHOLD_TCE},
            "findings": [f.as_dict(lang) for f in findings],
            "factor_findings": [f.as_dict(lang) for f in s["factor_findings"]]}


def disclosure(platform: Platform, year: int, lang: str = "zh") -> dict[str, Any]:
    """The public supervision results (向社会公开节能监察工作情况): per unit its category, whether it
    is connected, data completeness, budget light, efficiency class and the units that must
    rectify. No meter data is published."""
    v = units_view(platform, year, lang=lang)
    eff = efficiency(platform, year, lang)
    rows = []
    for u in v["units"]:
        worst = None
        for e in u["efficiency"]:
            if e["class"] == "below_baseline":
                worst = e
        rows.append({"name": u["name"], "uscc": u["uscc"], "industry": u["industry"], "town": u["town"],
                     "category": u["category"], "connected": u["last_seen"] is not None,
                     "energy_tce": round(u["energy_tce"], 1),
                     "budget_light": (u["budget"] or {}).get("light"),
                     "efficiency": [{"product": e["product"], "class": e["class"]} for e in u["efficiency"]],
                     "below_limit": worst is not None, "data_findings": u["findings"],
                     "illustrative": u["illustrative"]})
    return {"year": year, "as_of": v["as_of"], "units": rows, "rectification": eff["rectification"],
            "note": ("能耗为在线计量值（逐月序列）；能效水平按各基准值的规则判定；示范单位的读数为模拟数据。" if lang == "zh" else
                     "energy figures are metered (monthly series); efficiency classes follow the rule shown with each "
                     "benchmark; the demo units' readings are simulated")}
