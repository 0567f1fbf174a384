"""One database connection in one transaction, lent as an engine and a session factory
(services/reporting/atomic.py: one transaction for a step whose writes go through several services).

:func:`pinned` opens the connection and its transaction (committed when the block ends, rolled
back whole when anything in it fails) and yields a :class:`Pinned` engine and a session factory
bound to it, whose sessions' own transactions become savepoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker


class Pinned:
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
def pinned(engine: Engine) -> Iterator[tuple[Pinned, sessionmaker[Session]]]:
    """One connection of ``engine`` in one transaction, as an engine and a session factory."""
    with engine.connect() as conn, conn.begin():
        if conn.dialect.name == "sqlite":  # pysqlite opens a transaction only before DML: open it now,
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # so that a savepoint's release commits nothing
        yield Pinned(engine, conn), sessionmaker(bind=conn, expire_on_commit=False,
                                                 join_transaction_mode="create_savepoint")
