"""The queries of readings ingestion (services/ingest.py judges and decides; these read and write).
Each takes the caller's connection (a batch is one transaction) and never commits.

A batch runs these on every request, so they are built once: statements with bound parameters
are made at import (SQLAlchemy compiles each once and keeps it), and the two reads of stored
readings, whose shape follows the batch (its points, its stat types), are SQL text run through
the driver with only integers inlined (point ids and epoch seconds, converted by ``int``: never
text from a request)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.exc import IntegrityError  # noqa: F401  (re-exported: the ingest retries on it)
from sqlalchemy.orm import Session

from ..models import DataVersion, IngestBatch, KeyUnit, MeteringPoint


def _registry_version():
    """The version of the topic ``:topic`` (the registry's: it keys the cached point map)."""
    return select(DataVersion.version).where(DataVersion.topic == bindparam("topic")).scalar_subquery()


_BY_TOKEN = select(KeyUnit.id, KeyUnit.uscc, _registry_version()).where(KeyUnit.token_hash == bindparam("h"))
_BY_USCC = select(KeyUnit.id, KeyUnit.uscc, _registry_version()).where(KeyUnit.uscc == bindparam("u"))
_POINTS = select(MeteringPoint.id, MeteringPoint.code, MeteringPoint.carrier, MeteringPoint.unit,
                 MeteringPoint.multiplier, MeteringPoint.kind, MeteringPoint.interval_min,
                 MeteringPoint.max_rate).where(MeteringPoint.unit_id == bindparam("unit"))
_LOCK = update(KeyUnit).where(KeyUnit.id == bindparam("unit")).values(last_seen_at=bindparam("at"))
_NEW_BATCH = IngestBatch.__table__.insert().returning(IngestBatch.__table__.c.id)


def unit_by_token(conn: Connection, token_hash: str, topic: str) -> tuple[int, str, int] | None:
    """(unit id, USCC, version of ``topic``) of the unit holding the token, or None."""
    row = conn.execute(_BY_TOKEN, {"h": token_hash, "topic": topic}).first()
    return None if row is None else (row[0], row[1], int(row[2] or 0))


def unit_by_uscc(conn: Connection, uscc: str, topic: str) -> tuple[int, str, int] | None:
    row = conn.execute(_BY_USCC, {"u": uscc, "topic": topic}).first()
    return None if row is None else (row[0], row[1], int(row[2] or 0))


def unit_points(conn: Connection, unit_id: int) -> list:
    """The unit's metering points: id, code, carrier, unit, multiplier, kind, interval, max rate."""
    return conn.execute(_POINTS, {"unit": unit_id}).all()


def unit_row(s: Session, uscc: str) -> KeyUnit | None:
    """The unit as an ORM row, to change in the caller's session (its token)."""
    return s.scalar(select(KeyUnit).where(KeyUnit.uscc == uscc))


def lock_unit(conn: Connection, unit_id: int, at: datetime) -> None:
    """A write on the unit's row (its last batch time): batches of one unit wait for each other."""
    conn.execute(_LOCK, {"unit": unit_id, "at": at})


def new_batch(conn: Connection, **values) -> int:
    """The ``ingest_batches`` row of a batch (unit_id, channel, device, records, accepted,
    unchanged, rejected, simulated, received_at); its id."""
    return conn.execute(_NEW_BATCH, values).scalar_one()


def _ids(values: Iterable) -> str:
    return ", ".join(str(int(v)) for v in values)


def readings_within(conn: Connection, point_ids: Iterable[int], ranges: Iterable[tuple[int, int, int]]) -> list:
    """(point, stat type, period start, value) of the stored readings of ``point_ids`` whose period
    starts fall in one of ``ranges`` (stat type, first, last)."""
    spans = " OR ".join(f"(stat_type = {int(s)} AND period_start BETWEEN {int(lo)} AND {int(hi)})"
                        for s, lo, hi in ranges)
    return conn.exec_driver_sql(
        "SELECT point_id, stat_type, period_start, value FROM meter_readings "
        f"WHERE point_id IN ({_ids(point_ids)}) AND ({spans})").all()


def _next_reading(column: str, before: bool, edge: int) -> str:
    side, order = ("<", "DESC") if before else (">", "ASC")
    return (f"(SELECT r.{column} FROM meter_readings r WHERE r.point_id = p.id AND r.stat_type = 0 "
            f"AND r.period_start {side} {int(edge)} ORDER BY r.period_start {order} LIMIT 1)")


def counter_neighbours(conn: Connection, point_ids: Iterable[int], first: int, last: int) -> list:
    """For each point: (id, the period start and value of its real-time reading just before
    ``first``, those of the one just after ``last``); None where there is none."""
    cols = ", ".join(_next_reading(c, before, first if before else last)
                     for before in (True, False) for c in ("period_start", "value"))
    return conn.exec_driver_sql(f"SELECT p.id, {cols} FROM metering_points p WHERE p.id IN ({_ids(point_ids)})").all()
