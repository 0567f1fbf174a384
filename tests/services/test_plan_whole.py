"""The plan, whole: every task's and box's text, the commitments inside them as targets and
milestones, the checker's qualified findings, and the overview's two CO2 perspectives."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from paths import ROOT

from carbonpeak.domain.plan import CountClaim, Milestone, RateComparison, check_plan, find_in_plan
from carbonpeak.services.plans import bundled_plan_path, read_plan, store_plan, stored_plan

DATA = Path(bundled_plan_path()).parent.parent  # src/carbonpeak/data

# Enterprises, sites, roads, documents and figures the plan text names (a sample from every part).
NAMED = ["益阳海螺水泥", "六步溪", "湘安钨业", "渣滓溪锑矿", "金源新材料", "鑫达钨钼新材料", "湘磁电子", "国阳硅砂",
         "博兴钨业", "廖家坪水库", "红岩省级自然保护区", "云台山国家石漠公园", "58众创", "安张衡铁路", "益吉秀铁路",
         "G207", "S542", "黄柏界", "何家坳", "百里画廊", "紫云苗圃", "GB/T51161-2016", "湘政发〔2022〕19号",
         "节约能源法", "木榴", "全钒液流", "100MW/200MWh", "391个", "250km", "15亩"]


@pytest.fixture(scope="module")
def anhua():
    return read_plan(bundled_plan_path())[0]


def _codes(plan, code):
    return [f for f in check_plan(plan) if f.code == code]


@pytest.mark.parametrize("name", NAMED)
def test_every_name_of_the_plan_can_be_found(anhua, name):
    assert find_in_plan(anhua, name), name


def test_every_task_box_and_section_keeps_its_text(anhua):
    tasks = [t for a in anhua.actions for t in a.tasks]
    assert all(len(t.text) > 80 for t in tasks)
    assert "益阳海螺水泥、圣德锰业、渣滓溪矿业有限公司" in next(t for t in tasks if t.id == "A03.1").text
    assert [b.number for b in anhua.box_texts] == anhua.boxes  # every box as printed, in order
    assert "一台25t/h链条炉（备用）" in next(b for b in anhua.box_texts if b.number == 13).text
    assert [s.title for s in anhua.sections] == ["前言", "一、总体要求", "二、主要目标", "三、重点任务", "四、政策保障",
                                                 "五、组织实施"]
    assert find_in_plan(anhua, "六步溪") == ["box 10"]


def test_commitments_inside_task_texts_are_targets(anhua):
    t = {x.id: x for x in anhua.targets}
    # 三（7）3: new and replaced logistics and municipal vehicles 100 % new-energy or clean by 2025
    assert (t["T52"].value, t["T52"].unit, t["T52"].target_year, t["T52"].clause) == (100, "%", 2025, "三（7）3")
    assert (t["T53"].value, t["T53"].target_year) == (100, 2025)
    # 三（7）2: charging parking share ≥ 30 % outside the scenic areas too
    assert (t["T54"].value, t["T54"].direction, t["T54"].clause) == (30, ">=", "三（7）2")
    assert t["T60"].kind == "change" and t["T60"].base_assumed and t["T60"].year_assumed
    assert t["T67"].value is None and t["T67"].value_status == "assigned"
    # every target without a year of its own in the plan says so
    assumed = {f.params["id"] for f in _codes(anhua, "plan.year_assumed")}
    assert {"T25", "T26", "T40", "T51", "T56", "T58", "T62"} <= assumed and "T52" not in assumed
    assert all(t[i].year_note for i in assumed)


def test_milestones_quote_the_plan(anhua):
    ms = {m.id: m for a in anhua.actions for t in a.tasks for m in t.milestones}
    assert len(ms) >= 100 and all(a.tasks and any(t.milestones for t in a.tasks) for a in anhua.actions)
    m = ms["A02.1-M1"]
    assert (m.year, m.value, m.unit, m.projects) == (2023, 28, "万千瓦", ["P04-01", "P04-02", "P04-03"])
    projects = {p.id: p for p in anhua.projects}
    assert sum(projects[p].capacity for p in m.projects) == m.value
    assert not _codes(anhua, "plan.milestone_not_in_text") and not _codes(anhua, "plan.unknown_reference")


def test_a_milestone_that_does_not_quote_the_plan_is_found(anhua):
    a01 = anhua.actions[0]
    task = dataclasses.replace(a01.tasks[0], milestones=[Milestone("X-M1", "到2025年全面完成一切", projects=["P99-99"])])
    plan = dataclasses.replace(anhua, actions=[dataclasses.replace(a01, tasks=[task, *a01.tasks[1:]]),
                                               *anhua.actions[1:]])
    assert [f.params["id"] for f in _codes(plan, "plan.milestone_not_in_text")] == ["X-M1"]
    assert [f.params["id"] for f in _codes(plan, "plan.unknown_reference")] == ["P99-99"]


def test_box17_yearly_rate_exceeds_the_residential_target(anhua):
    (f,) = _codes(anhua, "plan.rate_exceeds_total")
    # 专栏17: 50万 m² a year of old-community retrofit; 三（6）2: 10万 m² of residential retrofit by 2025
    assert (f.params["rate"], f.params["total"], f.params["ratio"], f.params["implied"]) == (50, 10, 5.0, 150)
    assert "50" in f.message("zh") and "10" in f.message("en")
    within = dataclasses.replace(anhua, rate_comparisons=[RateComparison("x", rate="T37", total="T40")])
    assert not _codes(within, "plan.rate_exceeds_total")  # 10 a year does not exceed 50
    unknown = dataclasses.replace(anhua, rate_comparisons=[RateComparison("x", rate="T99", total="T37")])
    assert [f.params["id"] for f in _codes(unknown, "plan.unknown_reference")] == ["T99"]


def test_township_count_finding_is_qualified(anhua):
    (f,) = _codes(anhua, "plan.count_exceeds")
    # 木子、杨林、木榴、中砥 are not among the county's 23 townships (former townships); the other 4 are
    assert f.params["townships_named"] == 4 and f.params["not_townships"] == ["木子", "杨林", "木榴", "中砥"]
    assert f.params["confidence"] == "medium" and "可信度：中" in f.message("zh")
    def one(named, other):
        p = dataclasses.replace(anhua, count_claims=[CountClaim("x", named, other)])
        return [g.params["confidence"] for g in _codes(p, "plan.count_exceeds")]
    assert one(["木子", "杨林"], 22) == ["low"]  # exceeds only through places that are not townships
    assert one(["大福", "梅城"], 22) == ["high"]
    assert one(["大福"], 22) == []


def test_standby_boiler_is_not_capacity(anhua):
    p = next(x for x in anhua.projects if x.id == "P13-01")
    assert (p.capacity, p.capacity_unit) == (70, "t/h") and "备用" in p.note


def test_product_files_cite_no_workspace_paths():
    """Nothing the product ships or documents cites a file outside the repository."""
    root = ROOT
    files = [p for p in (*(root / "src").rglob("*"), *(root / "docs").rglob("*.md"), root / "README.md")
             if p.is_file() and p.suffix in (".py", ".csv", ".yaml", ".toml", ".md", ".html", ".js", ".txt")]
    outside = re.compile(r"shared/(seed|reference)|\bDESIGN\.md|\bDOMAIN\.md")
    assert len(files) > 100
    assert not [str(f.relative_to(root)) for f in files if outside.search(f.read_text(encoding="utf-8"))]


def test_the_whole_plan_survives_the_database(platform, anhua):
    store_plan(platform, anhua, "0" * 64, "test", "test")
    back = stored_plan(platform, anhua.code)
    assert [t for a in back.actions for t in a.tasks] == [t for a in anhua.actions for t in a.tasks]
    assert (back.box_texts, back.sections, back.rate_comparisons) == (anhua.box_texts, anhua.sections,
                                                                      anhua.rate_comparisons)
    assert back.count_claims == anhua.count_claims and {t.id: t for t in back.targets} == {t.id: t for t in anhua.targets}
    assert len(check_plan(back)) == len(check_plan(anhua))


def test_overview_leads_with_direct_emissions_and_explains_the_sign(demo_ro):
    from carbonpeak.services.views import overview

    for lang, word in (("zh", "净调出电力按电网排放因子抵扣"), ("en", "credited at the grid factor")):
        ov = overview(demo_ro, None, lang)
        first, second = ov.headline[:2]
        assert (first["code"], first["basis"], first["lead"]) == ("co2_total", "territorial", True)
        assert second["basis"] == "with_electricity" and second["label"] and first["label"]
        assert ov.co2_perspectives.lead == "territorial"
        assert second["value"] < 0 < first["value"]  # the demo county is a net exporter of hydropower
        assert word in second["explanation"] and ov.co2_perspectives.explanation == second["explanation"]
        assert not first["explanation"] and ov.co2_perspectives.note


def test_overview_page_and_api_carry_the_labels(demo_ro):
    from fastapi.testclient import TestClient

    from carbonpeak.web.app import create_app

    c = TestClient(create_app(demo_ro.settings, demo_ro))
    api = c.get("/api/overview").json()
    assert api["headline"][0]["lead"] and api["co2_perspectives"]["explanation"]
    page = c.get("/").text
    assert "直接排放（属地口径）" in page and api["co2_perspectives"]["explanation"] in page
    assert 'id="co2-perspectives"' in page and "Direct emissions (territorial)" in c.get("/?lang=en").text
    targets = c.get("/targets")
    assert targets.status_code == 200 and "T52" in targets.text and "T67" in targets.text


def test_with_electricity_explanation_follows_the_numbers():
    from carbonpeak.services.views import co2_perspectives

    def run(terr, elec, share=None):
        h = [{"code": "co2_total", "basis": "territorial", "value": terr},
             {"code": "co2_total", "basis": "with_electricity", "value": elec},
             {"code": "renewable_share_local_generation", "basis": "", "value": share}]
        return co2_perspectives(h, "某县", "zh")[1].explanation

    assert "含电力口径为负" in run(100.0, -50.0, 90.0) and "可再生能源" in run(100.0, -50.0, 90.0)
    assert "可再生能源" not in run(100.0, -50.0, 10.0)
    assert "低于直接排放" in run(100.0, 40.0)
    assert "计入50吨" in run(100.0, 150.0)
    assert run(100.0, 100.0) == ""
    assert co2_perspectives([{"code": "energy_total", "basis": "raw", "value": 1.0}], "某县") == (
        [{"code": "energy_total", "basis": "raw", "value": 1.0}], None)
