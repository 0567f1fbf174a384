"""The queries of the login throttle (services/login_throttle.py decides; these read and write).
Each function takes the caller's session; it never opens a session or commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session  # also the type the service annotates with (no SQLAlchemy import there)

from ..models import LoginAttempt
from ..models_auth import LoginThrottle


def locked_counter(s: Session, key: str, username: str, client: str) -> Row:
    """The counter row for ``key`` (failures, last_failure_at, blocked_until, last_success_at),
    created if missing, locked until the transaction ends: an INSERT … ON CONFLICT DO UPDATE …
    RETURNING takes the row's lock on PostgreSQL, the database's write lock on SQLite."""
    ins = (pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert)(LoginThrottle)
    stmt = ins.values(key=key, username=username[:64], client=client[:64], failures=0).on_conflict_do_update(
        index_elements=[LoginThrottle.key], set_={"failures": LoginThrottle.failures})
    return s.execute(stmt.returning(LoginThrottle.failures, LoginThrottle.last_failure_at,
                                    LoginThrottle.blocked_until, LoginThrottle.last_success_at)).one()


def set_failures(s: Session, key: str, failures: int, at: datetime, blocked_until: datetime | None) -> None:
    s.execute(update(LoginThrottle).where(LoginThrottle.key == key)
              .values(failures=failures, last_failure_at=at, blocked_until=blocked_until))


def set_succeeded(s: Session, key: str, at: datetime) -> None:
    """The counter starts again, remembering the good sign-in."""
    s.execute(update(LoginThrottle).where(LoginThrottle.key == key)
              .values(failures=0, blocked_until=None, last_failure_at=None, last_success_at=at))


def refund(s: Session, key: str, free: int) -> None:
    """One counted attempt given back; a wait it started (the count reaching ``free``) is lifted."""
    s.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(
        failures=case((LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0),
        blocked_until=case((LoginThrottle.failures - 1 < free, None), else_=LoginThrottle.blocked_until)))


def delete_stale(s: Session, now: datetime, forget_after: timedelta, known_good_for: timedelta,
                 batch: int = 1000) -> None:
    """Counters with nothing left to remember (rows other transactions hold are skipped)."""
    stale = (select(LoginThrottle.key)
             .where(or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < now - forget_after),
                    or_(LoginThrottle.last_success_at.is_(None), LoginThrottle.last_success_at < now - known_good_for))
             .limit(batch).with_for_update(skip_locked=True))
    s.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(stale)))


def delete_attempts_before(s: Session, before: datetime, batch: int) -> None:
    """At most ``batch`` sign-in log rows older than ``before``, the oldest first (rows another
    sign-in is deleting are left to it)."""
    old = (select(LoginAttempt.id).where(LoginAttempt.at < before).order_by(LoginAttempt.at).limit(batch)
           .with_for_update(skip_locked=True))
    s.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(old)))


def clear_counters(s: Session, username: str | None, client: str | None) -> int:
    """The failures of the counters of ``username`` and/or ``client`` set back; how many rows."""
    conds = []
    if username:
        conds.append(LoginThrottle.username == username)
    if client:
        conds.append(LoginThrottle.client == client)
    if not conds:
        return 0
    stmt = (update(LoginThrottle).where(or_(*conds), LoginThrottle.failures > 0)
            .values(failures=0, last_failure_at=None, blocked_until=None))
    return s.execute(stmt).rowcount
