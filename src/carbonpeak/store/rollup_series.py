"""The monitoring views' aggregates of the rollups (store/rollups.py), computed by SQL so that a
view receives rows per unit and month (per point only for coverage), not per point-month and day.
The services ask month by month (services/monitoring/metered.py keeps each month's result until
a batch changes that month), so a new batch costs one month's queries, however many months the
year holds.

* :func:`monthly` — the monthly series per unit, carrier and measurement unit, by the rules of
  docs/monitoring.md (services/monitoring/rollups.py states them): ``day_month``, the daily series
  summed per month (day statistics, else real-time readings; a point-month holding both is summed
  from its days); ``month``, month statistics, else that daily sum (``basis`` says which); and
  ``stated``, the point-months with month statistics and a daily sum (day against month checks).
* :func:`coverage` — what the completeness and gap checks need of each month: readings per unit,
  and per point and stat type whether the month is complete (its real-time rows: the points with
  readings; a cold start reads all its months in one call).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from .rollups import _bucket_sql


def _pivot(res: str, stats: tuple[int, ...]) -> str:
    cols = ", ".join(f"sum(CASE WHEN stat_type = {s} THEN n ELSE 0 END) AS n{s}, "
                     f"sum(CASE WHEN stat_type = {s} THEN quantity ELSE 0 END) AS q{s}" for s in stats)
    return (f"SELECT point_id, bucket, {cols} FROM reading_rollups WHERE res = '{res}' AND bucket >= :lo "
            f"AND bucket < :hi AND stat_type IN ({', '.join(map(str, stats))}) GROUP BY point_id, bucket")


def _series_cte(dialect: str) -> str:
    # the days of the mixed point-months only (real-time readings and day statistics in one month):
    # each joined to its month's day range, so the index reads those months' days, not the year's
    nxt = _bucket_sql(dialect, "m", "(bucket + 2764800)")  # the next month's start (32 days on)
    days = ("SELECT r.point_id, x.bucket AS month, r.bucket, "
            "sum(CASE WHEN r.stat_type = 0 THEN r.n ELSE 0 END) AS n0, "
            "sum(CASE WHEN r.stat_type = 0 THEN r.quantity ELSE 0 END) AS q0, "
            "sum(CASE WHEN r.stat_type = 1 THEN r.n ELSE 0 END) AS n1, "
            "sum(CASE WHEN r.stat_type = 1 THEN r.quantity ELSE 0 END) AS q1 "
            f"FROM (SELECT point_id, bucket, {nxt} AS next FROM pm WHERE n0 > 0 AND n1 > 0) x "
            "JOIN reading_rollups r ON r.point_id = x.point_id AND r.res = 'd' AND r.stat_type IN (0, 1) "
            "AND r.bucket >= x.bucket AND r.bucket < x.next GROUP BY r.point_id, x.bucket, r.bucket")
    return (
        f"WITH pm AS ({_pivot('m', (0, 1, 2))}), "
        "dd AS (SELECT point_id, month AS bucket, sum(CASE WHEN n1 > 0 THEN q1 ELSE q0 END) AS q "
        f"FROM ({days}) d WHERE n0 > 0 OR n1 > 0 GROUP BY point_id, month), "
        "s AS (SELECT p.unit_id, p.carrier, p.unit, pm.point_id, pm.bucket, pm.n2, pm.q2, "
        "CASE WHEN pm.n0 > 0 OR pm.n1 > 0 THEN 1 ELSE 0 END AS has_days, "
        "CASE WHEN pm.n0 > 0 AND pm.n1 > 0 THEN coalesce(dd.q, 0) WHEN pm.n1 > 0 THEN pm.q1 ELSE pm.q0 END AS dq "
        "FROM pm JOIN metering_points p ON p.id = pm.point_id "
        "LEFT JOIN dd ON dd.point_id = pm.point_id AND dd.bucket = pm.bucket) ")


def _rows(conn: Connection, sql: str, params: dict) -> list[tuple]:
    """All rows at once, as the driver's tuples. The statement runs through SQLAlchemy (its events,
    its transaction) and its rows are fetched from the DBAPI cursor of the result: on a year of
    rollups (tens of thousands of rows) building SQLAlchemy rows cost more than the query
    (≈ 80 ms of a cold view on 100 units × 20 points). On PostgreSQL without JIT: on a year of
    rollups the planner's estimates cross jit_above_cost, and compiling the expressions costs more
    than these aggregates of a few thousand rows (≈ 40 ms measured)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))
    result = conn.execute(text(sql), params)
    try:
        return [tuple(r) for r in result.cursor.fetchall()]  # tuples on both drivers
    finally:
        result.close()


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
    return _rows(conn, sql, {"lo": lo, "hi": hi})


def coverage(conn: Connection, lo: int, hi: int) -> dict[str, list[tuple]]:
    """For the months starting in [lo, hi), each row with its month's start (``bucket``):
    ``unit_months`` (unit_id, bucket, real-time readings), ``complete`` (point_id, stat_type, bucket,
    1/0) per point and stat type (real-time, day) with data: whether the month holds every reading
    it should (``1440 / interval`` a day for real-time, one a day for day statistics). Its
    real-time rows are also the points with readings of each month (read once, not twice)."""
    days = f"(({_bucket_sql(conn.dialect.name, 'm', '(r.bucket + 2764800)')} - r.bucket) / 86400)"  # 32 days on
    unit_months = ("SELECT p.unit_id, r.bucket, sum(r.n) FROM reading_rollups r JOIN metering_points p "
                   "ON p.id = r.point_id WHERE r.res = 'm' AND r.stat_type = 0 AND r.n > 0 AND r.bucket >= :lo "
                   "AND r.bucket < :hi GROUP BY p.unit_id, r.bucket")
    complete = (f"SELECT r.point_id, r.stat_type, r.bucket, CASE WHEN r.n >= {days} * "
                "(CASE WHEN r.stat_type = 0 THEN 1440.0 / p.interval_min ELSE 1.0 END) THEN 1 ELSE 0 END "
                "FROM reading_rollups r JOIN metering_points p ON p.id = r.point_id "
                "WHERE r.res = 'm' AND r.stat_type IN (0, 1) AND r.n > 0 AND r.bucket >= :lo AND r.bucket < :hi")
    p = {"lo": lo, "hi": hi}
    return {"unit_months": _rows(conn, unit_months, p), "complete": _rows(conn, complete, p)}
