"""The login throttle's queries (store/queries/login_throttle.py) on both databases: a counter is
created locked on first use, written, released and forgotten by the statements the service uses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from carbonpeak.store.models import utcnow
from carbonpeak.store.models_auth import LoginThrottle
from carbonpeak.store.queries import login_throttle as q


def test_a_counter_is_created_written_released_and_forgotten(platform):
    now = utcnow()
    with platform.sessions.begin() as s:
        row = q.locked_counter(s, "u:eve|10.0.0.1", "eve", "10.0.0.1")
        assert (row.failures, row.blocked_until) == (0, None)
        q.set_failures(s, "u:eve|10.0.0.1", 3, now, now + timedelta(seconds=8))
        again = q.locked_counter(s, "u:eve|10.0.0.1", "eve", "10.0.0.1")  # the same row, not a second one
        assert again.failures == 3 and again.blocked_until is not None
        q.refund(s, "u:eve|10.0.0.1", free=5)  # below the free ones: the wait is lifted
        assert q.locked_counter(s, "u:eve|10.0.0.1", "eve", "10.0.0.1").blocked_until is None
    with platform.sessions.begin() as s:
        assert q.clear_counters(s, None, "10.0.0.1") == 1 and q.clear_counters(s, None, None) == 0
        q.set_succeeded(s, "u:eve|10.0.0.1", now - timedelta(days=31))  # a good sign-in, long ago
        q.delete_stale(s, now, timedelta(hours=1), timedelta(days=30))
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 0  # nothing left to remember
