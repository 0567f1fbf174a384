"""One transaction for a step whose writes go through several services (an approval, the project
progress it records and the new version of a frozen year): :func:`one_transaction` gives a copy
of the platform whose every connection and session is one database connection in one
transaction. The services' own transactions become savepoints in it; it commits when the block
ends and rolls back whole when anything in it fails, so either every write stands or none.

The copy has a cache of its own: figures computed from data not yet committed are never kept
where the platform's other requests would find them (a rolled-back data version is used again)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import sessionmaker

from ..platform import LRUCache, Platform


class _Pinned:
    """An engine that hands out one connection, in its open transaction: ``connect`` lends it
    (leaving the block does not close it), ``begin`` opens a savepoint on it."""

    def __init__(self, engine: Engine, conn: Connection):
        self._engine, self._conn = engine, conn

    def __getattr__(self, name: str) -> Any:  # dialect, url, ...: the engine's
        return getattr(self._engine, name)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self._conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._conn.begin_nested():
            yield self._conn

    def raw_connection(self):
        raise RuntimeError("no raw DBAPI connection within one transaction")

    def dispose(self) -> None:
        raise RuntimeError("the engine is not disposed within one transaction")


@contextmanager
def one_transaction(platform: Platform) -> Iterator[Platform]:
    """The platform within one transaction (see the module's note); committed when the block ends."""
    with platform.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "sqlite":  # pysqlite opens a transaction only before DML: open it now,
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # so that a savepoint's release commits nothing
        sessions = sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
        yield dataclasses.replace(platform, engine=_Pinned(platform.engine, conn), sessions=sessions,
                                  cache=LRUCache(), _locks={}, _guard=threading.Lock())
