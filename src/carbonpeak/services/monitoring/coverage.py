"""Which days have readings, from the rollups, reading day rows only where a month is not complete
(the months' counts and runs of complete months are summed by SQL: metered.series, ``cover``).

A month in which a point (or a unit) has every reading it should have — ``1440 / interval`` per
real-time point and day, one day statistic per day — has no missing day, so the completeness and
gap checks need its days only when it is short. A complete year costs month rows; the current,
unfinished month costs its days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd

from .. import versions
from ..platform import Platform, frame_weight
from . import rollups
from .frames import MeteredYear


def _cached(platform: Platform, key: tuple, load) -> pd.DataFrame:
    """Day rows read once per data version (as the series are)."""
    return platform.cached(("monitoring-coverage", *key, versions.key(platform, versions.METERED)), load, frame_weight)


def _month_end(mo: pd.Timestamp) -> pd.Timestamp:
    return mo + pd.offsets.MonthEnd(0)


def _span(months: list[pd.Timestamp]) -> tuple[date, date]:
    """[first day, day after the last day] of the months."""
    return min(months).date(), (_month_end(max(months)) + pd.Timedelta(days=1)).date()


def _months(lo: pd.Timestamp, hi: pd.Timestamp) -> list[pd.Timestamp]:
    """The month starts from the month of ``lo`` to the month of ``hi``."""
    out, k, last = [], lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month - 1
    while k <= last:
        out.append(pd.Timestamp(k // 12, k % 12 + 1, 1))
        k += 1
    return out


def unit_days(platform: Platform, s: MeteredYear, end: date) -> Iterator[tuple[int, int, float, pd.Series]]:
    """Per unit with real-time points: (unit id, number of its real-time points, readings expected
    per day, readings per day for the days of its short months from its first day to ``end``)."""
    cov = s.cover.units.sort_values("unit_id")
    if cov.empty:
        return
    per_day = dict(zip(cov["unit_id"], cov["per_day"]))
    count = dict(zip(cov["unit_id"], cov["points"]))
    first = dict(zip(cov["unit_id"], cov["first"]))
    um = s.cover.unit_months
    months = dict(zip(zip(um["unit_id"], um["at"]), um["n"]))
    need = []
    for uid, lo in first.items():
        short = [mo for mo in _months(lo, pd.Timestamp(end))
                 if months.get((uid, mo), 0) < per_day[uid] * mo.days_in_month]
        if short:
            need.append((int(uid), short))
    if not need:
        return
    lo_d, hi_d = _span([mo for _, short in need for mo in short])
    ids = [u for u, _ in need]
    counts = _cached(platform, ("unit-days", lo_d, hi_d, tuple(ids)),
                     lambda: rollups.unit_counts(platform, "d", lo_d, hi_d, ids))
    for uid, short in need:
        c = counts[counts["unit_id"] == uid].set_index("at")["n"]
        start = first[uid]
        if start in short:
            if c.empty:
                continue
            start = c.index.min()
        days = pd.DatetimeIndex([d for mo in short for d in pd.date_range(mo, _month_end(mo), freq="D")])
        days = days[(days >= start) & (days <= pd.Timestamp(end))]
        yield uid, count[uid], per_day[uid], c.reindex(days, fill_value=0)


def gaps(platform: Platform, s: MeteredYear, last: date) -> list[tuple[int, date, date]]:
    """Per point and stat type (real-time, day) with data: the spans without readings of at least
    two days, as (point, last day with data, next day with data or ``last``). Runs of complete
    months come summed by SQL (rollups.coverage); the days of the short months are read."""
    r = s.cover.runs
    if r.empty:
        return []
    full = r[r["complete"] == 1]
    runs = [pd.DataFrame({"point_id": full["point_id"], "stat_type": full["stat_type"], "a": full["a"],
                          "b": full["b"] + pd.offsets.MonthEnd(0)})]
    short = r[r["complete"] == 0]
    if not short.empty:
        lo, hi = _span(list(short["a"]))
        ids = sorted(int(p) for p in short["point_id"].unique())
        days = _cached(platform, ("point-days", lo, hi, tuple(ids)),
                       lambda: rollups.read(platform, "d", lo, hi, (0, 1), ids))
        days = days[days["n"] > 0]
        keys = pd.MultiIndex.from_arrays([short["point_id"], short["stat_type"], short["a"]])
        mo = days["at"].dt.to_period("M").dt.to_timestamp()
        days = days[pd.MultiIndex.from_arrays([days["point_id"], days["stat_type"], mo]).isin(keys)]
        runs.append(pd.DataFrame({"point_id": days["point_id"], "stat_type": days["stat_type"], "a": days["at"],
                                  "b": days["at"]}))
    return _edges(pd.concat(runs, ignore_index=True), pd.Timestamp(last))


def _edges(runs: pd.DataFrame, last: pd.Timestamp) -> list[tuple[int, date, date]]:
    """The spans between runs of days (and after the last run, to ``last``) longer than one day."""
    r = runs.sort_values(["point_id", "stat_type", "a"], ignore_index=True)
    key = r["point_id"].astype("int64") * 4 + r["stat_type"].astype("int64")
    reach = r.groupby(key)["b"].cummax()  # the last day covered so far in each series
    prev = reach.groupby(key).shift(1)
    inner = prev.notna() & (r["a"] - prev > pd.Timedelta(days=1))
    out = [(int(p), a.date(), b.date()) for p, a, b in zip(r["point_id"][inner], prev[inner], r["a"][inner])]
    ends = pd.DataFrame({"point_id": r["point_id"], "reach": reach}).groupby(key.to_numpy()).agg(
        point_id=("point_id", "first"), reach=("reach", "max"))
    ends = ends[(last - ends["reach"]) > pd.Timedelta(days=1)]  # one row per series: only those ending early
    out += [(int(p), t.date(), last.date()) for p, t in zip(ends["point_id"], ends["reach"])]
    return out
