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

import pandas as pd
from sqlalchemy import func, select

from ...domain.monitoring import CST
from ...store import rollup_series
from ...store.models import ReadingRollup, UnitRollup
from ..platform import Platform

_EMPTY = {"point_id": "int64", "stat_type": "int64", "at": "datetime64[ns]", "n": "int64", "quantity": "float64"}


def epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=CST).timestamp())


def local_at(buckets: pd.Series) -> pd.Series:
    """Bucket starts (epoch seconds) as naive local timestamps."""
    return pd.to_datetime(buckets.astype("int64") + 8 * 3600, unit="s")


def read(platform: Platform, res: str, start: date, end: date, stats: tuple[int, ...] | None = None,
         point_ids: list[int] | None = None) -> pd.DataFrame:
    """Point rollups at ``res`` (h, d, m) with buckets in [start, end)."""
    R = ReadingRollup.__table__
    q = select(R.c.point_id, R.c.stat_type, R.c.bucket, R.c.n, R.c.quantity).where(
        R.c.res == res, R.c.bucket >= epoch(start), R.c.bucket < epoch(end))
    if stats is not None:
        q = q.where(R.c.stat_type.in_(stats))
    if point_ids is not None:
        q = q.where(R.c.point_id.in_(point_ids))
    with platform.engine.connect() as c:
        f = pd.read_sql(q, c)
    if f.empty:
        return pd.DataFrame({k: pd.Series(dtype=v) for k, v in _EMPTY.items()})
    f["at"] = local_at(f.pop("bucket"))
    return f[list(_EMPTY)]


def unit_counts(platform: Platform, res: str, start: date, end: date, unit_ids: list[int] | None = None
                ) -> pd.DataFrame:
    """Real-time readings received per unit and bucket (unit rollups)."""
    U = UnitRollup.__table__
    q = select(U.c.unit_id, U.c.bucket, U.c.n).where(U.c.res == res, U.c.stat_type == 0,
                                                     U.c.bucket >= epoch(start), U.c.bucket < epoch(end))
    if unit_ids is not None:
        q = q.where(U.c.unit_id.in_(unit_ids))
    with platform.engine.connect() as c:
        f = pd.read_sql(q, c)
    f["at"] = local_at(f.pop("bucket")) if not f.empty else pd.Series(dtype="datetime64[ns]")
    return f


def last_day(platform: Platform, start: date, end: date) -> date | None:
    """The last local day with a reading in [start, end)."""
    R = ReadingRollup.__table__
    with platform.engine.connect() as c:
        hi = c.scalar(select(func.max(R.c.bucket)).where(R.c.res == "d", R.c.bucket >= epoch(start),
                                                         R.c.bucket < epoch(end)))
    return None if hi is None else datetime.fromtimestamp(hi, CST).date()


def bounds(platform: Platform) -> tuple[int | None, int | None]:
    """The first and last month (epoch seconds of their starts) with readings."""
    R = ReadingRollup.__table__
    with platform.engine.connect() as c:
        return tuple(c.execute(select(func.min(R.c.bucket), func.max(R.c.bucket)).where(R.c.res == "m")).one())


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


def monthly(platform: Platform, year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the daily series summed per unit, carrier and month; the monthly series per unit, carrier,
    month and basis; the point-months with month statistics and a daily sum) of ``year``, summed
    by SQL from the month rollups (store/rollup_series.py; the day rollups of the point-months
    holding both day statistics and real-time readings)."""
    with platform.engine.connect() as c:
        rows = rollup_series.monthly(c, epoch(date(year, 1, 1)), epoch(date(year + 1, 1, 1)))
    f = pd.DataFrame(rows, columns=["kind", "unit_id", "carrier", "unit", "bucket", "basis", "quantity", "point_id",
                                    "days_quantity"])
    f = f.astype({"unit_id": "int64", "bucket": "int64", "quantity": "float64"})
    f["at"] = local_at(f.pop("bucket")) if not f.empty else pd.Series(dtype="datetime64[ns]")
    cols = ["unit_id", "carrier", "unit", "at", "basis", "quantity"]
    stated = f[f["kind"] == "stated"].astype({"point_id": "int64", "days_quantity": "float64"})
    f = f.sort_values(["unit_id", "at", "carrier", "unit", "basis"], kind="stable")
    stated = stated.sort_values(["point_id", "at"], kind="stable")
    return (f.loc[f["kind"] == "day_month", cols].reset_index(drop=True),
            f.loc[f["kind"] == "month", cols].reset_index(drop=True),
            stated[["unit_id", "point_id", "at", "quantity", "days_quantity"]].reset_index(drop=True))


def coverage(platform: Platform, year: int) -> dict[str, pd.DataFrame]:
    """The coverage of ``year`` by SQL (store/rollup_series.coverage): ``units`` (unit_id, points,
    per_day, first), ``unit_months`` (unit_id, at, n), ``runs`` (point_id, stat_type, complete, a, b:
    first and last month of a run)."""
    with platform.engine.connect() as c:
        got = rollup_series.coverage(c, epoch(date(year, 1, 1)), epoch(date(year + 1, 1, 1)))
    units = pd.DataFrame(got["units"], columns=["unit_id", "points", "per_day", "first"])
    months = pd.DataFrame(got["unit_months"], columns=["unit_id", "bucket", "n"])
    runs = pd.DataFrame(got["runs"], columns=["point_id", "stat_type", "complete", "a", "b"])
    units["first"] = local_at(units["first"])
    months["at"] = local_at(months.pop("bucket"))
    runs["a"], runs["b"] = local_at(runs["a"]), local_at(runs["b"])
    return {"units": units.astype({"unit_id": "int64", "points": "int64", "per_day": "float64"}),
            "unit_months": months.astype({"unit_id": "int64", "n": "int64"}),
            "runs": runs.astype({"point_id": "int64", "stat_type": "int64", "complete": "int64"})}


def hourly(hours: pd.DataFrame) -> pd.DataFrame:
    h = hours[hours["stat_type"] == 0]
    return pd.DataFrame({"point_id": h["point_id"], "at": h["at"], "quantity": h["quantity"],
                         "basis": "real-time"}).reset_index(drop=True)
