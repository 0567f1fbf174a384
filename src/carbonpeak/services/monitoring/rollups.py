"""Reading the rollups kept at ingest (store/rollups.py) into the quantities of the series:
per point and month, day or hour, each row naming the statistic it comes from (``basis``).

The rules are those of docs/monitoring.md: daily from day statistics, else from real-time
readings; monthly from month statistics, else from the daily series. At month level the daily
series needs no day rows unless a point has both day statistics and real-time readings in one
month (then that point's days are read): a monthly view costs points × months rows, whatever the
number of readings.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from ...domain.monitoring import CST
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


def monthly(platform: Platform, year: int, months: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the daily series summed per point and month, the monthly series) from month rollups; the
    day rows of the point-months holding both day statistics and real-time readings are read."""
    w = _wide(months)
    w = w[(w["n0"] > 0) | (w["n1"] > 0) | (w["n2"] > 0)]
    mixed = w[(w["n0"] > 0) & (w["n1"] > 0)]
    dm = w[((w["n0"] > 0) | (w["n1"] > 0)) & ~w.index.isin(mixed.index)]
    dm = pd.DataFrame({"point_id": dm["point_id"], "at": dm["at"], "quantity": dm["q1"].where(dm["n1"] > 0, dm["q0"])})
    if not mixed.empty:
        d = daily(read(platform, "d", date(year, 1, 1), date(year + 1, 1, 1), (0, 1),
                       sorted(int(p) for p in mixed["point_id"].unique())))
        d = d.assign(at=d["at"].dt.to_period("M").dt.to_timestamp())
        keys = mixed.set_index(["point_id", "at"]).index
        d = d[d.set_index(["point_id", "at"]).index.isin(keys)]
        dm = pd.concat([dm, d.groupby(["point_id", "at"], as_index=False)["quantity"].sum()], ignore_index=True)
    dm = dm.assign(basis="daily sum")
    stated = w[w["n2"] > 0]
    st = pd.DataFrame({"point_id": stated["point_id"], "at": stated["at"], "quantity": stated["q2"], "basis": "month"})
    have = st.set_index(["point_id", "at"]).index
    m = pd.concat([st, dm[~dm.set_index(["point_id", "at"]).index.isin(have)]], ignore_index=True)
    return dm.reset_index(drop=True), m


def hourly(hours: pd.DataFrame) -> pd.DataFrame:
    h = hours[hours["stat_type"] == 0]
    return pd.DataFrame({"point_id": h["point_id"], "at": h["at"], "quantity": h["quantity"],
                         "basis": "real-time"}).reset_index(drop=True)
