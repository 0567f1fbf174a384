"""Targets fed by the records that hold them (issue #19), on SQLite and PostgreSQL.

Small registries built by hand (a plan with a few projects, three key units with a month of data,
a forest inventory, a building register, entered values), never the whole demo: each computed target
is checked against the rule of its module, the drill-down lists the records behind it, a computed
value beside an entered one says which the barometer uses and flags a disagreement, and the
barometer, the drill-down, the targets page, the open data and the report show the same values.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import datetime

import openpyxl
import pytest
from fastapi.testclient import TestClient
from paths import DATA

from carbonpeak.domain.monitoring import CST
from carbonpeak.domain.plan import Target
from carbonpeak.domain.target_sources import PeakRule, disagrees, parse_source, source_findings
from carbonpeak.domain.tracking import BarometerRule
from carbonpeak.services import imports, ingest, registry, scenarios, target_drilldown, target_sources, tracking, views
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.plans import read_plan, store_plan, stored_plan
from carbonpeak.services.report_files import write_report
from carbonpeak.services.target_sources import plan_findings
from carbonpeak.services.users import Principal
from carbonpeak.services.views import REPORT_OPTIONS
from carbonpeak.web.app import create_app

ADMIN = Principal(1, "admin", "admin")
NOW = int(datetime(2026, 1, 10, tzinfo=CST).timestamp())
T = '  - {{id: {id}, name: {name}, indicator: {ind}, value: {value}, unit: "{unit}", direction: ">=", target_year: 2025, clause: 三, source: "{src}"{extra}}}\n'
TARGETS = [
    ("T13", "装机容量", "installed_capacity", 200, "万千瓦", "computed:projects", ""),
    ("T17", "在线监测建成率", "online_monitoring_coverage", 100, "%", "computed:monitoring", ""),
    ("T21", "碳汇项目面积", "carbon_sink_project_area", 3000, "ha", "computed:sinks", ""),
    ("T22", "竹林碳汇项目面积", "carbon_sink_project_area_bamboo", 1000, "ha", "computed:sinks", ""),
    ("T24", "森林覆盖率", "forest_cover", 65, "%", "computed:sinks", ""),
    ("T36", "公共建筑节能改造面积", "public_building_retrofit_area", 5, "万m2", "computed:buildings", ""),
    ("T38", "节能建筑占比", "energy_efficient_building_share", 70, "%", "computed:buildings", ""),
    ("T40", "老旧小区改造面积（每年）", "old_community_retrofit_area_per_year", 10, "万m2", "computed:buildings",
     ", projects: [P8]"),
    ("T43", "公共充电桩", "public_chargers", 300, "个", "computed:projects", ""),
    ("T51", "屋顶光伏比例", "dongping_rooftop_pv_share", 20, "%", "computed:projects",
     ", denominator: {value: 1000, unit: 户, source: 测试用户数, year: 2023}"),
    ("T60", "秸秆综合利用率", "straw_utilisation_rate", 86, "%", "reported:县农业农村局", ""),
]
PROJECTS = """projects:
  - {id: P1, box: 1, name: 甲镇光伏, type: pv, town: 甲镇, capacity: 6, capacity_unit: 万千瓦, year: 2023}
  - {id: P2, box: 1, name: 乙镇光伏, type: pv, town: 乙镇, capacity: 4, capacity_unit: 万千瓦, year: 2025}
  - {id: P3, box: 1, name: 丙乡风电, type: wind, capacity: 10, capacity_unit: MW}
  - {id: P4, box: 1, name: 取消的光伏, type: pv, capacity: 3, capacity_unit: 万千瓦}
  - {id: P5, box: 1, name: 抽水蓄能, type: pumped_storage, capacity: 120, capacity_unit: 万千瓦}
  - {id: P6, box: 2, name: 充电桩建设, type: charging, capacity: 100, capacity_unit: 个}
  - {id: P7, box: 2, name: 东坪屋顶光伏, type: rooftop_pv, town: 东坪镇, capacity: 80, capacity_unit: 户}
  - {id: P8, box: 3, name: 老旧小区改造, type: building_retrofit, capacity: 10, capacity_unit: 万m2/年}
  - {id: P9, box: 3, name: 公共建筑改造, type: public_building_retrofit, capacity: 2, capacity_unit: 万m2}
  - {id: P10, box: 3, name: 竹林碳汇, type: carbon_sink_bamboo, capacity: 1, capacity_unit: 万亩}
  - {id: P11, box: 3, name: 林业增汇, type: carbon_sink, capacity: 500, capacity_unit: ha}
"""
# as built: (status, actual capacity, commissioning year)
PROGRESS = {"P1": ("completed", 5.5, 2023), "P2": ("completed", 4, 2025), "P3": ("completed", 10, 2022),
            "P4": ("cancelled", 3, 2021), "P5": ("under_construction", None, None), "P6": ("completed", None, 2023),
            "P7": ("completed", 50, 2024), "P8": ("completed", 12, 2024), "P9": ("completed", 2.5, 2024),
            "P10": ("completed", 1, 2023), "P11": ("completed", None, 2024)}
U1, U2, U3, U4 = "91430923000000001N", "91430923000000002R", "91430923000000003W", "914309230000000040"


def plan_text(targets=TARGETS) -> str:
    head = (DATA / "other_county.yaml").read_text(encoding="utf-8").split("targets:")[0]
    head = head.replace("departments: [县发展和改革局, 县林业局]", "departments: [县发展和改革局, 县林业局, 县农业农村局]")
    head = head.replace("default_base_year: 2020\n", "default_base_year: 2020\nland_area_km2: 10\nland_area_source: 测试县域面积\n"
                        "existing_capacity:\n  - {type: hydro, capacity: 100, unit: 万千瓦, year: 2019, source: 测试}\n")
    rows = "".join(T.format(id=i, name=n, ind=ind, value=v, unit=u, src=s, extra=e) for i, n, ind, v, u, s, e in targets)
    return head + "targets:\n" + rows + "actions: []\n" + PROJECTS


def load_plan(platform, tmp_path, text=None):
    path = tmp_path / "plan.yaml"
    path.write_text(text or plan_text(), encoding="utf-8")
    plan, sha = read_plan(path)
    store_plan(platform, plan, sha, "test", "test")
    return plan


def day(d: int, month: int = 12, year: int = 2025) -> int:
    return int(datetime(year, month, d, tzinfo=CST).timestamp())


def build(platform, write_csv, tmp_path) -> None:
    """The hand-built registries: projects as built, key units with a month of day statistics, a forest
    inventory, a building register and entered values."""
    load_plan(platform, tmp_path)
    for code, (status, cap, year) in PROGRESS.items():
        registry.update_project(platform, code, {"status": status, "actual_capacity": cap, "actual_year": year}, ADMIN)
    imports.import_file(platform, write_csv("u.csv", "统一社会信用代码,单位名称,行业代码,年综合能耗\n"
                                                     f"{U1},水泥厂,C3011,150000\n{U2},锰厂,C3240,26000\n"
                                                     f"{U3},矿业,C3219,12500\n{U4},小厂,C3021,4800\n"), "test")
    imports.import_file(platform, write_csv("p.csv", "统一社会信用代码,计量点编码,能源品种,计量单位,倍率,表计类型\n"
                                            + "".join(f"{u},C1,原煤,t,1,周期量\n" for u in (U1, U2, U3, U4))), "test")
    # day statistics in December 2025: U1 every day, U2 to the 28th (3 days missing: the allowance),
    # U3 to the 27th (4 missing: not connected), U4 under 10 000 tce (not in the whole)
    for uscc, last in ((U1, 31), (U2, 28), (U3, 27), (U4, 5)):
        env = ingest.Envelope(data=[ingest.Record("C1", 10.0, day(d), 1) for d in range(1, last + 1)])
        assert ingest.ingest(platform, ingest.sender_for(platform, uscc), env, "http", now=NOW).rejected == 0
    imports.import_file(platform, write_csv("f.csv", "年份,乡镇,村,小班号,地类,优势树种组,面积,每公顷蓄积\n"
                                                     "2024,甲镇,,01,乔木林地,杉木,400,50\n2024,甲镇,,02,竹林地,毛竹,200,\n"
                                                     "2024,乙镇,,03,其他林地,杉木,300,10\n"), "test")
    imports.import_file(platform, write_csv("b.csv", "建筑编号,名称,类型,子类型,气候区,建筑面积,单位,年份,电力\n"
                                                     "B1,甲楼,A类办公,党政机关办公建筑,夏热冬冷,1000,甲,2024,10000\n"
                                                     "B2,乙楼,A类办公,党政机关办公建筑,夏热冬冷,3000,乙,2024,3000000\n"), "test")
    imports.import_file(platform, write_csv("o.csv", "目标编号,年份,数值,来源\nT24,2024,50,林业局报送\nT13,2024,106,发改局报送\n"
                                                     "T60,2024,80,农业农村局报送\n"), "test")


def rows(platform, year=2024) -> dict:
    ctx = tracking.tracking_context(platform, REPORT_OPTIONS)
    return ctx, {r.id: dataclasses.asdict(r) for r in tracking.assess_year(ctx, year, BarometerRule()).targets}


# --- pure rules -----------------------------------------------------------------------------------

def test_sources_are_validated_at_load_and_reported_by_plan_check(tmp_path):
    bad = plan_text([("T1", "x", "public_chargers", 1, "个", "computed", "")])
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputRejected) as exc:
        read_plan(path)
    assert [i.column for i in exc.value.issues] == ["targets[0].source"]
    mixed = plan_text([("T1", "x", "public_chargers", 1, "个", "computed:projects", ", projects: [P1, P99]"),
                       ("T2", "y", "public_chargers", 1, "个", "computed:nowhere", ""),
                       ("T3", "z", "bus_mode_share", 1, "%", "computed:projects", ""),
                       ("T4", "w", "bus_mode_share", 1, "%", "reported:县交通运输局", ""),
                       ("T5", "v", "bus_mode_share", 1, "%", "reported:县林业局", "")])
    path.write_text(mixed.replace(', source: "reported:县林业局"', ""), encoding="utf-8")
    plan, _ = read_plan(path)
    codes = {"plan.target_no_source", "plan.target_unknown_module", "plan.target_module_cannot",
             "plan.target_unknown_department", "plan.unknown_reference"}
    found = {(f.code, f.params["id"]) for f in plan_findings(plan) if f.code in codes}
    assert found == {("plan.target_unknown_module", "T2"), ("plan.target_module_cannot", "T3"),
                     ("plan.target_unknown_department", "T4"), ("plan.target_no_source", "T5"),
                     ("plan.unknown_reference", "P99")}


def test_the_bundled_plan_names_a_source_for_every_target():
    from carbonpeak.services.plans import bundled_plan_path
    plan, _ = read_plan(bundled_plan_path())
    assert source_findings(plan, target_sources.module_indicators()) == []
    kinds = {t.id: parse_source(t.source) for t in plan.targets}
    computed = {i for i, s in kinds.items() if s.kind == "computed" and s.name != "accounting"}
    assert {"T07", "T13", "T16", "T17", "T18", "T19", "T20", "T21", "T22", "T23", "T24", "T25", "T26", "T36", "T37",
            "T38", "T39", "T40", "T43"} == computed
    # the plan states no denominator for these shares (the scenic spots' spaces, Dongping's households): reported
    assert (kinds["T44"].text, kinds["T51"].text) == ("reported:县交通运输局", "reported:县发展和改革局")
    assert {kinds[i].text for i in ("T16", "T18", "T19")} == {"computed:supervision"}
    reported = {s.name for s in kinds.values() if s.kind == "reported"}
    assert reported and reported <= set(plan.departments)  # every other target names its department


def test_one_registration_adds_a_source_module(monkeypatch, tmp_path):
    seen = []

    def compute(inp, t):
        seen.append((t.id, inp.years))
        return [target_sources.ComputedValue(t.id, 2024, 42.0, t.unit, "supervision", "target.uses.none", {}, ())]

    monkeypatch.setitem(target_sources.MODULES, "supervision", target_sources.SourceModule(
        "supervision", frozenset({"inspection_disclosure_rate"}), compute))
    plan, _ = read_plan(_write(tmp_path, plan_text([("T18", "公开率", "inspection_disclosure_rate", 100, "%",
                                                      "computed:supervision", "")])))
    assert source_findings(plan, target_sources.module_indicators()) == []
    got = target_sources.compute_values(None, plan, {2024})
    assert got.values[("T18", 2024)].value == 42.0 and seen == [("T18", (2024,))]


def _write(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_peak_rule_and_tolerance():
    rule = PeakRule()
    assert [rule.light(p) for p in (None, 0.0, 0.33, 1 / 3, 0.66, 2 / 3, 1.0)] == \
        ["grey", "red", "red", "yellow", "yellow", "green", "green"]
    assert not disagrees(100, 104.9) and disagrees(100, 106) and not disagrees(None, 5) and not disagrees(0, 0)


# --- each computed target from hand-built records, on both databases ----------------------------

def test_each_computed_target_from_its_records(platform, write_csv, tmp_path):
    build(platform, write_csv, tmp_path)
    ctx, r = rows(platform)
    # T13: existing 100 + P1 5.5 (2023) + P3 10 MW = 1 万千瓦 (2022); P2 later, P4 cancelled, P5 no year
    assert r["T13"]["actual"] == pytest.approx(106.5) and r["T13"]["source"]["uses"] == "computed"
    d = target_drilldown.target_source(ctx, "T13", 2024)
    assert {x.id: x.counted for x in d.records} == {"existing:hydro": True, "P1": True, "P2": False, "P3": True,
                                                    "P4": False, "P5": False}
    assert d.inputs["type:hydro"] == 100 and d.inputs["type:wind"] == pytest.approx(1.0)
    assert {x.id: x.year for x in d.records if x.kind == "project"}["P1"] == 2023 and "2024" in d.rule
    earlier = target_sources.compute_values(platform, ctx.plan, {2021, 2022}).values
    assert earlier[("T13", 2022)].value == pytest.approx(101.0) and earlier[("T13", 2021)].value == 100  # P3 from 2022
    # entered 106 beside 106.5: within 5 %, no finding; the barometer names which it uses
    assert r["T13"]["source"]["entered"]["value"] == 106 and not r["T13"]["source"]["disagree"]
    # T17: U1 every day, U2 3 days missing (the allowance) count; U3 4 missing does not; U4 < 10 000 tce
    t17 = ctx.computed[("T17", 2025)]
    assert t17.value == pytest.approx(200 / 3) and {x.id: x.counted for x in t17.records} == {U1: True, U2: True, U3: False}
    # T21 both sink projects: P10 1 万亩 = 666.67 ha + P11 500 ha at its planned size; T22 bamboo only
    assert r["T21"]["actual"] == pytest.approx(10000 / 15 + 500) and r["T22"]["actual"] == pytest.approx(10000 / 15)
    # T24: forest land 400 + 200 ha of a 10 km² county (其他林地 not counted); entered 50 disagrees
    assert r["T24"]["actual"] == pytest.approx(60.0) and r["T24"]["source"]["disagree"]
    # T36 public-building retrofit 2.5 as built; T40 the year's retrofit only; T43 P6 at its planned size
    assert r["T36"]["actual"] == 2.5 and r["T40"]["actual"] == 12 and r["T43"]["actual"] == 100
    assert target_sources.compute_values(platform, ctx.plan, {2023}).values[("T40", 2023)].value is None  # none in 2023
    assert [x.note for x in ctx.computed[("T43", 2024)].records] == ["as_planned"]
    # T38: B1 (10 kWh/m²) within its constraint, B2 (1 000 kWh/m²) over: 1 000 of 4 000 m²
    assert r["T38"]["actual"] == pytest.approx(25.0)
    # T51: 50 households of the plan's 1 000 (denominator with its source)
    assert r["T51"]["actual"] == pytest.approx(5.0) and ctx.computed[("T51", 2024)].inputs["denominator"] == 1000
    # a reported target names its department and takes the entered value
    assert r["T60"]["actual"] == 80 and r["T60"]["source"]["reporter"] == "县农业农村局"
    findings = tracking.assess_year(ctx, 2024, BarometerRule()).findings
    assert [f["data"]["id"] for f in findings if f["code"] == "target.sources_disagree"] == ["T24"]
    back = {t.id: t for t in stored_plan(platform).targets}
    assert back["T51"].denominator.value == 1000 and back["T40"].projects == ["P8"]
    assert stored_plan(platform).existing_capacity[0].capacity == 100


def test_no_record_in_service_falls_back_to_the_entered_value(platform, write_csv, tmp_path):
    load_plan(platform, tmp_path)
    imports.import_file(platform, write_csv("o.csv", "目标编号,年份,数值,来源\nT43,2024,240,交通局报送\n"), "test")
    ctx, r = rows(platform)
    assert r["T43"]["actual"] == 240 and r["T43"]["source"]["uses"] == "entered"
    assert r["T43"]["source"]["computed"]["value"] is None and r["T43"]["source"]["computed"]["records"] == 1
    d = target_drilldown.target_source(ctx, "T43", 2024, "en")
    assert d.uses == "entered" and "project registry" in d.uses_why and d.records[0].note == "no commissioning year: not counted"
    assert r["T36"]["light"] == "grey" and r["T36"]["source"]["uses"] == "none"


def test_a_registry_edit_refreshes_the_cached_barometer(platform, tmp_path):
    """The cached barometer depends on the records its targets are computed from (versions.TRACKING)."""
    load_plan(platform, tmp_path)
    t36 = {t.id: dataclasses.asdict(t) for t in views.barometer(platform, 2024).targets}["T36"]
    assert t36["actual"] is None
    registry.update_project(platform, "P9", {"status": "completed", "actual_capacity": 2.5, "actual_year": 2024}, ADMIN)
    t36 = {t.id: dataclasses.asdict(t) for t in views.barometer(platform, 2024).targets}["T36"]
    assert t36["actual"] == 2.5 and t36["source"]["uses"] == "computed"


def test_peak_target_from_the_policy_scenario(platform, tmp_path):
    text = plan_text([("T07", "2030年前实现碳达峰", "co2_peak_year", 2030, "年", "computed:scenarios", "")])
    load_plan(platform, tmp_path, text.replace('direction: ">=", target_year: 2025', 'direction: "<=", target_year: 2030'))
    for name in ("other_county_activity.csv", "other_county_gdp.csv"):
        imports.import_file(platform, DATA / name, "test", options=REPORT_OPTIONS)
    ctx, r = rows(platform)
    path = scenarios.spec_path("policy")
    run = scenarios.run_scenario(platform, path, *scenarios.published_run(path))
    p = run["p_peak_by_2030"]
    assert r["T07"]["light"] == PeakRule().light(p) and r["T07"]["actual"] == run["peak_year"]["p50"]
    assert f"{p:.1%}" in r["T07"]["why"] and ctx.computed[("T07", 2024)].probability == p


# --- one computation: barometer, drill-down, page, open data and report show the same values -------

def test_every_surface_shows_the_computed_values(platform, settings, write_csv, tmp_path):
    build(platform, write_csv, tmp_path)
    client = TestClient(create_app(settings, platform))
    api = {t["id"]: t for t in client.get("/api/targets", params={"year": 2024}).json()["targets"]}
    computed = {i: t["actual"] for i, t in api.items() if (t["source"] or {}).get("uses") == "computed"}
    assert {"T13", "T21", "T22", "T24", "T36", "T38", "T40", "T43", "T51"} <= set(computed)
    for i, v in computed.items():
        body = client.get(f"/api/targets/{i}/sources", params={"year": 2024}).json()
        assert body["value"] == v and body["uses"] == "computed" and body["records"], i
    assert client.get("/api/targets/T99/sources").status_code == 404
    page = client.get("/targets", params={"year": 2024}).text
    shown = dict(re.findall(r'data-source="(T\d+)" data-uses="computed">.*?class="computed" data-value="([^"]*)"', page, re.DOTALL))
    assert {i: float(v) for i, v in shown.items()} == pytest.approx(computed)
    assert "计算值与录入值不一致" in page and "报送部门：县农业农村局" in page
    open_json = {r["target"]: r["actual"] for r in client.get("/api/open/targets.json", params={"year": 2024}).json()["rows"]}
    open_csv = {r["target"]: float(r["actual"]) for r in csv.DictReader(io.StringIO(
        client.get("/api/open/targets.csv", params={"year": 2024}).content.decode("utf-8-sig"))) if r["actual"]}
    files = write_report(platform, 2024, tmp_path / "report")
    ws = openpyxl.load_workbook(files["xlsx"])["目标"]
    head, *data = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    report = {row[0]: row[head.index("实际值")] for row in data if row[0]}
    for i, v in computed.items():
        assert open_json[i] == v and open_csv[i] == pytest.approx(v, rel=1e-9) and report[i] == pytest.approx(v), i


def test_target_rows_are_typed_where_returned():
    assert dataclasses.is_dataclass(target_drilldown.TargetSourceView)
    assert {f.name for f in dataclasses.fields(Target)} >= {"source", "projects", "denominator"}
