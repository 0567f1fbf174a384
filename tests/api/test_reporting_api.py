"""Statistical reporting through the API on both databases: obligations, entry by JSON and by the
Excel form, refusals naming the field, review with versions (409 for the second reviewer), the audit
chain and notifications (the services themselves: tests/services/reporting/test_reporting.py)."""

from __future__ import annotations

import io

import pytest

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PW = "Anhua-report-2031"


@pytest.fixture
def api(demo_platform, settings):
    for name, role, dept in (("boss", "admin", None), ("tjj", "dept_editor", "县统计局"),
                             ("nyj", "dept_editor", "县农业农村局"), ("fgj", "dept_editor", "县发展和改革局"),
                             ("fgj2", "dept_editor", "县发展和改革局")):
        create_user(demo_platform, name, PW, role, "test", department=dept)
    return create_app(settings, demo_platform)


def _client(app, user: str | None = None):
    from fastapi.testclient import TestClient

    c = TestClient(app)
    if user:
        r = c.post("/api/auth/login", json={"username": user, "password": PW})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def _filled(content: bytes, value) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    wb.active["E2"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_entry_review_and_chain_through_the_api(api):
    boss, tjj, nyj, fgj, fgj2 = (_client(api, u) for u in ("boss", "tjj", "nyj", "fgj", "fgj2"))
    r = boss.post("/api/reporting/obligations", json={"code": "A-T08", "subject": "T08", "department": "县统计局"})
    assert r.status_code == 200, r.text
    period = r.json()["first_period"]
    r = boss.post("/api/reporting/obligations", json={"code": "A-X", "subject": "T08", "department": "县统计局",
                                                      "first_period": "2020"})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "first_period"
    assert tjj.post("/api/reporting/obligations", json={"code": "B", "subject": "T08", "department": "县统计局"}).status_code == 403
    url = f"/api/reporting/obligations/A-T08/{period}"
    r = tjj.post(url, json={"values": {"value": -3}, "submit": True})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "value" and "超出允许范围" in r.json()["detail"][0]["msg"]
    r = tjj.post(url + "?lang=en", json={"values": {"value": "many"}})
    assert r.status_code == 422 and "is not a number" in r.json()["detail"][0]["msg"]
    assert nyj.post(url, json={"values": {"value": 3}}).status_code == 403
    assert tjj.get(url).json()["status"] == "open"

    form = tjj.get(url + "/form.xlsx")
    assert form.status_code == 200 and form.headers["content-type"].startswith("application/vnd.openxml")
    bad = tjj.post(url + "/upload", files={"file": ("form.xlsx", _filled(form.content, "abc"))}, data={"submit": "true"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["column"] == "value"
    sent = tjj.post(url + "/upload", files={"file": ("form.xlsx", _filled(form.content, 95))}, data={"submit": "true"})
    assert sent.status_code == 200, sent.text
    sent = sent.json()
    assert sent["status"] == "submitted" and tjj.get(url).json()["values"] == {"value": 95.0}

    queue = fgj.get("/api/reporting/review").json()
    row = next(q for q in queue if q["code"] == "A-T08")
    assert row["id"] == sent["id"] and row["version"] == sent["version"]
    body = {"version": row["version"], "approve": False, "comment": "请补充说明"}
    assert fgj.post(f"/api/reporting/submissions/{row['id']}/review", json=body).status_code == 200
    late = fgj2.post(f"/api/reporting/submissions/{row['id']}/review", json={**body, "approve": True})
    assert late.status_code == 409 and "已被他人处理" in late.json()["detail"]
    assert tjj.post(f"/api/reporting/submissions/{row['id']}/review", json=body).status_code == 403
    again = tjj.post(url, json={"values": {"value": 105}, "submit": True}).json()
    assert fgj2.post(f"/api/reporting/submissions/{row['id']}/review",
                     json={"version": again["version"], "approve": True}).json()["status"] == "approved"
    chain = [s["action"] for s in tjj.get(url + "/history").json()]
    assert chain == ["submit", "return", "submit", "approve"]
    notes = tjj.get("/api/notifications").json()
    assert {n["link"] for n in notes} == {"/reporting"} and any("已审核通过" in n["text"] for n in notes)
    assert tjj.post("/api/notifications/read").json() == {"marked": len(notes)}
    assert _client(api).get("/api/reporting/periods").status_code == 401


def test_pages_show_the_cycle_in_chinese(api):
    tjj, fgj, anon = _client(api, "tjj"), _client(api, "fgj"), _client(api)
    assert anon.get("/reporting", follow_redirects=False).status_code == 303
    boss = _client(api, "boss")
    assert boss.post("/api/reporting/obligations", json={"code": "P-T08", "subject": "T08", "department": "县统计局"}).status_code == 200
    page = boss.get("/reporting").text
    assert 'id="new-obligation"' in page and "统计填报" in page
    mine = tjj.get("/reporting").text
    assert 'data-obligation="P-T08"' in mine and "rep-entry" in mine and 'id="new-obligation"' not in mine
    period = next(o for o in boss.get("/api/reporting/obligations").json() if o["code"] == "P-T08")["first_period"]
    r = tjj.post(f"/api/reporting/obligations/P-T08/{period}", json={"values": {"value": 50}, "submit": True})
    assert r.status_code == 200, r.text
    review = fgj.get("/reporting/review").text
    assert 'class="rep-form rep-review"' in review and "审核通过" in review and "报送" in review
    assert "submitted" not in review.replace('data-action="submit"', "")  # no internal code in zh
    notes = fgj.get("/notifications").text
    assert "待审核" in notes and "未读" in notes


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_is_type_and_size_limited_and_read_only_by_those_who_see_the_data(api, tmp_path):
    from carbonpeak.services.users import create_user as make
    boss, tjj, nyj, fgj = (_client(api, u) for u in ("boss", "tjj", "nyj", "fgj"))
    make(api.state.platform, "firm", PW, "enterprise", "test", enterprise="益阳海螺水泥")
    url = "/api/reporting/obligations/OBL-T08/2025/attachments"  # the demo's obligation of 县统计局
    bad = tjj.post(url, files={"file": ("report.pdf", b"MZ\x90\x00 not a pdf")})
    assert bad.status_code == 422 and "PDF" in bad.json()["detail"][0]["msg"]
    big = tjj.post(url, files={"file": ("big.pdf", PDF + b"0" * (10 * 1024 * 1024))})
    assert big.status_code in (413, 422)
    assert nyj.post(url, files={"file": ("a.pdf", PDF)}).status_code == 403
    ok = tjj.post(url, files={"file": ("../../etc/统计表.pdf", PDF)})
    assert ok.status_code == 200, ok.text
    att = ok.json()
    assert att["file_name"] == "统计表.pdf" and att["content_type"] == "application/pdf"
    stored = list((api.state.platform.settings.home / "reporting_files").rglob("*"))
    assert any(p.is_file() and p.read_bytes() == PDF for p in stored) and not any(".." in str(p) for p in stored)
    assert tjj.get("/api/reporting/obligations/OBL-T08/2025").json()["attachments"][0]["id"] == att["id"]
    for c in (tjj, fgj, boss):
        r = c.get(f"/api/reporting/attachments/{att['id']}")
        assert r.status_code == 200 and r.content == PDF and r.headers["cache-control"] == "private, no-store"
    assert nyj.get(f"/api/reporting/attachments/{att['id']}").status_code == 404  # another department
    assert _client(api, "firm").get(f"/api/reporting/attachments/{att['id']}").status_code == 404
    assert _client(api).get(f"/api/reporting/attachments/{att['id']}").status_code == 401
