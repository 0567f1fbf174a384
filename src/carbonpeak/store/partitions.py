"""Monthly partitions of ``meter_readings`` on PostgreSQL (declarative range partitioning on
``period_start``, local months, UTC+8). SQLite keeps a plain table and every function here is a
no-op there.

* :func:`ensure` creates the partitions a batch needs before its transaction starts (create on
  demand: a reading for a month without a partition is still stored). Known partitions are
  remembered per engine, so a batch normally costs no query; a partition dropped meanwhile makes
  the insert fail with an integrity error, after which the ingest forgets them and retries.
* :func:`maintain` (``carbonpeak monitor maintain``, e.g. daily from cron) creates the partitions
  of the coming months and drops those wholly before the retention horizon; rollups are kept.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Connection, Engine, text

from ..domain.monitoring import CST
from ..domain.rollups import buckets, month_start, next_month

PREFIX = "meter_readings_p"
_known: weakref.WeakKeyDictionary[Engine, set[int]] = weakref.WeakKeyDictionary()


def name_of(start: int) -> str:
    d = datetime.fromtimestamp(start, CST)
    return f"{PREFIX}{d.year:04d}{d.month:02d}"


def _start_of(name: str) -> int:
    y, m = int(name[len(PREFIX):len(PREFIX) + 4]), int(name[len(PREFIX) + 4:])
    return int(datetime(y, m, 1, tzinfo=CST).timestamp())


def listed(conn: Connection) -> dict[str, int]:
    """The month partitions of meter_readings: name → start of the month."""
    rows = conn.execute(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass('meter_readings')")).scalars()
    return {n: _start_of(n) for n in rows if n.startswith(PREFIX)}


def create(conn: Connection, start: int) -> str:
    """The partition of the month starting at ``start`` (created unless it exists)."""
    name = name_of(start)
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('carbonpeak.partitions'))"))  # one creator at a time
    conn.execute(text(f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF meter_readings '
                      f"FOR VALUES FROM ({start}) TO ({next_month(start)})"))
    return name


def ensure(engine: Engine, periods) -> None:
    """Every month partition the period starts ``periods`` fall in exists (PostgreSQL only)."""
    if engine.dialect.name != "postgresql" or len(periods) == 0:
        return
    needed = set(buckets(np.unique(np.asarray(periods, dtype=np.int64)), "m").tolist())  # one pass, in numpy
    known = _known.setdefault(engine, set())
    if needed <= known:
        return
    with engine.begin() as conn:
        known |= set(listed(conn).values())
        for start in sorted(needed - known):
            create(conn, start)
    known |= needed


def forget(engine: Engine) -> None:
    _known.pop(engine, None)


def horizon(retention_months: int | None, now: int) -> int | None:
    """The start of the oldest month kept: ``retention_months`` full months before the current one."""
    if not retention_months:
        return None
    d = datetime.fromtimestamp(now, CST)
    k = d.year * 12 + d.month - 1 - retention_months
    return int(datetime(k // 12, k % 12 + 1, 1, tzinfo=CST).timestamp())


@dataclass(frozen=True)
class Maintenance:
    created: list[str]
    dropped: list[str]
    kept: int
    horizon: int | None


def maintain(engine: Engine, retention_months: int | None, now: int, ahead: int = 3) -> Maintenance:
    """Create the current month's partition and ``ahead`` more; drop the partitions that end at or
    before the retention horizon (their rollups stay)."""
    if engine.dialect.name != "postgresql":
        return Maintenance([], [], 0, None)
    edge = horizon(retention_months, now)
    created, dropped = [], []
    with engine.begin() as conn:
        have = listed(conn)
        start = month_start(now)
        for _ in range(ahead + 1):
            if name_of(start) not in have:
                created.append(create(conn, start))
            start = next_month(start)
        for name, lo in sorted(have.items(), key=lambda kv: kv[1]):
            if edge is not None and next_month(lo) <= edge:
                conn.execute(text(f'DROP TABLE "{name}"'))
                dropped.append(name)
        kept = len(listed(conn))
    forget(engine)
    return Maintenance(created, dropped, kept, edge)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: month partitions are made by the store, not by the models (env.py)."""
    return not (type_ == "table" and reflected and compare_to is None and str(name).startswith(PREFIX))
