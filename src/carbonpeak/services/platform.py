"""The platform context a front end builds once and passes to every service call."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.carriers import CarrierCatalogue
from ..domain.factors import FactorSet
from ..refdata import FactorFileError, load_catalogue, load_default_factors, read_factor_source
from ..settings import Settings
from ..store.db import make_engine, session_factory
from ..store.migrate import upgrade
from ..store.models import FactorOverride
from ..tabular import import_limits
from .errors import InputRejected


@dataclass(frozen=True)
class Reference:
    """Carrier catalogue and the factor set in force (defaults, optionally overridden)."""
    catalogue: CarrierCatalogue
    factors: FactorSet


def reference(factor_file: Path | str | None = None) -> Reference:
    """Shipped defaults, overridden by ``factor_file``: a user factor file, or the name of shipped
    alternative releases (``CN-PROVINCIAL-GUIDE.r1``; refdata.ALTERNATIVE_RELEASES)."""
    catalogue = load_catalogue()
    factors = load_default_factors(catalogue)
    if factor_file is not None and str(factor_file).strip():
        try:
            factors = factors.overridden_by(read_factor_source(factor_file, catalogue))
        except FactorFileError as exc:
            raise InputRejected(exc.issues) from exc
    return Reference(catalogue, factors)


NOMINAL_WEIGHT = 4096  # bytes counted for a value whose size is not given


def frame_weight(*frames: pd.DataFrame) -> int:
    """About the memory of data frames: their arrays, and some 64 bytes per text cell."""
    total = 0
    for f in frames:
        total += int(f.memory_usage(index=True, deep=False).sum())
        total += 64 * len(f) * int((f.dtypes == object).sum())
    return total


class LRUCache:
    """A bounded, thread-safe least-recently-used map: at most ``maxsize`` entries and about
    ``maxbytes`` in all (bytes and text count their length, large objects the weight given with
    them); the least recently used entries are dropped first, one at a time."""

    def __init__(self, maxsize: int = 512, maxbytes: int = 256 * 1024 * 1024):
        self.maxsize, self.maxbytes = maxsize, maxbytes
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _size(value: Any) -> int:
        return len(value) if isinstance(value, (bytes, str)) else NOMINAL_WEIGHT

    def get(self, key: Any) -> Any:
        """The value of ``key`` (now the most recently used); KeyError if absent."""
        with self._lock:
            value = self._data[key][0]
            self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any, weight: int | None = None) -> None:
        """Store ``value``; ``weight`` is its size in bytes (default: the length of bytes or
        text, else a nominal few kB), counted against ``maxbytes``."""
        with self._lock:
            if key in self._data:
                self._bytes -= self._data.pop(key)[1]
            w = self._size(value) if weight is None else int(weight)
            self._data[key] = (value, w)
            self._bytes += w
            while len(self._data) > self.maxsize or (self._bytes > self.maxbytes and len(self._data) > 1):
                _, (_, old) = self._data.popitem(last=False)
                self._bytes -= old

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def __contains__(self, key: Any) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True)
class Platform:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    base_ref: Reference  # shipped tables (and a factor file given at start)
    # Figures computed from stored data, keyed by what they depend on including the versions of
    # the data topics they use (services/versions.py); owned by this platform instance, bounded.
    cache: LRUCache = field(default_factory=LRUCache)
    _locks: dict[Any, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ref(self) -> Reference:
        """The reference in force: ``base_ref`` overridden by the values the county stored
        (table factor_overrides, see services/factor_store.py), rebuilt when they change. Every
        change to those values is audited and so raises the 'factors' data version: that version
        alone keys the merged reference (one query, none within a read request's snapshot)."""
        from . import versions  # versions builds on this module

        (version,) = versions.key(self, ("factors",))
        return self.cached(("ref", version), self._merged_ref)

    def _merged_ref(self) -> Reference:
        with self.engine.connect() as c:
            rows = pd.read_sql_query(select(FactorOverride.__table__), c)
        if rows.empty:
            return self.base_ref
        rows["year"] = rows["year"].where(rows["year"] != 0, None)
        rows["release"] = "county"
        stored = FactorSet.from_rows(rows.drop(columns=["id", "revision", "actor"]), self.base_ref.catalogue.units())
        return Reference(self.base_ref.catalogue, self.base_ref.factors.overridden_by(stored))

    def cached(self, key: tuple, compute, weigh=None):
        """The cached value of ``key``, computing it once: concurrent requests for a missing key
        wait for the one computation instead of all computing it (no stampede). A failed
        computation is not cached; the per-key lock lives only while the key is being computed.
        ``weigh(value)`` gives the size in bytes of a large value (see :class:`LRUCache`)."""
        try:
            return self.cache.get(key)
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        try:
            with lock:
                try:
                    return self.cache.get(key)  # computed by the request this one waited for
                except KeyError:
                    value = compute()
                    self.cache.put(key, value, None if weigh is None else weigh(value))
                    return value
        finally:
            with self._guard:
                if self._locks.get(key) is lock and not lock.locked():
                    del self._locks[key]


def open_platform(settings: Settings, factor_file: Path | None = None, migrate: bool = True) -> Platform:
    """Connect to the configured database (creating and migrating it on first use)."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    with import_limits(settings.import_limits):  # a --factors file is bounded as every user file
        ref = reference(factor_file if factor_file is not None else settings.factors)
    return Platform(settings, engine, session_factory(engine), ref)
