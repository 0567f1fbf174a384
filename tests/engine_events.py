"""Recording SQLAlchemy events while a block runs: the statements a use case executes, the
connections or sessions it opens. Shared by the tests that count them (query counts, one session
per use case, the months a batch makes the series read again)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded(target, name: str, pick: Callable = lambda *args: args) -> Iterator[list]:
    """``pick(*arguments)`` of every ``name`` event of ``target`` (an engine, a session factory)
    inside the block, in order."""
    seen: list = []

    def note(*args):
        seen.append(pick(*args))

    event.listen(target, name, note)
    try:
        yield seen
    finally:
        event.remove(target, name, note)


def statements(engine, with_params: bool = False):
    """The SQL statements executed on ``engine`` inside the block (with their parameters: pairs)."""
    return recorded(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, params, *rest: (statement, params) if with_params else statement)


def sessions_of(p, use_case: Callable[[], object]) -> tuple[int, int]:
    """The sessions of platform ``p`` that began a transaction while ``use_case`` ran, and the
    transactions begun on its engine's connections (a session's, or a connection opened outside
    any session)."""
    with recorded(p.sessions, "after_begin", lambda session, *_: session) as sessions, \
            recorded(p.engine, "begin") as begins:
        use_case()
    return len({id(s) for s in sessions}), len(begins)
