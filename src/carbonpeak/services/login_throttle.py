"""Login throttling that slows guessing without locking the owner out.

Three counters, each a row of ``login_throttle`` read and written under a row lock in the
transaction that decides (an ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` takes the lock:
the row on PostgreSQL, the database's write lock on SQLite), so parallel requests and several
worker processes cannot all pass a check that only one should pass:

- account + client (``u:<name>|<client>``): 5 failures are free; from then on every further
  attempt from that client for that account must wait 2 s, 4 s, 8 s ... up to 15 minutes
  (Retry-After). Another client of the same account is not affected.
- client (``c:<client>``, all names): counts attempts, not names; 20 failed ones are free, then
  the same growing delay. A client that signed in to that account successfully before (within 30
  days, no failure since) is not held back by it: a shared office address under attack does not
  lock out people who use it every day.
- account from every client (``a:<name>``): counts the attempts on one account from all clients
  together, so many addresses do not each get their own free tries; 20 failed ones are free,
  then the same growing delay (never a permanent lock: the wait is at most 15 minutes and the
  failures are forgotten as below). A client that signed in to that account successfully within
  30 days bypasses it (a failure since does not matter here: the per-client counter of the account
  still limits that client), so the owner is not locked out by guessing from elsewhere.

An attempt is counted *before* the password is checked and refunded on success, so the counter
and the decision are one atomic step. Failures are forgotten an hour after the last one.

In a deployment of several counties the client counter is kept in the deployment's own database
(``clients``, a session of it, taken after the county's rows: always in that order), so an address
has its free attempts once, not once per county; the account counters stay in the county's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..store.queries import login_throttle as q
from ..store.queries.login_throttle import Session
from .errors import Throttled

FREE_PER_ACCOUNT = 5
FREE_PER_CLIENT = 20
FREE_PER_ACCOUNT_TOTAL = 20  # failures on one account from all clients together
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)
KNOWN_GOOD_FOR = timedelta(days=30)
MESSAGE = "登录失败次数过多，请稍后再试 / too many failed logins; try again later"


@dataclass(frozen=True)
class Ticket:
    """A counted attempt, to be settled once the password has been checked."""
    account_key: str
    client_key: str | None  # None: a known good sign-in, not counted against the client
    total_key: str | None = None  # the account from every client; None: not counted there


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def keys(username: str, client: str) -> tuple[str, str]:
    return f"u:{username[:64]}|{client[:64]}", f"c:{client[:64]}"


def total_key(username: str) -> str:
    return f"a:{username[:64]}"


def delay(over: int) -> timedelta:
    """The wait after the ``over``-th failure past the free ones (0, 1, 2 ...): doubling, capped."""
    return min(FIRST_DELAY * (2 ** min(over, 20)), MAX_DELAY)


def _current(row, now: datetime) -> int:
    last = _aware(row.last_failure_at)
    return row.failures if last is not None and now - last < FORGET_AFTER else 0


def _wait(row, now: datetime) -> float:
    until = _aware(row.blocked_until)
    return (until - now).total_seconds() if until is not None and until > now else 0.0


def _count(s: Session, key: str, row, free: int, now: datetime) -> None:
    n = _current(row, now) + 1
    blocked = now + delay(n - free) if n >= free else None
    q.set_failures(s, key, n, now, blocked)


def reserve(s: Session, username: str, client: str, now: datetime, clients: Session | None = None) -> Ticket:
    """Count an attempt before checking its password, or raise Throttled (nothing counted); the
    client's counter in ``clients`` (the deployment's session), else in ``s``."""
    account_key, client_key = keys(username, client)
    cs = s if clients is None else clients
    acct = q.locked_counter(s, account_key, username, client)  # locked always in this order (pair,
    total = q.locked_counter(s, total_key(username), username, "")  # account, then client): no
    cli = q.locked_counter(cs, client_key, "", client)               # deadlock between two reservations
    last_ok = _aware(acct.last_success_at)
    succeeded_here = last_ok is not None and now - last_ok <= KNOWN_GOOD_FOR
    known_good = succeeded_here and _current(acct, now) == 0
    wait = max(_wait(acct, now), 0.0 if known_good else _wait(cli, now),
               0.0 if succeeded_here else _wait(total, now))
    if wait > 0:
        raise Throttled(MESSAGE, retry_after=max(1, math.ceil(wait)))
    _count(s, account_key, acct, FREE_PER_ACCOUNT, now)
    if not succeeded_here:
        _count(s, total_key(username), total, FREE_PER_ACCOUNT_TOTAL, now)
    if not known_good:
        _count(cs, client_key, cli, FREE_PER_CLIENT, now)
    return Ticket(account_key, None if known_good else client_key,
                  None if succeeded_here else total_key(username))


def succeeded(s: Session, ticket: Ticket, now: datetime, clients: Session | None = None) -> None:
    """The password was right: the account's counter for this client starts again; the attempt is
    refunded to the client's and to the account-wide counter (a right password does not reset
    them, or the owner signing in would give a guesser new free tries)."""
    q.set_succeeded(s, ticket.account_key, now)
    if ticket.client_key is not None:
        q.refund(s if clients is None else clients, ticket.client_key, FREE_PER_CLIENT)
    if ticket.total_key is not None:
        q.refund(s, ticket.total_key, FREE_PER_ACCOUNT_TOTAL)


def forget_stale(s: Session, now: datetime) -> None:
    """Drop counters with nothing left to remember (rows other transactions hold are skipped)."""
    q.delete_stale(s, now, FORGET_AFTER, KNOWN_GOOD_FOR)


def forget_old_attempts(s: Session, before: datetime, batch: int = 1000) -> None:
    """Keep the sign-in log (``login_attempts``) bounded: delete attempts older than ``before``,
    at most ``batch`` per call (each sign-in calls it, so the log never outgrows the retention
    for long, and no single sign-in pays for a large backlog)."""
    q.delete_attempts_before(s, before, batch)


def clear(s: Session, username: str | None = None, client: str | None = None) -> int:
    """Release the counters of an account (from every client, and the account-wide one) and/or of a
    client (the client's own counter and its account counters); what was learnt about good
    sign-ins is kept."""
    return q.clear_counters(s, username, client)
