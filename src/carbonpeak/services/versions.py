"""Forward-only data versions per topic: the cache keys of figures computed from user data.

Each topic of user data (activity, plan, projects, tasks, monitoring, readings, ...) has a row in
``data_versions`` whose counter is raised by one in the transaction of every change to that topic
(audited changes through :func:`touch`, called by ``audit.record``; meter-reading batches through
:func:`bump`). A cache entry is keyed by the versions of the topics it depends on, so a change
invalidates exactly the figures that depend on it, in every process (the versions are read from
the database). A restore puts every topic past every value seen before it (:func:`moves_forward`),
so a version number is never reused for other data, even by another process restoring.

Within a read request (:func:`snapshot`, opened by api/versions_scope.py for GET and HEAD) the
versions are read once, on first use, and that snapshot serves every key of the request; it ends
with the request and is dropped when a change is committed in it. Elsewhere every read is fresh.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, case, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..domain.monitoring import CST
from ..store.models import DataVersion

if TYPE_CHECKING:  # annotations only: platform imports this module
    from .platform import Platform

# Audited entities (table names) → the topic their changes belong to; any other entity is a
# topic of its own.
TOPIC_OF = {
    "activity_records": "activity", "gdp_records": "activity",
    "plans": "plan", "target_observations": "observations",
    "plan_projects": "projects", "project_progress": "projects", "plan_tasks": "tasks",
    "forest_parcels": "sinks", "public_buildings": "buildings", "factor_overrides": "factors",
    "key_units": "monitoring", "metering_points": "monitoring", "energy_budgets": "monitoring",
    "unit_outputs": "monitoring", "energy_reports_205_1": "monitoring", "two_high_projects": "monitoring",
    "users": "users",
}
READINGS = "readings"  # meter-reading batches (services/ingest.py)
TOPICS = tuple(sorted(set(TOPIC_OF.values()) | {READINGS}))
# What the cached read models depend on.
ACCOUNTING = ("plan", "activity", "factors")  # the stored inventory of the plan's region
# overview, barometer, trajectories: targets computed from the registry, the ledger, the key units' data,
# the building register and the policy scenario too (services/target_sources)
# (the supervision records' topics: services/supervision/common.TOPICS, T16, T18, T19)
SUPERVISION = ("supervision_batches", "supervision_cases", "supervision_findings", "clean_production_audits",
               "energy_audit_requests")
# the carbon targets (services/carbon/barometer): monthly electricity and green certificates too
CARBON_DATA = ("carbon_monthly_electricity", "carbon_green_certificates")
TRACKING = (*ACCOUNTING, "observations", "sinks", "projects", "monitoring", READINGS, "buildings", *SUPERVISION,
            *CARBON_DATA)
METERED = ("monitoring", READINGS, "factors")  # key units' metered energy
PROJECTS = ("plan", "projects")
SCENARIOS = (*ACCOUNTING, "projects", "sinks")  # a run: history, registry projects, net of the sink

_PENDING = "carbonpeak.changed_topics"
_BUMPED = "carbonpeak.bumped_topics"
# The versions read in the current request scope, per engine (a mutable holder: a request's
# worker threads run in copies of its context and fill the same dict).
_SNAPSHOT: ContextVar[dict | None] = ContextVar("carbonpeak_versions_snapshot", default=None)


@contextmanager
def snapshot() -> Iterator[None]:
    """A scope in which the data versions are read at most once per engine (a read request)."""
    token = _SNAPSHOT.set({})
    try:
        yield
    finally:
        _SNAPSHOT.reset(token)


def _forget_snapshot() -> None:
    held = _SNAPSHOT.get()
    if held is not None:
        held.clear()


def month_topic(year: int, month: int) -> str:
    """The topic of the rollups of one local month (``readings:2025-03``): bumped, beside
    READINGS, by every batch that changes a rollup of that month, so that the monitoring series
    recompute only the months a batch touched (services/monitoring/metered.series)."""
    return f"{READINGS}:{year:04d}-{month:02d}"


def month_topics(buckets: Iterable[int]) -> list[str]:
    """The month topics of month-rollup buckets (local month starts, epoch seconds)."""
    out = set()
    for b in buckets:
        d = datetime.fromtimestamp(int(b), CST)
        out.add(month_topic(d.year, d.month))
    return sorted(out)


def topic_of(entity: str) -> str:
    return TOPIC_OF.get(entity, entity[:40])


def touch(s: Session, entity: str) -> None:
    """Note a change to ``entity`` in the session's transaction; its topic is bumped just before
    that transaction commits (once per topic, however many rows changed)."""
    s.info.setdefault(_PENDING, set()).add(topic_of(entity))


@event.listens_for(Session, "before_commit")
def _bump_pending(s: Session) -> None:
    topics = s.info.pop(_PENDING, None)
    if topics:
        s.flush()  # the changes first: the version row is locked only until the commit
        bump(s.connection(), topics)
        s.info[_BUMPED] = True


@event.listens_for(Session, "after_commit")
def _after_bump(s: Session) -> None:
    if s.info.pop(_BUMPED, None):
        _forget_snapshot()  # the scope's next read sees its own change


@event.listens_for(Session, "after_rollback")
def _forget_pending(s: Session) -> None:
    s.info.pop(_PENDING, None)
    s.info.pop(_BUMPED, None)


def _insert(conn: Connection):
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(DataVersion)


# one textual statement (compiled once; the same on both databases): an insert built per call
# cost a compilation and cache-key pass on every readings batch
_BUMP = text("INSERT INTO data_versions (topic, version) VALUES (:topic, 1) "
             "ON CONFLICT (topic) DO UPDATE SET version = data_versions.version + 1")


def bump(conn: Connection, topics: Iterable[str]) -> None:
    """Raise the version of each topic by one, in the caller's transaction (topics in a fixed
    order, so that concurrent writers lock them in the same order)."""
    conn.execute(_BUMP, [{"topic": t} for t in sorted(set(topics))])  # executemany, in this order
    _forget_snapshot()


def current(platform: Platform) -> dict[str, int]:
    """Every topic's version (one small query; a topic never changed is at 0). In a
    :func:`snapshot` scope the first read is kept for the rest of the scope."""
    held = _SNAPSHOT.get()
    if held is not None and platform.engine in held:
        return dict(held[platform.engine])
    with platform.engine.connect() as c:
        v = {t: int(v) for t, v in c.execute(select(DataVersion.topic, DataVersion.version))}
    if held is not None:
        held[platform.engine] = v
    return dict(v)


def key(platform: Platform, topics: Iterable[str] | None = None) -> tuple:
    """The cache-key part for figures depending on ``topics`` (None: on every topic, summed: each
    change raises the sum by one, and a restore raises it past every earlier sum)."""
    v = current(platform)
    if topics is None:
        return ("*", sum(v.values()))
    return tuple(v.get(t, 0) for t in topics)


def past_restore(platform: Platform, seen: dict[str, int]) -> None:
    """After a restore: every topic (those seen before it, those restored, the known ones) set
    past the highest version seen before the restore and the highest restored one."""
    with platform.engine.begin() as conn:
        restored = dict(conn.execute(select(DataVersion.topic, DataVersion.version)).all())
        target = max([0, *seen.values(), *restored.values()]) + 1
        rows = [{"topic": t, "version": target} for t in sorted(set(seen) | set(restored) | set(TOPICS))]
        stmt = _insert(conn).values(rows)
        higher = case((DataVersion.version >= target, DataVersion.version + 1), else_=target)
        conn.execute(stmt.on_conflict_do_update(index_elements=["topic"], set_={"version": higher}))


def seen_before_restore(platform: Platform) -> dict[str, int]:
    """Every topic's version, read right before a restore replaces the data (after its possibly
    long verification, so that writes made meanwhile are seen too); {} for a store without the
    versions table. Always read from the database, never from a request's snapshot."""
    try:
        with platform.engine.connect() as c:
            return {t: int(v) for t, v in c.execute(select(DataVersion.topic, DataVersion.version))}
    except DBAPIError:  # a store without the versions table: nothing was seen
        return {}


def moves_forward(platform: Platform, seen: dict[str, int], settle: Callable[[], None]) -> None:
    """Once a restore has replaced the data: run ``settle`` (the migration to head), then, even
    when it fails, put every topic past ``seen`` (:func:`past_restore`) and empty the cache."""
    try:
        settle()
    except BaseException:
        with contextlib.suppress(DBAPIError):  # the failure to report is the one of ``settle``
            _forward(platform, seen)
        raise
    _forward(platform, seen)


def _forward(platform: Platform, seen: dict[str, int]) -> None:
    try:
        past_restore(platform, seen)
    finally:
        platform.cache.clear()


def total(platform: Platform) -> int:
    """One number that grows with every change to user data (the sum of all versions)."""
    with platform.engine.connect() as c:
        return int(c.scalar(select(func.coalesce(func.sum(DataVersion.version), 0))))
