"""Carbon-sink ledger core: hand-worked stocks, stock-difference sink, bad parcel files.

Hand-worked (factors: refdata forest_carbon LEADS-UNVERIFIED.r1, from memory, unverified):
  杉木 parcel 2019: 10 ha × 80 m³/ha × 0.307 t/m³ × 1.634 × (1 + 0.246) × 0.520 = 260.02 t C
                     × 44/12 = 953.40 t CO2
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from paths import DATA, SRC

from carbonpeak.domain.sinks import forest_cover, sink_by_difference, stock_tc
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.sinks import ledger


def test_stock_formula_hand_worked():
    c = stock_tc(10, 80, 0.307, 1.634, 0.246, 0.520)
    assert c == pytest.approx(10 * 80 * 0.307 * 1.634 * 1.246 * 0.520)
    assert c == pytest.approx(260.02, abs=0.01)
    assert c * 44 / 12 == pytest.approx(953.40, abs=0.01)


def test_sink_by_stock_difference_and_cover():
    a = pd.DataFrame({"year": [2019, 2019], "township": ["甲", "乙"], "stock_tco2": [100.0, 50.0]})
    b = pd.DataFrame({"year": [2024, 2024, 2024], "township": ["甲", "乙", "丙"], "stock_tco2": [150.0, 40.0, 5.0]})
    t = sink_by_difference(a, b, ["township"]).set_index("township")["sink_tco2_per_year"]
    assert t.to_dict() == {"丙": 1.0, "乙": -2.0, "甲": 10.0}
    assert forest_cover(381_150, 4950) == pytest.approx(77.0)


def test_ledger_two_inventories(ref):
    res = ledger([DATA / "parcels_2024.csv", DATA / "parcels_2019.csv"], ref)
    first, second = res["inventories"]
    assert (first["year"], second["year"], second["parcels"]) == (2019, 2024, 4)
    fir = 10 * 80 * 0.307 * 1.634 * 1.246 * 0.520 * 44 / 12
    pine = 5 * 120 * 0.380 * 1.472 * 1.187 * 0.460 * 44 / 12
    mixed = 20 * 100 * 0.482 * 1.514 * 1.262 * 0.490 * 44 / 12
    assert first["stock_tco2"] == pytest.approx(fir + pine + mixed)
    by_town = {x["township"]: x["stock_tco2"] for x in first["by_township"]}
    assert by_town["东坪镇"] == pytest.approx(fir + pine)
    sink = res["sink"]
    assert sink["total_tco2_per_year"] == pytest.approx((second["stock_tco2"] - first["stock_tco2"]) / 5)
    assert sum(x["sink_tco2_per_year"] for x in sink["by_species"]) == pytest.approx(sink["total_tco2_per_year"])
    assert res["unverified_factors"] == 12 and all(f["status"] == "unverified" for f in res["factors"])


@pytest.mark.parametrize("body,expected", [
    ("2019,东坪镇,村,001,乔木林地,杉木,人工,中龄林,-10,80\n", ("input.negative", 2, "area_ha")),
    ("2019,东坪镇,村,001,乔木林地,银杏,人工,中龄林,10,80\n", ("input.no_factor", 2, "species_group")),
    ("2019,东坪镇,村,001,乔木林地,杉木,人工,中龄林,十,80\n", ("input.not_a_number", 2, "area_ha")),
    ("2019,东坪镇,村,001,乔木林地,杉木,人工,中龄林,10,80\n2019,东坪镇,村,001,乔木林地,杉木,人工,中龄林,10,80\n",
     ("input.duplicate_row", 3, "parcel")),
])
def test_bad_parcel_rows_are_named(ref, tmp_path, body, expected):
    p = tmp_path / "bad.csv"
    p.write_text("年份,乡镇,村,小班号,地类,优势树种组,起源,龄组,面积,每公顷蓄积\n" + body, encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        ledger([p], ref)
    assert (e.value.issues[0].code, e.value.issues[0].row, e.value.issues[0].column) == expected


def test_cli_sinks_ledger():
    from typer.testing import CliRunner

    from carbonpeak.cli.main import app

    res = CliRunner().invoke(app, ["sinks", "ledger", str(DATA / "parcels_2019.csv"), str(DATA / "parcels_2024.csv"),
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    assert '"total_tco2_per_year"' in res.stdout


def test_stored_ledger_from_imports(platform):
    from carbonpeak.services.imports import import_file
    from carbonpeak.services.sinks import stored_ledger

    for f in ("parcels_2019.csv", "parcels_2024.csv"):
        assert import_file(platform, DATA / f, "test").kind == "parcels"
    again = import_file(platform, DATA / "parcels_2024.csv", "test")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    led = stored_ledger(platform, land_area_km2=0.5)  # 50 ha of land
    direct = ledger([DATA / "parcels_2019.csv", DATA / "parcels_2024.csv"], platform.ref)
    assert led["sink"]["total_tco2_per_year"] == pytest.approx(direct["sink"]["total_tco2_per_year"])
    assert led["inventories"][1]["forest_area_ha"] == pytest.approx(39.0)
    assert led["inventories"][1]["forest_cover_pct"] == pytest.approx(78.0)


def test_sinks_api_and_page(demo_ro):
    from fastapi.testclient import TestClient

    from carbonpeak.web.app import create_app

    c = TestClient(create_app(demo_ro.settings, demo_ro))
    d = c.get("/api/sinks").json()
    assert d["years"] == [2019, 2024] and d["inventories"][1]["illustrative"] is True
    assert d["inventories"][0]["forest_cover_pct"] == pytest.approx(77.0, abs=0.05)
    assert d["sink"]["total_tco2_per_year"] > 0 and d["unverified_factors"] > 0
    html = c.get("/sinks").text
    assert "碳汇资源" in html and 'id="annual-sink"' in html


def test_net_emissions_in_overview_and_scenarios(demo_ro):
    from carbonpeak.services.scenarios import run_scenario
    from carbonpeak.services.views import overview

    ov = overview(demo_ro)
    head = {h["code"] + ":" + h["basis"]: h for h in ov.headline}
    net = head["net_emissions:territorial"]
    assert net["value"] == pytest.approx(net["inputs"]["co2_territorial_t"] - net["inputs"]["sink_tco2_per_year"])
    assert net["inputs"]["sink_period"] == [2019, 2024] and net["illustrative"] is True
    spec = SRC / "data" / "scenarios" / "anhua" / "policy.toml"
    r = run_scenario(demo_ro, spec, draws=200, seed=1)
    sink = net["inputs"]["sink_tco2_per_year"]
    assert r["net_emissions_t"]["p50"][-1] == pytest.approx(r["co2_territorial_t"]["p50"][-1] - sink)


def test_sink_projects_and_building_programmes(demo_ro):
    from fastapi.testclient import TestClient

    from carbonpeak.services import views
    from carbonpeak.services.views import building_programmes, sink_projects
    from carbonpeak.web.app import create_app

    sp = sink_projects(demo_ro)
    assert [t.id for t in sp.targets] == ["T21", "T22", "T23"]
    t21 = sp.targets[0]
    barometer = {t.id: t for t in views.overview(demo_ro, None).barometer.targets}
    assert t21.actual == barometer["T21"].actual and t21.illustrative is True  # the one barometer value
    p1101 = next(p for p in sp.projects if p.id == "P11-01")       # 大径材培育 5.0万亩
    assert p1101.area_ha == pytest.approx(50000 / 15)                # 15 亩 = 1 ha
    assert p1101.expected_sink_tco2_per_year == pytest.approx(p1101.area_ha * sp.sink_per_ha)
    bp = building_programmes(demo_ro)
    assert {"T36", "T37", "T39"} <= {t.id for t in bp.targets} and any(p.id == "P17-03" for p in bp.projects)
    c = TestClient(create_app(demo_ro.settings, demo_ro))
    assert 'id="sink-targets"' in c.get("/sinks").text and 'id="building-targets"' in c.get("/buildings").text


# --- growth-rate method, bamboo and tea gardens, county-set values -----------------------------------

def test_growth_and_area_methods_worked_by_hand():
    from carbonpeak.domain.sinks import area_carbon, sink_by_growth

    stocks = pd.DataFrame({"species_group": ["杉木", "杉木", "马尾松"], "age_class": ["幼龄林", "中龄林", "中龄林"],
                           "stock_tco2": [1000.0, 2000.0, 500.0]})
    rates = {("杉木", "幼龄林"): (0.08, "G1"), ("杉木", ""): (0.05, "G2")}
    g = sink_by_growth(stocks, rates)
    # 1000 × 0.08 (age-specific rate) = 80; 2000 × 0.05 (species rate) = 100; 马尾松 has no rate
    assert g["gain_tco2_per_year"].tolist()[:2] == pytest.approx([80.0, 100.0])
    assert np.isnan(g["gain_tco2_per_year"].iloc[2]) and g["growth_factor_id"].tolist() == ["G1", "G2", ""]
    parcels = pd.DataFrame({"land_type": ["竹林地", "茶园", "茶园"], "area_ha": [60.0, 20.0, 10.0]})
    params = {"竹林": {"stock_tc_per_ha": (30.0, "B1"), "removal_tco2_per_ha": (5.0, "B2"), "emission_tco2_per_ha": (0.0, "B3")},
              "茶园": {"stock_tc_per_ha": (10.0, "T1"), "removal_tco2_per_ha": (1.0, "T2"), "emission_tco2_per_ha": (1.5, "T3")}}
    a = area_carbon(parcels, params)
    # bamboo: 60 ha × 30 tC/ha × 44/12 = 6600 tCO2; net 60 × (5 − 0) = 300 tCO2/a
    assert a["stock_tco2"].iloc[0] == pytest.approx(6600.0) and a["net_tco2_per_year"].iloc[0] == pytest.approx(300.0)
    # tea: 20 × (1 − 1.5) = −10 tCO2/a, a source
    assert a["net_tco2_per_year"].iloc[1] == pytest.approx(-10.0) and a["factor_ids"].iloc[1] == "T1|T2|T3"
    b = area_carbon(parcels, {"竹林": params["竹林"]})
    assert np.isnan(b["net_tco2_per_year"].iloc[1]) and np.isnan(b["stock_tco2"].iloc[2])  # not estimated, not zero


def test_stored_ledger_uses_county_values_for_growth_bamboo_and_tea(platform, write_csv):
    from carbonpeak.services import factor_store, imports, sinks

    head = "年份,乡镇,村,小班号,地类,优势树种组,起源,龄组,面积,每公顷蓄积\n"
    for y, v, bamboo in ((2019, 80, 50), (2024, 100, 60)):
        imports.import_file(platform, write_csv(f"i{y}.csv", head + f"{y},东坪镇,村1,001,乔木林地,杉木,人工,中龄林,100,{v}\n"
                                                          f"{y},东坪镇,村1,002,竹林地,毛竹,人工,,{bamboo},\n"
                                                          f"{y},东坪镇,村1,003,茶园,茶,人工,,20,\n"), "test")
    before = sinks.stored_ledger(platform)
    assert not before["growth"]["available"]
    assert {c["class"]: c["net_tco2_per_year"] for c in before["inventories"][-1]["area_classes"]} == {"竹林": None, "茶园": None}
    assert before["sink"]["area_based_tco2_per_year"] is None and before["sink"]["area_not_estimated"] == ["竹林", "茶园"]
    rows = [dict(kind="forest_growth", carrier="杉木", parameter="volume_growth_rate", value=0.05, unit="1"),
            dict(kind="area_sink", carrier="竹林", parameter="removal_tco2_per_ha", value=5, unit="tCO2/ha"),
            dict(kind="area_sink", carrier="竹林", parameter="emission_tco2_per_ha", value=0, unit="tCO2/ha"),
            dict(kind="area_sink", carrier="茶园", parameter="removal_tco2_per_ha", value=15, unit="tCO2/亩"),
            dict(kind="area_sink", carrier="茶园", parameter="emission_tco2_per_ha", value=1.5, unit="tCO2/ha")]
    factor_store.set_factors(platform, [{**r, "source_document": "县林业局测定（测试）", "status": "single_source"} for r in rows], "test")
    after = sinks.stored_ledger(platform)
    stock_2024 = after["inventories"][-1]["stock_tco2"]
    assert after["growth"]["total_tco2_per_year"] == pytest.approx(stock_2024 * 0.05)
    classes = {c["class"]: c for c in after["inventories"][-1]["area_classes"]}
    assert classes["竹林"]["net_tco2_per_year"] == pytest.approx(300.0) and classes["竹林"]["stock_tco2"] is None
    assert classes["竹林"]["missing_parameters"] == ["stock_tc_per_ha"]
    # 15 tCO2/亩 = 225 tCO2/ha: 20 × (225 − 1.5) = 4470
    assert classes["茶园"]["net_tco2_per_year"] == pytest.approx(4470.0)
    assert after["sink"]["area_based_tco2_per_year"] == pytest.approx(4770.0)
    assert {f["status"] for f in after["factors"] if f["id"].startswith("C-")} == {"single_source"}


def test_county_values_are_validated_audited_and_removable(platform):
    from carbonpeak.services import audit, factor_store
    from carbonpeak.services.errors import InputRejected, NotFound

    with pytest.raises(InputRejected) as e:
        factor_store.set_factors(platform, [dict(kind="building_quota", carrier="A类办公/党政机关办公建筑",
                                                 geography="夏热冬冷", parameter="constraint", value=60, unit="t",
                                                 source_document="县定额")], "test")
    assert e.value.issues[0].column == "unit"
    with pytest.raises(InputRejected):
        factor_store.set_factors(platform, [dict(kind="building_quota", carrier="x", geography="y", parameter="guide",
                                                 value=1, unit="kWh/m2", source_document="")], "test")
    with pytest.raises(InputRejected):
        factor_store.set_factors(platform, [dict(kind="nonsense", parameter="x", value=1, unit="1", source_document="d")], "test")
    assert factor_store.list_overrides(platform) == []
    row = dict(kind="building_quota", carrier="A类办公/党政机关办公建筑", geography="夏热冬冷", parameter="constraint",
               value=60, unit="kWh/m2", source_document="安化县公共建筑能耗定额（测试）", status="confirmed")
    factor_store.set_factors(platform, [row], "admin")
    factor_store.set_factors(platform, [{**row, "value": 65}], "admin")  # an update, not a second row
    stored = factor_store.list_overrides(platform)
    assert len(stored) == 1 and stored[0].value == 65  # a typed CountyFactor
    q = platform.ref.factors.of_kind("building_quota", "constraint")
    assert q[q["carrier"] == "A类办公/党政机关办公建筑"]["canonical"].tolist() == [65.0]
    trail = audit.history(platform, "factor_overrides")
    assert [t.action for t in trail] == ["update", "insert"] and trail[0].before["value"] == 60
    factor_store.remove_factor(platform, "building_quota", "A类办公/党政机关办公建筑", "夏热冬冷", None, "constraint", "admin")
    q = platform.ref.factors.of_kind("building_quota", "constraint")
    assert q[q["carrier"] == "A类办公/党政机关办公建筑"]["canonical"].tolist() == [70.0]  # the shipped lead again
    with pytest.raises(NotFound):
        factor_store.remove_factor(platform, "building_quota", "A类办公/党政机关办公建筑", "夏热冬冷", None, "constraint", "admin")
