"""Project progress (services/project_progress.py) and the targets it feeds (issue #19), on SQLite and
PostgreSQL: a small registry built by hand (the plan of tests/services/test_target_sources.py), progress per
project and year, each newly computed target checked by hand, re-import idempotent, bad rows refused
naming the field, the demo's illustrative progress marked illustrative."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_target_sources import load_plan, plan_text, rows

from carbonpeak.domain.messages import render
from carbonpeak.domain.target_sources import parse_source
from carbonpeak.services import imports, project_progress, target_drilldown, versions
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.project_progress import ProgressEntry, record_progress
from carbonpeak.store.models import AuditEntry, ImportBatch, ProjectProgress, ProjectRow
from carbonpeak.web.app import create_app

TARGETS = [
    ("T13", "装机容量", "installed_capacity", 200, "万千瓦", "computed:projects", ""),
    ("T21", "碳汇项目面积", "carbon_sink_project_area", 3000, "ha", "computed:sinks", ""),
    ("T22", "竹林碳汇项目面积", "carbon_sink_project_area_bamboo", 1000, "ha", "computed:sinks", ""),
    ("T40", "老旧小区改造面积（每年）", "old_community_retrofit_area_per_year", 10, "万m2", "computed:buildings",
     ", projects: [P8]"),
    ("T43", "公共充电桩", "public_chargers", 300, "个", "computed:projects", ""),
]
HEAD = "项目编号,年份,本年投运规模,单位,本年完成投资,状态,来源,备注,示例数据\n"
# P1 commissioned in two phases; P3 in MW; P8 a yearly programme (10万m²/年) reporting each year; P6 built,
# size not stated (counts its planned 100); P10 0.5万亩 of bamboo; P11 states its annual removal only.
GOOD = HEAD + ("P1,2023,3,万千瓦,12000,在建,发改局,一期,否\n"
               "P1,2024,2.5,万千瓦,9000,已建成,发改局,二期,否\n"
               "P3,2022,10,MW,,已建成,发改局,,否\n"
               "P8,2023,9,万m2,2000,在建,住建局,,是\n"
               "P8,2024,12,万m2,2600,在建,住建局,,是\n"
               "P6,2023,,,500,已建成,交通局,,否\n"
               "P10,2023,0.5,万亩,,在建,林业局,,否\n"
               "P11,2024,1200,tCO2/a,,在建,林业局,按预计年碳汇量,否\n")
FOREST = "年份,乡镇,村,小班号,地类,优势树种组,面积,每公顷蓄积\n"
# Forest carbon factors of 杉木 (refdata forest_carbon FO-001..FO-004): density, BEF, root/shoot, carbon fraction
D, BEF, R, CF = 0.307, 1.634, 0.246, 0.52
# 400 ha of 杉木 from 40 to 50 m³/ha between 2019 and 2024: the ledger's sink per hectare [tCO2/(ha·a)]
RATE = 10 * D * BEF * (1 + R) * CF * 44 / 12 / 5


def build(platform, write_csv, tmp_path):
    load_plan(platform, tmp_path, plan_text(TARGETS))
    imports.import_file(platform, write_csv("f19.csv", FOREST + "2019,甲镇,,01,乔木林地,杉木,400,40\n"), "test")
    imports.import_file(platform, write_csv("f24.csv", FOREST + "2024,甲镇,,01,乔木林地,杉木,400,50\n"), "test")
    return imports.import_file(platform, write_csv("progress.csv", GOOD), "test")  # kind from the headers


def count(platform, model) -> int:
    with platform.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def project(platform, code) -> ProjectRow:
    with platform.sessions() as s:
        return s.scalars(select(ProjectRow).where(ProjectRow.code == code)).one()


def test_progress_per_project_and_year_feeds_the_targets(platform, write_csv, tmp_path):
    res = build(platform, write_csv, tmp_path)
    assert (res.kind, res.rows, res.inserted, res.updated, res.unchanged) == ("project_progress", 8, 8, 0, 0)
    ctx, r = rows(platform, 2024)
    # T13: existing hydro 100 + P1 3 + 2.5 + P3 10 MW = 1 万千瓦 (P2 no progress, P4 cancelled, P5 no year)
    assert r["T13"]["actual"] == pytest.approx(106.5) and r["T13"]["source"]["uses"] == "computed"
    assert ctx.computed[("T13", 2023)].value == pytest.approx(104.0)
    assert ctx.computed[("T13", 2022)].value == pytest.approx(101.0)
    # T40, a yearly target: only the year's own progress of the programme P8
    assert r["T40"]["actual"] == pytest.approx(12.0) and ctx.computed[("T40", 2023)].value == pytest.approx(9.0)
    assert r["T40"]["illustrative"] and r["T40"]["source"]["illustrative"]  # P8's rows are illustrative
    assert not r["T13"]["illustrative"]
    # T43: P6 built, size not stated → its planned 100 个, said beside it
    assert r["T43"]["actual"] == pytest.approx(100.0)
    d = target_drilldown.target_source(ctx, "T43", 2024, "en")
    assert [(x.id, x.year, x.counted) for x in d.records] == [("P6", 2023, True)]
    assert d.records[0].note == "no as-built size: counted at its planned size"
    # T22: 0.5万亩 = 5000/15 ha; T21: that plus P11's 1200 tCO2/a ÷ the ledger's sink per ha
    bamboo = 5000 / 15
    assert r["T22"]["actual"] == pytest.approx(bamboo)
    assert r["T21"]["actual"] == pytest.approx(bamboo + 1200 / RATE, rel=1e-6)
    t21 = ctx.computed[("T21", 2024)]
    assert t21.inputs["sink_tco2_per_ha:carbon_sink_arbor"] == pytest.approx(RATE, rel=1e-6)
    p11 = next(x for x in t21.records if x.id == "P11")
    assert p11.note == "sink_converted" and p11.value == pytest.approx(1200 / RATE, rel=1e-6)
    assert ctx.computed[("T21", 2023)].value == pytest.approx(bamboo)  # P11's removal is of 2024
    zh = target_drilldown.target_source(ctx, "T21", 2024, "zh")
    assert "碳汇一本账" in zh.rule and "2019–2024" in zh.rule


def test_the_project_rows_summarise_their_progress(platform, write_csv, tmp_path):
    build(platform, write_csv, tmp_path)
    p1, p8, p6, p11 = (project(platform, c) for c in ("P1", "P8", "P6", "P11"))
    assert (p1.actual_year, p1.actual_capacity, p1.status, p1.illustrative) == (2023, pytest.approx(5.5), "completed", False)
    assert (p8.actual_year, p8.actual_capacity, p8.illustrative) == (2023, pytest.approx(21.0), True)
    assert (p6.actual_year, p6.actual_capacity, p6.status) == (2023, None, "completed")
    # a removal in tCO2/a does not convert to the project's ha: no as-built size (the sink source converts it)
    assert (p11.actual_year, p11.actual_capacity) == (2024, None)
    with platform.sessions() as s:
        row = s.scalars(select(ProjectProgress).join(ProjectRow).where(ProjectRow.code == "P1",
                                                                       ProjectProgress.year == 2023)).one()
    assert (row.quantity, row.unit, row.investment_wan, row.source, row.note) == (3.0, "万千瓦", 12000.0, "发改局", "一期")


def test_reimport_changes_nothing_and_a_change_is_audited(platform, write_csv, tmp_path):
    build(platform, write_csv, tmp_path)
    before = [count(platform, m) for m in (ProjectProgress, AuditEntry, ImportBatch)]
    v0 = versions.current(platform)["projects"]
    again = imports.import_file(platform, write_csv("again.csv", GOOD), "test", kind="project_progress")
    assert (again.inserted, again.updated, again.unchanged, again.batch_id) == (0, 0, 8, None)
    assert [count(platform, m) for m in (ProjectProgress, AuditEntry, ImportBatch)] == before
    assert versions.current(platform)["projects"] == v0
    changed = imports.import_file(platform, write_csv("c.csv", HEAD + "P8,2024,14,万m2,2600,在建,住建局,,是\n"), "bob")
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 0)
    assert count(platform, ProjectProgress) == before[0]
    with platform.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "project_progress",
                                                   AuditEntry.action == "update")).one()
    assert (entry.actor, entry.entity_key, entry.before["quantity"], entry.after["quantity"]) == ("bob", "P8|2024", 12, 14)
    assert versions.current(platform)["projects"] > v0
    assert project(platform, "P8").actual_capacity == pytest.approx(23.0)
    assert rows(platform)[1]["T40"]["actual"] == pytest.approx(14.0)


BAD = [("P99,2024,1,万千瓦,,,发改局,,否", "project", "input.progress_unknown_project"),
       (f"P1,{date.today().year + 1},1,万千瓦,,,发改局,,否", "year", "input.bad_year"),
       ("P1,2024,,,,,发改局,,否", "quantity_in_service", "input.progress_nothing"),
       ("P1,2024,1,km,,,发改局,,否", "unit", "input.progress_unit"),
       ("P1,2024,-1,万千瓦,,,发改局,,否", "quantity_in_service", "input.negative"),
       ("P1,2024,1,万千瓦,,,,,否", "source", "input.empty_value"),
       ("P1,2024,1,万千瓦,,取消,发改局,,否", "status", "input.progress_cancelled"),
       ("P1,2024,1,万千瓦,,开工了,发改局,,否", "status", "input.bad_value"),
       ("P1,2024,1,万千瓦,abc,,发改局,,否", "investment_wan", "input.not_a_number")]


@pytest.mark.parametrize("line,field,code", BAD, ids=[b[2] + ":" + b[1] for b in BAD])
def test_a_bad_row_is_refused_naming_the_field(platform, write_csv, tmp_path, line, field, code):
    load_plan(platform, tmp_path, plan_text(TARGETS))
    path = write_csv("bad.csv", HEAD + "P3,2022,10,MW,,已建成,发改局,,否\n" + line + "\n")
    with pytest.raises(InputRejected) as exc:
        imports.import_file(platform, path, "test")
    got = [(i.file, i.row, i.column, i.code) for i in exc.value.issues]
    assert ("bad.csv", 3, field, code) in got and all(row == 3 for _, row, _, _ in got)
    assert count(platform, ProjectProgress) == 0 and count(platform, ImportBatch) == 0  # nothing half-written
    for i in exc.value.issues:  # the new messages: Chinese in zh (the value quoted as given)
        if i.code.startswith("input.progress_"):
            text = render(i.code, {k: "" for k in i.params}, "zh")
            assert text != i.code and not any(c.isascii() and c.isalpha() for c in text), text


def test_a_repeated_key_is_refused(platform, write_csv, tmp_path):
    load_plan(platform, tmp_path, plan_text(TARGETS))
    path = write_csv("dup.csv", HEAD + "P1,2023,1,万千瓦,,,发改局,,否\nP1,2023,2,万千瓦,,,发改局,,否\n")
    with pytest.raises(InputRejected) as exc:
        imports.import_file(platform, path, "test")
    assert [(i.row, i.column, i.code) for i in exc.value.issues] == [(3, "year", "input.duplicate_row")]


def test_other_services_record_progress_through_the_one_writer(platform, tmp_path):
    """The entry point for other services (statistical reporting): typed entries, owned by a department."""
    load_plan(platform, tmp_path, plan_text(TARGETS))
    e = ProgressEntry("P8", 2024, 7.0, "", 1000.0, "在建", "住建局报表", row=None)
    res = record_progress(platform, [e], "reporting", "报表", department="县住房和城乡建设局")
    assert (res.inserted, res.projects_updated) == (1, 1)
    with platform.sessions() as s:
        row = s.scalars(select(ProjectProgress)).one()
    assert (row.unit, row.status, row.owner) == ("万m2", "under_construction", "县住房和城乡建设局")  # the project's unit
    assert record_progress(platform, [e], "reporting", "报表").unchanged == 1  # idempotent
    with pytest.raises(InputRejected) as exc:  # another department may not change the row
        record_progress(platform, [ProgressEntry("P8", 2024, 8.0, "", None, "", "x")], "u", "报表", department="县林业局")
    assert [i.code for i in exc.value.issues] == ["input.not_owner"]
    assert project_progress.stored_progress(platform)["P8"][0].quantity == 7.0
    dry = record_progress(platform, [ProgressEntry("P1", 2024, 1.0, "", None, "", "x")], "u", "报表", dry_run=True)
    assert dry.inserted == 1 and count(platform, ProjectProgress) == 1


def test_the_demo_counts_its_illustrative_progress(sqlite_demo_platform):
    ctx, r = rows(sqlite_demo_platform, 2024)
    fed = {"T20", "T21", "T25", "T26", "T37", "T40", "T43"}
    for tid in fed:
        assert r[tid]["source"]["uses"] == "computed" and r[tid]["illustrative"], tid
        assert any(x.illustrative and x.counted for x in ctx.computed[(tid, 2024)].records), tid
    # by hand from data/demo/anhua_project_progress.csv
    assert r["T20"]["actual"] == pytest.approx(2.7)  # 1.2 + 1.5 km²
    assert r["T25"]["actual"] == pytest.approx(85.0)  # 40 + 45 km
    assert r["T26"]["actual"] == pytest.approx(1.75)  # 0.75 + 1.0 万亩
    assert r["T40"]["actual"] == pytest.approx(2.7) and ctx.computed[("T40", 2023)].value == pytest.approx(3.5)
    assert r["T37"]["actual"] == pytest.approx(6.2)  # the programme's years summed (cumulative target)
    assert [ctx.computed[("T43", y)].value for y in (2021, 2022, 2023, 2024)] == pytest.approx([60, 120, 190, 240])
    # T21: 1.75万亩 = 17500/15 ha plus P11-02's 450 tCO2/a ÷ the ledger's sink per hectare
    rate = ctx.computed[("T21", 2024)].inputs["sink_tco2_per_ha:carbon_sink"]
    assert 0 < rate and r["T21"]["actual"] == pytest.approx(17500 / 15 + 450 / rate)
    assert ctx.computed[("T21", 2023)].value == pytest.approx(7500 / 15)
    plan = ctx.plan
    assert {parse_source(t.source).text for t in plan.targets if t.id in ("T44", "T51")} == {
        "reported:县交通运输局", "reported:县发展和改革局"}
    d = target_drilldown.target_source(ctx, "T40", 2024, "zh")
    assert d.illustrative and all(x.illustrative for x in d.records) and "示例" in d.records[0].source
    # the pages: the targets page marks the drill-down's records, the registry the project's as-built fields
    c = TestClient(create_app(sqlite_demo_platform.settings, sqlite_demo_platform))
    row = re.search(r'<tr data-project="P17-03".*?</tr>', c.get("/projects").text, re.DOTALL).group(0)
    assert '<sup class="ill">*</sup>' in row and "2023" in row
    drill = re.search(r'data-source="T40".*?</details>', c.get("/targets", params={"year": 2024}).text, re.DOTALL)
    assert drill and drill.group(0).count('<sup class="ill">*</sup>') >= 2


def test_the_template_and_the_web_upload_take_progress(platform, settings, tmp_path):
    """The XLSX template round-trips through the readers; the web upload detects the kind from the
    headers, validates without writing, imports once, and keeps department editors to their kinds."""
    import io

    import openpyxl

    from carbonpeak.services.catalogue import write_template
    from carbonpeak.services.users import create_user

    load_plan(platform, tmp_path, plan_text(TARGETS))
    path = write_template(tmp_path / "t.xlsx", "project_progress")
    wb = openpyxl.load_workbook(path)
    wb.active.append(["P8", 2024, 12, "万m2", 2600, "在建", "住建局", "", "否"])
    wb.save(path)
    res = imports.import_file(platform, path, "test")
    assert (res.kind, res.inserted) == ("project_progress", 1) and project(platform, "P8").actual_capacity == 12
    create_user(platform, "admin", "Anhua-peak-2031", "admin", "test")
    create_user(platform, "forest", "river-Zijiang-88", "dept_editor", "test", department="县林业局")
    app = create_app(settings, platform)

    def client(user, password):
        c = TestClient(app)
        r = c.post("/api/auth/login", json={"username": user, "password": password})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c
    body = (HEAD + "P1,2023,3,万千瓦,,在建,发改局,,否\n").encode()
    admin = client("admin", "Anhua-peak-2031")
    dry = admin.post("/api/uploads/validate", files={"file": ("p.csv", io.BytesIO(body), "text/csv")}).json()
    assert (dry["kind"], dry["inserted"], dry["dry_run"]) == ("project_progress", 1, True)
    assert count(platform, ProjectProgress) == 1
    done = admin.post("/api/uploads", files={"file": ("p.csv", io.BytesIO(body), "text/csv")}).json()
    again = admin.post("/api/uploads", files={"file": ("p.csv", io.BytesIO(body), "text/csv")}).json()
    assert (done["inserted"], again["inserted"], again["unchanged"]) == (1, 0, 1) and count(platform, ProjectProgress) == 2
    forest = client("forest", "river-Zijiang-88")  # the plan lists no department for project progress
    assert forest.post("/api/uploads", files={"file": ("p.csv", io.BytesIO(body), "text/csv")}).status_code == 403
