"""One demo platform per backend, shared by the tests that only read it (fixtures ``demo_ro`` and
``sqlite_demo_ro`` in conftest.py), and the order in which the suite's tests are handed out.

A test that only reads the demo does not need a database of its own: on a shared platform the
figures computed from the demo (the tracking context, the scenario runs, the inventories: seconds
each on a cold platform) are computed once per worker and backend instead of once per test; the
platform's cache is keyed by the data versions, as in a server process that serves many readers.

Read-only is checked, not assumed: after each test the number of rows of every table and the data
version of every topic must be what they were when the shared platform was opened, else the test
fails (it wrote; it belongs on ``demo_platform``, which gives each test a private copy).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from carbonpeak.services import versions
from carbonpeak.services.platform import Platform, open_platform
from carbonpeak.settings import Settings


def fingerprint(p: Platform) -> dict:
    """The row count of every table and the version of every data topic."""
    with p.engine.connect() as c:
        counts = {t: c.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                  for t in sorted(inspect(c).get_table_names())}
    return {"rows": counts, "versions": versions.current(p)}


class SharedDemo:
    """Per backend, a platform on a copy of the demo template, opened on first use and kept for
    the session (one per xdist worker), with the fingerprint it was opened with."""

    def __init__(self, templates, folder: Path, hashing: str, pg_url: Callable[[str], str],
                 require_pg: Callable[[], None]):
        self.templates, self.folder, self.hashing = templates, folder, hashing
        self.pg_url, self.require_pg = pg_url, require_pg
        self._open: dict[str, tuple[Platform, dict]] = {}
        self._schemas: list[str] = []

    def get(self, backend: str) -> tuple[Platform, dict]:
        if backend not in self._open:
            if backend == "sqlite":
                url = self.templates.copy_sqlite("demo", self.folder / "demo_ro.db")
            else:
                self.require_pg()
                schema = self.templates.take("demo")
                self._schemas.append(schema)
                url = self.pg_url(schema)
            home = self.folder / backend
            home.mkdir(exist_ok=True)
            p = open_platform(Settings(database_url=url, home=home, lang="zh", actor="test",
                                       password_hash_profile=self.hashing))
            self._open[backend] = (p, fingerprint(p))
        return self._open[backend]

    def close(self) -> None:
        for p, _ in self._open.values():
            p.engine.dispose()
        for schema in self._schemas:
            self.templates.give_back(schema)


def use(shared: SharedDemo, backend: str):
    """The shared platform of ``backend`` for one test; afterwards, the check that it only read."""
    p, before = shared.get(backend)
    yield p
    after = fingerprint(p)
    if after != before:
        changed = {t: (n, after["rows"].get(t)) for t, n in before["rows"].items() if after["rows"].get(t) != n}
        moved = {k: (v, after["versions"].get(k)) for k, v in before["versions"].items() if after["versions"].get(k) != v}
        pytest.fail(f"a test on the shared read-only demo wrote to it (rows {changed}, versions {moved}): "
                    "use demo_platform, a private copy", pytrace=False)


# --- the order the tests are handed to the xdist workers -------------------------------------------

# The longest modules first (each takes tens of seconds): with --maxschedchunk small (set in conftest),
# a worker takes the next test when it is free, so the two workers end together instead of one
# finishing a long browser test alone at the end. Modules not named keep their place after these.
LONG_FIRST = ("test_browser_layout.py", "test_browser_reporting.py", "test_browser_supervision.py",
              "test_fuzz.py", "test_one_figure.py", "test_cli.py", "test_permissions.py",
              "test_cache_versions.py", "test_serve.py", "test_browser.py", "test_reports.py",
              "test_export_safety.py", "test_report_official.py")


def long_first(items: list) -> None:
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).name, len(rank)))  # stable: the rest keep their order

