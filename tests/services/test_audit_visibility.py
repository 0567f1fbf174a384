"""Who reads which audit entries, on SQLite and PostgreSQL: the scope of the data an entry
describes; accounts, tokens and sign-ins for administrators only; filtered in the query, so that
pages (limit/offset) hold visible entries only."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from carbonpeak.services import audit, imports, ingest, registry
from carbonpeak.services.users import create_user
from carbonpeak.store.models import KeyUnit
from carbonpeak.web.app import create_app

PASSWORD = "Xq7-anhua-black-tea"
U1, U2 = "91430923000000001N", "91430923000000002R"  # 益阳海螺水泥, 圣德锰业
BY_UNIT = ("metering_points", "energy_budgets", "unit_outputs", "energy_reports_205_1")


def _import(platform, tmp_path, who, name: str, text: str, kind: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return imports.import_file(platform, path, who.username, kind=kind, principal=who)


@pytest.fixture
def trail(demo_platform, settings, tmp_path):
    """Demo data, then changes by several accounts: departments' own rows and tasks, two units'
    registry rows, an account and two device tokens."""
    p = {r: create_user(demo_platform, r, PASSWORD, role, "test", **kw) for r, role, kw in (
        ("admin", "admin", {}), ("viewer", "viewer", {}), ("firm", "enterprise", {"enterprise": "益阳海螺水泥"}),
        ("firm2", "enterprise", {"enterprise": U2}), ("drc", "dept_editor", {"department": "县发展和改革局"}),
        ("transport", "dept_editor", {"department": "县交通运输局"}), ("stats", "dept_editor", {"department": "县统计局"}),
        ("forestry", "dept_editor", {"department": "县林业局"}))}
    create_user(demo_platform, "secret_account", PASSWORD, "viewer", "admin", display_name="秘密账号")
    for uscc in (U1, U2):
        ingest.issue_token(demo_platform, uscc, "admin")
    head = "年份,地区,部门,能源品种,数量,单位\n"
    _import(demo_platform, tmp_path, p["drc"], "a.csv", head + "2025,安化县,工业,原煤,100,吨\n", "activity")
    _import(demo_platform, tmp_path, p["transport"], "t.csv", head + "2025,安化县,交通运输、仓储和邮政业,柴油,9,吨\n", "activity")
    _import(demo_platform, tmp_path, p["stats"], "g.csv", "年份,地区,地区生产总值,单位,来源\n2025,安化县,300,亿元,测试\n", "gdp")
    _import(demo_platform, tmp_path, p["stats"], "f.csv", "统一社会信用代码,年份,月份,能源名称,计量单位,消费量合计\n"
            f"{U1},2025,1,原煤,吨,100\n{U2},2025,1,原煤,吨,50\n", "form_205_1")
    _import(demo_platform, tmp_path, p["forestry"], "p.csv", "年份,乡镇,村,小班号,地类,优势树种组,起源,龄组,面积,每公顷蓄积,来源\n"
            "2025,东坪镇,,9901,乔木林地,杉木,,,10,50,测试\n", "parcels")
    _import(demo_platform, tmp_path, p["admin"], "b.csv", f"统一社会信用代码,年份,用能预算\n{U1},2025,1\n{U2},2025,2\n",
            "energy_budgets")
    registry.update_task(demo_platform, "A01.1", {"progress_note": "发改局已开展"}, p["drc"])
    registry.update_task(demo_platform, "A07.1", {"progress_note": "交通局已开展"}, p["transport"])
    with demo_platform.sessions() as s:
        ids = dict(s.execute(select(KeyUnit.uscc, KeyUnit.id)).all())
    return demo_platform, p, ids, create_app(settings, demo_platform)


def _all(platform, who) -> list[audit.AuditRecord]:
    return audit.history(platform, limit=100_000, principal=who)


def _login(app, user: str) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def _about_unit(e: audit.AuditRecord, uscc: str, uid: int) -> bool:
    return ((e.entity == "key_units" and e.key == uscc) or
            (e.entity in BY_UNIT and e.key.startswith(f"{uid}|")) or
            (e.entity == "two_high_projects" and uscc in ((e.after or {}).get("uscc"),
                                                              (e.before or {}).get("uscc"))))


def _reporting(e: audit.AuditRecord) -> bool:
    """An entry of the demo's reporting cycle: its obligations and periods, or a row an approval wrote
    (its source names the reporting department and the reviewer)."""
    return e.entity.startswith("reporting_") or str((e.after or {}).get("source", "")).startswith("填报：")


def test_entries_follow_the_scope_of_their_data(trail):
    """An enterprise reads entries about its own unit's rows, a department about its own rows and tasks."""
    platform, p, ids, _ = trail
    everything = _all(platform, p["admin"])
    for who, uscc in (("firm", U1), ("firm2", U2)):
        mine = _all(platform, p[who])
        want = [e for e in everything if _about_unit(e, uscc, ids[uscc]) and e.action != "token"]
        assert mine == want and len(mine) > 5, who
        kinds = {e.entity for e in mine}
        assert {"key_units", "energy_budgets", "energy_reports_205_1", "metering_points"} <= kinds
        assert not any(e.action == "token" or "token_hint" in str(e.after) for e in mine)
    firm = _all(platform, p["firm"])
    assert not any(e.key.startswith(f"{ids[U2]}|") or e.key == U2 for e in firm)
    # department editors: entries about rows their department keeps and the tasks naming it
    for who in ("drc", "transport", "stats", "forestry"):
        # the demo's illustrative reporting cycle (its departments' obligations) is left aside: its
        # visibility is tested in tests/services/reporting/test_reporting.py (the audit chain of a period)
        mine = [e for e in _all(platform, p[who]) if not _reporting(e)]
        tasks = {t.id for t in registry.list_tasks(platform, department=p[who].department)}
        # only these accounts changed rows their departments keep, so "its data" = "its changes"
        want = [e for e in everything if (e.entity == "plan_tasks" and e.key in tasks) or
                (e.entity != "plan_tasks" and not _reporting(e) and e.actor == who)]
        assert mine == want and mine, who
    stats = {e.entity for e in _all(platform, p["stats"]) if not _reporting(e)}
    assert stats == {"gdp_records", "energy_reports_205_1"}
    # A07.1 names 县交通运输局 and 县发改局, A01.1 县发改局 but not 县交通运输局
    assert {e.key for e in _all(platform, p["drc"]) if e.entity == "plan_tasks"} == {"A01.1", "A07.1"}
    assert {e.key for e in _all(platform, p["transport"]) if e.entity == "plan_tasks"} == {"A07.1"}


def test_accounts_and_tokens_are_for_administrators_and_pages_stay_right(trail):
    platform, p, ids, app = trail
    everything = _all(platform, p["admin"])
    assert any(e.entity == "users" for e in everything) and any(e.action == "token" for e in everything)
    seen = _all(platform, p["viewer"])  # viewers read all data ...
    assert seen == [e for e in everything if e.entity != "users" and e.action != "token"]
    for who in p:  # ... and no one but an administrator reads accounts or tokens
        if who != "admin":
            assert not any(e.entity == "users" or e.action == "token" for e in _all(platform, p[who])), who

    # pages of the API hold visible entries only (filtered in the query), and the page shows the same
    firm = _login(app, "firm")
    full = firm.get("/api/audit", params={"limit": 1000}).json()["entries"]
    assert full == [asdict(e) for e in _all(platform, p["firm"])[:1000]] and len(full) > 6  # the service's records
    paged = [e for off in range(0, len(full), 4)
             for e in firm.get("/api/audit", params={"limit": 4, "offset": off}).json()["entries"]]
    assert paged == full
    assert firm.get("/api/audit", params={"entity": "users"}).json()["entries"] == []
    assert firm.get("/api/audit", params={"entity": "energy_budgets"}).json()["entries"][0]["key"] == f"{ids[U1]}|2025"
    assert TestClient(app).get("/api/audit").status_code == 401
    page = firm.get("/audit").text
    assert U1 in page and U2 not in page and "圣德锰业" not in page and "secret_account" not in page
    admin = _login(app, "admin").get("/audit").text
    assert "secret_account" in admin
