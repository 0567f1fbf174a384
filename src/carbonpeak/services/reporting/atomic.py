"""One transaction for a step whose writes go through several services (an approval, the project
progress it records and the new version of a frozen year): :func:`one_transaction` gives a copy
of the platform whose every connection and session is one database connection in one
transaction (store/pinned.py). The services' own transactions become savepoints in it; it commits
when the block ends and rolls back whole when anything in it fails, so either every write stands
or none.

The copy has a cache of its own: figures computed from data not yet committed are never kept
where the platform's other requests would find them (a rolled-back data version is used again)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ...store.pinned import pinned
from ..platform import LRUCache, Platform


@contextmanager
def one_transaction(platform: Platform) -> Iterator[Platform]:
    """The platform within one transaction (see the module's note); committed when the block ends."""
    with pinned(platform.engine) as (engine, sessions):
        yield dataclasses.replace(platform, engine=engine, sessions=sessions,
                                  cache=LRUCache(), _locks={}, _guard=threading.Lock())
