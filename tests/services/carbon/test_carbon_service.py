"""Carbon dual control as a service and on every surface (services/carbon, api/carbon.py, cli/carbon.py,
/carbon), on both databases, with small hand-worked data (the arithmetic itself: test_carbon_domain.py).

The county: three townships, two sectors that use electricity only (so a sector's CO2 per MWh is the
grid factor of its year), one that burns coal; 2021–2023 inventories, GDP 2020–2023."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from carbonpeak.domain.accounting import unit_factors
from carbonpeak.services import carbon, imports, versions
from carbonpeak.services.accounting import accounting_policy
from carbonpeak.services.errors import InputRejected, NotFound
from carbonpeak.services.plans import read_plan, store_plan
from carbonpeak.store.models import AuditEntry, TwoHighProject
from carbonpeak.store.models_carbon import MonthlyElectricity, ProjectReview

TOWNS = ["甲镇", "乙镇", "丙镇"]
PLAN = """format: carbonpeak-plan/1
code: test-carbon
name: 测试县碳达峰实施方案
region: 测试县
admin_code: "430923"
source: test
default_base_year: 2020
townships: [甲镇, 乙镇, 丙镇]
departments: [县发展和改革局, 县住房和城乡建设局, 县科学技术和工业信息化局]
targets: []
actions: []
projects: []
carbon_control:
  base_year: 2023
  target_year: 2028
  targets:
    - {id: CC01, name: 强度下降, indicator: co2_intensity_reduction, value: 19.0, unit: "%", base_year: 2023, target_year: 2028}
  gdp_growth: [0.10, 0.10, 0.10, 0.10, 0.10]
  reserve: 0.10
  sector_departments: {城镇居民生活: 县住房和城乡建设局, 工业: 县科学技术和工业信息化局}
"""
# electricity MWh per year and sector; coal t of 工业-其他
ELEC = {"城镇居民生活": {2021: 100000.0, 2022: 110000.0, 2023: 120000.0},
        "乡村居民生活": {2021: 50000.0, 2022: 52000.0, 2023: 54000.0}}
COAL = {2021: 10000.0, 2022: 10000.0, 2023: 10000.0}
GRID = {2021: 0.5138, 2022: 0.49, 2023: 0.4976}  # 湖南, MEE/NBS (EL-003, EL-006, EL-009)
GDP = "年份,地区,地区生产总值,单位,发展速度,来源\n2020,测试县,10000,万元,,t\n2021,测试县,11000,万元,110,t\n2022,测试县,12000,万元,105,t\n2023,测试县,13000,万元,104,t\n"


def _activity() -> str:
    rows = ["年份,地区,部门,能源品种,数量,单位,用途,来源"]
    for s, by in ELEC.items():
        rows += [f"{y},测试县,{s},电力,{q},MWh,燃料,t" for y, q in by.items()]
    rows += [f"{y},测试县,工业-其他,原煤,{q},吨,燃料,t" for y, q in COAL.items()]
    return "\n".join(rows) + "\n"


def _monthly(years=(2021, 2022, 2023), sectors=ELEC) -> str:
    rows = ["年份,月份,地区,行业,用电量,单位,来源,示例数据"]
    for y in years:
        for s in sectors:
            rows += [f"{y},{m},测试县,{s},{ELEC[s][y] / 12},MWh,t,是" for m in range(1, 13)]
    return "\n".join(rows) + "\n"


@pytest.fixture
def county(platform, write_csv, tmp_path):
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    plan, sha = read_plan(tmp_path / "plan.yaml")
    store_plan(platform, plan, sha, "test", "test")
    imports.import_file(platform, write_csv("act.csv", _activity()), "test", kind="activity")
    imports.import_file(platform, write_csv("gdp.csv", GDP), "test", kind="gdp")
    carbon.import_electricity(platform, write_csv("elec.csv", _monthly()), "test")
    carbon.import_certificates(platform, write_csv("gc.csv", "年份,地区,绿证电量,单位,来源\n2023,测试县,20000,MWh,t\n"), "test")
    return platform


def _coal_t(platform, year: int) -> float:
    uf = unit_factors("原煤", "吨", year, accounting_policy(platform), platform.ref.factors, platform.ref.catalogue)
    return uf.co2_direct_t


def test_figures_on_each_basis_by_hand(county):
    f = carbon.carbon_figures(county)
    by = {(r.year, r.basis): r for r in f.rows}
    e = sum(ELEC[s][2023] for s in ELEC)  # 174 000 MWh
    direct = COAL[2023] * _coal_t(county, 2023)
    # GDP at 2020 prices: 10000 × 1.10 × 1.05 × 1.04
    gdp = 10000 * 1.10 * 1.05 * 1.04
    avg, excl, fos = by[(2023, "average")], by[(2023, "excl_market_nonfossil")], by[(2023, "fossil")]
    assert avg.gdp_constant == pytest.approx(gdp) and avg.price_base_year == 2020
    assert avg.total_co2_t == pytest.approx(direct + e * 0.4976)
    assert avg.intensity == pytest.approx((direct + e * 0.4976) / gdp)
    assert excl.green_certificate_mwh == 20000 and excl.total_co2_t == pytest.approx(direct + (e - 20000) * 0.6096)
    assert fos.total_co2_t == pytest.approx(direct + e * 0.8273) and fos.proxy_year is None
    # 2021 has no factor excluding market-traded non-fossil electricity: the nearest published (2022) is named
    assert by[(2021, "excl_market_nonfossil")].proxy_year == 2022
    # the inventory's own total beside it (no local generation here: the same figure)
    assert avg.inventory_net_co2_t == pytest.approx(avg.total_co2_t)
    fourteenth = [p for p in f.periods if p.period == "14th" and p.basis == "fossil"]
    assert fourteenth == []  # no 2020 inventory: no 14th-period change is claimed


def test_back_test_error_is_the_ratio_of_grid_factors(county):
    est = carbon.monthly_estimate(county, 2023)
    bt = est.back_test
    assert bt.years == (2022, 2023)
    # an electricity-only sector's CO2 per MWh is the grid factor: estimating 2022 from 2021 errs by
    # 0.5138/0.49 − 1, 2023 from 2022 by 1 − 0.49/0.4976
    e22, e23 = GRID[2021] / GRID[2022] - 1, 1 - GRID[2022] / GRID[2023]
    for s in bt.sectors:
        assert s.mape == pytest.approx((e22 + e23) / 2) and s.band == pytest.approx(e22)
    assert bt.mape_total == pytest.approx((e22 + e23) / 2)
    assert est.label == "估算" and est.calibration_year == 2022 and est.months == 12
    assert est.total_t == pytest.approx(GRID[2022] * sum(ELEC[s][2023] for s in ELEC))
    assert est.band == pytest.approx(e22) and est.low_t == pytest.approx(est.total_t * (1 - e22))
    assert est.not_estimated == ["工业-其他"]  # inventory sector without monthly electricity: named


def test_a_month_with_no_data_is_named_and_the_estimate_stops_before_it(county, write_csv):
    rows = ["年份,月份,地区,行业,用电量,单位,来源", "2024,1,测试县,城镇居民生活,100,MWh,t", "2024,1,测试县,乡村居民生活,50,MWh,t",
            "2024,2,测试县,乡村居民生活,40,MWh,t", "2024,3,测试县,城镇居民生活,90,MWh,t", "2024,3,测试县,乡村居民生活,45,MWh,t"]
    carbon.import_electricity(county, write_csv("e24.csv", "\n".join(rows) + "\n"), "test")
    est = carbon.monthly_estimate(county)
    assert est.year == 2024 and est.months == 1 and est.calibration_year == 2023
    assert est.missing_months == ["城镇居民生活 2024-02"]
    assert est.total_t == pytest.approx(GRID[2023] * 150)
    with pytest.raises(NotFound):
        carbon.monthly_estimate(county, 2019)


def test_reimport_does_not_duplicate_and_bad_rows_are_named(county, write_csv):
    before = versions.current(county).get("carbon_monthly_electricity", 0)
    assert before > 0  # the first import moved the data version of its topic
    again = carbon.import_electricity(county, write_csv("elec2.csv", _monthly()), "test")
    assert versions.current(county).get("carbon_monthly_electricity", 0) == before  # nothing changed
    assert (again.inserted, again.updated, again.unchanged, again.batch_id) == (0, 0, 72, None)
    with county.sessions() as s:
        assert s.scalar(select(func.count()).select_from(MonthlyElectricity)) == 72
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "carbon_monthly_electricity"))
    assert audited == 72
    bad = "年份,月份,地区,行业,用电量,单位\n2025,1,测试县,城镇居民生活,10,MWh\n2025,13,测试县,城镇居民生活,10,MWh\n2025,2,测试县,乡村居民生活,10,桶\n"
    with pytest.raises(InputRejected) as e:
        carbon.import_electricity(county, write_csv("bad.csv", bad), "test")
    assert [(i.file, i.row, i.column) for i in e.value.issues] == [("bad.csv", 3, "month"), ("bad.csv", 4, "unit")]
    with county.sessions() as s:  # nothing half-written: not even the good first row
        assert s.scalar(select(func.count()).select_from(MonthlyElectricity).where(MonthlyElectricity.year == 2025)) == 0


def test_budget_path_and_three_township_decomposition_under_each_rule(county):
    p = carbon.county_path(county)
    base = sum(ELEC[s][2023] for s in ELEC) * GRID[2023] + COAL[2023] * _coal_t(county, 2023)
    assert p.base_co2_source == "inventory" and p.base_co2_t == pytest.approx(base)
    assert p.base_gdp == 13000 and p.years == (2024, 2025, 2026, 2027, 2028)
    f = 0.81 ** (1 / 5)
    assert p.budget_t[0] == pytest.approx(base / 13000 * f * 13000 * 1.1)
    b = p.budget_t[0]
    hist = {"甲镇": 60.0, "乙镇": 30.0, "丙镇": 10.0}
    d = carbon.decomposition(county, "township", "historical_share", 2024, inputs={"history": hist})
    assert d.rule == "historical_share" and d.reserve == 0.10 and d.weight_basis == "weight_entered_history"
    assert [r.budget_t for r in d.rows] == pytest.approx([b * 0.9 * 0.6, b * 0.9 * 0.3, b * 0.9 * 0.1])
    d = carbon.decomposition(county, "township", "intensity_benchmark", 2024, reserve=0.0,
                             inputs={"output": {"甲镇": 10, "乙镇": 20, "丙镇": 40}, "benchmark": {"甲镇": 2, "乙镇": 1, "丙镇": 0.5}})
    assert [r.budget_t for r in d.rows] == pytest.approx([b / 3] * 3)
    d = carbon.decomposition(county, "township", "growth_allowance", 2024, reserve=0.0,
                             inputs={"history": hist, "growth": {"甲镇": 0.0, "乙镇": 0.5, "丙镇": 1.5}})
    assert [r.budget_t for r in d.rows] == pytest.approx([b * 60 / 130, b * 45 / 130, b * 25 / 130])
    d = carbon.decomposition(county, "township", "entered_shares", 2024, reserve=0.0,
                             inputs={"shares": {"甲镇": 0.5, "乙镇": 0.25, "丙镇": 0.25}})
    assert [r.budget_t for r in d.rows] == pytest.approx([b / 2, b / 4, b / 4])
    sec = carbon.decomposition(county, "sector", "historical_share", 2024)
    assert {r.entity for r in sec.rows} == {"城镇居民生活", "乡村居民生活", "工业-其他"}
    assert sum(r.budget_t for r in sec.rows) + sec.reserve_t == pytest.approx(b)


@pytest.mark.parametrize("inputs,code,column", [
    ({"shares": {"甲镇": 0.5, "乙镇": 0.3, "丙镇": 0.1}}, "carbon.shares_not_whole", "inputs"),
    ({"shares": {"甲镇": 0.5, "乙镇": 0.3, "丁镇": 0.2}}, "carbon.unknown_entity", "inputs.shares"),
])
def test_bad_decomposition_is_refused_naming_it(county, inputs, code, column):
    with pytest.raises(InputRejected) as e:
        carbon.decomposition(county, "township", "entered_shares", 2024, inputs=inputs)
    assert code in [i.code for i in e.value.issues] and column in [i.column for i in e.value.issues]
    if code == "carbon.unknown_entity":
        assert "丁镇" in e.value.issues[0].message("zh")
    with pytest.raises(InputRejected) as e:  # no key units: townships have no default weight
        carbon.decomposition(county, "township", "historical_share", 2024)
    assert e.value.issues[0].code == "carbon.no_weight"


def test_tracking_targets_and_assessment(county):
    t = carbon.tracking(county)
    assert t.thresholds == {"yellow": 0.9, "red": 1.0} and t.years == [] and t.months == []  # no data after 2023
    tg = carbon.targets(county)
    ms = tg.milestones
    base_int = carbon.county_path(county).base_co2_t / 13000
    assert [m.year for m in ms] == [2024, 2025, 2026, 2027, 2028]
    assert ms[-1].intensity == pytest.approx(base_int * 0.81) and ms[0].intensity == pytest.approx(base_int * 0.81 ** 0.2)
    assert tg.targets[0].light == "grey"
    a = carbon.assessment(county, 2024)
    depts = {r.name: r for r in a.rows if r.kind == "department"}
    assert set(depts) == {"县住房和城乡建设局", "县科学技术和工业信息化局", "县发展和改革局"}
    assert depts["县科学技术和工业信息化局"].sectors == ["工业-其他"]
    assert [r.name for r in a.rows if r.kind == "township"] == TOWNS


def _project(**kw) -> carbon.ReviewInput:
    base = {"code": "P-1", "name": "熟料线", "industry": "水泥熟料", "start_year": 2024, "annual_output": 1000.0,
                "energy": [carbon.CarrierUse("电力", 850.0, "MWh")], "two_high": True}
    return carbon.ReviewInput(**{**base, **kw})


def test_project_review_by_hand_with_history_and_two_high_list(county):
    r = carbon.review_project(county, _project(), "test")
    uf = unit_factors("电力", "MWh", 2024, accounting_policy(county), county.ref.factors, county.ref.catalogue)
    assert r.energy_tce == pytest.approx(850 * uf.energy_tce) and r.co2_t == pytest.approx(850 * uf.co2_t)
    assert r.unit_energy == pytest.approx(850 * uf.energy_tce)  # kgce/t: tce × 1000 ÷ 1000 t
    path = carbon.county_path(county)
    assert r.remaining_budget_t == pytest.approx(path.budget_t[0] * 0.10)
    assert r.share_of_remaining == pytest.approx(r.co2_t / r.remaining_budget_t)
    assert (r.benchmark, r.access) == (100.0, 107.0)
    assert r.verdict == "conditional" and r.verdict_text == "有条件通过"  # 104.5 kgce/t: between 100 and 107
    assert "carbon.review.between" in [x.code for x in r.reasons] and r.two_high_listed
    r2 = carbon.review_project(county, _project(energy=[carbon.CarrierUse("电力", 800.0, "MWh")]), "test")
    assert r2.version == 2 and r2.verdict == "pass"
    hist = carbon.review_history(county, "P-1")
    assert [h.version for h in hist] == [2, 1] and [h.verdict for h in hist] == ["pass", "conditional"]
    other = carbon.review_project(county, _project(code="P-2", name="另一线", two_high=False), "test")
    assert other.remaining_budget_t == pytest.approx(path.budget_t[0] * 0.10 - r2.co2_t)  # P-1's latest version used
    with county.sessions() as s:
        assert s.scalars(select(TwoHighProject.status).where(TwoHighProject.name == "熟料线")).all() == ["拟建"]
        assert s.scalar(select(func.count()).select_from(ProjectReview)) == 3


def test_review_without_benchmark_and_bad_carrier(county):
    r = carbon.review_project(county, _project(code="P-3", industry="电解金属锰", two_high=False), "test")
    assert r.verdict == "conditional" and r.benchmark is None
    assert "电解金属锰" in r.reasons[0].text and r.reasons[0].code == "carbon.review.no_benchmark"
    with pytest.raises(InputRejected) as e:
        carbon.review_project(county, _project(code="P-4", energy=[carbon.CarrierUse("木柴油", 1.0, "t")]), "test")
    assert e.value.issues[0].column == "energy[0].carrier"
    with county.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ProjectReview).where(ProjectReview.code == "P-4")) == 0


def test_key_unit_decomposition_and_unknown_unit(county, write_csv):
    units = ("统一社会信用代码,单位名称,行业代码,行业,乡镇,年综合能耗,监管类别,来源\n"
             "91430923000000001N,甲厂,C3011,水泥制造,甲镇,3000,在线监测,t\n91430923000000002R,乙厂,C3240,有色,乙镇,1000,节能监察,t\n")
    imports.import_file(county, write_csv("units.csv", units), "test", kind="key_units")
    d = carbon.decomposition(county, "unit", "historical_share", 2024, reserve=0.0)
    b = carbon.county_path(county).budget_t[0]
    assert [(r.entity, r.budget_t) for r in d.rows] == [("乙厂", pytest.approx(b / 4)), ("甲厂", pytest.approx(b * 3 / 4))]
    t = carbon.decomposition(county, "township", "historical_share", 2024, reserve=0.0)
    assert [r.share for r in t.rows] == pytest.approx([0.75, 0.25, 0.0])
    with pytest.raises(InputRejected) as e:
        carbon.decomposition(county, "unit", "growth_allowance", 2024, inputs={"growth": {"甲厂": 0.1, "乙厂": 0, "丙厂": 0}})
    assert {i.params.get("entity") for i in e.value.issues} == {"丙厂"}


PASSWORD = "Carbon-dual-2031x"


@pytest.fixture
def web(county, settings):
    from fastapi.testclient import TestClient

    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    for name, role, dept in (("fgj", "dept_editor", "县发展和改革局"), ("zjj", "dept_editor", "县住房和城乡建设局"),
                             ("view", "viewer", None)):
        create_user(county, name, PASSWORD, role, "test", department=dept)
    app = create_app(settings, county)

    def client(user=None):
        c = TestClient(app)
        if user:
            r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
            assert r.status_code == 200, r.text
            c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c
    return client


def test_same_figure_on_api_cli_and_page(web, settings, monkeypatch):
    from typer.testing import CliRunner

    from carbonpeak.cli.main import app as cli

    view = web("view")
    api = view.get("/api/carbon/estimate?year=2023").json()
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    out = CliRunner().invoke(cli, ["carbon", "estimate", "--year", "2023", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["total_t"] == pytest.approx(api["total_t"])
    page = view.get("/carbon")
    assert page.status_code == 200 and "碳排放双控" in page.text and 'class="table-wrap"' in page.text
    budget = view.get("/api/carbon/budget").json()["budget_t"][0]
    assert f'data-budget="{budget}"' in page.text
    assert "历史排放占比" in page.text and "估算" in page.text


def test_permissions_on_the_api(web):
    body = {"code": "P-9", "name": "测试", "industry": "水泥熟料", "start_year": 2024, "annual_output": 1000,
            "energy": [{"carrier": "电力", "quantity": 800, "unit": "MWh"}]}
    assert web().get("/api/carbon/figures").status_code == 401
    assert web("view").post("/api/carbon/reviews", json=body).status_code == 403
    assert web("zjj").post("/api/carbon/reviews", json=body).status_code == 403
    r = web("fgj").post("/api/carbon/reviews", json=body)
    assert r.status_code == 200 and r.json()["verdict"] == "pass" and r.json()["actor"] == "fgj"
    assert [h["version"] for h in web("view").get("/api/carbon/reviews?code=P-9").json()] == [1]
    r = web("view").post("/api/carbon/decomposition", json={"level": "township", "rule": "entered_shares",
                                                             "inputs": {"shares": {"甲镇": 0.5, "乙镇": 0.6, "丙镇": 0}}})
    assert r.status_code == 422 and "100%" in r.json()["detail"][0]["msg"]


def test_the_demo_has_illustrative_monthly_electricity_and_15th_plan_values(sqlite_demo_ro):
    p = sqlite_demo_ro
    est = carbon.monthly_estimate(p)
    assert (est.year, est.months, est.calibration_year, est.label) == (2026, 10, 2024, "估算")
    assert est.illustrative and est.back_test.years == (2021, 2022, 2023, 2024) and est.not_estimated == []
    assert 0 < est.back_test.mape_total < est.back_test.band_total < 0.2
    path = carbon.county_path(p)
    assert path.base_co2_source == "估算" and path.base_gdp_source == "entered" and path.illustrative
    assert {t.status for t in carbon.targets(p).targets} == {"illustrative"}
    assert [m.period for m in carbon.tracking(p).months][-1] == "2026-10"
