"""The monitoring views' aggregates of the rollups (store/rollups.py), computed by SQL so that a
view returns rows per unit and month (or per point, for the coverage runs), not per point-month:
its cost in Python no longer grows with the number of months.

* :func:`monthly` — the monthly series per unit, carrier and measurement unit, by the rules of
  docs/monitoring.md (services/monitoring/rollups.py states them): ``day_month``, the daily series
  summed per month (day statistics, else real-time readings; a point-month holding both is summed
  from its days); ``month``, month statistics, else that daily sum (``basis`` says which); and
  ``stated``, the point-months with month statistics and a daily sum (day against month checks).
* :func:`coverage` — what the completeness and gap checks need: per unit its real-time points,
  readings expected per day and first month; readings per unit and month; per point and stat
  type the runs of consecutive complete months (one row per run) and each month that is short.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from ..domain.rollups import month_start, next_month
from .rollups import _bucket_sql


def _month_case(lo: int, hi: int, col: str) -> tuple[str, str]:
    """(days in the month, running index of the month: consecutive months differ by 1) of the
    local month starting at ``col``, for the months starting in [lo, hi), as CASE expressions:
    no row needs a time zone function, and no join the planner could misjudge."""
    days, index, b, i = [], [], month_start(lo), 0
    while b < hi:
        nb = next_month(b)
        if b >= lo:
            days.append(f"WHEN {int(b)} THEN {(nb - b) // 86400}")
            index.append(f"WHEN {int(b)} THEN {i}")
        b, i = nb, i + 1
    return (f"CASE {col} {' '.join(days) or 'WHEN 0 THEN 0'} END", f"CASE {col} {' '.join(index) or 'WHEN 0 THEN 0'} END")


def _pivot(res: str, stats: tuple[int, ...], extra: str = "") -> str:
    cols = ", ".join(f"sum(CASE WHEN stat_type = {s} THEN n ELSE 0 END) AS n{s}, "
                     f"sum(CASE WHEN stat_type = {s} THEN quantity ELSE 0 END) AS q{s}" for s in stats)
    return (f"SELECT point_id, bucket, {cols} FROM reading_rollups WHERE res = '{res}' AND bucket >= :lo "
            f"AND bucket < :hi AND stat_type IN ({', '.join(map(str, stats))}){extra} GROUP BY point_id, bucket")


def _series_cte(dialect: str) -> str:
    mixed = " AND point_id IN (SELECT point_id FROM pm WHERE n0 > 0 AND n1 > 0)"
    return (
        f"WITH pm AS ({_pivot('m', (0, 1, 2))}), "
        f"dd AS (SELECT point_id, {_bucket_sql(dialect, 'm', 'bucket')} AS bucket, "
        f"sum(CASE WHEN n1 > 0 THEN q1 ELSE q0 END) AS q FROM ({_pivot('d', (0, 1), mixed)}) d "
        f"WHERE n0 > 0 OR n1 > 0 GROUP BY point_id, {_bucket_sql(dialect, 'm', 'bucket')}), "
        "s AS (SELECT p.unit_id, p.carrier, p.unit, pm.point_id, pm.bucket, pm.n2, pm.q2, "
        "CASE WHEN pm.n0 > 0 OR pm.n1 > 0 THEN 1 ELSE 0 END AS has_days, "
        "CASE WHEN pm.n0 > 0 AND pm.n1 > 0 THEN coalesce(dd.q, 0) WHEN pm.n1 > 0 THEN pm.q1 ELSE pm.q0 END AS dq "
        "FROM pm JOIN metering_points p ON p.id = pm.point_id "
        "LEFT JOIN dd ON dd.point_id = pm.point_id AND dd.bucket = pm.bucket) ")


def monthly(conn: Connection, lo: int, hi: int) -> list[tuple]:
    """Rows (kind, unit_id, carrier, unit, bucket, basis, quantity, point_id, days_quantity) for the
    months starting in [lo, hi): kind ``day_month`` and ``month`` per unit (point_id None),
    ``stated`` per point (quantity the month statistic, days_quantity the daily sum)."""
    basis = "CASE WHEN n2 > 0 THEN 'month' ELSE 'daily sum' END"
    sql = (_series_cte(conn.dialect.name) +
           "SELECT 'day_month' AS kind, unit_id, carrier, unit, bucket, 'daily sum' AS basis, sum(dq) AS quantity, "
           "CAST(NULL AS INTEGER) AS point_id, CAST(NULL AS DOUBLE PRECISION) AS days_quantity FROM s WHERE has_days = 1 GROUP BY unit_id, carrier, unit, bucket "
           f"UNION ALL SELECT 'month', unit_id, carrier, unit, bucket, {basis}, "
           "sum(CASE WHEN n2 > 0 THEN q2 ELSE dq END), CAST(NULL AS INTEGER), CAST(NULL AS DOUBLE PRECISION) FROM s WHERE n2 > 0 OR has_days = 1 "
           f"GROUP BY unit_id, carrier, unit, bucket, {basis} "
           "UNION ALL SELECT 'stated', unit_id, carrier, unit, bucket, 'month', q2, point_id, dq FROM s "
           "WHERE n2 > 0 AND has_days = 1")
    return [tuple(r) for r in conn.execute(text(sql), {"lo": lo, "hi": hi})]


def coverage(conn: Connection, lo: int, hi: int) -> dict[str, list[tuple]]:
    """For the months starting in [lo, hi): ``units`` (unit_id, real-time points with readings,
    readings expected per day, first month), ``unit_months`` (unit_id, month, real-time readings),
    ``runs`` (point_id, stat_type, complete 1/0, first month, last month): consecutive complete
    months as one run, each short month as its own."""
    rt = ("SELECT point_id, bucket, n FROM reading_rollups WHERE res = 'm' AND stat_type = 0 AND n > 0 "
          "AND bucket >= :lo AND bucket < :hi")
    units = ("SELECT p.unit_id, count(*), sum(1440.0 / p.interval_min), min(f.first) FROM "
             f"(SELECT point_id, min(bucket) AS first FROM ({rt}) r GROUP BY point_id) f "
             "JOIN metering_points p ON p.id = f.point_id GROUP BY p.unit_id")
    unit_months = (f"SELECT p.unit_id, r.bucket, sum(r.n) FROM ({rt}) r JOIN metering_points p ON p.id = r.point_id "
                   "GROUP BY p.unit_id, r.bucket")
    days, index = _month_case(lo, hi, "r.bucket")
    runs = (
        f"WITH c AS (SELECT r.point_id, r.stat_type, r.bucket, {index} AS i, CASE WHEN r.n >= {days} * "
        "(CASE WHEN r.stat_type = 0 THEN 1440.0 / p.interval_min ELSE 1.0 END) THEN 1 ELSE 0 END AS complete "
        "FROM reading_rollups r JOIN metering_points p ON p.id = r.point_id "
        "WHERE r.res = 'm' AND r.stat_type IN (0, 1) AND r.n > 0 AND r.bucket >= :lo AND r.bucket < :hi), "
        "k AS (SELECT point_id, stat_type, bucket, i - row_number() OVER "
        "(PARTITION BY point_id, stat_type ORDER BY bucket) AS grp FROM c WHERE complete = 1) "
        "SELECT point_id, stat_type, 1, min(bucket), max(bucket) FROM k GROUP BY point_id, stat_type, grp "
        "UNION ALL SELECT point_id, stat_type, 0, bucket, bucket FROM c WHERE complete = 0")
    p = {"lo": lo, "hi": hi}
    return {k: [tuple(r) for r in conn.execute(text(q), p)]
            for k, q in (("units", units), ("unit_months", unit_months), ("runs", runs))}
