"""The 15th-plan carbon targets in the main barometer (services/carbon/barometer.py): the rows of
services/carbon/assessment.targets shown by the overview and target pages, /api/targets, the
trajectory, `carbonpeak targets` and the open data, rated once; their value, year, light, electricity
factor basis and scope (all electricity consumed) on each surface. A hand-worked county: base year
2022, the inventory of 2023 rated against an intensity fall of 19 % by 2027 and a CO2 cap."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from carbonpeak.domain.accounting import unit_factors
from carbonpeak.services import carbon, imports, views
from carbonpeak.services.accounting import accounting_policy
from carbonpeak.services.plans import read_plan, store_plan, stored_plan
from carbonpeak.services.reports import open_dataset

PLAN = """format: carbonpeak-plan/1
code: test-carbon-bar
name: 测试县碳达峰实施方案
region: 测试县
admin_code: "430923"
source: test
default_base_year: 2020
townships: [甲镇]
departments: [县发展和改革局]
targets: []
actions: []
projects: []
carbon_control:
  base_year: {base}
  target_year: 2027
  targets:
    - {{id: CC01, name: 强度下降, indicator: co2_intensity_reduction, value: 19.0, unit: "%", base_year: {base}, target_year: 2027}}
    - {{id: CC02, name: 排放总量上限, indicator: co2_total_cap, value: 100000, unit: tCO2, base_year: {base}, target_year: 2027}}
  gdp_growth: [0.05, 0.05, 0.05, 0.05, 0.05]
"""
ELEC = {2021: 150000.0, 2022: 162000.0, 2023: 174000.0}  # MWh, 城镇居民生活
GRID = {2021: 0.5138, 2022: 0.49, 2023: 0.4976}  # 湖南 (EL-003, EL-006, EL-009)
COAL = 10000.0  # t of 原煤 in 工业-其他, every year
GDP = "年份,地区,地区生产总值,单位,发展速度,来源\n2021,测试县,11000,万元,,t\n2022,测试县,12000,万元,105,t\n2023,测试县,13000,万元,104,t\n"


def _county(platform, write_csv, tmp_path, base: int = 2022):
    (tmp_path / "plan.yaml").write_text(PLAN.format(base=base), encoding="utf-8")
    plan, sha = read_plan(tmp_path / "plan.yaml")
    store_plan(platform, plan, sha, "test", "test")
    rows = ["年份,地区,部门,能源品种,数量,单位,用途,来源"]
    rows += [f"{y},测试县,城镇居民生活,电力,{q},MWh,燃料,t" for y, q in ELEC.items()]
    rows += [f"{y},测试县,工业-其他,原煤,{COAL},吨,燃料,t" for y in ELEC]
    imports.import_file(platform, write_csv("act.csv", "\n".join(rows) + "\n"), "test", kind="activity")
    imports.import_file(platform, write_csv("gdp.csv", GDP), "test", kind="gdp")
    return platform


@pytest.fixture
def county(platform, write_csv, tmp_path):
    return _county(platform, write_csv, tmp_path)


def _by_hand(platform) -> tuple[float, float, float]:
    """CO2 of 2022 and 2023 (coal + all electricity consumed × the grid average) and the 2023 intensity change."""
    coal = unit_factors("原煤", "吨", 2023, accounting_policy(platform), platform.ref.factors, platform.ref.catalogue)
    co2 = {y: COAL * coal.co2_direct_t + ELEC[y] * GRID[y] for y in (2022, 2023)}
    change = (co2[2023] / (12000 * 1.04)) / (co2[2022] / 12000) - 1  # GDP at 2022 prices: index 104
    return co2[2022], co2[2023], change * 100


def test_carbon_rows_in_the_barometer_are_the_carbon_service_result(county):
    co2_22, co2_23, change = _by_hand(county)
    res = carbon.targets(county, year=2023)
    bar = asdict(views.barometer(county, 2023))  # the JSON document the API writes
    rows = {r["id"]: r for r in bar["targets"] if r["data_source"] == "computed:carbon"}
    assert set(rows) == {"CC01", "CC02"} and len(bar["targets"]) == len(stored_plan(county).targets) + 2
    for t in res.targets:
        r = rows[t.id]
        assert (r["light"], r["actual"], r["expected"], r["why"], r["target_value"]) == \
               (t.light, t.actual, t.expected, t.why, t.rated_value)
        assert r["source"]["basis"] == "average" and "全部终端用电量" in r["source"]["qualifier"]
        assert "平均排放因子" in r["source"]["qualifier"] and r["source"]["module_label"] == "碳排放双控"
    cc01, cc02 = rows["CC01"], rows["CC02"]
    assert cc01["actual"] == pytest.approx(change) and cc01["target_value"] == -19.0
    # one year of five elapsed: expected −3.8 %; green when the fall is at least that, else by the ratio
    assert cc01["expected"] == pytest.approx(-3.8) and cc01["ratio"] == pytest.approx((change / -19.0) / 0.2)
    assert cc01["light"] == ("green" if cc01["ratio"] >= 1 else "yellow" if cc01["ratio"] >= 0.8 else "red")
    assert cc02["actual"] == pytest.approx(co2_23) and cc02["base_value"] == pytest.approx(co2_22)
    assert co2_22 <= 100000 < co2_23 and cc02["light"] == "red" and cc02["reason"] == "hold_missed"
    assert bar["counts"]["red"] >= 1 and any(f["code"] == "target.behind" and f["data"]["id"] == "CC02"
                                             for f in bar["findings"])
    before = asdict(views.barometer(county, 2022))  # the base year: nothing to rate yet, said so
    assert {r["light"] for r in before["targets"] if r["id"].startswith("CC")} == {"grey"}


def test_every_surface_shows_the_same_carbon_rows(county, settings, monkeypatch):
    from carbonpeak.cli.main import app as cli
    from carbonpeak.web.app import create_app

    want = {t.id: t for t in carbon.targets(county, year=2023).targets}
    c = TestClient(create_app(settings, county))
    api = {r["id"]: r for r in c.get("/api/targets", params={"year": 2023}).json()["targets"]}
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    out = CliRunner().invoke(cli, ["targets", "--year", "2023", "--format", "json"])
    assert out.exit_code == 0, out.output
    cli_rows = {r["id"]: r for r in json.loads(out.output)["targets"]}
    opened = {r["target"]: r for r in open_dataset(county, "targets", 2023)}
    for tid, t in want.items():
        for shown in (api[tid], cli_rows[tid]):
            assert (shown["light"], shown["actual"]) == (t.light, pytest.approx(t.actual))
        assert (opened[tid]["light"], opened[tid]["actual"]) == (t.light, t.actual)
        assert "basis=average" in opened[tid]["source"] and "全部终端用电量" in opened[tid]["source"]
    page = c.get("/targets", params={"year": 2023}).text
    assert 'id="CC01"' in page and 'id="CC02"' in page and "电力排放因子口径：平均排放因子" in page
    assert "计入县域全部终端用电量" in page
    traj = c.get("/api/targets/CC02/trajectory").json()
    assert [p["year"] for p in traj["points"]] == [2022, 2023]
    assert traj["points"][-1]["actual"] == pytest.approx(want["CC02"].actual)
    assert want["CC02"].base_value <= 100000  # the base already meets the cap: the path is flat at it (domain/tracking)
    assert [x["year"] for x in traj["path"]] == list(range(2022, 2028)) and {x["value"] for x in traj["path"]} == {100000.0}
    fall = c.get("/api/targets/CC01/trajectory").json()
    assert fall["path"][0]["value"] == 0.0 and fall["path"][-1]["value"] == -19.0
    assert fall["points"][-1]["actual"] == pytest.approx(want["CC01"].actual)


def test_carbon_targets_that_cannot_be_rated_are_grey_saying_why(platform, write_csv, tmp_path):
    p = _county(platform, write_csv, tmp_path, base=2019)  # no inventory nor GDP of 2019: no budget path
    rows = [r for r in asdict(views.barometer(p, 2023))["targets"] if r["data_source"] == "computed:carbon"]
    assert [r["id"] for r in rows] == ["CC01", "CC02"]
    assert {r["light"] for r in rows} == {"grey"} and all("暂无法评价" in r["why"] for r in rows)


def test_demo_barometer_counts_the_carbon_targets(demo_platform):
    plan = stored_plan(demo_platform)
    bar = asdict(views.barometer(demo_platform, 2024))
    ids = [r["id"] for r in bar["targets"]]
    assert ids[-2:] == [t.id for t in plan.carbon_control.targets] and len(ids) == len(plan.targets) + 2
    assert sum(bar["counts"].values()) == len(ids)
    cc = [r for r in bar["targets"] if r["id"] in ("CC01", "CC02")]
    assert all(r["illustrative"] and r["light"] == "grey" and "2024年无实际值" in r["why"] for r in cc)  # before the period


def test_the_barometer_of_another_stored_plan_has_no_carbon_rows_of_the_first(county, tmp_path):
    """services/carbon serves the first stored plan: a second county's barometer must not borrow its targets."""
    from carbonpeak.domain.tracking import BarometerRule
    from carbonpeak.services.accounting import DEFAULTS
    from carbonpeak.services.tracking import targets_report

    other = PLAN.split("carbon_control:")[0].replace("test-carbon-bar", "test-other").replace("测试县", "别县")
    (tmp_path / "other.yaml").write_text(other, encoding="utf-8")
    plan, sha = read_plan(tmp_path / "other.yaml")
    store_plan(county, plan, sha, "test", "test")
    assert [r.id for r in targets_report(county, 2023, DEFAULTS, BarometerRule(), plan_code="test-other").targets] == []
    first = targets_report(county, 2023, DEFAULTS, BarometerRule(), plan_code="test-carbon-bar").targets
    assert [r.id for r in first] == ["CC01", "CC02"]
