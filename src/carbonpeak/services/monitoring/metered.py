"""Metered consumption series of the key units: the rollups kept at ingest → quantities per point
(hour, day, month; each row naming the statistic it comes from; services/monitoring/rollups.py) →
tce and CO2 by the accounting engine, and their aggregates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select

from ...domain.accounting import unit_factors
from ...domain.findings import Finding
from ...domain.monitoring import CST
from ...store.models import KeyUnit, MeteringPoint
from .. import versions
from ..accounting import accounting_policy
from ..errors import InputRejected, NotFound
from ..platform import Platform, frame_weight
from ..scope import COUNTY, Scope
from . import rollups
from .types import SeriesRow


def _registry(platform: Platform) -> tuple[pd.DataFrame, pd.DataFrame]:
    with platform.engine.connect() as c:
        units = pd.read_sql(select(KeyUnit.id, KeyUnit.uscc, KeyUnit.name, KeyUnit.industry_code, KeyUnit.industry,
                                   KeyUnit.town, KeyUnit.annual_energy_tce, KeyUnit.category, KeyUnit.illustrative,
                                   KeyUnit.last_seen_at, KeyUnit.token_hint), c)
        points = pd.read_sql(select(MeteringPoint.__table__), c)
    return units, points


def series(platform: Platform, year: int) -> dict[str, Any]:
    """The monthly consumption per point for ``year`` (local time) from the rollups, each row
    saying which statistic it comes from (``basis``): ``month`` (month statistics, else the daily
    series summed: ``daily sum``) and ``day_month`` (the daily series summed per month: day
    statistics, else real-time readings), with tce and CO2; ``m``, the month rollups themselves;
    ``last_day``, the last day with a reading. Day and hour series: :func:`fine`."""
    def compute():
        units, points = _registry(platform)
        m = rollups.read(platform, "m", date(year, 1, 1), date(year + 1, 1, 1))
        day_month, month = rollups.monthly(platform, year, m)
        out: dict[str, Any] = {"factor_findings": []}
        for key, frame in (("day_month", day_month), ("month", month)):
            out[key], found = _energy(platform, frame, points, units, year)
            out["factor_findings"] += [f for f in found if f not in out["factor_findings"]]
        out["m"] = m
        out["last_day"] = rollups.last_day(platform, date(year, 1, 1), date(year + 1, 1, 2))
        out["units"], out["points"] = units, points  # the registry the series was computed with
        return out
    return platform.cached(("monitoring-series", year, versions.key(platform, versions.METERED)), compute,
                           lambda d: frame_weight(*(v for v in d.values() if isinstance(v, pd.DataFrame))))


def fine(platform: Platform, year: int, resolution: str) -> pd.DataFrame:
    """The daily (day statistics, else real-time) or hourly (real-time) series of ``year`` per
    point, with tce and CO2: read from the day or hour rollups when asked for."""
    def compute():
        base = series(platform, year)
        res = "d" if resolution == "day" else "h"
        f = rollups.read(platform, res, date(year, 1, 1), date(year + 1, 1, 1), (0, 1) if res == "d" else (0,))
        frame = rollups.daily(f) if res == "d" else rollups.hourly(f)
        return _energy(platform, frame, base["points"], base["units"], year)[0]
    return platform.cached(("monitoring-" + resolution, year, versions.key(platform, versions.METERED)), compute,
                           frame_weight)


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
    pts, uts = points.set_index("id"), units.set_index("id")
    f = frame[frame["point_id"].isin(pts.index)].reset_index(drop=True)  # the registry's points (map, not merge: fast)
    for c in ("unit_id", "carrier", "unit"):
        f[c] = f["point_id"].map(pts[c])
    for c in ("uscc", "name", "industry", "industry_code", "town"):
        f[c] = f["unit_id"].map(uts[c])
    # The engine's factors per unit quantity of each distinct (carrier, unit), with their ids,
    # then spread over the rows (domain/accounting.unit_factors, the accounting policy in force).
    keys = f[["carrier", "unit"]].drop_duplicates().reset_index(drop=True)
    ref, policy = platform.ref, accounting_policy(platform)  # one reference for the whole computation
    got = [platform.cached(("monitoring-factors", c, u, year, policy, id(ref), versions.key(platform, ("plan", "factors"))),
                           lambda c=c, u=u: unit_factors(c, u, year, policy, ref.factors, ref.catalogue, file="monitoring"))
           for c, u in zip(keys["carrier"], keys["unit"])]
    if issues := [i for g in got for i in g.issues]:
        raise InputRejected(issues)
    per = keys.assign(tce=[g.energy_tce for g in got], co2=[g.co2_t for g in got],
                      factor_ids=["|".join(g.factor_ids) for g in got])
    at = pd.MultiIndex.from_frame(f[["carrier", "unit"]])
    per = per.set_index(["carrier", "unit"])
    f["energy_tce"] = f["quantity"].to_numpy() * per["tce"].reindex(at).to_numpy()
    f["co2_t"] = f["quantity"].to_numpy() * per["co2"].reindex(at).to_numpy()
    f["factor_ids"] = per["factor_ids"].reindex(at).to_numpy()
    findings = {(x.code, repr(sorted(x.params.items()))): x for g in got for x in g.findings}  # once each
    return f[cols], list(findings.values())


def scoped(s: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """The series of the units ``scope`` sees (all of them for the county and the public)."""
    if not scope.one_unit:
        return s
    units = s["units"][s["units"]["uscc"] == scope.unit]
    ids = set(units["id"])
    points = s["points"][s["points"]["unit_id"].isin(ids)]
    out = dict(s, units=units, points=points, m=s["m"][s["m"]["point_id"].isin(set(points["id"]))])
    for key in ("day_month", "month"):
        out[key] = s[key][s[key]["unit_id"].isin(ids)]
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
    s = scoped(series(platform, year), scope)
    f = s["month"] if resolution == "month" else fine(platform, year, resolution)
    if resolution != "month" and scope.one_unit:
        f = f[f["unit_id"].isin(set(s["units"]["id"]))]
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


def _consumed(month: pd.DataFrame) -> bool:
    """Whether a year's monthly series holds any consumption. A counter's closing reading at
    00:00 on 1 January opens a month rollup with one reading and no interval (its step belongs to
    the year before): such rows are zero and do not make a year of data."""
    return bool((month["quantity"] != 0).any())


def latest_year(platform: Platform) -> int | None:
    """The last year with metered consumption: from the year of the last reading down (a
    counter's closing reading may open a year without consumption), each year's series cached."""
    lo, hi = rollups.bounds(platform)
    if hi is None:
        return None
    for y in range(datetime.fromtimestamp(hi, CST).year, datetime.fromtimestamp(lo, CST).year - 1, -1):
        if _consumed(series(platform, y)["month"]):
            return y
    return None


def metered_totals(platform: Platform) -> list[dict[str, Any]]:
    """Metered energy and CO2 of all key units per year (monthly series), for the inventory's
    industrial sector beside the statistical series."""
    lo, hi = rollups.bounds(platform)
    if lo is None:
        return []
    out = []
    for y in range(datetime.fromtimestamp(lo, CST).year, datetime.fromtimestamp(hi, CST).year + 1):
        m = series(platform, y)["month"]
        if _consumed(m):
            out.append({"year": y, "units": int(m["uscc"].nunique()), "energy_tce": float(m["energy_tce"].sum()),
                        "co2_t": float(m["co2_t"].sum()), "months": int(m["at"].nunique())})
    return out


def as_of_day(s: dict, year: int) -> date:
    """The day figures are stated at: the last day with data in ``year`` (never past today)."""
    if s["last_day"] is None:
        return min(date.today(), date(year, 12, 31))
    return min(s["last_day"], date(year, 12, 31), date.today())
