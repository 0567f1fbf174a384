"""Who may change what, request by request, on SQLite and PostgreSQL.

TABLE is the expectation, written by hand: one row per operation (every POST/PATCH/PUT/DELETE
route, each upload kind, activity rows by sector, and the report reads), one column per kind of
account. "own department" is the department the plan makes responsible for the object (a task's
department, a sector's or a kind's data department), "other department" one that is not; "own
unit" is the account of the unit the object belongs to (益阳海螺水泥), "other unit" another unit's
account. docs/web.md shows the same table (test_docs_show_the_same_table).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from paths import DATA, DOCS

from carbonpeak.services import audit, imports, permissions, plans, report_jobs, target_sources
from carbonpeak.services.errors import Forbidden, InputRejected
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

A, F, U = "allowed", "403", "401"
COLUMNS = ("admin", "dept_editor (own department)", "dept_editor (other department)", "enterprise (own unit)",
           "enterprise (other unit)", "viewer", "anonymous")
ADMIN_ONLY = (A, F, F, F, F, F, U)
OWN_DEPT = (A, A, F, F, F, F, U)
COUNTY = (A, A, A, F, F, A, U)
SIGNED_IN = (A, A, A, A, A, A, U)
PASSWORD = "Xq7-anhua-black-tea"
U1, U2 = "91430923000000001N", "91430923000000002R"  # 益阳海螺水泥, 圣德锰业 (demo registry)
DRC, TRANSPORT, FARMING, INDUSTRY = "县发展和改革局", "县交通运输局", "县农业农村局", "县科学技术和工业信息化局"
STATS, FORESTRY, OFFICES, HOUSING = "县统计局", "县林业局", "县机关事务服务中心", "县住房和城乡建设局"
DOC = DOCS / "web.md"


@dataclass(frozen=True)
class Op:
    what: str
    route: str
    expect: tuple[str, ...]
    send: Callable  # (world, client) -> list of responses
    departments: tuple[str, str] | None = None  # (own, other); None: the department does not matter
    ok: tuple[int, ...] = (200, 201)  # answers meaning "the account got through"


def _upload(kind: str, text: str):
    def send(w, c):
        return [c.post(url, data={"kind": kind}, files={"file": (f"{kind}.csv", io.BytesIO(text.encode()), "text/csv")})
                for url in ("/api/uploads/validate", "/api/uploads")]
    return send


def _activity(sector: str, carrier: str = "柴油") -> Callable:
    return _upload("activity", f"年份,地区,部门,能源品种,数量,单位\n2025,安化县,{sector},{carrier},10,吨\n")


def _word_file() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


SAMR = "县市场监督管理局"
SUP = "/api/supervision"


def _pdf() -> dict:
    return {"file": ("整改材料.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "application/pdf")}


def _audit_report(w, c) -> list:
    """An energy audit ordered for 益阳海螺水泥 (by the administrator, once), then its report sent."""
    order = {"uscc": U1, "requested_on": "2025-04-01", "due_on": "2025-10-31", "department": DRC}
    rid = w.admin.post(f"{SUP}/energy-audits", json=order).json()["id"]
    return [c.post(f"{SUP}/energy-audits/{rid}/report", data={"on": "2025-09-01"}, files=_pdf())]


UPLOAD = "POST /api/uploads/validate, /api/uploads"
FACTOR = {"kind": "building_quota", "carrier": "A类办公/党政机关办公建筑", "geography": "夏热冬冷", "unit": "kWh/m2",
          "parameter": "guide", "value": 41, "source_document": "测试定额", "status": "confirmed"}
TABLE = [
    Op("sign out", "POST /api/auth/logout", SIGNED_IN, lambda w, c: [c.post("/api/auth/logout")]),
    Op("change the own password (a wrong current one: refused as input)", "POST /api/auth/password", SIGNED_IN,
       lambda w, c: [c.post("/api/auth/password", json={"current_password": "not-the-password",
                                                        "new_password": "Another-long-pass-77"})], ok=(422,)),
    Op("list the accounts", "GET /api/users", ADMIN_ONLY, lambda w, c: [c.get("/api/users")]),
    Op("create an account", "POST /api/users", ADMIN_ONLY,
       lambda w, c: [c.post("/api/users", json={"username": f"new{w.serial()}", "password": PASSWORD,
                                                "role": "viewer"})]),
    Op("disable, then enable an account", "POST /api/users/{username}/disable, /enable", ADMIN_ONLY,
       lambda w, c: [c.post("/api/users/spare/disable"), c.post("/api/users/spare/enable")]),
    Op("release an account's login throttle", "POST /api/users/{username}/unlock", ADMIN_ONLY,
       lambda w, c: [c.post("/api/users/spare/unlock")]),
    Op("edit a project (P04-01)", "PATCH /api/projects/{code}", ADMIN_ONLY,
       lambda w, c: [c.patch("/api/projects/P04-01", json={"note": "进度核实"})], (DRC, TRANSPORT)),
    Op("edit a task (A07.1)", "PATCH /api/tasks/{code}", OWN_DEPT,
       lambda w, c: [c.patch("/api/tasks/A07.1", json={"progress_note": "已开展"})], (TRANSPORT, FARMING)),
    Op("set county factor values", "PUT /api/factors/county", ADMIN_ONLY,
       lambda w, c: [c.put("/api/factors/county", json=[FACTOR])]),
    Op("remove a county factor value (the one set above)", "DELETE /api/factors/county", ADMIN_ONLY,
       lambda w, c: [c.delete("/api/factors/county", params={k: FACTOR[k] for k in ("kind", "carrier", "geography",
                                                                                  "parameter")})]),
    Op("issue a unit's device token (益阳海螺水泥)", "POST /api/monitoring/units/{uscc}/token", ADMIN_ONLY,
       lambda w, c: [c.post(f"/api/monitoring/units/{U1}/token")]),
    Op("start the assessment report", "POST /api/reports", COUNTY,
       lambda w, c: [c.post("/api/reports", params={"year": 2024})]),
    Op("read a report job's progress", "GET /api/reports/{job}", COUNTY, lambda w, c: [c.get(f"/api/reports/{w.job}")]),
    Op("download a report (docx, xlsx)", "GET /api/reports/{job}/{fmt}", COUNTY,
       lambda w, c: [c.get(f"/api/reports/{w.job}/{f}") for f in ("docx", "xlsx")]),
    Op("upload the county's Word template of the report", "PUT /api/reports/template", ADMIN_ONLY,
       lambda w, c: [c.put("/api/reports/template", content=_word_file())]),
    Op("read the dispatch report", "GET /api/dispatch", COUNTY,
       lambda w, c: [c.get("/api/dispatch", params={"start": "2024-01-01", "end": "2024-12-31"})]),
    Op("run a scenario with edited levers", "POST /api/scenarios/{name}/edit", SIGNED_IN,
       lambda w, c: [c.post("/api/scenarios/policy/edit", json={"gdp_growth": 0.05, "draws": 100, "seed": 1})]),
    Op("upload activity rows: 农林牧渔业", UPLOAD, OWN_DEPT, _activity("农林牧渔业"), (FARMING, TRANSPORT)),
    Op("upload activity rows: 交通运输、仓储和邮政业", UPLOAD, OWN_DEPT, _activity("交通运输、仓储和邮政业"),
       (TRANSPORT, FARMING)),
    Op("upload activity rows: 工业-非金属矿物制品业", UPLOAD, OWN_DEPT, _activity("工业-非金属矿物制品业", "原煤"),
       (INDUSTRY, TRANSPORT)),
    Op("upload activity rows: 建筑业 (by a department of every sector)", UPLOAD, OWN_DEPT, _activity("建筑业"),
       (STATS, FORESTRY)),
    Op("upload GDP", UPLOAD, OWN_DEPT, _upload("gdp", "年份,地区,地区生产总值,单位,来源\n2025,安化县,300,亿元,测试\n"),
       (STATS, DRC)),
    Op("upload target values", UPLOAD, OWN_DEPT, _upload("observations", "目标编号,年份,数值,来源\nT24,2025,77.1,测试\n"),
       (DRC, TRANSPORT)),
    Op("upload forest parcels", UPLOAD, OWN_DEPT,
       _upload("parcels", "年份,乡镇,村,小班号,地类,优势树种组,起源,龄组,面积,每公顷蓄积,来源\n"
                          "2025,东坪镇,,9901,乔木林地,杉木,,,10,50,测试\n"), (FORESTRY, FARMING)),
    Op("upload public buildings", UPLOAD, OWN_DEPT,
       _upload("buildings", "建筑编号,名称,类型,子类型,气候区,建筑面积,单位,年份,电力,天然气,来源\n"
                            "B901,测试楼,A类办公,党政机关办公建筑,夏热冬冷,1000,县机关事务服务中心,2025,50000,,测试\n"),
       (OFFICES, HOUSING)),
    Op("upload the key unit registry", UPLOAD, OWN_DEPT,
       _upload("key_units", f"统一社会信用代码,单位名称,行业代码,年综合能耗\n{U1},益阳海螺水泥,C3011,120000\n"),
       (INDUSTRY, STATS)),
    Op("upload metering points", UPLOAD, OWN_DEPT,
       _upload("metering_points", f"统一社会信用代码,计量点编码,能源品种,计量单位,倍率,表计类型\n{U1},T901,电力,kWh,1,累计值\n"),
       (DRC, TRANSPORT)),
    Op("upload energy budgets", UPLOAD, OWN_DEPT,
       _upload("energy_budgets", f"统一社会信用代码,年份,用能预算\n{U1},2025,100000\n"), (DRC, INDUSTRY)),
    Op("upload unit outputs", UPLOAD, OWN_DEPT,
       _upload("unit_outputs", f"统一社会信用代码,年份,产品,产量,产品综合能耗\n{U1},2025,水泥熟料,1000,100\n"), (STATS, TRANSPORT)),
    Op("upload 205-1 forms", UPLOAD, OWN_DEPT,
       _upload("form_205_1", f"统一社会信用代码,年份,月份,能源名称,计量单位,消费量合计\n{U1},2025,1,原煤,吨,100\n"),
       (STATS, DRC)),
    Op("upload the “两高” project list", UPLOAD, OWN_DEPT,
       _upload("two_high", f"项目名称,统一社会信用代码,项目状态,产品,单位产品能耗\n测试项目,{U1},拟建,水泥熟料,100\n"),
       (INDUSTRY, TRANSPORT)),
    # energy supervision (the demo's illustrative 2024 cases; docs/supervision.md)
    Op("create a supervision batch", f"POST {SUP}/batches", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/batches", json={"code": f"T-{w.serial()}", "year": 2025, "name": "测试批次",
                                                    "department": DRC, "starts_on": "2025-03-01",
                                                    "ends_on": "2025-06-30", "units": [U1]})], (DRC, TRANSPORT)),
    Op("record an inspection", f"POST {SUP}/cases", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/cases", json={"uscc": U1, "inspected_on": "2025-03-12", "department": DRC})],
       (DRC, TRANSPORT)),
    Op("decide a case (JC-2024-004, 县市场监督管理局)", f"POST {SUP}/cases/{{code}}/decision", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/cases/JC-2024-004/decision", json={"decided_on": "2024-10-20",
                                                                       "decision": "责令改正"})], (SAMR, TRANSPORT)),
    Op("publish a decided case (JC-2024-005)", f"POST {SUP}/cases/{{code}}/publish", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/cases/JC-2024-005/publish", json={"published_on": "2024-12-22"})],
       (SAMR, TRANSPORT)),
    Op("close a case (JC-2024-002)", f"POST {SUP}/cases/{{code}}/close", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/cases/JC-2024-002/close", json={"closed_on": "2024-12-31", "note": "已移送处罚"})],
       (DRC, TRANSPORT)),
    Op("review a rectification (none awaiting review: refused as input)",
       f"POST {SUP}/cases/{{code}}/findings/{{number}}/review", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/cases/JC-2024-003/findings/1/review", json={"accept": True,
                                                                                "reviewed_on": "2024-07-01"})],
       (DRC, TRANSPORT), ok=(422,)),
    Op("send rectification evidence (JC-2024-001 is closed: refused as input)",
       f"POST {SUP}/cases/{{code}}/findings/{{number}}/evidence", (A, F, F, A, F, F, U),
       lambda w, c: [c.post(f"{SUP}/cases/JC-2024-001/findings/1/evidence", files=_pdf())], ok=(422,)),
    Op("order an energy audit", f"POST {SUP}/energy-audits", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/energy-audits", json={"uscc": U1, "requested_on": "2025-04-02",
                                                          "due_on": "2025-10-31", "department": DRC})], (DRC, TRANSPORT)),
    Op("send an energy audit report", f"POST {SUP}/energy-audits/{{request_id}}/report", (A, F, F, A, F, F, U),
       _audit_report),
    Op("list an enterprise for a clean-production audit", f"POST {SUP}/clean-audits", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/clean-audits", json={"uscc": U1, "industry_group": "building_materials",
                                                         "listed_year": 2025, "listed_on": "2025-02-01"})],
       (DRC, TRANSPORT)),
    Op("record a clean-production audit stage (out of order: refused as input)",
       f"POST {SUP}/clean-audits/{{audit_id}}/stage", OWN_DEPT,
       lambda w, c: [c.post(f"{SUP}/clean-audits/1/stage", data={"stage": "listed", "on": "2025-01-01"},
                            files=_pdf())], (DRC, TRANSPORT), ok=(422,)),
    # carbon dual control (docs/carbon.md): the county reads; 县发展和改革局 and administrators change
    Op("decompose the carbon budget with entered inputs (a computation, nothing stored)", "POST /api/carbon/decomposition",
       COUNTY, lambda w, c: [c.post("/api/carbon/decomposition", json={"level": "sector", "rule": "historical_share"})]),
    Op("review a project's carbon (stored as a new version)", "POST /api/carbon/reviews", OWN_DEPT,
       lambda w, c: [c.post("/api/carbon/reviews", json={
           "code": f"PR-{w.serial()}", "name": "测试项目", "industry": "水泥熟料", "start_year": 2027,
           "annual_output": 1000, "energy": [{"carrier": "电力", "quantity": 800, "unit": "MWh"}]})], (DRC, TRANSPORT)),
    Op("import monthly electricity by sector", "POST /api/carbon/electricity", OWN_DEPT,
       lambda w, c: [c.post("/api/carbon/electricity", data={"kind": "monthly_electricity"}, files={"file": (
           "e.csv", io.BytesIO("年份,月份,地区,行业,用电量,单位\n2026,11,安化县,建筑业,10,MWh\n".encode()), "text/csv")})],
       (DRC, TRANSPORT)),
]
# statistical reporting (docs/reporting-departments.md, docs/reporting-review.md; the demo's illustrative
# obligations OBL-T08 of 县统计局 and OBL-T28, whose 2024 value awaits review): the department enters its own,
# 县发展和改革局 and administrators review (a stale version: 409 once past the permission check)
REP = "/api/reporting"


def _new_viewer(w) -> str:
    name = f"reset{w.serial()}"
    create_user(w.platform, name, PASSWORD, "viewer", "test")
    return name


REPORTING_OPS = [
    Op("create a reporting obligation", f"POST {REP}/obligations", ADMIN_ONLY,
       lambda w, c: [c.post(f"{REP}/obligations", json={"code": f"R-{w.serial()}", "subject": "T29",
                                                        "department": FARMING})]),
    Op("create the plan's default obligations", f"POST {REP}/obligations/defaults", ADMIN_ONLY,
       lambda w, c: [c.post(f"{REP}/obligations/defaults")]),
    Op("enter a period of an obligation (OBL-T08, draft)", f"POST {REP}/obligations/{{code}}/{{period}}", OWN_DEPT,
       lambda w, c: [c.post(f"{REP}/obligations/OBL-T08/2025", json={"values": {"value": 12}})], (STATS, TRANSPORT)),
    Op("enter a period by the Excel form (OBL-T08, draft)", f"POST {REP}/obligations/{{code}}/{{period}}/upload",
       OWN_DEPT, lambda w, c: [c.post(f"{REP}/obligations/OBL-T08/2025/upload", files={"file": (
           "form.xlsx", w.admin.get(f"{REP}/obligations/OBL-T08/2025/form.xlsx").content)})], (STATS, TRANSPORT)),
    Op("attach evidence to a period (OBL-T08)", f"POST {REP}/obligations/{{code}}/{{period}}/attachments", OWN_DEPT,
       lambda w, c: [c.post(f"{REP}/obligations/OBL-T08/2025/attachments", files=_pdf())], (STATS, TRANSPORT)),
    Op("review a submission (a stale version: 409)", f"POST {REP}/submissions/{{submission_id}}/review", OWN_DEPT,
       lambda w, c: [c.post(f"{REP}/submissions/{w.admin.get(f'{REP}/obligations/OBL-T28/2024').json()['id']}/review",
                            json={"version": 999, "approve": True})], (DRC, TRANSPORT), ok=(409,)),
    Op("send an approved period back (a stale version: 409)", f"POST {REP}/submissions/{{submission_id}}/reopen",
       OWN_DEPT, lambda w, c: [c.post(
           f"{REP}/submissions/{w.admin.get(f'{REP}/obligations/OBL-T28/2023').json()['id']}/reopen",
           json={"version": 999, "comment": "更正"})], (DRC, TRANSPORT), ok=(409,)),
    Op("generate the 205-1, project and task obligations", f"POST {REP}/obligations/generate", ADMIN_ONLY,
       lambda w, c: [c.post(f"{REP}/obligations/generate", json={"kind": "task"})]),
    Op("edit an obligation (OBL-T08's range)", f"PATCH {REP}/obligations/{{code}}", ADMIN_ONLY,
       lambda w, c: [c.patch(f"{REP}/obligations/OBL-T08", json={"ranges": {"value": {"low": 0, "high": 1000}}})]),
    Op("send the reminders", f"POST {REP}/reminders", ADMIN_ONLY, lambda w, c: [c.post(f"{REP}/reminders")]),
    Op("freeze an assessment year (a new version)", f"POST {REP}/freezes", ADMIN_ONLY,
       lambda w, c: [c.post(f"{REP}/freezes", json={"year": 2024, "reason": "测试"})]),
    Op("reset an account's password (changed at its next sign-in)", "POST /api/accounts/{username}/password-reset",
       ADMIN_ONLY, lambda w, c: [c.post(f"/api/accounts/{_new_viewer(w)}/password-reset")]),
    Op("mark my notifications read", "POST /api/notifications/read", SIGNED_IN,
       lambda w, c: [c.post("/api/notifications/read")]),
]
TABLE += REPORTING_OPS
# Changes that no session role decides: signing in (the password does), a unit's device (its token does).
EXEMPT = {("POST", "/api/auth/login"), ("POST", "/api/monitoring/readings")}


def _fake_report(platform, year, folder, lang, progress=None, formats=("docx", "xlsx")):
    """Stands in for the report writer (its output is tested in test_reports.py): two small files."""
    out = {f: folder / f"assessment_{year}_{lang}.{f}" for f in formats}
    for path in out.values():
        path.write_bytes(b"PK fake")
    return {**out, "model": SimpleNamespace(missing=[])}


class World:
    def __init__(self, platform, settings, monkeypatch):
        monkeypatch.setattr(report_jobs, "write_report", _fake_report)
        self.platform, self.app, self._n = platform, create_app(settings, platform), 0
        self.users = {"admin": create_user(platform, "admin", PASSWORD, "admin", "test"),
                      "viewer": create_user(platform, "viewer", PASSWORD, "viewer", "test"),
                      "firm": create_user(platform, "firm", PASSWORD, "enterprise", "test", enterprise="益阳海螺水泥"),
                      "firm2": create_user(platform, "firm2", PASSWORD, "enterprise", "test", enterprise=U2),
                      "spare": create_user(platform, "spare", PASSWORD, "viewer", "test")}
        self._clients: dict[str, TestClient] = {}
        self._depts: dict[str, str] = {}
        self.admin = self.client("admin")
        self.job = report_jobs.start(platform, 2024, "zh", self.users["admin"])
        for _ in range(200):
            if report_jobs.status(platform, self.job, self.users["admin"]).finished:
                break
            time.sleep(0.01)

    def serial(self) -> int:
        self._n += 1
        return self._n

    def dept_user(self, department: str) -> str:
        if department not in self._depts:
            name = self._depts[department] = f"dept{len(self._depts)}"
            self.users[name] = create_user(self.platform, name, PASSWORD, "dept_editor", "test", department=department)
        return self._depts[department]

    def client(self, user: str | None, fresh: bool = False) -> TestClient:
        if user is None:
            return TestClient(self.app)
        if fresh or user not in self._clients:
            c = TestClient(self.app)
            r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
            assert r.status_code == 200, r.text
            c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            if fresh:
                return c
            self._clients[user] = c
        return self._clients[user]

    def account(self, op: Op, column: str) -> str | None:
        own, other = op.departments or (DRC, TRANSPORT)
        return {"admin": "admin", "dept_editor (own department)": self.dept_user(own),
                "dept_editor (other department)": self.dept_user(other), "enterprise (own unit)": "firm",
                "enterprise (other unit)": "firm2", "viewer": "viewer", "anonymous": None}[column]


@pytest.fixture
def world(demo_platform, settings, monkeypatch):
    return World(demo_platform, settings, monkeypatch)


def outcome(responses, ok: tuple[int, ...]) -> str:
    codes = sorted({r.status_code for r in responses})
    if codes in ([401], [403]):
        return str(codes[0])
    if all(c in ok for c in codes):
        return A
    return " / ".join(f"{r.status_code} {r.text[:160]}" for r in responses)


def test_permission_table(world):
    """Every operation × every kind of account answers as TABLE says (allowed / 403 / 401)."""
    wrong = []
    for op in TABLE:
        for column, want in zip(COLUMNS, op.expect, strict=True):
            user = world.account(op, column)
            got = outcome(op.send(world, world.client(user, fresh=op.route.endswith("/logout"))), op.ok)
            if got != want:
                wrong.append((op.what, column, user, want, got))
    assert wrong == []


def _routes(route: str) -> set[tuple[str, str]]:
    method, paths = route.split(" ", 1)
    out, base = set(), ""
    for p in paths.split(", "):
        base = p if p.startswith("/api") else base.rsplit("/", 1)[0] + p
        out.add((method, base))
    return out


def test_the_table_covers_every_changing_route(platform, settings):
    """A new POST/PATCH/PUT/DELETE route must get a row in TABLE (and docs/web.md) or be exempt."""
    spec = create_app(settings, platform).openapi()["paths"]
    changing = {(m.upper(), path) for path, ops in spec.items() for m in ops if m in ("post", "put", "patch", "delete")}
    covered = set().union(*(_routes(op.route) for op in TABLE))
    assert changing - covered - EXEMPT == set()
    assert covered & EXEMPT == set()


def markdown_table() -> str:
    head = "| operation | route | own / other department | " + " | ".join(COLUMNS) + " |"
    lines = [head, "|" + "---|" * (3 + len(COLUMNS))]
    for op in TABLE:
        depts = " / ".join(op.departments) if op.departments else "—"
        lines.append(f"| {op.what} | `{op.route}` | {depts} | " + " | ".join(op.expect) + " |")
    return "\n".join(lines)


def test_docs_show_the_same_table():
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- permissions-table: begin.*?-->\n(.*?)\n<!-- permissions-table: end -->", text, re.DOTALL)
    assert m, "docs/web.md lost its permissions table markers"
    assert m.group(1).strip() == markdown_table(), "docs/web.md: paste the output of markdown_table()"


# --- the plan's data departments, and refusals that name file, row and field ------------------------

def _principal(platform, name: str, department: str):
    return create_user(platform, name, PASSWORD, "dept_editor", "test", department=department)


def test_a_department_importing_another_sectors_rows_is_refused_whole(demo_platform, write_csv):
    """The 县交通运输局 editor who posted 农林牧渔业 rows: 403 naming each row; nothing written."""
    who = _principal(demo_platform, "transport", TRANSPORT)
    before = len(audit.history(demo_platform, limit=100_000))
    text = ("年份,地区,部门,能源品种,数量,单位\n2025,安化县,交通运输、仓储和邮政业,柴油,9,吨\n"
            "2025,安化县,农林牧渔业,柴油,10,吨\n2025,安化县,工业-其他,原煤,3,吨\n")
    with pytest.raises(Forbidden) as err:
        imports.import_file(demo_platform, write_csv("mixed.csv", text), who.username, principal=who)
    msg = str(err.value)
    assert "mixed.csv，第3行，列“sector”" in msg and "“农林牧渔业”" in msg and "县农业农村局" in msg
    assert "mixed.csv，第4行" in msg and "第2行" not in msg and "row 3" in msg  # Chinese first, English after
    assert len(audit.history(demo_platform, limit=100_000)) == before  # nothing half-written
    ok = imports.import_file(demo_platform, write_csv("own.csv", "\n".join(text.splitlines()[:2]) + "\n"), who.username,
                             principal=who)
    assert ok.inserted == 1


def test_bundled_plan_names_the_data_departments_and_they_survive_storing(platform):
    plan, sha = plans.read_plan(plans.bundled_plan_path())
    duties = plan.data_departments
    assert set(duties.for_sector("工业-非金属矿物制品业")) == {DRC, STATS, INDUSTRY}
    assert set(duties.for_sector("工业")) == {DRC, STATS, INDUSTRY} and INDUSTRY not in duties.for_sector("工业品贸易")
    assert duties.for_kind("parcels") == [FORESTRY] and duties.for_kind("nothing") == []
    assert not [f for f in target_sources.plan_findings(plan) if f.code == "plan.unknown_data_department"]
    plans.store_plan(platform, plan, sha, "anhua.yaml", "test")
    assert plans.stored_plan(platform).data_departments == duties == permissions.data_departments(platform)


OTHER = DATA / "other_county.yaml"


def _plan_with(tmp_path, block: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(OTHER.read_text(encoding="utf-8") + block, encoding="utf-8")
    return path


def test_plan_file_data_departments_are_checked(tmp_path):
    with pytest.raises(InputRejected) as err:
        plans.read_plan(_plan_with(tmp_path, "data_departments:\n  sector: {工业: [县发展和改革局]}\n"))
    assert [i.column for i in err.value.issues] == ["data_departments.sector"]
    with pytest.raises(InputRejected) as err:
        plans.read_plan(_plan_with(tmp_path, "data_departments:\n  kinds: {activity: [县林业局], gpd: [县林业局]}\n"))
    assert [i.column for i in err.value.issues] == ["data_departments.kinds.activity", "data_departments.kinds.gpd"]
    plan, _ = plans.read_plan(_plan_with(tmp_path, "data_departments:\n  kinds: {parcels: [县林业局, 县林草局]}\n"))
    found = [f.params for f in target_sources.plan_findings(plan) if f.code == "plan.unknown_data_department"]
    assert found == [{"department": "县林草局"}]


def test_without_data_departments_only_administrators_import(platform, write_csv):
    """A plan that names no data departments (here the second county's): departments import nothing."""
    plan, sha = plans.read_plan(OTHER)
    plans.store_plan(platform, plan, sha, "other_county.yaml", "test")
    who = _principal(platform, "forest", FORESTRY)
    path = write_csv("gdp.csv", "年份,地区,地区生产总值,单位,来源\n2025,示例县,30,亿元,测试\n")
    with pytest.raises(Forbidden, match="管理员"):
        imports.import_file(platform, path, who.username, principal=who)
    admin = create_user(platform, "admin", PASSWORD, "admin", "test")
    assert imports.import_file(platform, path, "admin", principal=admin).inserted == 1
