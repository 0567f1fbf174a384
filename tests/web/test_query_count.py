"""Queries per request: one snapshot of the data versions per read request (services/versions.py)
and one query per access to the reference in force (``Platform.ref``)."""

from __future__ import annotations

import pytest
from engine_events import statements
from fastapi.testclient import TestClient

from carbonpeak.services import factor_store, versions
from carbonpeak.services.registry import update_project
from carbonpeak.services.users import Principal, create_user
from carbonpeak.web.app import create_app

ADMIN_PASSWORD = "Anhua-peak-2031"
ADMIN = Principal(1, "admin", "admin")
CARRIER = "A类办公/党政机关办公建筑"


def quota(ref) -> list[float]:
    q = ref.factors.of_kind("building_quota", "constraint")
    return q[q["carrier"] == CARRIER]["canonical"].tolist()


def on_versions(seen: list[str]) -> list[str]:
    return [s for s in seen if "data_versions" in s and s.lstrip().upper().startswith("SELECT")]


def on_overrides(seen: list[str]) -> list[str]:
    return [s for s in seen if "factor_overrides" in s]


@pytest.fixture
def app(demo_platform, settings):
    create_user(demo_platform, "admin", ADMIN_PASSWORD, "admin", "test")
    return create_app(settings, demo_platform)


def admin(app) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_anonymous_cached_home_reads_the_versions_once(app, demo_platform):
    c = TestClient(app)
    assert c.get("/").status_code == 200  # fills the caches
    with statements(demo_platform.engine) as seen:
        assert c.get("/").status_code == 200
    assert len(on_versions(seen)) == 1, on_versions(seen)
    assert not on_overrides(seen)  # the reference in force is known from the 'factors' version


def test_signed_in_cached_pages_read_the_versions_once(app, demo_platform):
    c = admin(app)
    for path in ("/", "/accounting"):
        assert c.get(path).status_code == 200
        with statements(demo_platform.engine) as seen:
            assert c.get(path).status_code == 200
        assert len(on_versions(seen)) == 1, (path, on_versions(seen))


def project_status(c: TestClient, code: str) -> str:
    return next(x for x in c.get("/api/projects").json()["projects"] if x["id"] == code)["status"]


def test_the_next_read_after_a_write_sees_it(app):
    c = admin(app)
    assert project_status(c, "P04-02") == "planned"  # cached under the current 'projects' version
    assert c.patch("/api/projects/P04-02", json={"status": "under_construction"}).status_code == 200
    assert project_status(c, "P04-02") == "under_construction"
    assert "P04-02" in c.get("/projects").text


def test_ref_makes_one_query_per_access_and_follows_overrides(demo_platform):
    p = demo_platform
    assert p.ref is p.base_ref  # no county values: the shipped tables
    with statements(p.engine) as seen:
        assert p.ref is p.base_ref
    assert len(seen) == 1, seen  # the 'factors' version alone
    row = dict(kind="building_quota", carrier=CARRIER, geography="夏热冬冷", parameter="constraint", value=65,
               unit="kWh/m2", source_document="安化县公共建筑能耗定额（测试）", status="confirmed")
    factor_store.set_factors(p, [row], "test")
    merged = p.ref
    assert merged is not p.base_ref
    with statements(p.engine) as seen:
        assert p.ref is merged  # unchanged overrides: the merged reference is reused
    assert len(seen) == 1, seen
    assert quota(merged) == [65.0]
    factor_store.set_factors(p, [{**row, "value": 66}], "test")
    assert quota(p.ref) == [66.0]
    factor_store.remove_factor(p, "building_quota", CARRIER, "夏热冬冷", None, "constraint", "test")
    assert p.ref is p.base_ref  # no overrides left: the shipped tables again


def test_outside_a_request_every_read_is_fresh(demo_platform):
    p = demo_platform
    first = versions.key(p, ("projects",))
    with p.engine.begin() as conn:
        versions.bump(conn, ["projects"])
    assert versions.key(p, ("projects",)) == (first[0] + 1,)


def test_a_snapshot_serves_its_scope_until_a_change_is_committed_in_it(demo_platform):
    p = demo_platform
    with versions.snapshot():
        first = versions.key(p, ("projects",))
        with statements(p.engine) as seen:
            assert versions.key(p, ("projects",)) == first
        assert not seen  # read once per scope
        update_project(p, "P04-02", {"status": "cancelled"}, ADMIN)  # commits a 'projects' bump
        assert versions.key(p, ("projects",)) == (first[0] + 1,)  # its own change is seen
    with p.engine.begin() as conn:
        versions.bump(conn, ["projects"])
    assert versions.key(p, ("projects",)) == (first[0] + 2,)  # the scope ended with it: fresh again
