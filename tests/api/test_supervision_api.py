"""Energy supervision through the API and the pages, the ``computed:supervision`` target source and
the demo year, on both databases (the services themselves: tests/services/supervision/test_supervision.py)."""

from __future__ import annotations

from datetime import date

import pytest
from supervision_fixtures import (  # sup_platform: a fixture (conftest plugins)
    ADMIN,
    CEMENT,
    NDRC,
    PDF,
    TEA,
    _case,
    _count,
)

from carbonpeak.services import audit, supervision
from carbonpeak.services.supervision import DecisionIn
from carbonpeak.store.models_supervision import SupervisionCase, SupervisionEvidence, SupervisionFinding

PASSWORD = "Anhua-supervise-2031"


@pytest.fixture
def api(sup_platform, settings):
    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    for name, role, dept, ent in (("fgj", "dept_editor", "县发展和改革局", None), ("zjj", "dept_editor", "县住房和城乡建设局", None),
                                  ("hailuo", "enterprise", None, CEMENT), ("tea", "enterprise", None, TEA)):
        create_user(sup_platform, name, PASSWORD, role, "test", department=dept, enterprise=ent)
    return create_app(settings, sup_platform)


def _client(app, user: str | None = None):
    from fastapi.testclient import TestClient

    c = TestClient(app)
    if user:
        r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def _case_body() -> dict:
    return {"uscc": CEMENT, "inspected_on": "2025-03-12", "batch": "2025-1", "findings": [
        {"item": "metering", "description": "未按 GB 17167 配备计量器具", "severity": "general",
         "rectification": "配备并检定", "deadline": "2025-06-30"},
        {"item": "unit_product_energy", "description": "超限额", "severity": "serious",
         "rectification": "节能改造", "deadline": "2025-12-31"}]}


def test_api_runs_a_case_and_the_public_answer_shows_decided_cases_only(api):
    fgj, ent, other, anon = _client(api, "fgj"), _client(api, "hailuo"), _client(api, "tea"), _client(api)
    batch = {"code": "2025-1", "year": 2025, "name": "第一批", "starts_on": "2025-03-01", "ends_on": "2025-06-30",
             "units": [CEMENT, TEA]}
    assert fgj.post("/api/supervision/batches", json=batch).json()["department"] == "县发展和改革局"
    assert _client(api, "zjj").post("/api/supervision/batches", json=batch).status_code == 403
    assert anon.get("/api/supervision/cases").status_code == 401
    bad = _case_body()
    bad["findings"][0]["deadline"] = "2025-03-01"
    r = fgj.post("/api/supervision/cases", json=bad)
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "findings[1].deadline"
    assert "早于检查日期" in r.json()["detail"][0]["msg"]
    r = fgj.post("/api/supervision/cases?lang=en", json={**_case_body(), "uscc": "914309230000009999"})
    assert r.status_code == 422 and "not in the registry" in r.json()["detail"][0]["msg"]
    code = fgj.post("/api/supervision/cases", json=_case_body()).json()["code"]
    r = fgj.post(f"/api/supervision/cases/{code}/publish", json={"published_on": "2025-04-01"})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "status"
    assert anon.get("/api/public/supervision", params={"year": 2025}).json()["cases"] == []
    r = fgj.post(f"/api/supervision/cases/{code}/decision",
                 json={"decided_on": "2025-04-10", "decision": "责令整改并罚款", "penalty_yuan": 30000, "credit_record": True,
                       "price_proposal": "punitive"})
    assert r.status_code == 200 and r.json()["price_name"] == "建议执行惩罚性电价"
    assert fgj.post(f"/api/supervision/cases/{code}/publish", json={"published_on": "2025-04-12"}).status_code == 200
    files = {"file": ("整改报告.pdf", PDF, "application/pdf")}
    assert other.post(f"/api/supervision/cases/{code}/findings/1/evidence", files=files).status_code == 403
    r = ent.post(f"/api/supervision/cases/{code}/findings/1/evidence", files={"file": ("a.pdf", b"GIF89a", "application/pdf")})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "file"
    r = ent.post(f"/api/supervision/cases/{code}/findings/1/evidence", files=files)
    ev = r.json()["findings"][0]["evidence"][0]
    got = ent.get(f"/api/supervision/evidence/{ev['id']}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"]
    assert other.get(f"/api/supervision/evidence/{ev['id']}").status_code == 403
    assert anon.get(f"/api/supervision/evidence/{ev['id']}").status_code == 401
    assert ent.post(f"/api/supervision/cases/{code}/findings/1/review",
                    json={"accept": True, "reviewed_on": "2025-07-01"}).status_code == 403
    r = fgj.post(f"/api/supervision/cases/{code}/findings/1/review", json={"accept": True, "reviewed_on": "2025-07-01"})
    assert r.json()["findings"][0]["status"] == "accepted"
    r = fgj.post(f"/api/supervision/cases/{code}/close", json={"closed_on": "2025-08-01", "note": "第2项移送处罚"})
    assert r.json()["status"] == "closed"
    pub = anon.get("/api/public/supervision", params={"year": 2025}).json()
    assert [c["code"] for c in pub["violators"]] == [code] and pub["inspections"] == 1
    t = {i["target"]: i for i in pub["indicators"]}
    assert t["T18"]["value"] == 100.0 and t["T19"]["value"] == 100.0 and t["T16"]["value"] is None
    assert "record" not in pub["cases"][0] and "inspectors" not in pub["cases"][0]  # never published
    assert [c["code"] for c in ent.get("/api/supervision/cases").json()] == [code]
    assert other.get("/api/supervision/cases").json() == []
    schema = api.openapi()["paths"]["/api/supervision/cases"]["post"]["responses"]["200"]["content"]
    assert "CaseView" in str(schema)


def test_pages_staff_workbench_and_public_page(api):
    fgj, ent, anon = _client(api, "fgj"), _client(api, "hailuo"), _client(api)
    r = anon.get("/supervision", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/supervision/public"
    page = anon.get("/supervision/public?year=2025").text
    assert "节能监察公开" in page and "违规企业名单" in page and "T18" in page
    fgj.post("/api/supervision/batches", json={"code": "2025-1", "year": 2025, "name": "第一批", "starts_on": "2025-03-01",
                                               "ends_on": "2025-06-30", "units": [CEMENT, TEA]})
    code = fgj.post("/api/supervision/cases", json=_case_body()).json()["code"]
    staff = fgj.get("/supervision?year=2025").text
    assert code in staff and 'id="new-case"' in staff and "作出决定" in staff and "GB 17167" in staff
    mine = ent.get("/supervision").text
    assert code in mine and 'id="new-case"' not in mine and "上传整改材料" in mine and 'id="sup-units"' not in mine
    assert code not in anon.get("/supervision/public?year=2025").text  # undecided: never public
    english = fgj.get("/supervision/public?year=2025&lang=en").text
    assert "Violators list" in english and "违规企业名单" not in english


def test_computed_supervision_source_feeds_t16_t18_t19(sup_platform):
    from carbonpeak.services.plans import bundled_plan_path, read_plan
    from carbonpeak.services.target_sources import MODULES, SourceInput

    plan, _ = read_plan(bundled_plan_path())
    module = MODULES["supervision"]
    targets = {t.id: t for t in plan.targets if t.id in ("T16", "T18", "T19")}
    assert {t.indicator for t in targets.values()} == set(module.indicators)
    inp = SourceInput(sup_platform, plan, (2025,))
    assert module.compute(inp, targets["T18"]) == []  # no case decided: no computed value, the entered one stays
    case = _case(sup_platform)
    supervision.decide(sup_platform, NDRC, case.code, DecisionIn(date(2025, 4, 10), "罚款", 1000.0))
    [t19] = module.compute(inp, targets["T19"])
    assert (t19.year, t19.value, t19.module, t19.inputs) == (2025, 0.0, "supervision",
                                                            {"numerator": 0.0, "denominator": 1.0})
    assert [(r.id, r.counted) for r in t19.records] == [(case.code, False)]
    supervision.publish(sup_platform, NDRC, case.code, date(2025, 4, 11))
    [t18] = module.compute(inp, targets["T18"])
    assert t18.value == 100.0 and t18.rule_code == "supervision.rule.T18" and t18.illustrative


def test_demo_year_is_illustrative_idempotent_and_moves_the_targets(sup_platform):
    from carbonpeak.services.supervision import demo
    from carbonpeak.store.models import KeyUnit

    with sup_platform.sessions.begin() as s:  # the rest of the demo registry
        for uscc, name in ((demo.MANGANESE, "圣德锰业"), (demo.ANTIMONY, "渣滓溪矿业有限公司"),
                           (demo.MATERIALS, "安化经开区建材企业（示例）")):
            s.add(KeyUnit(uscc=uscc, name=name, industry_code="C3240", annual_energy_tce=5000, category="supervision",
                          illustrative=True))
    first = demo.load(sup_platform, "test")
    counts = [_count(sup_platform, m) for m in (SupervisionCase, SupervisionFinding, SupervisionEvidence)]
    entries = len(audit.history(sup_platform, limit=1000))
    assert demo.load(sup_platform, "test") == first  # a second run changes nothing
    assert [_count(sup_platform, m) for m in (SupervisionCase, SupervisionFinding, SupervisionEvidence)] == counts
    assert len(audit.history(sup_platform, limit=1000)) == entries
    assert all(c.illustrative for c in supervision.list_cases(sup_platform, ADMIN))
    values = {v.target: (v.value, v.numerator, v.denominator) for v in supervision.all_computed(sup_platform, 2024)}
    # T16: five listed, the cement plant's audit accepted; T18: four decided, three published;
    # T19: three cases with a violation (cement, manganese, building materials), one closed
    assert values == {"T16": (20.0, 1, 5), "T18": (75.0, 3, 4), "T19": (33.3, 1, 3)}
    public = supervision.public_view(sup_platform, 2024)
    assert public.inspections == 5 and public.decided == 4 and public.published == 3
    assert "JC-2024-004" not in {c.code for c in public.cases}  # undecided: never public
    assert {c.unit_name for c in public.violators} == {"益阳海螺水泥", "圣德锰业"}


def test_overdue_rectifications_per_department_for_the_dispatch_report(sup_platform):
    case = _case(sup_platform)  # deadlines 2025-06-30 and 2025-12-31
    assert supervision.overdue_by_department(sup_platform, date(2025, 6, 30)) == []
    [row] = supervision.overdue_by_department(sup_platform, date(2025, 7, 1))
    assert (row.department, row.overdue, row.cases) == ("县发展和改革局", 1, [case.code])
    assert supervision.overdue_by_department(sup_platform, date(2026, 1, 1))[0].overdue == 2
    assert supervision.annual_section(sup_platform, 2025).inspections == 1


def test_evidence_times_carry_their_offset(api):
    """RFC 3339 date-times as the schema declares (SQLite hands back naive UTC)."""
    fgj, ent = _client(api, "fgj"), _client(api, "hailuo")
    fgj.post("/api/supervision/batches", json={"code": "2025-1", "year": 2025, "name": "第一批", "starts_on": "2025-03-01",
                                               "ends_on": "2025-06-30", "units": [CEMENT]})
    code = fgj.post("/api/supervision/cases", json=_case_body()).json()["code"]
    ent.post(f"/api/supervision/cases/{code}/findings/1/evidence", files={"file": ("a.pdf", PDF, "application/pdf")})
    at = ent.get(f"/api/supervision/cases/{code}").json()["findings"][0]["evidence"][0]["uploaded_at"]
    assert at.endswith(("+00:00", "Z")), at


HOSTILE = ["", "0", "-1", "1e309", str(2**63), "x" * 3000, "<script>'\"", "%", "99999"]


def test_pages_survive_hostile_years(api):
    for c in (_client(api), _client(api, "fgj")):
        for value in HOSTILE:
            for path in ("/supervision/public", "/supervision"):
                r = c.get(path, params={"year": value})
                assert r.status_code in (200, 422), (path, value, r.status_code)
                if r.status_code == 200:  # a refused value is answered in JSON, never echoed into HTML
                    assert r.headers["content-type"].startswith("text/html") and "<script>'" not in r.text


def test_audits_through_the_api_and_their_forms(api):
    fgj, ent = _client(api, "fgj"), _client(api, "hailuo")
    r = fgj.post("/api/supervision/clean-audits", json={"uscc": CEMENT, "industry_group": "building_materials",
                                                        "listed_year": 2025, "listed_on": "2025-02-01"})
    audit_id = r.json()["id"]
    r = fgj.post(f"/api/supervision/clean-audits/{audit_id}/stage", data={"stage": "started", "on": "2025-03-01"},
                 files={"file": ("启动通知.pdf", PDF, "application/pdf")})
    assert r.status_code == 200 and r.json()["stage"] == "started" and r.json()["evidence"][0]["file_name"] == "启动通知.pdf"
    r = fgj.post(f"/api/supervision/clean-audits/{audit_id}/stage", data={"stage": "assessed", "on": "2025-04-01"},
                 files={"file": ("x.pdf", PDF, "application/pdf")})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "stage"
    r = fgj.post("/api/supervision/energy-audits", json={"uscc": CEMENT, "requested_on": "2025-04-01",
                                                         "due_on": "2025-10-31"})
    rid = r.json()["id"]
    r = ent.post(f"/api/supervision/energy-audits/{rid}/report", data={"on": "2025-13-01"},
                 files={"file": ("r.pdf", PDF, "application/pdf")})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "on"
    r = ent.post(f"/api/supervision/energy-audits/{rid}/report", data={"on": "2025-09-01"},
                 files={"file": ("能源审计报告.pdf", PDF, "application/pdf")})
    assert r.json()["report_received_on"] == "2025-09-01"
    staff = fgj.get("/supervision").text
    assert 'id="new-energy-audit"' in staff and 'id="new-clean-audit"' in staff and "提交审核报告" in staff
    mine = ent.get("/supervision").text
    assert f'data-energy-audit="{rid}"' in mine and "能源审计报告.pdf" in mine and 'id="new-clean-audit"' not in mine
