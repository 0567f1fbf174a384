"""Follow-ups of December: the report's carbon section is of the report's year (never of the latest
year with data); approving a reporting correction is one transaction; zh reporting pages and
reminders name obligations by their Chinese titles, never by code; the demo-data generator
reproduces the committed demo files."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from paths import ROOT

from carbonpeak.services import carbon
from carbonpeak.services.report_files import write_report
from carbonpeak.services.reports.carbon_section import blocks, carbon_section

# ---------------------------------------------------------------- 1. carbon section of the report's year


def _texts(a, kind: str) -> list:
    return [v for k, v in blocks(a) if k == kind]


def test_carbon_section_parts_are_of_the_report_year(sqlite_demo_platform):
    """The demo: inventories to 2024, monthly electricity 2020–2026 (2026 to October), budget 2026–2030.
    A report of 2024 estimates 2024 and has no 协同考核 table (2024 has no budget), saying why; one of
    2027 splits the 2027 budget and has no estimate (no electricity of 2027), saying why."""
    p = sqlite_demo_platform
    s24 = carbon_section(p, 2024, "zh")
    assert s24.estimate is not None and s24.estimate.year == 2024 and s24.estimate.months == 12
    assert s24.assessment is None and "2024年不在碳排放预算期（2026—2030年）内" in s24.missing["assessment"]
    assert s24.tracking is not None and s24.tracking.months == [] and s24.tracking.month_year is None
    s27 = carbon_section(p, 2027, "zh")
    assert s27.assessment is not None and s27.assessment.year == 2027
    assert s27.assessment == carbon.assessment(p, 2027)
    assert s27.estimate is None and s27.missing["estimate"].startswith("2027年无分行业月度用电量数据")
    s26 = carbon_section(p, 2026, "zh")
    assert s26.assessment.year == 2026 and s26.estimate.year == 2026 and s26.tracking.month_year == 2026
    assert s26.tracking.months and all(m.period.startswith("2026-") for m in s26.tracking.months)


def test_report_of_2024_shows_2024_and_says_what_is_absent(sqlite_demo_platform, tmp_path):
    p = sqlite_demo_platform
    out = write_report(p, 2024, tmp_path, formats=("xlsx",))
    a = out["model"]
    paras = "\n".join(_texts(a, "p"))
    assert "暂无法计算：2024年不在碳排放预算期" in paras and "2024年无月度以电折碳估算" in paras
    assert "2024年1—12月估算排放" in paras and "2026年1—" not in paras and "2026年各月" not in paras
    sheets = load_workbook(out["xlsx"]).sheetnames
    assert "协同考核（部门）" not in sheets and "预算执行（月度估算）" not in sheets
    rows = list(load_workbook(out["xlsx"])["以电折碳月度估算"].iter_rows(min_row=2, values_only=True))
    periods = [r[0] for r in rows]
    assert periods[:12] == [f"2024-{m:02d}" for m in range(1, 13)] and "2024年1—12月合计" in periods
    est = carbon.monthly_estimate(p, 2024)
    assert [r[1] for r in rows[:12]] == pytest.approx([m.co2_t for m in est.months_list])
    en = carbon_section(p, 2024, "en")
    assert en.missing["assessment"].startswith("2024 is outside the carbon budget period (2026–2030)")


# ---------------------------------------------------------------- 2. a correction's approval is one transaction

PW = "Anhua-followups-2031"
WATCHED = ("reporting_submissions", "target_observations", "audit_log", "assessment_freezes", "notifications",
           "project_progress", "plan_projects", "import_batches", "data_versions")


def _state(p) -> dict[str, list]:
    """Every row of the tables an approval writes (and of the data versions), in a fixed order."""
    from sqlalchemy import MetaData, select

    meta = MetaData()
    meta.reflect(p.engine, only=WATCHED)
    with p.engine.connect() as c:
        return {t: sorted(map(repr, c.execute(select(meta.tables[t])).all())) for t in WATCHED}


@pytest.fixture
def reviewers(demo_platform):
    from sqlalchemy import update

    from carbonpeak.services.users import create_user
    from carbonpeak.store.models_reporting import ReportingObligation

    p = demo_platform
    made = {"admin": create_user(p, "boss", PW, "admin", "test"),
            "tjj": create_user(p, "tjj", PW, "dept_editor", "test", department="县统计局"),
            "fgj": create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局")}
    with p.sessions.begin() as s:
        s.execute(update(ReportingObligation).values(active=False))
    return p, made


def _fail_on(monkeypatch, entity: str) -> None:
    """The audit entry of ``entity`` fails: the write it records was flushed, its transaction must roll back."""
    from carbonpeak.services import audit

    real = audit.record

    def record(s, actor, ent, *args, **kw):
        if ent == entity:
            raise RuntimeError(f"forced failure writing {ent}")
        return real(s, actor, ent, *args, **kw)
    monkeypatch.setattr(audit, "record", record)


def test_a_correction_whose_new_frozen_version_fails_changes_nothing(reviewers, monkeypatch):
    from datetime import date

    from carbonpeak.services import reporting as rep

    p, who = reviewers
    rep.freeze_year(p, who["admin"], 2024, "2024年度评估封存")
    rep.create(p, who["admin"], rep.ObligationIn("C-T08", "T08", "县统计局", first_period="2024"), today=date(2025, 1, 1))
    sent = rep.save(p, who["tjj"], rep.EntryIn("C-T08", "2024", {"value": 77}), submit=True)
    before = _state(p)
    _fail_on(monkeypatch, "assessment_freezes")
    with pytest.raises(RuntimeError, match="forced failure"):
        rep.review(p, who["fgj"], sent.id, sent.version, approve=True)
    assert _state(p) == before  # not approved, no value published, no audit entry, no notice, no version
    monkeypatch.undo()
    done = rep.review(p, who["fgj"], sent.id, sent.version, approve=True)  # the same approval, now whole
    assert done.status == "approved"
    assert [v.version for v in rep.versions(p, rep.COUNTY_READER, 2024)] == [1, 2]
    after = _state(p)
    assert after["target_observations"] != before["target_observations"] and len(after["audit_log"]) > len(before["audit_log"])


def test_a_project_approval_whose_progress_write_fails_changes_nothing(reviewers, monkeypatch):
    from datetime import date

    from carbonpeak.services import reporting as rep
    from carbonpeak.store.models_reporting import ReportingObligation

    p, who = reviewers
    with p.sessions.begin() as s:
        s.query(ReportingObligation).delete()
    rep.generate_kinds(p, who["admin"], today=date(2025, 1, 15))
    sent = rep.save(p, who["fgj"], rep.EntryIn("PRJ-P04-27", "2024", {"investment_wan": 5000, "completion_pct": 40}),
                    submit=True)
    before = _state(p)
    from carbonpeak.services import batches

    real = batches.settle

    def settle(s, kind, name, sha, rows, actor, counts, touched, dry_run=False):
        if not dry_run:  # the progress rows written, their batch fails (the check before approving passes)
            raise RuntimeError("forced failure writing the progress batch")
        return real(s, kind, name, sha, rows, actor, counts, touched, dry_run)
    monkeypatch.setattr(batches, "settle", settle)
    with pytest.raises(RuntimeError, match="forced failure"):
        rep.review(p, who["admin"], sent.id, sent.version, approve=True)
    assert _state(p) == before
    monkeypatch.undo()
    assert rep.review(p, who["admin"], sent.id, sent.version, approve=True).status == "approved"
    assert _state(p)["project_progress"] != before["project_progress"]


# ---------------------------------------------------------------- 3. zh: obligations by title, never by code

def test_zh_reporting_pages_and_reminders_name_obligations_by_title(sqlite_demo_platform):
    import re
    from datetime import date

    from fastapi.testclient import TestClient
    from page_figures import visible
    from sqlalchemy import select

    from carbonpeak.services import reporting as rep
    from carbonpeak.services.reporting import reminders
    from carbonpeak.services.users import create_user
    from carbonpeak.store.models_reporting import Notification
    from carbonpeak.web.app import create_app

    p = sqlite_demo_platform
    admin = create_user(p, "boss", PW, "admin", "test")
    tjj = create_user(p, "tjj", PW, "dept_editor", "test", department="县统计局")
    fgj = create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局")
    rep.freeze_year(p, admin, 2024, "2024年度评估封存")  # a correction of the frozen year: its version's reason
    rep.create(p, admin, rep.ObligationIn("C-T08", "T08", "县统计局", first_period="2024"), today=date(2025, 1, 1))
    sent = rep.save(p, tjj, rep.EntryIn("C-T08", "2024", {"value": 77}), submit=True)
    rep.review(p, fgj, sent.id, sent.version, approve=True)
    obligations = rep.list_obligations(p, rep.COUNTY_READER)
    codes = [o.code for o in obligations]
    assert {"OBL-T08", "PRJ-P04-27", "C-T08"} <= set(codes)
    c = TestClient(create_app(p.settings, p))
    assert c.post("/api/auth/login", json={"username": "boss", "password": PW}).status_code == 200
    pages = ["/reporting", "/reporting/review", "/reporting/obligations", "/reporting/obligations/OBL-T08",
             "/reporting/freezes?year=2024", "/notifications"]
    for url in pages:
        text = visible(c.get(url, cookies={"lang": "zh"}).text)
        assert [k for k in codes if k in text] == [], url
    zh = visible(c.get("/reporting", cookies={"lang": "zh"}).text)
    assert "新型建材产业规模（百亿级）" in zh and "天子山风力发电项目（续建） 项目进展" in zh
    assert "更正：新型建材产业规模（百亿级） 2024" in visible(c.get("/reporting/freezes?year=2024").text)
    en = visible(c.get("/reporting", cookies={"lang": "en"}).text)
    assert "OBL-T08" in en and "PRJ-P04-27" in en  # English keeps the codes (an administrator's key)
    assert c.get("/api/reporting/obligations").json()[0]["code"] in codes  # and so does the API
    rep.remind(p, admin, today=date(2026, 12, 1))
    with p.sessions() as s:
        notes = list(s.scalars(select(Notification).where(Notification.username == "tjj", Notification.code.in_(
            ("reporting.notice.due_soon", "reporting.notice.overdue")))))
    assert notes
    body = reminders._message("platform@example.cn", "tjj@example.cn", notes).get_content()
    zh_part = body.split("\n\n")[0]
    assert [k for k in codes if k in body] == [] and "新型建材产业规模（百亿级）" in zh_part
    assert not re.search(r"[A-Z]{2,}-[A-Z0-9]", zh_part)


# ---------------------------------------------------------------- 4. the demo-data generator writes the committed files

def test_demo_data_generator_reproduces_the_committed_files(tmp_path, monkeypatch):
    """tools/make_demo_data.py (deterministic, under a second) run into a temporary folder: every
    file it writes is byte for byte the committed one in src/carbonpeak/data/demo."""
    import importlib.util

    root = ROOT
    spec = importlib.util.spec_from_file_location("make_demo_data", root / "tools" / "make_demo_data.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = root / "src" / "carbonpeak" / "data" / "demo"
    assert gen.OUT == committed  # by default it writes the committed files
    monkeypatch.setattr(gen, "OUT", tmp_path)
    gen.main()
    written = sorted(f.name for f in tmp_path.iterdir())
    assert {"anhua_target_values.csv", "anhua_buildings_2024.csv", "anhua_activity.csv"} <= set(written)
    differ = [n for n in written if (tmp_path / n).read_bytes() != (committed / n).read_bytes()]
    assert differ == []
