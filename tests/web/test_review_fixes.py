"""Fixes found by re-reading the hardening change: each test fails without its fix."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from carbonpeak.services import scenarios, versions
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

ADMIN = ("admin", "quarry-lantern-58")


def test_first_concurrent_openapi_requests_all_succeed(sqlite_demo_platform):
    """Two threads asking for the document at once could both extend it: 500 for one. A guard:
    the race depends on timing, so this passes without the lock too, unless the race hits."""
    app = create_app(sqlite_demo_platform.settings, sqlite_demo_platform)
    barrier, codes = threading.Barrier(8), []

    def ask():
        c = TestClient(app)
        barrier.wait()
        codes.append(c.get("/openapi.json").status_code)
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 8


def test_a_non_ascii_csrf_header_is_refused_not_a_crash(sqlite_demo_platform):
    create_user(sqlite_demo_platform, *ADMIN, "admin", "test")
    c = TestClient(create_app(sqlite_demo_platform.settings, sqlite_demo_platform))
    assert c.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}).status_code == 200
    r = c.patch("/api/tasks/A01.1", json={"status": "in_progress"}, headers={"X-CSRF-Token": "é".encode() * 10})
    assert r.status_code == 403


def test_meter_readings_do_not_invalidate_the_published_scenario_run(sqlite_demo_platform, monkeypatch):
    runs = []
    real = scenarios.run_scenario

    def counted(p, path, draws=None, seed=None):
        runs.append(path.stem)
        return real(p, path, draws, seed)
    monkeypatch.setattr(scenarios, "run_scenario", counted)
    monkeypatch.setattr(scenarios, "published_run", lambda path: (100, 7))
    c = TestClient(create_app(sqlite_demo_platform.settings, sqlite_demo_platform))
    first = c.get("/api/scenarios/policy").content
    with sqlite_demo_platform.engine.begin() as conn:  # what every stored batch of readings does
        versions.bump(conn, [versions.READINGS])
    assert c.get("/api/scenarios/policy").content == first
    assert runs == ["policy"]
    with sqlite_demo_platform.engine.begin() as conn:  # a change the run depends on
        versions.bump(conn, ["activity"])
    c.get("/api/scenarios/policy")
    assert runs == ["policy", "policy"]
