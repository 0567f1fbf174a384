"""Engine factory. SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL is used as is."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..settings import COUNTY_CODE


def make_engine(url: str, **kwargs) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the web server hands connections between worker threads;
        # the pool still gives each connection to one thread at a time.
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)



def _options(url: str) -> str:
    opts = make_url(url).query.get("options", "")
    return " ".join(opts) if isinstance(opts, tuple) else opts


def search_path(url: str) -> str | None:
    """The first schema a PostgreSQL URL selects with ``options=-csearch_path=…`` (None: the default)."""
    m = re.search(r"-c\s*search_path=(\S+)", _options(url))
    return m.group(1).split(",")[0].strip('"') if m else None


def with_search_path(url: str, schema: str) -> str:
    """``url`` selecting ``schema`` (its other connection options kept)."""
    u = make_url(url)
    rest = re.sub(r"-c\s*search_path=\S+", "", _options(url)).strip()
    options = f"{rest} -csearch_path={schema}".strip()
    return u.set(query={**{k: v for k, v in u.query.items() if k != "options"}, "options": options}).render_as_string(
        hide_password=False)


def county_url(base_url: str, code: str) -> str:
    """The database of county ``code`` in a deployment whose own database is ``base_url``: on
    PostgreSQL a schema of the same database (``county_<code>``, or ``<schema>_<code>`` when the
    base URL selects a schema); on SQLite a file beside the base file (``<stem>-<code>.db``)."""
    if not COUNTY_CODE.fullmatch(code):
        raise ValueError(f"county code {code!r}: lower-case letters, digits and _, 2-31 characters")
    u = make_url(base_url)
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            raise ValueError("an in-memory SQLite database cannot hold several counties")
        path = Path(u.database)
        return u.set(database=str(path.with_name(f"{path.stem}-{code}{path.suffix or '.db'}"))).render_as_string(
            hide_password=False)
    base = search_path(base_url)
    return with_search_path(base_url, f"{base}_{code}" if base and base != "public" else f"county_{code}")


def own_schema(url: str) -> str:
    """A deployment's own database when it holds counties: on PostgreSQL its schema named
    (``public`` unless the URL selects one), so that its backup and restore cover it alone."""
    if make_url(url).get_backend_name() == "sqlite" or search_path(url):
        return url
    return with_search_path(url, "public")


def ensure_schema(url: str) -> None:
    """PostgreSQL: create the schema ``url`` selects if it does not exist (nothing on SQLite)."""
    schema = search_path(url)
    if make_url(url).get_backend_name() == "sqlite" or not schema:
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as c:
            c.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema.replace(chr(34), "")}"'))
    finally:
        engine.dispose()
