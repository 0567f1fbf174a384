"""Reading the rollups kept at ingest (store/rollups.py) into the quantities of the series:
per point and month, day or hour, each row naming the statistic it comes from (``basis``).

The rules are those of docs/monitoring.md: daily from day statistics, else from real-time
readings; monthly from month statistics, else from the daily series. At month level the daily
series needs no day rows unless a point has both day statistics and real-time readings in one
month (then that point's days are read). The monthly series and the coverage of the checks are
summed by SQL (store/rollup_series.py): a view receives rows per unit and month, and per point
only its runs of complete months and its short months.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from ...domain.monitoring import CST
from ...store import rollup_series
from ...store.queries import monitoring as q
from ...store.queries.monitoring import Connection
from ..platform import Platform
from .frames import Coverage, MonthCoverage

_EMPTY = {"point_id": "int64", "stat_type": "int64", "at": "datetime64[ns]", "n": "int64", "quantity": "float64"}


def epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=CST).timestamp())


def local_at(buckets: pd.Series) -> pd.Series:
    """Bucket starts (epoch seconds) as naive local timestamps."""
    return pd.to_datetime(buckets.astype("int64") + 8 * 3600, unit="s")


def read(platform: Platform, res: str, start: date, end: date, stats: tuple[int, ...] | None = None,
         point_ids: list[int] | None = None) -> pd.DataFrame:
    """Point rollups at ``res`` (h, d, m) with buckets in [start, end)."""
    with platform.engine.connect() as c:
        f = q.point_rollups(c, res, epoch(start), epoch(end), stats, point_ids)
    if f.empty:
        return pd.DataFrame({k: pd.Series(dtype=v) for k, v in _EMPTY.items()})
    f["at"] = local_at(f.pop("bucket"))
    return f[list(_EMPTY)]


def unit_counts(platform: Platform, res: str, start: date, end: date, unit_ids: list[int] | None = None
                ) -> pd.DataFrame:
    """Real-time readings received per unit and bucket (unit rollups)."""
    with platform.engine.connect() as c:
        f = q.unit_rollup_counts(c, res, epoch(start), epoch(end), unit_ids)
    f["at"] = local_at(f.pop("bucket")) if not f.empty else pd.Series(dtype="datetime64[ns]")
    return f


def last_day(platform: Platform, start: date, end: date) -> date | None:
    """The last local day with a reading in [start, end)."""
    with platform.engine.connect() as c:
        hi = q.last_day_bucket(c, epoch(start), epoch(end))
    return None if hi is None else datetime.fromtimestamp(hi, CST).date()


def years_with_consumption(platform: Platform) -> list[int]:
    """The local years whose month rollups hold any non-zero quantity, in order: the only years
    whose series can hold consumption (a counter's closing reading at 00:00 on 1 January opens a
    month of the next year with a zero quantity: that year is not among them)."""
    with platform.engine.connect() as c:
        months = q.month_buckets_with_quantity(c)
    return sorted({datetime.fromtimestamp(b, CST).year for b in months})


def _wide(f: pd.DataFrame) -> pd.DataFrame:
    """(point, at) rows with q0..q2 and n0..n2: quantity and readings per stat type (0 when none)."""
    g = f[f["stat_type"].isin([0, 1, 2])].groupby(["point_id", "at", "stat_type"])[["quantity", "n"]].sum()
    w = g.unstack("stat_type", fill_value=0)
    w.columns = [f"{'q' if a == 'quantity' else 'n'}{int(s)}" for a, s in w.columns]
    for c in ("q0", "q1", "q2", "n0", "n1", "n2"):
        if c not in w:
            w[c] = 0
    return w.reset_index()


def daily(days: pd.DataFrame) -> pd.DataFrame:
    """Daily quantities per point from day rollups: the day statistic, else real-time."""
    w = _wide(days)
    w = w[(w["n0"] > 0) | (w["n1"] > 0)]
    stated = w["n1"] > 0
    return pd.DataFrame({"point_id": w["point_id"], "at": w["at"], "quantity": w["q1"].where(stated, w["q0"]),
                         "basis": stated.map({True: "day", False: "real-time"})}).reset_index(drop=True)


def month_bounds(year: int, month: int, to_month: int | None = None) -> tuple[int, int]:
    """[start, end) of a local month (or of the months ``month`` to ``to_month``) in epoch seconds."""
    last = to_month or month
    return epoch(date(year, month, 1)), epoch(date(year + last // 12, last % 12 + 1, 1))


def by_month(f: pd.DataFrame, months: list[int]) -> dict[int, pd.DataFrame]:
    """The rows of each of ``months`` by their ``at``, in their order (the rows sorted by month
    once, stably, and sliced: not one mask per month); a month without rows: the frame emptied,
    its time in ns (as a month read on its own)."""
    empty = f.iloc[0:0].reset_index(drop=True).astype({"at": "datetime64[ns]"})  # one for every empty month
    if f.empty:
        return dict.fromkeys(months, empty)
    of = f["at"].dt.month.to_numpy()
    order = np.argsort(of, kind="stable")
    rows, keys = f.take(order), of[order]
    out = {}
    for m in months:
        a, b = np.searchsorted(keys, m, "left"), np.searchsorted(keys, m, "right")
        out[m] = rows.iloc[a:b].reset_index(drop=True) if b > a else empty
    return out


def monthly(conn: Connection, year: int, month: int, to_month: int | None = None
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the daily series summed per unit, carrier and month; the monthly series per unit, carrier
    and basis; the point-months with month statistics and a daily sum) of one month (or of the
    months ``month`` to ``to_month``, each row in its month), summed by SQL from the month rollups
    (store/rollup_series.py; the day rollups of the point-months holding both day statistics and
    real-time readings)."""
    lo, hi = month_bounds(year, month, to_month)
    f = pd.DataFrame(rollup_series.monthly(conn, lo, hi),
                     columns=["kind", "unit_id", "carrier", "unit", "bucket", "basis", "quantity", "point_id",
                              "days_quantity"])
    f = f.astype({"unit_id": "int64", "bucket": "int64", "quantity": "float64"})
    f["at"] = local_at(f.pop("bucket")) if not f.empty else pd.Series(dtype="datetime64[ns]")
    cols = ["unit_id", "carrier", "unit", "at", "basis", "quantity"]
    stated = f[f["kind"] == "stated"].astype({"point_id": "int64", "days_quantity": "float64"})
    return (f.loc[f["kind"] == "day_month", cols].reset_index(drop=True),
            f.loc[f["kind"] == "month", cols].reset_index(drop=True),
            stated[["unit_id", "point_id", "at", "quantity", "days_quantity"]].reset_index(drop=True))


def coverage(conn: Connection, year: int, month: int, to_month: int | None = None) -> dict[int, MonthCoverage]:
    """The coverage of the months ``month`` to ``to_month`` (default: ``month`` alone) by SQL
    (store/rollup_series.coverage, one read for the span), per month: ``unit_months`` (unit_id, n),
    ``complete`` (point_id, stat_type, complete 1/0; its real-time rows: the points with readings),
    each row with its month (``at``)."""
    got = rollup_series.coverage(conn, *month_bounds(year, month, to_month))
    cols = {"unit_months": ["unit_id", "bucket", "n"], "complete": ["point_id", "stat_type", "bucket", "complete"]}
    frames = {}
    for k, names in cols.items():  # as the SQL gives them
        f = pd.DataFrame(got[k], columns=names).astype("int64")
        f["at"] = local_at(f.pop("bucket"))  # the same resolution as every series
        frames[k] = f
    months = list(range(month, (to_month or month) + 1))
    split = {k: by_month(f, months) for k, f in frames.items()}
    return {m: MonthCoverage(**{k: split[k][m] for k in frames}) for m in months}


def combined_coverage(months: list[MonthCoverage], points: pd.DataFrame) -> Coverage:
    """The months' coverage as the checks read it (services/monitoring/coverage.py): ``units``
    (unit_id, points, per_day, first: its real-time points with readings, the readings they should
    send a day, its first month), ``unit_months`` (unit_id, at, n), ``runs`` (point_id, stat_type,
    complete, a, b: consecutive complete months as one run, each short month as its own)."""
    complete = pd.concat([m.complete for m in months], ignore_index=True)
    seen = complete[complete["stat_type"] == 0]  # the real-time points with readings, per month
    first = seen.groupby("point_id", as_index=False)["at"].min()
    reg = points.set_index("id")
    first = first[first["point_id"].isin(reg.index)]
    first["unit_id"] = first["point_id"].map(reg["unit_id"]).astype("int64")
    first["per_day"] = 1440.0 / first["point_id"].map(reg["interval_min"]).astype("float64")
    units = first.groupby("unit_id", as_index=False).agg(points=("point_id", "size"), per_day=("per_day", "sum"),
                                                        first=("at", "min"))
    unit_months = pd.concat([m.unit_months for m in months], ignore_index=True)[["unit_id", "at", "n"]]
    return Coverage(units.astype({"unit_id": "int64", "points": "int64", "per_day": "float64"}), unit_months,
                    _runs(complete))


def _runs(c: pd.DataFrame) -> pd.DataFrame:
    """Per point and stat type: consecutive complete months merged into one run (a, b), each
    short month a run of its own."""
    c = c.sort_values(["point_id", "stat_type", "at"], ignore_index=True)
    pid, stat, ok = c["point_id"].to_numpy(), c["stat_type"].to_numpy(), c["complete"].to_numpy()
    k = (c["at"].dt.year * 12 + c["at"].dt.month).to_numpy()
    start = np.ones(len(c), dtype=bool)  # a row that does not continue the run of the row before
    start[1:] = (pid[1:] != pid[:-1]) | (stat[1:] != stat[:-1]) | (k[1:] != k[:-1] + 1) | (ok[1:] == 0) | (ok[:-1] == 0)
    first = np.flatnonzero(start)
    last = np.r_[first[1:] - 1, len(c) - 1].astype("int64") if len(c) else first
    at = c["at"].to_numpy()
    return pd.DataFrame({"point_id": pid[first], "stat_type": stat[first], "complete": ok[first], "a": at[first],
                         "b": at[last]}).astype({"point_id": "int64", "stat_type": "int64", "complete": "int64"})


def hourly(hours: pd.DataFrame) -> pd.DataFrame:
    h = hours[hours["stat_type"] == 0]
    return pd.DataFrame({"point_id": h["point_id"], "at": h["at"], "quantity": h["quantity"],
                         "basis": "real-time"}).reset_index(drop=True)
