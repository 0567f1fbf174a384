"""Shared fixtures. Database tests run on SQLite and on the real PostgreSQL server.

PostgreSQL: ``CARBONPEAK_TEST_PG_URL`` (default postgres@127.0.0.1:5432/test); every test gets a
schema of its own, dropped afterwards. When the server is unreachable the PostgreSQL half is
skipped, unless ``CARBONPEAK_REQUIRE_PG=1`` (set by .ci/run), where it fails instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from carbonpeak.services.platform import Platform, open_platform, reference
from carbonpeak.settings import Settings

PG_URL = os.environ.get("CARBONPEAK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def ref():
    return reference()


def _pg_available() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    problem = _pg_available()
    if problem:
        if os.environ.get("CARBONPEAK_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required but unreachable: {problem}")
        pytest.skip(f"PostgreSQL unreachable: {problem}")
    import psycopg

    schema = f"cp_{uuid.uuid4().hex[:12]}"
    raw = PG_URL.replace("+psycopg", "")
    with psycopg.connect(raw, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(raw, autocommit=True) as c:
        c.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path, lang="zh", actor="test")


@pytest.fixture
def platform(settings) -> Platform:
    p = open_platform(settings)
    yield p
    p.engine.dispose()


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (a header line plus data lines) to a CSV file and return its path."""
    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding=encoding)
        return p
    return _write
