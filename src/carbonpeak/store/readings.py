"""Bulk writes of meter readings: one statement per batch on PostgreSQL (arrays through unnest,
a single round trip), executemany on SQLite (in-process, no round trips to save)."""

from __future__ import annotations

from sqlalchemy import Connection

from .models import MeterReading

_PG_INSERT = (
    "INSERT INTO meter_readings (point_id, stat_type, period_start, value, batch_id) "
    "SELECT p, s, t, v, %(batch)s FROM unnest(%(p)s::int[], %(s)s::smallint[], %(t)s::bigint[], %(v)s::float8[]) "
    "AS r(p, s, t, v)")


def insert_readings(conn: Connection, point_ids: list[int], stats: list[int], periods: list[int],
                    values: list[float], batch_id: int) -> None:
    if conn.dialect.name == "postgresql":
        # binary parameters: the arrays go over the wire without being formatted as text
        with conn.connection.cursor() as cur:
            cur.execute(_PG_INSERT, {"p": point_ids, "s": stats, "t": periods, "v": values, "batch": batch_id},
                        binary=True)
        return
    conn.execute(MeterReading.__table__.insert(),
                 [{"point_id": a, "stat_type": b, "period_start": c, "value": d, "batch_id": batch_id}
                  for a, b, c, d in zip(point_ids, stats, periods, values)])
