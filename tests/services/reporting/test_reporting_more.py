"""Statistical reporting, the remaining parts (services/reporting) on both databases: punctuality in
the dispatch report (the same figures as the reporting dispatch lists), the report of a frozen year
rendered from its frozen version, the 205-1, project and task obligations reaching their stores,
and obligation editing by an administrator."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from carbonpeak.services import dispatch_report, report_files, reports
from carbonpeak.services import reporting as rep
from carbonpeak.services.demo import demo_file
from carbonpeak.services.errors import Forbidden, InputRejected
from carbonpeak.services.imports import import_file
from carbonpeak.services.users import create_user
from carbonpeak.store.models_reporting import ReportingObligation, ReportingSubmission

PW = "Anhua-report-2031"
WINDOW = (date(2021, 1, 1), date(2026, 6, 30))  # the yearly periods 2020–2025 are due in it (31 March next year)
UNIT = "91430923000000001N"  # the demo's key unit 益阳海螺水泥 (illustrative)


@pytest.fixture
def people(demo_platform):
    p = demo_platform
    made = {"admin": create_user(p, "boss", PW, "admin", "test"),
            "tjj": create_user(p, "tjj", PW, "dept_editor", "test", department="县统计局"),
            "fgj": create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局"),
            "unit": create_user(p, "hailuo", PW, "enterprise", "test", enterprise=UNIT)}
    with p.sessions.begin() as s:  # the demo's illustrative obligations set aside: each test starts clean
        s.execute(update(ReportingObligation).values(active=False))
    return p, made


def _submitted_on(p, code: str, period: str, when: date) -> None:
    with p.sessions.begin() as s:
        ob = s.scalar(select(ReportingObligation.id).where(ReportingObligation.code == code))
        s.execute(update(ReportingSubmission).where(ReportingSubmission.obligation_id == ob,
                                                    ReportingSubmission.period == period)
                  .values(submitted_at=datetime(when.year, when.month, when.day, 8, tzinfo=UTC)))


# --- 1. punctuality in the dispatch report ------------------------------------------------------

def test_dispatch_report_punctuality_equals_the_reporting_service(people):
    p, who = people
    rep.create(p, who["admin"], rep.ObligationIn("P-T08", "T08", "县统计局", first_period="2020"), today=date(2021, 1, 1))
    rep.create(p, who["admin"], rep.ObligationIn("P-U1", "T08", "县统计局", first_period="2020", unit_uscc=UNIT,
                                                 title="单位报表"), today=date(2021, 1, 1))
    for period, when in (("2020", date(2021, 3, 1)), ("2021", None), ("2022", date(2023, 3, 31))):
        rep.save(p, who["tjj"], rep.EntryIn("P-T08", period, {"value": 50}), submit=True)
        if when:
            _submitted_on(p, "P-T08", period, when)  # on time (the deadline day itself counts)
    rep.save(p, who["unit"], rep.EntryIn("P-U1", "2020", {"value": 5}), submit=True)  # today: late
    service = {(x.level, x.who): x for x in rep.dispatch(p, rep.COUNTY_READER, start=WINDOW[0], end=WINDOW[1]).punctuality}
    stats = service[("department", "县统计局")]
    assert (stats.due, stats.on_time, stats.late, stats.open, stats.rate) == (12, 2, 2, 8, 16.7)
    unit = service[("unit", UNIT)]
    assert (unit.due, unit.on_time, unit.late, unit.open, unit.name) == (6, 0, 1, 5, "益阳海螺水泥")
    d = dispatch_report.dispatch(p, *WINDOW)
    report = {(x["level"], x["who"]): x for x in d["punctuality"]}
    for key, x in service.items():
        assert (report[key]["reports_due"], report[key]["reports_on_time"], report[key]["reports_late"],
                report[key]["reports_overdue"], report[key]["reports_on_time_rate"]) == (x.due, x.on_time, x.late, x.open, x.rate)
    row = next(r for r in d["rows"] if r["name"] == "县统计局")
    assert (row["reports_due"], row["reports_on_time_rate"]) == (12, 16.7)
    flat = {r["name"]: r for r in dispatch_report.dispatch_rows(d)}  # the CSV/XLSX rows
    assert flat["县统计局"]["reports_overdue"] == 8 and flat[f"益阳海螺水泥（{UNIT}）"]["level"] == "unit"
    assert flat[f"益阳海螺水泥（{UNIT}）"]["reports_late"] == 1
    narrow = dispatch_report.dispatch(p, date(2021, 1, 1), date(2021, 12, 31))  # only the 2020 period is due in 2021
    assert {(x["who"], x["reports_due"], x["reports_on_time"]) for x in narrow["punctuality"]} == {
        ("县统计局", 2, 1), (UNIT, 1, 0)}


# --- 2. a frozen year's report regenerates identically -----------------------------------------

def _cells(path: Path) -> dict:
    from openpyxl import load_workbook
    wb = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _changed_activity(tmp: Path) -> Path:
    """The demo's activity file with the 2024 cement coal changed (165721 t → 200000 t)."""
    src = demo_file("anhua_activity.csv")
    text = src.read_text(encoding="utf-8").replace("2024,安化县,工业-非金属矿物制品业,原煤,165721,",
                                                   "2024,安化县,工业-非金属矿物制品业,原煤,200000,")
    out = tmp / "activity_changed.csv"
    out.write_text(text, encoding="utf-8")
    return out


def test_a_frozen_year_report_regenerates_identically_and_a_correction_names_its_version(people, tmp_path):
    from carbonpeak.services.reporting.freeze import report_model
    p, who = people
    live = report_files.write_report(p, 2024, tmp_path / "live", "zh", formats=("xlsx",))
    rep.freeze_year(p, who["admin"], 2024, "2024年度评估封存")
    import_file(p, _changed_activity(tmp_path), "test")
    assert reports.assessment(p, 2024).inventory["totals"] != live["model"].inventory["totals"]  # the live figures moved
    again = report_files.write_report(p, 2024, tmp_path / "again", "zh", formats=("xlsx",))
    assert again["model"].flags["frozen"]["version"] == 1 and "封存第1版" in again["model"].title
    got, want = _cells(again["xlsx"]), _cells(live["xlsx"])
    assert got.keys() == want.keys()
    assert got["目标"][0] == [want["目标"][0][0] + "（封存第1版）"] + want["目标"][0][1:]  # the title names the version
    assert [r for r in got["数据说明"] if not str(r[0]).startswith("封存版本：第1版")] == want["数据说明"]
    for sheet, rows in want.items():  # otherwise the frozen report is the report as it stood, cell by cell
        start = 1 if sheet == "目标" else 0
        assert sheet == "数据说明" or got[sheet][start:] == rows[start:], sheet
    assert again["model"].inventory == live["model"].inventory and again["model"].targets == live["model"].targets
    assert "frozen, version 1" in report_model(p, 2024, "en").title
    rep.create(p, who["admin"], rep.ObligationIn("F-T08", "T08", "县统计局", first_period="2024"), today=date(2025, 1, 1))
    sent = rep.save(p, who["tjj"], rep.EntryIn("F-T08", "2024", {"value": 77}), submit=True)
    rep.review(p, who["fgj"], sent.id, sent.version, approve=True)  # a correction of the frozen year: version 2
    second = report_model(p, 2024, "zh")
    assert second.flags["frozen"]["version"] == 2 and "封存第2版" in second.title
    assert second.inventory["totals"] != live["model"].inventory["totals"]  # the new version took the data as it is now
    assert next(t for t in second.targets.targets if t.id == "T08").actual == 77
    assert any("第2版" in r.what for r in second.annex)


def test_frozen_assessment_survives_encoding():
    from carbonpeak.services.reporting.frozen import decode, encode
    from carbonpeak.services.reports import AnnexRow
    value = {"a": (1, 2.5, float("nan")), "b": [AnnexRow("x", "y", "z")], 3: date(2024, 1, 2), "__x": None}
    back = decode(encode(value))
    assert back["a"][:2] == (1, 2.5) and back["a"][2] != back["a"][2] and back["b"] == [AnnexRow("x", "y", "z")]
    assert back[3] == date(2024, 1, 2) and back["__x"] is None
    with pytest.raises(ValueError):
        decode({"__dc__": "os:PathLike", "f": {}})


# --- 3. 205-1, project and task obligations reach their stores ---------------------------------

TODAY = date(2025, 1, 15)


def _kind(p, code: str):
    return next(o for o in rep.list_obligations(p, rep.COUNTY_READER) if o.code == code)


def test_more_kinds_from_the_plan_and_approved_values_reach_their_stores(people):
    from carbonpeak.store.models import EnergyReport, KeyUnit, ProjectProgress, TaskRow
    p, who = people
    with p.sessions.begin() as s:  # the demo's own 205-1 and project obligations out of the way
        s.query(ReportingObligation).delete()
    made = rep.generate_kinds(p, who["admin"], today=TODAY)
    again = rep.generate_kinds(p, who["admin"], today=TODAY)
    assert made.created and again.created == [] and again.existing == len(made.created)
    form = _kind(p, f"205-{UNIT}")
    assert (form.kind, form.period_kind, form.due_days, form.first_period, form.department, form.unit_uscc) == (
        "form_205_1", "month", 10, "2025-01", "县统计局", UNIT)  # December's was due on 10 January: past
    assert {f.name for f in form.fields} >= {"电力", "原煤"} and all(f.low == 0 for f in form.fields)
    units = {f.name: f.unit for f in form.fields}
    with pytest.raises(InputRejected) as bad:  # the unit's own account; a negative value and a wrong unit refused
        rep.save(p, who["unit"], rep.EntryIn(form.code, "2025-01", {"电力": -1, "原煤": 10}, {"原煤": "吨标准煤"}), submit=True)
    assert {i.column for i in bad.value.issues} == {"电力", "原煤"}
    other = create_user(p, "shengde", PW, "enterprise", "test", enterprise="91430923000000002R")
    with pytest.raises(Forbidden):  # another unit may not report this one's form
        rep.save(p, other, rep.EntryIn(form.code, "2025-01", {"电力": 1, "原煤": 1}), submit=True)
    values = {name: 1000.0 + i for i, name in enumerate(units)}
    sent = rep.save(p, who["unit"], rep.EntryIn(form.code, "2025-01", values), submit=True)
    with p.sessions() as s:
        uid = s.scalar(select(KeyUnit.id).where(KeyUnit.uscc == UNIT))
        assert s.scalars(select(EnergyReport).where(EnergyReport.unit_id == uid, EnergyReport.year == 2025)).all() == []
    rep.review(p, who["fgj"], sent.id, sent.version, approve=True)
    with p.sessions() as s:
        rows = s.scalars(select(EnergyReport).where(EnergyReport.unit_id == uid, EnergyReport.year == 2025,
                                                    EnergyReport.month == 1)).all()
        assert {(r.carrier, r.unit, r.consumption) for r in rows} == {(k, units[k], v) for k, v in values.items()}
    project = _kind(p, "PRJ-P04-27")
    assert (project.period_kind, project.due_days, project.department) == ("year", 31, "县发展和改革局")
    sent = rep.save(p, who["fgj"], rep.EntryIn(project.code, "2024", {"investment_wan": 5000, "completion_pct": 40}),
                    submit=True)
    rep.review(p, who["admin"], sent.id, sent.version, approve=True)
    with p.sessions() as s:
        got = s.execute(select(ProjectProgress.investment_wan, ProjectProgress.status, ProjectProgress.note)
                        .where(ProjectProgress.year == 2024, ProjectProgress.investment_wan == 5000)).all()
    assert got == [(5000.0, "under_construction", "完成进度40%")]
    task = _kind(p, "TSK-A01.1")
    assert task.period_kind == "quarter" and task.due_days == 10 and [f.unit for f in task.fields][-1] == "%"
    done = {f.name: 1 for f in task.fields if f.unit == "是/否"}
    sent = rep.save(p, who["fgj"], rep.EntryIn(task.code, "2025-Q1", {**done, "completion_pct": 100}), submit=True)
    rep.review(p, who["admin"], sent.id, sent.version, approve=True)
    with p.sessions() as s:
        t = s.scalar(select(TaskRow).where(TaskRow.code == "A01.1"))
        assert t.status == "done" and f"里程碑完成{len(done)}/{len(done)}" in t.progress_note


# --- 5. an administrator edits an obligation ------------------------------------------------------

def test_an_administrator_edits_an_obligation_audited_and_refused_naming_the_field(people):
    from carbonpeak.services import audit
    p, who = people
    rep.create(p, who["admin"], rep.ObligationIn("E-T08", "T08", "县统计局", first_period="2024"), today=TODAY)
    edit = rep.edit_obligation
    with pytest.raises(InputRejected) as bad:
        edit(p, who["admin"], "E-T08", rep.ObligationChange(department="县不存在局", ranges={"value": (10, 1), "nope": (0, 1)}),
             today=TODAY)
    assert {i.column for i in bad.value.issues} == {"department", "value", "nope"}
    form = next(o for o in rep.generate_kinds(p, who["admin"], ("form_205_1",), today=TODAY).created if o.startswith("205-"))
    with pytest.raises(InputRejected) as bad:  # the 205-1 form is monthly: its approval writes a month
        edit(p, who["admin"], form, rep.ObligationChange(period_kind="year", first_period="2025"), today=TODAY)
    assert bad.value.issues[0].column == "period_kind"
    with pytest.raises(InputRejected) as bad:  # nothing entered yet: still new, so no past first deadline
        edit(p, who["admin"], "E-T08", rep.ObligationChange(first_period="2022"), today=TODAY)
    assert bad.value.issues[0].code == "reporting.past_deadline"
    with pytest.raises(Forbidden):
        edit(p, who["tjj"], "E-T08", rep.ObligationChange(due_days=60), today=TODAY)
    changed = edit(p, who["admin"], "E-T08", rep.ObligationChange(due_days=60, department="县发展和改革局",
                                                                  ranges={"value": (0, 500)}), today=TODAY)
    assert (changed.due_days, changed.department, changed.fields[0].high) == (60, "县发展和改革局", 500)
    entry = audit.history(p, "reporting_obligations", "E-T08")[0]
    assert entry.before["due_days"] == 90 and entry.after["due_days"] == 60
    assert entry.before["department"] == "县统计局" and entry.after["fields"].endswith("：0–500")
    with pytest.raises(InputRejected) as bad:  # the new range applies at once
        rep.save(p, who["fgj"], rep.EntryIn("E-T08", "2024", {"value": 900}), submit=True)
    assert bad.value.issues[0].code == "reporting.out_of_range"
    rep.save(p, who["fgj"], rep.EntryIn("E-T08", "2024", {"value": 90}))  # a draft: the period kind now stays
    with pytest.raises(InputRejected) as bad:
        edit(p, who["admin"], "E-T08", rep.ObligationChange(period_kind="quarter", first_period="2024-Q1"), today=TODAY)
    assert bad.value.issues[0].column == "period_kind"
    edit(p, who["admin"], "E-T08", rep.ObligationChange(due_days=30), today=TODAY)
    assert rep.one(p, who["fgj"], "E-T08", "2024", today=TODAY).due_on == date(2025, 1, 30)  # the draft took it
    assert len(audit.history(p, "reporting_obligations", "E-T08")) == 3  # insert and two changes; refusals wrote nothing


def test_editing_through_the_api_and_the_page(people, settings):
    from fastapi.testclient import TestClient

    from carbonpeak.web.app import create_app
    p, who = people
    rep.create(p, who["admin"], rep.ObligationIn("W-T08", "T08", "县统计局"))
    rep.create(p, who["admin"], rep.ObligationIn("W-T28", "T28", "县农业农村局", first_period="2023"), today=date(2024, 1, 1))
    with TestClient(create_app(settings, p)) as c:
        r = c.post("/api/auth/login", json={"username": "boss", "password": PW})
        assert r.status_code == 200, r.text
        h = {"X-CSRF-Token": r.json()["csrf_token"]}
        page = c.get("/reporting/obligations/W-T08")
        assert page.status_code == 200 and "县统计局" in page.text and "edit-obligation" in page.text
        bad = c.patch("/api/reporting/obligations/W-T08", json={"department": "县不存在局"}, headers=h)
        assert bad.status_code == 422 and "department" in bad.text
        ok = c.patch("/api/reporting/obligations/W-T08", json={"due_days": 100, "ranges": {"value": {"low": 0, "high": 99}}},
                     headers=h)
        assert ok.status_code == 200 and ok.json()["due_days"] == 100 and ok.json()["fields"][0]["high"] == 99
        for typo in ("1O0", "NaN", "Infinity"):  # a bound that is not a finite number: refused, naming it, not "no bound"
            bad = c.patch("/api/reporting/obligations/W-T08", json={"ranges": {"value": {"low": 0, "high": typo}}}, headers=h)
            assert bad.status_code == 422 and "high" in bad.text, (typo, bad.text)
        same = c.patch("/api/reporting/obligations/W-T08", json={"due_days": 100}, headers=h)
        assert same.status_code == 200 and same.json()["fields"][0]["high"] == 99  # the refusals changed nothing
        gen = c.post("/api/reporting/obligations/generate", json={"kind": "task"}, headers=h)
        assert gen.status_code == 200 and all(x.startswith("TSK-") for x in gen.json()["created"])
        assert "TSK-A01.1" in c.get("/reporting/obligations").text
        window = {"start": "2023-01-01", "end": "2026-06-30"}  # the dispatch report's punctuality = the reporting API's
        report = c.get("/api/dispatch", params=window).json()["punctuality"]
        service = c.get("/api/reporting/dispatch", params=window).json()["punctuality"]
        assert [(x["who"], x["reports_due"], x["reports_on_time"], x["reports_late"], x["reports_overdue"]) for x in report] \
            == [(x["who"], x["due"], x["on_time"], x["late"], x["open"]) for x in service] and service
        assert "按时报送率" in c.get("/reports", params=window).text


# --- the demo: 205-1 forms and project progress, illustrative, a second run duplicates nothing ---

def test_the_demo_has_205_1_and_project_progress_and_a_second_run_adds_nothing(demo_platform):
    from sqlalchemy import func

    from carbonpeak.services.reporting import demo
    from carbonpeak.store.models import EnergyReport, ProjectProgress
    p = demo_platform

    def counts():
        with p.sessions() as s:
            return [s.scalar(select(func.count()).select_from(m)) for m in
                    (ReportingObligation, ReportingSubmission, EnergyReport, ProjectProgress)]
    before = counts()
    assert demo.load(p, "demo-again") == demo.DemoReporting(0, 0) and counts() == before
    with p.sessions() as s:
        obs = s.scalars(select(ReportingObligation)).all()
        subs = s.execute(select(ReportingObligation.kind, ReportingSubmission.status, ReportingSubmission.illustrative)
                         .join(ReportingObligation, ReportingObligation.id == ReportingSubmission.obligation_id)).all()
        approved_forms = s.scalars(select(EnergyReport).where(EnergyReport.source.like("填报：%"))).all()
    assert all(o.illustrative for o in obs) and all(ill for _, _, ill in subs)
    assert {o.kind for o in obs} == {"target", "form_205_1", "project"}
    assert {st for k, st, _ in subs if k == "form_205_1"} == {"approved", "submitted"}
    assert approved_forms and all(r.illustrative for r in approved_forms)
    overdue = rep.dispatch(p, rep.COUNTY_READER).overdue
    assert {v.code.split("-")[0] for v in overdue} >= {"205", "PRJ", "OBL"}


def test_a_frozen_report_is_written_with_the_same_bytes_every_time(sqlite_demo_platform, tmp_path):
    """Not about the database (SQLite only): the Word and Excel files of a frozen version repeat
    byte for byte (zip and document stamps from the freezing time, font keys from the fonts)."""
    from carbonpeak.services.users import Principal
    p = sqlite_demo_platform
    rep.freeze_year(p, Principal(0, "boss", "admin"), 2024, "封存")
    a = report_files.write_report(p, 2024, tmp_path / "a", "zh")
    b = report_files.write_report(p, 2024, tmp_path / "b", "zh")
    assert a["docx"].read_bytes() == b["docx"].read_bytes() and a["xlsx"].read_bytes() == b["xlsx"].read_bytes()
