"""Bulk writes of meter readings: one statement per batch on PostgreSQL (arrays through unnest,
a single round trip), executemany on SQLite (in-process, no round trips to save).

The arrays go to PostgreSQL as text literals (``{1,2,3}``) made by one ``join``: psycopg adapts a
Python list element by element (a quoting check per element), milliseconds per batch of 1000."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from .models import MeterReading

_PG_INSERT = (
    "INSERT INTO meter_readings (point_id, stat_type, period_start, value, batch_id) "
    "SELECT p, s, t, v, %(batch)s FROM unnest(%(p)s::int[], %(s)s::smallint[], %(t)s::bigint[], %(v)s::float8[]) "
    "AS r(p, s, t, v)")


@contextmanager
def raw_cursor(conn: Connection) -> Iterator:
    """The driver's cursor of ``conn`` (PostgreSQL), its integrity errors raised as SQLAlchemy's,
    as every other statement's are: the ingest retries a batch on those (a month partition
    dropped meanwhile: "no partition of relation found for row" is a check violation)."""
    import psycopg

    with conn.connection.cursor() as cur:
        try:
            yield cur
        except psycopg.IntegrityError as exc:
            raise IntegrityError(None, None, exc) from exc


def array_literal(values: Sequence | np.ndarray) -> str:
    """A PostgreSQL array literal of numbers or one-letter codes: floats in their shortest exact
    form (repr, read back to the same double), so nothing is lost on the way."""
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if items and isinstance(items[0], float):
        return "{" + ",".join(map(float.__repr__, items)) + "}"  # every item a float: a mixed list is refused
    return "{" + ",".join(map(str, items)) + "}"


def insert_readings(conn: Connection, point_ids: list[int], stats: list[int], periods: list[int],
                    values: list[float], batch_id: int) -> None:
    if conn.dialect.name == "postgresql":
        with raw_cursor(conn) as cur:
            cur.execute(_PG_INSERT, {"p": array_literal(point_ids), "s": array_literal(stats),
                                     "t": array_literal(periods), "v": array_literal([float(v) for v in values]),
                                     "batch": batch_id})
        return
    conn.execute(MeterReading.__table__.insert(),
                 [{"point_id": a, "stat_type": b, "period_start": c, "value": d, "batch_id": batch_id}
                  for a, b, c, d in zip(point_ids, stats, periods, values)])
