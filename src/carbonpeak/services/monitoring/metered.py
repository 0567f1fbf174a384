"""Metered consumption series of the key units: stored readings → quantities per point (hour, day,
month; each row naming the statistic it comes from) → tce and CO2 by the accounting engine, and
their aggregates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from ...domain.accounting import unit_factors
from ...domain.findings import Finding
from ...domain.monitoring import CST, consumption
from ...store.models import KeyUnit, MeteringPoint, MeterReading
from .. import versions
from ..accounting import accounting_policy
from ..errors import InputRejected, NotFound
from ..platform import Platform, frame_weight
from ..scope import COUNTY, Scope
from .types import SeriesRow


def _registry(platform: Platform) -> tuple[pd.DataFrame, pd.DataFrame]:
    with platform.engine.connect() as c:
        units = pd.read_sql(select(KeyUnit.id, KeyUnit.uscc, KeyUnit.name, KeyUnit.industry_code, KeyUnit.industry,
                                   KeyUnit.town, KeyUnit.annual_energy_tce, KeyUnit.category, KeyUnit.illustrative,
                                   KeyUnit.last_seen_at, KeyUnit.token_hint), c)
        points = pd.read_sql(select(MeteringPoint.__table__), c)
    return units, points


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
        h, d_rt, d_st, m_st = _point_frames(raw, points.set_index("id"), year)
        daily = _fill_from(d_st, d_rt)
        m_d = daily.assign(at=daily["at"].dt.to_period("M").dt.to_timestamp()).groupby(
            ["point_id", "at"], as_index=False)["quantity"].sum().assign(basis="daily sum")
        monthly = _fill_from(m_st, m_d)
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


def _point_frames(raw: pd.DataFrame, pts: pd.DataFrame, year: int
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Quantities per point within ``year``: hourly and daily (with reading counts) from real-time
    readings, then the day and the month statistics as stated."""
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
    return (_cat(hourly).assign(basis="real-time"), _cat(daily_rt).assign(basis="real-time"),
            _cat(daily_st).assign(basis="day"), _cat(monthly_st).assign(basis="month"))


def _cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    empty = pd.DataFrame({"point_id": pd.Series(dtype=int), "at": pd.Series(dtype="datetime64[ns]"),
                          "quantity": pd.Series(dtype=float)})
    out = pd.concat(frames or [empty], ignore_index=True)
    out["at"] = pd.to_datetime(out["at"])
    return out


def _fill_from(stated: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """The stated rows, and the derived rows for the (point, period) pairs none is stated for."""
    have = stated.set_index(["point_id", "at"]).index
    return pd.concat([stated, derived[~derived.set_index(["point_id", "at"]).index.isin(have)]], ignore_index=True)


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
    # The engine's factors per unit quantity of each distinct (carrier, unit), with their ids,
    # then spread over the rows (domain/accounting.unit_factors, the accounting policy in force).
    keys = f[["carrier", "unit"]].drop_duplicates().reset_index(drop=True)
    ref, policy = platform.ref, accounting_policy(platform)  # one reference for the whole computation
    got = [unit_factors(c, u, year, policy, ref.factors, ref.catalogue, file="monitoring")
           for c, u in zip(keys["carrier"], keys["unit"])]
    if issues := [i for g in got for i in g.issues]:
        raise InputRejected(issues)
    per = keys.assign(tce=[g.energy_tce for g in got], co2=[g.co2_t for g in got],
                      factor_ids=["|".join(g.factor_ids) for g in got])
    f = f.merge(per, on=["carrier", "unit"], how="left")
    f["energy_tce"] = f["quantity"] * f["tce"]
    f["co2_t"] = f["quantity"] * f["co2"]
    findings = {(x.code, repr(sorted(x.params.items()))): x for g in got for x in g.findings}  # once each
    return f[cols], list(findings.values())


def scoped(s: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """The series of the units ``scope`` sees (all of them for the county and the public)."""
    if not scope.one_unit:
        return s
    units = s["units"][s["units"]["uscc"] == scope.unit]
    ids = set(units["id"])
    points = s["points"][s["points"]["unit_id"].isin(ids)]
    pids = set(points["id"])
    out = dict(s, units=units, points=points)
    for res in ("hour", "day", "month"):
        out[res] = s[res][s[res]["unit_id"].isin(ids)]
    out["day_rt_counts"] = s["day_rt_counts"][s["day_rt_counts"]["point_id"].isin(pids)]
    out["raw"] = s["raw"][s["raw"]["point_id"].isin(pids)]
    return out


_GROUPS = {"unit": ["uscc", "name"], "industry": ["industry_code", "industry"], "town": ["town"]}


def aggregate(platform: Platform, year: int, resolution: str = "month", by: str = "unit",
              scope: Scope = COUNTY, uscc: str | None = None) -> list[SeriesRow]:
    """Energy [tce] and CO2 [t] by period and carrier, per unit, industry or town, of the units
    ``scope`` sees (and of unit ``uscc`` only, when given)."""
    if resolution not in ("hour", "day", "month"):
        raise NotFound(f"resolution {resolution!r}: hour, day or month")
    key = _GROUPS.get(by)
    if key is None:
        raise NotFound(f"grouping {by!r}: unit, industry or town")
    f = scoped(series(platform, year), scope)[resolution]
    if uscc:
        f = f[f["uscc"] == uscc]
    if f.empty:
        return []
    g = f.groupby(key + ["at", "carrier", "unit", "basis"], as_index=False).agg(
        quantity=("quantity", "sum"), energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"),
        factor_ids=("factor_ids", "first"))
    g["at"] = g["at"].dt.strftime("%Y-%m-%d %H:%M" if resolution == "hour" else "%Y-%m-%d" if resolution == "day" else "%Y-%m")
    return [SeriesRow(**r) for r in g.to_dict("records")]


def series_plain(rows: list[SeriesRow], by: str = "unit") -> list[dict[str, Any]]:
    """Series rows as JSON documents carrying only the columns of their grouping."""
    keep = set(_GROUPS[by])
    drop = {"uscc", "name", "industry_code", "industry", "town"} - keep
    return [{k: v for k, v in vars(r).items() if k not in drop} for r in rows]


def latest_year(platform: Platform) -> int | None:
    """The last year with metered consumption: from the year of the last reading down (a
    counter's closing reading may open a year without consumption), each year's series cached."""
    with platform.engine.connect() as c:
        lo, hi = c.execute(select(func.min(MeterReading.period_start), func.max(MeterReading.period_start))).one()
    if hi is None:
        return None
    for y in range(datetime.fromtimestamp(hi, CST).year, datetime.fromtimestamp(lo, CST).year - 1, -1):
        if not series(platform, y)["month"].empty:
            return y
    return None


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


def as_of_day(s: dict, year: int) -> date:
    """The day figures are stated at: the last day with data in ``year`` (never past today)."""
    raw = s["raw"]
    if raw.empty:
        return min(date.today(), date(year, 12, 31))
    last = _local_index(raw["period_start"]).max().date()
    return min(last, date(year, 12, 31), date.today())
