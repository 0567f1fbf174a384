"""Limits on what callers can make the server compute (Monte Carlo scenario runs, public reads
that cannot be cached).

Anonymous callers get published, cached runs only (api/routes.py); a signed-in account's own runs
go through ``RunLimit``: a number of runs per account in a sliding window, one run at a time per
account, and a few at once over the whole process. Over a limit: 429 with Retry-After. The counts
are per server process (each worker of ``carbonpeak serve --workers N`` keeps its own)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import TypeVar

from fastapi import Request

from ..services.errors import Throttled
from .deps import principal

T = TypeVar("T")
RUNS_PER_WINDOW = 10
WINDOW_S = 60.0
CONCURRENT = 2  # the machine's cores: more parallel runs only queue on the CPU
BUSY_RETRY_S = 5
_CREATE = threading.Lock()


class RunLimit:
    def __init__(self, per_window: int = RUNS_PER_WINDOW, window_s: float = WINDOW_S, concurrent: int = CONCURRENT,
                 clock: Callable[[], float] = time.monotonic):
        self.per_window, self.window_s, self.concurrent, self.clock = per_window, window_s, concurrent, clock
        self._starts: dict[Hashable, deque[float]] = {}
        self._busy: set[Hashable] = set()
        self._lock = threading.Lock()

    def run(self, account: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` counted against ``account``; Throttled instead when over a limit."""
        self._enter(account)
        try:
            return compute()
        finally:
            with self._lock:
                self._busy.discard(account)

    def _enter(self, account: Hashable) -> None:
        now = self.clock()
        with self._lock:
            starts = self._starts.setdefault(account, deque())
            while starts and starts[0] <= now - self.window_s:
                starts.popleft()
            if len(starts) >= self.per_window:
                wait = math.ceil(starts[0] + self.window_s - now)
                raise Throttled(f"每{self.window_s:.0f}秒最多运行{self.per_window}次情景，请稍后再试 / at most "
                                f"{self.per_window} scenario runs per {self.window_s:.0f} s; try again later", max(wait, 1))
            if account in self._busy or len(self._busy) >= self.concurrent:
                raise Throttled("情景运行中，请稍后再试 / a scenario run is in progress; try again shortly", BUSY_RETRY_S)
            starts.append(now)
            self._busy.add(account)


PUBLIC_CONCURRENT = 2  # anonymous reads computed uncached at once (the cores); the rest get 429


class ComputeGate:
    """At most ``concurrent`` computations at once; one more is refused at once (429, Retry-After)
    instead of waiting for a thread: an anonymous flood of uncacheable reads (custom barometer
    rules, free-text filters) keeps at most that many threads busy, and cached answers and
    signed-in users are served as before."""

    def __init__(self, concurrent: int = PUBLIC_CONCURRENT):
        self._slots = threading.BoundedSemaphore(concurrent)

    def run(self, compute: Callable[[], T]) -> T:
        if not self._slots.acquire(blocking=False):
            raise Throttled("服务器正忙，请稍后再试（登录后不受此限制） / the server is busy with public requests; try "
                            "again shortly (signed-in users are not limited)", 1)
        try:
            return compute()
        finally:
            self._slots.release()


def public_gate(request: Request) -> Callable[[Callable[[], T]], T]:
    """How a read computed without the cache runs: through the application's gate for anonymous
    callers, directly for a signed-in account."""
    if principal(request) is not None:
        return lambda compute: compute()
    return _per_app(request, "public_gate", ComputeGate).run


def run_limit(request: Request) -> RunLimit:
    """The application's limiter (one per app, created on first use)."""
    return _per_app(request, "run_limit", RunLimit)


def _per_app(request: Request, name: str, make: Callable[[], T]) -> T:
    """``request.app.state.<name>``, created once (under a lock) on first use."""
    state = request.app.state
    found = getattr(state, name, None)
    if found is None:
        with _CREATE:
            found = getattr(state, name, None)
            if found is None:
                found = make()
                setattr(state, name, found)
    return found
