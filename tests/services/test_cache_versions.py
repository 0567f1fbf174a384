"""The bounded cache and the forward-only data versions (issue #11, items 1, 15 and 16)."""

from __future__ import annotations

import json
import threading
import time

import pytest
from fastapi.testclient import TestClient

from carbonpeak.domain.indicators import compute_indicators
from carbonpeak.services import serialize, versions, views
from carbonpeak.services.accounting import stored_lines
from carbonpeak.services.backup import backup, restore
from carbonpeak.services.imports import import_file
from carbonpeak.services.platform import LRUCache, open_platform
from carbonpeak.services.registry import update_project, update_task
from carbonpeak.services.users import Principal
from carbonpeak.web.app import create_app

ADMIN = Principal(1, "admin", "admin")
ACTIVITY_ROW = "年份,地区,部门,能源品种,数量,单位\n2024,安化县,工业-其他,原煤,{q},吨\n"


@pytest.fixture
def sqlite_platform(sqlite_demo_platform):
    return sqlite_demo_platform


def project_status(body: dict, code: str) -> str:
    return next(x for x in body["projects"] if x["id"] == code)["status"]


# --- item 1: a bounded cache --------------------------------------------------------------------

def test_lru_drops_the_least_recently_used():
    c = LRUCache(maxsize=3)
    for k in "abc":
        c.put(k, k.upper())
    assert c.get("a") == "A"  # a is now the most recently used
    c.put("d", "D")
    assert "b" not in c and all(k in c for k in "acd") and len(c) == 3
    c.put("e", "E")
    assert "c" not in c and len(c) == 3


def test_lru_keeps_within_its_byte_budget():
    c = LRUCache(maxsize=100, maxbytes=1000)
    for i in range(10):
        c.put(i, b"x" * 300)
    assert len(c) == 3 and all(i in c for i in (7, 8, 9))
    c.put("big", object(), weight=900)  # a large object counts the weight given with it
    assert len(c) == 1 and "big" in c


def test_concurrent_misses_compute_once(sqlite_platform):
    calls = []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.05)
        return 42

    def ask():
        start.wait()
        assert sqlite_platform.cached(("k",), compute) == 42

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert not sqlite_platform._locks  # no lock left behind per key


def test_600_distinct_query_values_no_error_and_bounded(sqlite_platform, tmp_path):
    app = create_app(sqlite_platform.settings, sqlite_platform)
    with TestClient(app) as c:  # one event loop for the 1200 requests (not one started per request)
        sizes = []
        for n in range(1, 601):
            assert c.get("/api/projects", params={"town": f"q{n}"}).status_code == 200
            assert c.get("/projects", params={"town": f"q{n}"}).status_code == 200
            sizes.append(len(sqlite_platform.cache))
        # unknown filter values are answered but never cached: the cache does not grow with them
        assert max(sizes) == sizes[0] < 20
        town = next(x["town"] for x in c.get("/api/projects").json()["projects"] if x["town"])
        before = len(sqlite_platform.cache)
        assert c.get("/api/projects", params={"town": town}).status_code == 200
        assert len(sqlite_platform.cache) == before + 1  # a known value is cached


# --- item 15: versions that only move forward, also across a restore -----------------------------

def test_versions_move_with_the_transaction(demo_platform, write_csv):
    v0 = versions.current(demo_platform)
    import_file(demo_platform, write_csv("a.csv", ACTIVITY_ROW.format(q=7)), "test", dry_run=True)
    assert versions.current(demo_platform) == v0  # rolled back: no new version
    import_file(demo_platform, write_csv("b.csv", ACTIVITY_ROW.format(q=7)), "test")
    v1 = versions.current(demo_platform)
    assert v1["activity"] == v0["activity"] + 1 and v1.get("tasks", 0) == v0.get("tasks", 0)


def test_restore_by_another_process_is_seen(demo_platform, settings, tmp_path):
    c = TestClient(create_app(settings, demo_platform))  # the serving process
    assert project_status(c.get("/api/projects").json(), "P04-02") == "planned"
    assert "P04-02" in c.get("/projects").text
    backup(demo_platform, tmp_path / "cp.backup")
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    assert project_status(c.get("/api/projects").json(), "P04-02") == "cancelled"
    page_changed = c.get("/projects").text

    other = open_platform(settings)  # `carbonpeak restore` in another process, its own cache
    try:
        restore(other, tmp_path / "cp.backup")
        assert project_status(c.get("/api/projects").json(), "P04-02") == "planned"
        assert c.get("/projects").text != page_changed
        # a new change after the restore must not reuse a version seen before it
        update_project(other, "P04-03", {"status": "completed"}, ADMIN)
    finally:
        other.engine.dispose()
    body = c.get("/api/projects").json()
    assert project_status(body, "P04-02") == "planned" and project_status(body, "P04-03") == "completed"


def test_restore_puts_every_topic_past_what_was_seen(demo_platform, tmp_path):
    backup(demo_platform, tmp_path / "cp.backup")
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    seen = versions.current(demo_platform)
    restore(demo_platform, tmp_path / "cp.backup")
    after = versions.current(demo_platform)
    assert set(versions.TOPICS) <= set(after)
    assert min(after.values()) > max(seen.values())


# --- item 16: invalidate by what changed; the computations behind it ------------------------------

def test_a_task_edit_keeps_the_inventory_an_import_does_not(demo_platform, write_csv, monkeypatch):
    calls = []
    real = views.inventory_report
    monkeypatch.setattr(views, "inventory_report", lambda *a, **k: calls.append(1) or real(*a, **k))
    c = TestClient(create_app(demo_platform.settings, demo_platform))
    first = c.get("/api/inventory/2024").json()
    assert len(calls) == 1
    update_task(demo_platform, "A01.1", {"progress_note": "edited"}, ADMIN)
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    assert c.get("/api/inventory/2024").json() == first and len(calls) == 1
    import_file(demo_platform, write_csv("x.csv", ACTIVITY_ROW.format(q=123456)), "test")
    changed = c.get("/api/inventory/2024").json()
    assert len(calls) == 2 and changed["totals"]["energy_tce"] > first["totals"]["energy_tce"]


def test_yearly_lines_give_the_same_indicators(demo_ro):
    full, _, gdp = stored_lines(demo_ro, "安化县", views.REPORT_OPTIONS)
    yearly, _, _ = stored_lines(demo_ro, "安化县", views.REPORT_OPTIONS, by_year=True)
    assert len(yearly) < len(full)
    a = {(v.code, v.year, v.basis): v.value for v in compute_indicators(full, gdp, 2020)}
    b = {(v.code, v.year, v.basis): v.value for v in compute_indicators(yearly, gdp, 2020)}
    assert a.keys() == b.keys()
    assert all((a[k] is None and b[k] is None) or b[k] == pytest.approx(a[k], rel=1e-9, abs=1e-9) for k in a)


def test_fast_json_is_the_same_document(sqlite_demo_ro):
    p = sqlite_demo_ro
    for value in (views.overview(p, None, "zh"), views.inventory_view(p, 2024), views.barometer(p, 2023, "en"),
                  {"x": [float("nan"), float("inf"), 1.5, "安化"]}):
        assert json.loads(serialize.encode(value)) == json.loads(serialize.dumps(value))
