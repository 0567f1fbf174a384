"""The platform context a front end builds once and passes to every service call."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..domain.carriers import CarrierCatalogue
from ..domain.factors import FactorSet
from ..refdata import FactorFileError, load_catalogue, load_default_factors, read_factor_file
from ..settings import Settings
from ..store.db import make_engine, session_factory
from ..store.migrate import upgrade
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
    ref: Reference
    # Figures computed from stored data, keyed by what they depend on including the data
    # version (services/audit.data_version); owned by this platform instance, not global.
    cache: dict[Any, Any] = field(default_factory=dict)
    _locks: dict[Any, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
