"""Metered consumption series of the key units: the rollups kept at ingest → quantities per point
(hour, day, month; each row naming the statistic it comes from; services/monitoring/rollups.py) →
tce and CO2 by the accounting engine, and their aggregates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ...domain.accounting import unit_factors
from ...domain.findings import Finding
from ...store.queries import monitoring as q
from .. import versions
from ..accounting import accounting_policy
from ..errors import InputRejected, NotFound
from ..platform import Platform, frame_weight
from ..scope import COUNTY, Scope
from . import rollups
from .frames import Coverage, MeteredMonth, MeteredYear, MonthCoverage
from .types import MonthlyEnergy, SeriesRow, UnitMonths


def _registry(platform: Platform) -> tuple[pd.DataFrame, pd.DataFrame]:
    with platform.engine.connect() as c:
        return q.registry(c)


def series(platform: Platform, year: int) -> MeteredYear:
    """The monthly consumption per unit and carrier for ``year`` (local time) from the rollups,
    each row saying which statistic it comes from (``basis``): ``month`` (month statistics, else
    the daily series summed: ``daily sum``) and ``day_month`` (the daily series summed per month:
    day statistics, else real-time readings), with tce and CO2; ``stated``, the point-months with
    month statistics beside their daily sums; ``cover``, what the completeness and gap checks
    need (rollups.combined_coverage); ``last_day``, the last day with a reading. Summed by SQL
    month by month (:func:`_month`), each month kept until a batch changes it (its data version,
    services/versions.month_topic): a new batch costs the queries of the months it touched.
    Day and hour series: :func:`fine`."""
    now = versions.current(platform)  # read once: the registry's and every month's versions
    base = tuple(now.get(t, 0) for t in _REGISTRY)
    spans = [*((year, m) for m in range(1, 13)), (year + 1, 1)]  # next January: a closing reading on 1 January
    months = tuple(now.get(versions.month_topic(y, m), 0) for y, m in spans)

    def compute():
        units, points = _registry(platform)
        policy = accounting_policy(platform)
        keys = [_month_key(year, m, v, base, policy) for m, v in zip(range(1, 13), months)]
        cold = [m for m, k in zip(range(1, 13), keys) if k not in platform.cache]
        if len(cold) > 1:  # a cold start: the months read and converted together, kept one by one
            _months_together(platform, year, cold, keys, units, points, policy)
        parts = [_month(platform, year, m, v, base, units, points, policy) for m, v in zip(range(1, 13), months)]
        found: list[Finding] = []
        for part in parts:
            found += [f for f in part.factor_findings if f not in found]

        def joined(key: str, order: list[str]) -> pd.DataFrame:
            f = pd.concat([getattr(p, key) for p in parts], ignore_index=True)
            return f.sort_values(order, kind="stable", ignore_index=True)
        return MeteredYear(units, points, joined("day_month", _ORDER), joined("month", _ORDER),  # the registry used
                           joined("stated", ["point_id", "at"]),
                           rollups.combined_coverage([p.cover for p in parts], points),
                           rollups.last_day(platform, date(year, 1, 1), date(year + 1, 1, 2)), found)
    return platform.cached(("monitoring-series", year, base, months), compute, _weight)


_REGISTRY = ("monitoring", "factors")  # what every month of a series depends on besides its readings
_ORDER = ["unit_id", "at", "carrier", "unit", "basis"]


def _month(platform: Platform, year: int, month: int, version: int, base: tuple, units: pd.DataFrame,
           points: pd.DataFrame, policy: Any) -> MeteredMonth:
    """One month of :func:`series` (its series with tce and CO2, its coverage), read in one
    connection, kept per (month's data version, registry and factor versions, policy)."""
    def compute():
        with platform.engine.connect() as c:
            day_month, month_, stated = rollups.monthly(c, year, month)
            cover = rollups.coverage(c, year, month)[month]
        return _part(stated, cover, {k: _energy(platform, f, points, units, year, policy)
                                     for k, f in (("day_month", day_month), ("month", month_))})
    return platform.cached(_month_key(year, month, version, base, policy), compute, _weight)


def _month_key(year: int, month: int, version: int, base: tuple, policy: Any) -> tuple:
    return ("monitoring-month", year, month, version, base, policy)


def _months_together(platform: Platform, year: int, cold: list[int], keys: list[tuple], units: pd.DataFrame,
                     points: pd.DataFrame, policy: Any) -> None:
    """The ``cold`` months as :func:`_month` computes each, in one connection and one SQL sum over
    their span, converted to tce and CO2 once; each month is kept under its own key, with the
    findings of the factors its own rows took (so a later batch recomputes only its months)."""
    with platform.engine.connect() as c:
        day_month, month_, stated = rollups.monthly(c, year, cold[0], cold[-1])
        covers = rollups.coverage(c, year, cold[0], cold[-1])
    frames = {k: _energy_pairs(platform, f, points, units, year, policy) for k, f in (("day_month", day_month),
                                                                                     ("month", month_))}
    split = {k: rollups.by_month(f, cold) for k, (f, _) in frames.items()} | {"stated": rollups.by_month(stated, cold)}
    for m in cold:
        energies = {}
        for k, (_, by_pair) in frames.items():
            sub = split[k][m]
            if sub.empty:  # as a month's own: the empty frame _energy gives, no findings
                energies[k] = _energy(platform, sub, points, units, year, policy)
            else:
                here = set(zip(sub["carrier"], sub["unit"]))
                energies[k] = sub, _once([x for pair, xs in by_pair.items() if pair in here for x in xs])
        part = _part(split["stated"][m], covers[m], energies)
        platform.cached(keys[m - 1], lambda part=part: part, _weight)


def _part(stated: pd.DataFrame, cover: MonthCoverage,
          energies: dict[str, tuple[pd.DataFrame, list[Finding]]]) -> MeteredMonth:
    """One month as it is kept: its series with tce and CO2 (``day_month``, ``month``), the
    point-months with month statistics, its coverage, and its factor findings once each."""
    found: list[Finding] = []
    for _, fs in energies.values():
        found += [f for f in fs if f not in found]
    return MeteredMonth(energies["day_month"][0], energies["month"][0], stated, cover, found)


def _weight(d: MeteredMonth | MeteredYear) -> int:
    """About the memory of a series (64 bytes a cell: cheaper to state than to measure)."""
    return sum(64 * f.size for f in d.frames())


def fine(platform: Platform, year: int, resolution: str) -> pd.DataFrame:
    """The daily (day statistics, else real-time) or hourly (real-time) series of ``year`` per
    point, with tce and CO2: read from the day or hour rollups when asked for."""
    def compute():
        base = series(platform, year)
        res = "d" if resolution == "day" else "h"
        f = rollups.read(platform, res, date(year, 1, 1), date(year + 1, 1, 1), (0, 1) if res == "d" else (0,))
        frame = rollups.daily(f) if res == "d" else rollups.hourly(f)
        return _energy(platform, frame, base.points, base.units, year)[0]
    return platform.cached(("monitoring-" + resolution, year, versions.key(platform, versions.METERED)), compute,
                           frame_weight)


def _energy(platform: Platform, frame: pd.DataFrame, points: pd.DataFrame, units: pd.DataFrame, year: int,
            policy: Any = None) -> tuple[pd.DataFrame, list[Finding]]:
    """Quantities in the point's unit → tce and CO2 by the accounting engine (factor ids kept);
    ``frame`` per point (point_id) or per unit and carrier (unit_id, carrier, unit); the findings
    of the factors its rows took, once each."""
    out, by_pair = _energy_pairs(platform, frame, points, units, year, policy)
    return out, _once([x for found in by_pair.values() for x in found])


def _once(findings: list[Finding]) -> list[Finding]:
    return list({(x.code, repr(sorted(x.params.items()))): x for x in findings}.values())


def _energy_pairs(platform: Platform, frame: pd.DataFrame, points: pd.DataFrame, units: pd.DataFrame, year: int,
                  policy: Any = None) -> tuple[pd.DataFrame, dict[tuple[str, str], list[Finding]]]:
    """:func:`_energy`, its findings per (carrier, unit) of the rows, in the registry's order."""
    if frame.empty:  # a month without data (a cold year holds the months still to come)
        return _empty_energy().copy(), {}
    if "point_id" in frame:  # per point: its unit and carrier from the registry (map, not merge: fast)
        pts = points.set_index("id")
        f = frame[frame["point_id"].isin(pts.index)].reset_index(drop=True)
        for c in ("unit_id", "carrier", "unit"):
            f[c] = f["point_id"].map(pts[c])
    else:  # per unit and carrier (summed by SQL): a few rows per unit and month
        f = frame[frame["unit_id"].isin(units["id"])].reset_index(drop=True)
    unit_ids = f["unit_id"].tolist()  # plain ints: iterating a pandas column boxes every value
    for c in ("uscc", "name", "industry", "industry_code", "town"):
        of = dict(zip(units["id"].tolist(), units[c].tolist()))
        f[c] = [of[u] for u in unit_ids]
    # The engine's factors per unit quantity of each (carrier, unit) of the registry present in the
    # rows, with their ids, then spread over the rows by mask (domain/accounting.unit_factors, the
    # accounting policy in force): no index over the rows is built.
    carrier, unit, qty = f["carrier"].to_numpy(), f["unit"].to_numpy(), f["quantity"].to_numpy(float)
    ref, policy = platform.ref, policy or accounting_policy(platform)  # one reference for the whole computation
    fkey = versions.key(platform, ("plan", "factors"))
    got, masks, present = [], [], []
    # rows per point carry the registry's pairs (lists: iterating a pandas string column boxes each value)
    pairs = dict.fromkeys(zip(points["carrier"].tolist(), points["unit"].tolist()))
    if "point_id" not in frame:  # rows per unit (a few per month): their own pairs too
        pairs.update(dict.fromkeys(zip(carrier.tolist(), unit.tolist())))
    for c, u in pairs:
        m = (carrier == c) & (unit == u)
        if m.any():
            masks.append(m)
            present.append((c, u))
            got.append(platform.cached(("monitoring-factors", c, u, year, policy, id(ref), fkey),
                                       lambda c=c, u=u: unit_factors(c, u, year, policy, ref.factors, ref.catalogue,
                                                                     file="monitoring")))
    if issues := [i for g in got for i in g.issues]:
        raise InputRejected(issues)
    tce, co2, ids = np.full(len(f), np.nan), np.full(len(f), np.nan), np.full(len(f), None, dtype=object)
    for m, g in zip(masks, got):
        tce[m], co2[m], ids[m] = g.energy_tce, g.co2_t, "|".join(g.factor_ids)
    f["energy_tce"], f["co2_t"], f["factor_ids"] = qty * tce, qty * co2, ids
    return f[[c for c in _ENERGY_COLUMNS if c in f]], {pair: list(g.findings) for pair, g in zip(present, got)}


_ENERGY_COLUMNS = ["point_id", "at", "basis", "quantity", "unit_id", "uscc", "name", "industry", "industry_code",
                   "town", "carrier", "unit", "energy_tce", "co2_t", "factor_ids"]


@lru_cache(maxsize=1)
def _empty_energy() -> pd.DataFrame:
    """The frame of :func:`_energy` without rows, its columns typed (built once: callers copy it)."""
    out = pd.DataFrame({c: pd.Series(dtype=float if c in ("quantity", "energy_tce", "co2_t") else object)
                        for c in _ENERGY_COLUMNS})
    out["at"] = pd.Series(dtype="datetime64[ns]")
    out["point_id"] = out["unit_id"] = pd.Series(dtype="int64")
    return out


def scoped(s: MeteredYear, scope: Scope) -> MeteredYear:
    """The series of the units ``scope`` sees (all of them for the county and the public)."""
    if not scope.one_unit:
        return s
    units = s.units[s.units["uscc"] == scope.unit]
    ids = set(units["id"])
    points = s.points[s.points["unit_id"].isin(ids)]
    pids = set(points["id"])
    c = s.cover
    cover = Coverage(c.units[c.units["unit_id"].isin(ids)], c.unit_months[c.unit_months["unit_id"].isin(ids)],
                     c.runs[c.runs["point_id"].isin(pids)])
    return replace(s, units=units, points=points, stated=s.stated[s.stated["unit_id"].isin(ids)], cover=cover,
                   day_month=s.day_month[s.day_month["unit_id"].isin(ids)], month=s.month[s.month["unit_id"].isin(ids)])


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
    f = s.month if resolution == "month" else fine(platform, year, resolution)
    if resolution != "month" and scope.one_unit:
        f = f[f["unit_id"].isin(set(s.units["id"]))]
    if uscc:
        f = f[f["uscc"] == uscc]
    if f.empty:
        return []
    g = f.groupby(key + ["at", "carrier", "unit", "basis"], as_index=False).agg(
        quantity=("quantity", "sum"), energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"),
        factor_ids=("factor_ids", "first"))
    g["at"] = g["at"].dt.strftime("%Y-%m-%d %H:%M" if resolution == "hour" else "%Y-%m-%d" if resolution == "day" else "%Y-%m")
    cols = {c: g[c].tolist() for c in g.columns}  # per column, not per cell (to_dict boxes each value)
    return [SeriesRow(**dict(zip(cols, row))) for row in zip(*cols.values())]


CHART_UNITS = 9  # units drawn each as its own series; with the others' sum, Plotly's ten colours


def monthly_energy(s: MeteredYear, top: int = CHART_UNITS) -> MonthlyEnergy:
    """Energy [tce] per month of the units of the (scoped) series ``s``, from the same monthly
    rows as their totals: the ``top`` largest by the year's energy one series each, the others
    summed as one (a stack of a hundred colours reads as none). A few numbers per unit and month,
    not a row per unit, month, carrier and basis: the page stays small as months accumulate."""
    f = s.month
    if f.empty:
        return MonthlyEnergy([], [], 0, [])
    g = f.groupby(["uscc", "at"])["energy_tce"].sum().unstack("at", fill_value=0.0)
    order = g.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
    names = dict(zip(s.units["uscc"], s.units["name"]))
    shown, rest = order[:top], order[top:]
    return MonthlyEnergy([m.strftime("%Y-%m") for m in g.columns],
                         [UnitMonths(u, names[u], g.loc[u].astype(float).tolist()) for u in shown],
                         len(rest), g.loc[rest].sum().astype(float).tolist() if rest else [])


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
    """The last year with metered consumption: from the last year whose rollups hold any (a
    counter's closing reading may open a year without consumption: no series is summed for it)
    down, each year's series cached."""
    for y in reversed(rollups.years_with_consumption(platform)):
        if _consumed(series(platform, y).month):
            return y
    return None


def metered_totals(platform: Platform) -> list[dict[str, Any]]:
    """Metered energy and CO2 of all key units per year (monthly series), for the inventory's
    industrial sector beside the statistical series."""
    out = []
    for y in rollups.years_with_consumption(platform):  # the years whose series can hold consumption
        m = series(platform, y).month
        if _consumed(m):
            out.append({"year": y, "units": int(m["uscc"].nunique()), "energy_tce": float(m["energy_tce"].sum()),
                        "co2_t": float(m["co2_t"].sum()), "months": int(m["at"].nunique())})
    return out


def as_of_day(s: MeteredYear, year: int) -> date:
    """The day figures are stated at: the last day with data in ``year`` (never past today)."""
    if s.last_day is None:
        return min(date.today(), date(year, 12, 31))
    return min(s.last_day, date(year, 12, 31), date.today())
