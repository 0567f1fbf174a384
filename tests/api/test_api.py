"""The REST API on SQLite and PostgreSQL: public reads, sessions and CSRF, roles, audit, uploads."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PASSWORDS = {"admin": "Anhua-peak-2031", "drc": "river-Zijiang-88", "viewer": "tea-hills-4521", "firm": "cement-kiln-907",
             "forest": "bamboo-grove-63"}
DRC = "县发展和改革局"


@pytest.fixture
def app(demo_platform, settings):
    create_user(demo_platform, "admin", PASSWORDS["admin"], "admin", "test")
    create_user(demo_platform, "drc", PASSWORDS["drc"], "dept_editor", "test", department=DRC)
    create_user(demo_platform, "viewer", PASSWORDS["viewer"], "viewer", "test")
    create_user(demo_platform, "firm", PASSWORDS["firm"], "enterprise", "test", enterprise="益阳海螺水泥")
    return create_app(settings, demo_platform)


def client(app, user: str | None = None) -> TestClient:
    c = TestClient(app)
    if user:
        r = c.post("/api/auth/login", json={"username": user, "password": PASSWORDS[user]})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_public_reads_carry_provenance(app):
    c = client(app)
    ov = c.get("/api/overview").json()
    assert ov["year"] == 2024 and ov["years"] == [2020, 2021, 2022, 2023, 2024]
    assert "时序进度" in ov["barometer"]["rule"] and sum(ov["barometer"]["counts"].values()) == 67 + 2  # and CC01, CC02 (carbon)
    inv = c.get("/api/inventory/2023", params={"sector": "交通运输、仓储和邮政业"}).json()
    assert inv["lines"] and all(ln["sector"] == "交通运输、仓储和邮政业" for ln in inv["lines"])
    f = inv["lines"][0]["factors"][0]
    assert {"id", "release", "value", "unit", "source", "table", "status"} <= set(f)
    assert inv["factor_releases"] and inv["flows"]
    tr = c.get("/api/targets/T02/trajectory").json()
    assert [p["year"] for p in tr["points"]] == [2020, 2021, 2022, 2023, 2024]
    assert tr["path"][0] == {"year": 2020, "value": 0.0} and tr["path"][-1]["value"] == pytest.approx(-14.5)
    assert c.get("/api/plan").json()["summary"]["projects"] == 97
    assert c.get("/api/projects", params={"type": "pumped_storage"}).json()["projects"][0]["capacity"] == 240
    assert "time elapsed" in c.get("/api/targets", params={"year": 2024, "lang": "en"}).json()["rule"]
    assert c.get("/api/templates/activity").headers["content-type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("method,url", [("GET", "/api/tasks"), ("GET", "/api/audit"), ("GET", "/api/users"),
                                        ("PATCH", "/api/projects/P04-01"), ("PATCH", "/api/tasks/A01.1"),
                                        ("POST", "/api/uploads/validate"), ("POST", "/api/auth/logout")])
def test_anonymous_may_not(app, method, url):
    r = client(app).request(method, url, json={} if method == "PATCH" else None)
    assert r.status_code == 401


def test_validation_errors_are_field_level_4xx(app):
    c = client(app, "admin")
    r = c.patch("/api/projects/P04-01", json={"status": "finished", "actual_year": 3000})
    assert r.status_code == 422
    locs = {tuple(d["loc"]) for d in r.json()["detail"]}
    assert ("body", "status") in locs and ("body", "actual_year") in locs
    assert c.patch("/api/projects/NOPE", json={"status": "completed"}).status_code == 404
    assert c.get("/api/inventory/1800").status_code == 422
    assert c.get("/api/inventory/2031").status_code == 404


def test_csrf_is_required_for_changes(app):
    c = client(app, "admin")
    token = c.headers.pop("X-CSRF-Token")
    assert c.patch("/api/projects/P04-01", json={"status": "completed"}).status_code == 403
    assert c.patch("/api/projects/P04-01", json={"status": "completed"}, headers={"X-CSRF-Token": "x" * 43}).status_code == 403
    assert c.patch("/api/projects/P04-01", json={"status": "completed"}, headers={"X-CSRF-Token": token}).status_code == 200


def test_login_is_throttled(app):
    c = TestClient(app)
    for _ in range(5):
        assert c.post("/api/auth/login", json={"username": "viewer", "password": "wrong-password"}).status_code == 401
    r = c.post("/api/auth/login", json={"username": "viewer", "password": PASSWORDS["viewer"]})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # another account from the same client is not locked by these five failures
    assert c.post("/api/auth/login", json={"username": "admin", "password": PASSWORDS["admin"]}).status_code == 200


def test_status_change_is_audited_with_before_and_after(app):
    c = client(app, "admin")
    r = c.patch("/api/projects/P04-01", json={"status": "completed", "actual_capacity": 14.8, "actual_year": 2023})
    assert r.status_code == 200 and r.json()["status"] == "completed"
    log = c.get("/api/audit", params={"entity": "plan_projects", "key": "P04-01"}).json()["entries"]
    assert log[0]["actor"] == "admin" and log[0]["action"] == "update"
    assert log[0]["before"] == {"status": "planned", "actual_capacity": None, "actual_year": None}
    assert log[0]["after"] == {"status": "completed", "actual_capacity": 14.8, "actual_year": 2023}
    # the same request again changes nothing and writes no audit entry
    c.patch("/api/projects/P04-01", json={"status": "completed", "actual_capacity": 14.8, "actual_year": 2023})
    assert len(c.get("/api/audit", params={"entity": "plan_projects", "key": "P04-01"}).json()["entries"]) == 1
    cap = c.get("/api/projects").json()["capacity"]
    assert cap["built"]["pv"]["2023"] == pytest.approx(14.8)


@pytest.mark.parametrize("user,task,code", [
    ("drc", "A01.1", 200),     # 县发展和改革局 is responsible
    ("drc", "A08.1", 403),     # 科技和工信局, 市场监管局 only
    ("admin", "A08.1", 200),
    ("viewer", "A01.1", 403),
    ("firm", "A01.1", 403),
])
def test_task_edit_by_role(app, user, task, code):
    r = client(app, user).patch(f"/api/tasks/{task}", json={"status": "in_progress", "deadline": "2025-06-30",
                                                            "progress_note": "已开展排查"})
    assert r.status_code == code, r.text


@pytest.mark.parametrize("user,code", [("admin", 200), ("drc", 403), ("viewer", 403), ("firm", 403)])
def test_project_edit_by_role(app, user, code):
    assert client(app, user).patch("/api/projects/P04-02", json={"status": "under_construction"}).status_code == code


def test_department_sees_its_tasks_first_and_overdue_flags(app):
    c = client(app, "drc")
    c.patch("/api/tasks/A01.2", json={"deadline": "2020-01-01"})
    tasks = c.get("/api/tasks").json()["tasks"]
    first_other = next(i for i, t in enumerate(tasks) if DRC not in t["departments"])
    assert all(DRC in t["departments"] for t in tasks[:first_other])
    assert all(DRC not in t["departments"] for t in tasks[first_other:])
    assert next(t for t in tasks if t["id"] == "A01.2")["overdue"] is True


BAD = "年份,地区,部门,能源品种,数量,单位\n2025,安化县,工业,原煤,100,吨\n2025,安化县,工业,柴油,-3,吨\n"
GOOD = "年份,地区,部门,能源品种,数量,单位\n2025,安化县,工业,原煤,100,吨\n"


def test_upload_validate_then_import(app):
    c = client(app, "drc")
    version = c.get("/api/health").json()["data_version"]
    bad = c.post("/api/uploads/validate", files={"file": ("坏数据.csv", io.BytesIO(BAD.encode()), "text/csv")})
    assert bad.status_code == 422
    (d,) = bad.json()["detail"]
    assert (d["file"], d["row"], d["column"]) == ("坏数据.csv", 3, "quantity")
    assert c.post("/api/uploads", files={"file": ("坏数据.csv", io.BytesIO(BAD.encode()), "text/csv")}).status_code == 422
    ok = c.post("/api/uploads/validate", files={"file": ("good.csv", io.BytesIO(GOOD.encode()), "text/csv")}).json()
    assert (ok["dry_run"], ok["inserted"]) == (True, 1)
    assert c.get("/api/health").json()["data_version"] == version  # nothing written
    assert 2025 not in c.get("/api/overview").json()["years"]
    done = c.post("/api/uploads", files={"file": ("good.csv", io.BytesIO(GOOD.encode()), "text/csv")}).json()
    assert done["inserted"] == 1 and done["batch_id"] is not None
    assert 2025 in c.get("/api/overview").json()["years"]  # caches follow the data version
    again = c.post("/api/uploads", files={"file": ("good.csv", io.BytesIO(GOOD.encode()), "text/csv")}).json()
    assert (again["inserted"], again["unchanged"]) == (0, 1)


def test_upload_by_viewer_is_forbidden(app):
    r = client(app, "viewer").post("/api/uploads/validate", files={"file": ("g.csv", io.BytesIO(GOOD.encode()), "text/csv")})
    assert r.status_code == 403


def test_accounts(app):
    admin = client(app, "admin")
    r = admin.post("/api/users", json={"username": "forestry", "password": "forest-pass-1", "role": "dept_editor",
                                       "department": "县林业局"})
    assert r.status_code == 201
    assert admin.post("/api/users", json={"username": "forestry", "password": "forest-pass-1", "role": "viewer"}).status_code == 409
    assert admin.post("/api/users", json={"username": "x", "password": "short", "role": "viewer"}).status_code == 422
    assert client(app, "viewer").get("/api/users").status_code == 403
    names = [u["username"] for u in admin.get("/api/users").json()["users"]]
    assert "forestry" in names and all("password" not in str(u) for u in admin.get("/api/users").json()["users"])


def test_logout_ends_the_session(app):
    c = client(app, "viewer")
    assert c.get("/api/tasks").status_code == 200
    assert c.post("/api/auth/logout").status_code == 200
    assert c.get("/api/tasks").status_code == 401


def test_barometer_says_why_beside_each_light_and_marks_assumed_bases(app):
    """API, 目标 page and the overview's barometer carry the same branch text and the assumed-base marker."""
    c = client(app)
    rows = {t["id"]: t for t in c.get("/api/targets", params={"year": 2024}).json()["targets"]}
    assert rows["T21"]["assumption"] == "基期为假设：方案未载明" and rows["T21"]["base_assumed"] is True
    assert rows["T13"]["assumption"] == "" and rows["T13"]["base_source"] == "observed"
    assert rows["T43"]["light"] == "green" and rows["T43"]["base_source"] == "zero"  # 240 of 300: on the path
    assert all(r["why"] for r in rows.values())
    en = {t["id"]: t for t in c.get("/api/targets", params={"year": 2024, "lang": "en"}).json()["targets"]}
    assert en["T21"]["assumption"] == "assumed base: not stated in the plan"
    for page in ("/targets", "/"):
        html = c.get(page).text
        row = html[html.index('"T21"'):]
        row = row[:row.index("</tr>")]
        assert "基期为假设：方案未载明" in row and rows["T21"]["why"] in row, page
    tr = c.get("/api/targets/T36/trajectory").json()
    assert tr["target"]["base_assumed"] is True and tr["path"][0] == {"year": 2022, "value": 0.0}


def test_pages_render_and_private_pages_redirect(app):
    c = client(app)
    for path in ("/", "/accounting", "/targets", "/scenarios", "/projects", "/login", "/docs", "/vendor/plotly.min.js"):
        r = c.get(path)
        assert r.status_code == 200, path
    assert "目标晴雨表" in c.get("/").text and "Target barometer" in c.get("/?lang=en").text
    for path in ("/tasks", "/data", "/audit"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    signed = client(app, "admin")
    for path in ("/tasks", "/data", "/audit"):
        assert signed.get(path).status_code == 200


def test_only_pages_that_draw_a_chart_load_plotly(app):
    """Plotly is 1.5 MB compressed: a page without a chart must not make a phone download and parse it."""
    c, plotly = client(app), "/vendor/plotly.min.js"
    for path in ("/", "/accounting", "/targets", "/scenarios", "/projects"):
        page = c.get(path).text
        assert plotly in page and 'class="chart' in page, path
    for path in ("/sinks", "/buildings", "/disclosure", "/carbon", "/open-data", "/login"):
        page = c.get(path).text
        assert c.get(path).status_code == 200 and plotly not in page and 'class="chart' not in page, path


def test_no_asset_from_the_internet(app):
    c = client(app)
    import re
    for path in ("/", "/accounting", "/targets", "/projects", "/login", "/docs"):
        html = c.get(path).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert not [u for u in urls if u.startswith(("http:", "https:", "//"))], (path, urls)


def test_department_edits_only_its_own_data(app, platform):
    # 县统计局 may import every sector's activity rows (the plan's data_departments), like 县发改局
    create_user(platform, "forest", PASSWORDS["forest"], "dept_editor", "test", department="县统计局")
    drc, forest, admin = client(app, "drc"), client(app, "forest"), client(app, "admin")

    def up(c, text, name="d.csv"):
        return c.post("/api/uploads", files={"file": (name, io.BytesIO(text.encode()), "text/csv")})

    head = "年份,地区,部门,能源品种,数量,单位\n"
    assert up(drc, head + "2025,安化县,工业,原煤,100,吨\n").json()["inserted"] == 1       # owned by 县发改局
    assert up(drc, head + "2025,安化县,工业,原煤,120,吨\n").json()["updated"] == 1        # its own row
    r = up(forest, head + "2025,安化县,工业,原煤,130,吨\n", "统计局.csv")                  # someone else's row
    assert r.status_code == 422
    (d,) = r.json()["detail"]
    assert (d["file"], d["row"], d["type"]) == ("统计局.csv", 2, "input.not_owner") and DRC in d["msg"]
    # county-level demo rows (no owner) are not a department's to change
    r = up(drc, head + "2023,安化县,建筑业,柴油,1,吨\n")
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "input.not_owner"
    # the administrator may change any row, and ownership stays
    assert up(admin, head + "2025,安化县,工业,原煤,140,吨\n").json()["updated"] == 1
    assert up(drc, head + "2025,安化县,工业,原煤,150,吨\n").json()["updated"] == 1


def test_scenarios_api(app):
    anon = client(app)
    assert [s["id"] for s in anon.get("/api/scenarios").json()["scenarios"]] == ["baseline", "policy", "enhanced"]
    assert anon.get("/api/scenarios/policy", params={"draws": 500, "seed": 4}).status_code == 401  # published run only
    r = client(app, "viewer").get("/api/scenarios/policy", params={"draws": 500, "seed": 4}).json()
    assert set(r["peak_year"]) == {"p10", "p50", "p90"} and 0 <= r["p_peak_by_2030"] <= 1
    assert r["lineage"] == ["baseline", "policy"] and r["illustrative"] is True and r["projects"]
    assert anon.get("/api/scenarios/nope").status_code == 404
    assert anon.get("/api/scenarios/policy/iamc.csv").text.startswith("model,scenario,region,variable,unit,year,value")
    assert anon.post("/api/scenarios/policy/edit", json={"gdp_growth": 0.08}).status_code == 401
    viewer = client(app, "viewer")
    slow = viewer.post("/api/scenarios/policy/edit", json={"gdp_growth": 0.02, "draws": 500, "seed": 4}).json()
    fast = viewer.post("/api/scenarios/policy/edit", json={"gdp_growth": 0.09, "draws": 500, "seed": 4}).json()
    assert slow["p_peak_by_2030"] > fast["p_peak_by_2030"]
    assert 'parent = "policy.toml"' in slow["spec_toml"] and "gdp_growth = { mean = 0.02" in slow["spec_toml"]
    bad = viewer.post("/api/scenarios/policy/edit", json={"gdp_growth": 5})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "gdp_growth"]
