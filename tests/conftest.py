"""Shared fixtures. Database tests run on SQLite and on the real PostgreSQL server.

PostgreSQL: ``CARBONPEAK_TEST_PG_URL`` (default postgres@127.0.0.1:5432/test). When the server is
unreachable the PostgreSQL half is skipped, unless ``CARBONPEAK_REQUIRE_PG=1`` (set by .ci/run),
where it fails instead.

What a test gets (each private to the test, writable, removed afterwards):

``db_url``         an empty database: a SQLite file in tmp_path, or a schema of its own in the
                   PostgreSQL database of ``CARBONPEAK_TEST_PG_URL``.
``platform``       ``open_platform`` on a database migrated to head.
``demo_platform``  the same with the Anhua demo loaded, as ``run_demo(platform, "test")`` leaves it.
``demo_ro``        not private: the demo shared, per worker and backend, by the tests that only read it (its cache
                   stays warm; a test that writes to it fails: tests/shared_demo.py); ``sqlite_demo_ro``
                   the same on SQLite only.

Migrating and loading the demo take seconds, so they happen once per session and backend, in a
template (see :class:`Templates`); a test's database is a copy of it: a file copy on SQLite, a
schema copied in SQL on PostgreSQL (:class:`PgTemplate`). ``db_url`` (and so ``settings``) always
names the database the test's ``platform`` uses: it looks at the fixtures the test requests to
know which template to copy. Accounts are hashed with the cheap "fast" Argon2 profile
(``settings``; production uses the library defaults, see tests/services/test_password_hashing.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

import pytest
from shared_demo import SharedDemo, long_first, use

from carbonpeak.services.platform import Platform, open_platform, reference
from carbonpeak.settings import Settings

pytest_plugins = ["monitoring_fixtures", "supervision_fixtures"]  # rollup_registry, sup_platform (tests/*_fixtures.py)

PG_URL = os.environ.get("CARBONPEAK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PREFIX = "cpt_"  # every schema this suite makes on the server: cpt_<epoch>_<pid>_<what>
STALE_S = 6 * 3600  # older ones are left over from a crashed run and dropped at the next start
TEST_HASHING = "fast"  # Argon2 profile of the test fixtures (production: "standard")


@pytest.fixture(scope="session")
def ref():
    return reference()


def _raw(url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL (psycopg connects with it)."""
    return url.replace("+psycopg", "")


def _pg_available() -> str | None:
    import psycopg

    try:
        with psycopg.connect(_raw(PG_URL), connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc)


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(_raw(PG_URL), autocommit=True) as c:
        for sql in statements:
            c.execute(sql)


def _schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _drop_stale() -> None:
    """Schemas of runs that ended without cleaning up (a crash, a kill): older than STALE_S."""
    import psycopg

    now = time.time()
    with psycopg.connect(_raw(PG_URL), autocommit=True) as c:
        for (name,) in c.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cpt\\_%'").fetchall():
            m = re.match(rf"{PREFIX}(\d+)_", name)
            if m and now - int(m.group(1)) > STALE_S:
                c.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@dataclass(frozen=True)
class PgTemplate:
    """A filled schema and what copying it takes: its DDL (pg_dump, before and after the data),
    its tables and the state of its sequences. A copy is a new schema in the same database: the
    DDL with the schema renamed, INSERT … SELECT per table, the sequences set; some 0.1 s, and
    no checkpoint (unlike CREATE/DROP DATABASE, which on PostgreSQL 15 wait for one each)."""
    schema: str
    pre_data: str
    post_data: str
    tables: tuple[str, ...]
    sequences: tuple[tuple[str, int, bool], ...]

    @classmethod
    def of(cls, schema: str) -> PgTemplate:
        import psycopg

        ddl = [_pg_dump(schema, section) for section in ("pre-data", "post-data")]
        with psycopg.connect(_raw(PG_URL)) as c:
            # partitions take their rows through their parent (meter_readings, migration 0014)
            tables = tuple(r[0] for r in c.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition", (schema,)))
            names = [r[0] for r in c.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = %s", (schema,))]
            seqs = tuple((n, *c.execute(f'SELECT last_value, is_called FROM "{schema}"."{n}"').fetchone()) for n in names)
        return cls(schema, *ddl, tables, seqs)

    def copy(self, to: str) -> None:
        import psycopg

        with psycopg.connect(_raw(PG_URL)) as c:  # one transaction
            c.execute(self.pre_data.replace(self.schema, to))
            for t in self.tables:
                c.execute(f'INSERT INTO "{to}"."{t}" OVERRIDING SYSTEM VALUE SELECT * FROM "{self.schema}"."{t}"')
            c.execute(self.post_data.replace(self.schema, to))
            for name, value, called in self.sequences:
                c.execute("SELECT setval(%s::regclass, %s, %s)", (f'"{to}"."{name}"', value, called))


def _pg_dump(schema: str, section: str) -> str:
    out = subprocess.run([shutil.which("pg_dump") or "pg_dump", "--schema-only", f"--section={section}", "--no-owner",
                          "--no-privileges", "--schema", schema, "--dbname", _raw(PG_URL)],
                         check=True, capture_output=True, text=True).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith("\\"))  # psql's \restrict


class Templates:
    """Per backend, a database migrated to head ("migrated") and one with the demo ("demo"),
    each built on first use and kept for the session: a SQLite file, a PostgreSQL schema."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.tag = f"{PREFIX}{int(time.time())}_{os.getpid()}"
        self._sqlite: dict[str, Path] = {}
        self._pg: dict[str, PgTemplate] = {}
        self._swept = False
        # PostgreSQL copies are made one test ahead and dropped after it by a worker thread: the
        # server does that work on the other core while the test runs (see take / give_back)
        self._spares: dict[str, deque[str]] = {}
        self._work: Queue[tuple[str, str] | None] = Queue()
        self._worker: threading.Thread | None = None
        self._failure: BaseException | None = None

    def name(self, what: str) -> str:
        return f"{self.tag}_{what}"

    def sweep(self) -> None:
        """Once per session, before the first PostgreSQL schema is made."""
        if not self._swept:
            self._swept = True
            _drop_stale()

    @staticmethod
    def _fill(url: str, home: Path, kind: str) -> None:
        p = open_platform(Settings(database_url=url, home=home, actor="test", password_hash_profile=TEST_HASHING))
        try:
            if kind == "demo":
                from carbonpeak.services.demo import run_demo

                run_demo(p, "test")
        finally:
            p.engine.dispose()  # SQLite: the last connection closing checkpoints the WAL into the file

    def sqlite(self, kind: str) -> Path:
        if kind not in self._sqlite:
            path = self.folder / f"{kind}.db"
            if kind == "demo":
                shutil.copyfile(self.sqlite("migrated"), path)
            self._fill(f"sqlite:///{path}", self.folder, kind)
            self._sqlite[kind] = path
        return self._sqlite[kind]

    def copy_sqlite(self, kind: str, dest: Path) -> str:
        shutil.copyfile(self.sqlite(kind), dest)
        return f"sqlite:///{dest}"

    def postgres(self, kind: str) -> PgTemplate:
        if kind not in self._pg:
            self.sweep()
            schema = self.name(kind)
            if kind == "demo":
                self.postgres("migrated").copy(schema)
            else:
                _admin(f'CREATE SCHEMA "{schema}"')
            try:
                self._fill(_schema_url(schema), self.folder, kind)
                self._pg[kind] = PgTemplate.of(schema)
            except BaseException:
                _admin(f'DROP SCHEMA "{schema}" CASCADE')
                raise
        return self._pg[kind]

    def take(self, kind: str) -> str:
        """A new schema copied from the template ``kind``: one made ahead, else made now."""
        if self._failure is not None:
            raise self._failure
        template = self.postgres(kind)
        spares = self._spares.setdefault(kind, deque())
        try:
            schema = spares.popleft()
        except IndexError:
            schema = self.name(uuid.uuid4().hex[:10])
            template.copy(schema)
        self._submit("copy", kind)
        return schema

    def give_back(self, schema: str) -> None:
        self._submit("drop", schema)

    def _submit(self, what: str, arg: str) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._work_loop, name="test-schemas", daemon=True)
            self._worker.start()
        self._work.put((what, arg))

    def _work_loop(self) -> None:
        while (task := self._work.get()) is not None:
            what, arg = task
            try:
                if what == "drop":
                    _admin(f'DROP SCHEMA IF EXISTS "{arg}" CASCADE')
                else:
                    schema = self.name(uuid.uuid4().hex[:10])
                    self._pg[arg].copy(schema)
                    self._spares[arg].append(schema)
            except BaseException as exc:  # noqa: BLE001 (raised in the main thread at the next take)
                self._failure = exc

    def close(self) -> None:
        if self._worker is not None:
            self._work.put(None)
            self._worker.join()
        leftovers = [*(t.schema for t in self._pg.values()), *(s for q in self._spares.values() for s in q)]
        if leftovers:
            _admin(*(f'DROP SCHEMA IF EXISTS "{name}" CASCADE' for name in leftovers))


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory):
    t = Templates(tmp_path_factory.mktemp("templates"))
    yield t
    t.close()


def _template_kind(request) -> str | None:
    """Which template the test's database is copied from, by the fixtures it uses."""
    names = request.fixturenames
    return "demo" if "demo_platform" in names else "migrated" if "platform" in names else None


def _require_pg() -> None:
    problem = _pg_available()
    if problem:
        if os.environ.get("CARBONPEAK_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required but unreachable: {problem}")
        pytest.skip(f"PostgreSQL unreachable: {problem}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, db_templates):
    kind = _template_kind(request)
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        yield db_templates.copy_sqlite(kind, path) if kind else f"sqlite:///{path}"
        return
    _require_pg()
    db_templates.sweep()
    if kind:
        schema = db_templates.take(kind)
    else:
        schema = db_templates.name(uuid.uuid4().hex[:10])
        _admin(f'CREATE SCHEMA "{schema}"')
    yield _schema_url(schema)
    db_templates.give_back(schema)


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path, lang="zh", actor="test", password_hash_profile=TEST_HASHING)


@pytest.fixture
def platform(settings) -> Platform:
    """A platform on a database migrated to head (a copy of the session's template)."""
    p = open_platform(settings)  # also checks the copy is at head: Alembic has nothing to do
    yield p
    p.engine.dispose()


@pytest.fixture
def demo_platform(platform) -> Platform:
    """``platform`` with the Anhua demo loaded (``run_demo(platform, "test")``): its database is a
    copy of the session's demo template (see ``db_url``), private to the test and writable."""
    return platform


@pytest.fixture
def sqlite_demo_platform(db_templates, tmp_path) -> Platform:
    """The demo on SQLite only, for tests about something else than the database (reports, JSON)."""
    url = db_templates.copy_sqlite("demo", tmp_path / "demo.db")
    p = open_platform(Settings(database_url=url, home=tmp_path, actor="test", password_hash_profile=TEST_HASHING))
    yield p
    p.engine.dispose()


@pytest.fixture(scope="session")
def shared_demo(db_templates, tmp_path_factory):
    s = SharedDemo(db_templates, tmp_path_factory.mktemp("shared"), TEST_HASHING, _schema_url, _require_pg)
    yield s
    s.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_ro(request, shared_demo) -> Platform:
    """The demo for a test that only reads it, on each backend: one platform per worker and backend,
    shared with the other such tests (its cache warm); the test fails if it wrote (tests/shared_demo.py)."""
    yield from use(shared_demo, request.param)


@pytest.fixture
def sqlite_demo_ro(shared_demo) -> Platform:
    """``demo_ro`` on SQLite only (as ``sqlite_demo_platform``, for tests about something else than the database)."""
    yield from use(shared_demo, "sqlite")


def pytest_configure(config):
    if getattr(config.option, "maxschedchunk", "absent") is None:  # xdist: hand out tests two at a time
        config.option.maxschedchunk = 2  # so that the long ones, first (shared_demo.LONG_FIRST), spread


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    long_first(items)


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (a header line plus data lines) to a CSV file and return its path."""
    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding=encoding)
        return p
    return _write
