"""The platform context a front end builds once and passes to every service call."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.carriers import CarrierCatalogue
from ..domain.factors import FactorSet
from ..refdata import FactorFileError, load_catalogue, load_default_factors, read_factor_file
from ..settings import Settings
from ..store.db import make_engine, session_factory
from ..store.migrate import upgrade
from ..store.models import FactorOverride
from .errors import InputRejected


@dataclass(frozen=True)
class Reference:
    """Carrier catalogue and the factor set in force (defaults, optionally overridden)."""
    catalogue: CarrierCatalogue
    factors: FactorSet


def reference(factor_file: Path | None = None) -> Reference:
    catalogue = load_catalogue()
    factors = load_default_factors(catalogue)
    if factor_file is not None:
        try:
            factors = factors.overridden_by(read_factor_file(factor_file, catalogue))
        except FactorFileError as exc:
            raise InputRejected(exc.issues) from exc
    return Reference(catalogue, factors)


@dataclass(frozen=True)
class Platform:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    base_ref: Reference  # shipped tables (and a factor file given at start)
    # Figures computed from stored data, keyed by what they depend on including the data
    # version (services/audit.data_version); owned by this platform instance, not global.
    cache: dict[Any, Any] = field(default_factory=dict)
    _locks: dict[Any, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ref(self) -> Reference:
        """The reference in force: ``base_ref`` overridden by the values the county stored
        (table factor_overrides, see services/factor_store.py), rebuilt when they change."""
        with self.engine.connect() as c:
            n, rev = c.execute(select(func.count(), func.coalesce(func.max(FactorOverride.revision), 0))).one()
        if not n:
            return self.base_ref
        return self.cached(("ref", int(n), int(rev)), self._merged_ref)

    def _merged_ref(self) -> Reference:
        with self.engine.connect() as c:
            rows = pd.read_sql(select(FactorOverride.__table__), c)
        rows["year"] = rows["year"].where(rows["year"] != 0, None)
        rows["release"] = "county"
        stored = FactorSet.from_rows(rows.drop(columns=["id", "revision", "actor"]), self.base_ref.catalogue.units())
        return Reference(self.base_ref.catalogue, self.base_ref.factors.overridden_by(stored))

    def cached(self, key: tuple, compute):
        """The cached value of ``key``, computing it once: concurrent requests for a missing key
        wait for the one computation instead of all computing it (no stampede)."""
        try:
            return self.cache[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self.cache:
                value = compute()
                with self._guard:
                    if len(self.cache) > 256:
                        self.cache.clear()
                        self._locks = {k: v for k, v in self._locks.items() if k == key}
                    self.cache[key] = value
            return self.cache[key]


def open_platform(settings: Settings, factor_file: Path | None = None, migrate: bool = True) -> Platform:
    """Connect to the configured database (creating and migrating it on first use)."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return Platform(settings, engine, session_factory(engine), reference(factor_file))
