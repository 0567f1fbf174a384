"""Rollups of meter readings (models ReadingRollup, UnitRollup; domain/rollups.py defines them):
accumulated by upsert in the transaction that stores the readings, and rebuilt from the readings
by SQL (migration 0014 and bulk backfills such as bench/monitoring_scale.py).

On PostgreSQL one statement for both tables (arrays through unnest, the unit's counts summed by
SQL: one round trip per batch); on SQLite executemany. Both use
``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, …``."""

from __future__ import annotations

from sqlalchemy import Connection, text

from .readings import array_literal, raw_cursor

_UPSERT_POINT = ("ON CONFLICT (point_id, stat_type, res, bucket) DO UPDATE SET n = reading_rollups.n + excluded.n, "
                 "quantity = reading_rollups.quantity + excluded.quantity")
_UPSERT_UNIT = "ON CONFLICT (unit_id, stat_type, res, bucket) DO UPDATE SET n = unit_rollups.n + excluded.n"
# PostgreSQL: one statement for both tables (the unit's counts summed from the same arrays), the
# arrays sent as text literals (store/readings.array_literal: formatted in one join, not per element)
_PG_BOTH = (
    "WITH d AS (SELECT * FROM unnest(%(p)s::int[], %(s)s::smallint[], %(r)s::text[], %(b)s::bigint[], %(n)s::int[], "
    "%(q)s::float8[]) AS d(point_id, stat_type, res, bucket, n, quantity)), "
    "pt AS (INSERT INTO reading_rollups (point_id, stat_type, res, bucket, n, quantity) SELECT * FROM d "
    + _UPSERT_POINT + ") "
    "INSERT INTO unit_rollups (unit_id, stat_type, res, bucket, n) SELECT %(u)s, stat_type, res, bucket, sum(n) "
    "FROM d WHERE n <> 0 GROUP BY stat_type, res, bucket " + _UPSERT_UNIT)
_LITE_POINT = ("INSERT INTO reading_rollups (point_id, stat_type, res, bucket, n, quantity) "
               "VALUES (:p, :s, :r, :b, :n, :q) " + _UPSERT_POINT)
_LITE_UNIT = "INSERT INTO unit_rollups (unit_id, stat_type, res, bucket, n) VALUES (:u, :s, :r, :b, :n) " + _UPSERT_UNIT


def accumulate(conn: Connection, unit_id: int, delta: dict) -> None:
    """Add a batch's deltas (domain.rollups.batch_delta: columns point_id, stat_type, res, bucket,
    n, quantity) to the point rollups, and its reading counts to the unit's rollups."""
    if not len(delta["point_id"]):
        return
    if conn.dialect.name == "postgresql":  # one round trip
        cols = {k: array_literal(delta[c]) for k, c in (("p", "point_id"), ("s", "stat_type"), ("r", "res"),
                                                        ("b", "bucket"), ("n", "n"), ("q", "quantity"))}
        with raw_cursor(conn) as cur:
            cur.execute(_PG_BOTH, cols | {"u": unit_id})
        return
    cols = {"p": delta["point_id"].tolist(), "s": delta["stat_type"].tolist(), "r": delta["res"].tolist(),
            "b": delta["bucket"].tolist(), "n": delta["n"].tolist(), "q": delta["quantity"].tolist()}
    per_unit: dict[tuple, int] = {}
    for s, r, b, n in zip(cols["s"], cols["r"], cols["b"], cols["n"]):
        if n:
            per_unit[(s, r, b)] = per_unit.get((s, r, b), 0) + n
    conn.execute(text(_LITE_POINT), [dict(zip(cols, row)) for row in zip(*cols.values())])
    if per_unit:
        conn.execute(text(_LITE_UNIT), [{"u": unit_id, "s": s, "r": r, "b": b, "n": n}
                                        for (s, r, b), n in per_unit.items()])


def _bucket_sql(dialect: str, res: str, col: str = "period_start") -> str:
    """The local (UTC+8) start of the hour/day/month of ``col`` in epoch seconds, in SQL."""
    if res == "h":
        return f"({col} - {col} % 3600)"
    if res == "d":
        return f"({col} - ({col} + 28800) % 86400)"
    if dialect == "postgresql":
        return (f"(extract(epoch from date_trunc('month', to_timestamp({col} + 28800) at time zone 'UTC'))::bigint"
                " - 28800)")
    return f"(CAST(strftime('%s', datetime({col} + 28800, 'unixepoch', 'start of month')) AS INTEGER) - 28800)"


# consumption of the interval starting at each reading (domain.monitoring.consumption in SQL)
_INTERVALS = """
SELECT r.point_id, r.stat_type, r.period_start,
  CASE WHEN p.kind = 'counter' AND r.stat_type = 0
       THEN LEAD(r.value * p.multiplier) OVER w - r.value * p.multiplier
       WHEN r.stat_type = 0 THEN r.value * p.multiplier ELSE r.value END AS q
FROM meter_readings r JOIN metering_points p ON p.id = r.point_id{where}
WINDOW w AS (PARTITION BY r.point_id, r.stat_type ORDER BY r.period_start)"""


def rebuild(conn: Connection, point_ids: list[int] | None = None) -> None:
    """Rollups recomputed from the stored readings by SQL: all of them (a bulk backfill, or the
    migration that introduced them), or those of ``point_ids`` and their units (a point whose
    multiplier or kind changed: services/imports rebuilds it in the import's transaction)."""
    d = conn.dialect.name
    if point_ids is not None and not point_ids:
        return
    ids = None if point_ids is None else ", ".join(str(int(i)) for i in point_ids)
    of_points = "" if ids is None else f" WHERE point_id IN ({ids})"
    units = "" if ids is None else f" WHERE unit_id IN (SELECT unit_id FROM metering_points WHERE id IN ({ids}))"
    if d == "postgresql" and ids is None:
        conn.execute(text("SET LOCAL work_mem = '256MB'"))  # the window's sort in memory where it fits
    conn.execute(text("DELETE FROM reading_rollups" + of_points))
    conn.execute(text("DELETE FROM unit_rollups" + units))
    intervals = _INTERVALS.format(where="" if ids is None else f" WHERE r.point_id IN ({ids})")
    conn.execute(text(  # hours from the intervals, then days from hours and months from days
        "INSERT INTO reading_rollups (point_id, stat_type, res, bucket, n, quantity) "
        f"SELECT point_id, stat_type, 'h', {_bucket_sql(d, 'h')}, count(*), coalesce(sum(q), 0) "
        f"FROM ({intervals}) i GROUP BY point_id, stat_type, {_bucket_sql(d, 'h')}"))
    for res, src in (("d", "h"), ("m", "d")):
        b = _bucket_sql(d, res, "bucket")
        conn.execute(text(
            "INSERT INTO reading_rollups (point_id, stat_type, res, bucket, n, quantity) "
            f"SELECT point_id, stat_type, '{res}', {b}, sum(n), sum(quantity) FROM reading_rollups "
            f"WHERE res = '{src}'{'' if ids is None else f' AND point_id IN ({ids})'} GROUP BY point_id, stat_type, {b}"))
    conn.execute(text(
        "INSERT INTO unit_rollups (unit_id, stat_type, res, bucket, n) "
        "SELECT p.unit_id, r.stat_type, r.res, r.bucket, sum(r.n) FROM reading_rollups r "
        "JOIN metering_points p ON p.id = r.point_id"
        + ("" if ids is None else f" WHERE p.unit_id IN (SELECT unit_id FROM metering_points WHERE id IN ({ids}))")
        + " GROUP BY p.unit_id, r.stat_type, r.res, r.bucket"))
    if point_ids is not None:
        return
    if d == "postgresql":  # fresh statistics: the views' plans rely on them (index on res, bucket)
        conn.execute(text("ANALYZE reading_rollups"))
        conn.execute(text("ANALYZE unit_rollups"))
