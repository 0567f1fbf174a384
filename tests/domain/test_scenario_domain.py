"""Scenario mathematics in the pure domain (domain/scenarios.py) on hand-made inputs, the typed
spec (services/scenarios/specs.ScenarioSpec: parsing errors name the field), the parent's
central projection computed once, the typed result against the API schema, and the scenario
page: no server path, levers in percent, names in the reader's language."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from carbonpeak.domain import scenarios as model
from carbonpeak.domain.plan import Target
from carbonpeak.domain.projection import GROUPS, Addition, BaseState, Dist, Levers, Projection, Switch
from carbonpeak.services import scenarios
from carbonpeak.services.errors import InputRejected


def proj(years, **series) -> Projection:
    """A hand-made projection: the named [D, T] series, zeros elsewhere."""
    years = np.array(years)
    shape = series["energy"].shape
    zero = np.zeros(shape)
    fields = {"energy": zero, "co2_territorial": zero, "co2_with_electricity": zero, "electricity_kwh": zero,
              "generation_kwh": zero, "nonfossil_share": zero, "gdp_index": np.ones(shape),
              "energy_by_sector": np.zeros((*shape, 1)), "co2_by_sector": np.zeros((*shape, 1)),
              "renewable_share": zero, "nonfossil_energy": zero, "share_convention": "equivalent",
              "share_kgce_per_kwh": np.full(len(years), 0.3)}
    fields.update(series)
    return Projection(years, **fields)


# --- intensity, targets -----------------------------------------------------------------------

def test_intensity_change_by_hand():
    # 2023: 100 tce / (50 × 1.0) = 2.0 per GDP unit vs 2020's 80 / 40 = 2.0 → 0 %.
    # 2024 (non-fossil excluded): (110 − 20) / (50 × 1.1) = 1.636364 vs (80 − 8) / 40 = 1.8
    # → 0.909091 − 1 = −0.090909, rounded to 4 decimals −0.0909 → −9.09 %.
    p = proj([2023, 2024], energy=np.array([[100.0, 110.0]]), nonfossil_energy=np.array([[10.0, 20.0]]),
             gdp_index=np.array([[1.0, 1.1]]))
    change = model.intensity_change(p, model.IntensityBasis(50.0, 40.0, 80.0, 8.0))
    assert change[0] == pytest.approx([0.0, -9.09], abs=1e-12)
    start = model.intensity_change(p, model.IntensityBasis(50.0, 40.0, 80.0, 8.0, start=-5.0))
    assert start[0, 0] == -5.0 and start[0, 1] == pytest.approx(-9.09, abs=1e-12)  # the base year is data
    assert np.isnan(model.intensity_change(p, model.IntensityBasis(50.0, None, 80.0, 8.0))).all()


def test_target_checks_by_hand():
    share = np.array([[40.0, 48.0], [40.0, 52.0], [40.0, 60.0], [40.0, np.nan]])
    intensity = np.array([[0.0, -9.9], [0.0, -9.7], [0.0, -10.5], [0.0, -9.8]])
    p = proj([2023, 2024], energy=np.zeros((4, 2)), nonfossil_share=share)
    targets = [Target("T1", "非化石能源占比", "nonfossil_share", 50.0, "%", ">=", 2024),
               Target("T2", "能耗强度", "energy_intensity_change_vs_base", -10.0, "%", "~<=", 2024),
               Target("T3", "未来", "nonfossil_share", 50.0, "%", ">=", 2030),  # not projected: skipped
               Target("T4", "其他", "forest_cover", 70.0, "%", ">=", 2024)]  # not computed: skipped
    t1, t2 = model.target_checks(targets, p, intensity)
    # T1: 48, 52, 60, NaN → median 52; met by 52 and 60 of 4 draws (NaN never meets) → 0.5
    assert (t1.id, t1.median, t1.p_met, t1.convention) == ("T1", 52.0, 0.5, "equivalent")
    # T2 "about at most" −10: within 2 % (0.2): met when ≤ −9.8 → −9.9, −10.5, −9.8 → 0.75
    assert (t2.id, t2.p_met, t2.convention) == ("T2", 0.75, "") and t2.median == pytest.approx(-9.85)


# --- wedges -----------------------------------------------------------------------------------

def tiny() -> BaseState:
    """1 000 tce coal in one sector, coal 2.66 and gas 1.5 tCO2/tce, no electricity use, grid
    0.5 kgCO2/kWh: every kWh generated locally is exported and credited at the grid factor."""
    energy = np.zeros((1, len(GROUPS)))
    energy[0, GROUPS.index("coal")] = 1000.0
    ef = np.zeros(len(GROUPS))
    ef[GROUPS.index("coal")], ef[GROUPS.index("gas")] = 2.66, 1.5
    return BaseState(2024, ["industry"], energy, ef, np.zeros(1), {}, 0.5e-3)


def test_wedges_by_hand():
    # 煤改气 at rate 1 from 2025: 1 000 tce coal → 1 000 tce gas: 2 660 − 1 500 = 1 160 t a year.
    # 1 000 kW × 1 000 h = 1 GWh from 2025 at 0.5 kgCO2/kWh: 500 t a year with electricity.
    flat = Levers(gdp_growth=Dist(0.0), intensity_change={"*": Dist(0.0)}, elasticity={"*": 1.0})
    levers = replace(flat, switches=(Switch("煤改气", "coal", "gas", 2025, 1.0),),
                     additions=(Addition("P1", "pv", 1000.0, 2025, Dist(1000.0, 100.0)),))
    base = tiny()
    full = model.central_projection(base, levers, 2026)
    parent = model.central_projection(base, flat, 2026)
    w = model.wedges(base, levers, full, parent, 2026, "with_electricity")
    assert w.years == [2024, 2025, 2026]
    assert w.wedges["煤改气"] == pytest.approx([0.0, 1160.0, 1160.0], abs=1e-9)
    assert w.wedges["方案发电项目 registry generation"] == pytest.approx([0.0, 500.0, 500.0], abs=1e-9)
    assert w.wedges["其他（能效等）other incl. efficiency"] == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)
    assert w.central == pytest.approx([2660.0, 1500.0 - 500.0, 1000.0], abs=1e-9)
    assert w.labels["煤改气"] == {"zh": "煤改气", "en": "coal to gas"}
    assert w.labels["方案发电项目 registry generation"] == {"zh": "方案发电项目", "en": "plan generation projects"}
    # territorial: generation changes nothing
    t = model.wedges(base, levers, full, None, 2026, "territorial")
    assert t.wedges["方案发电项目 registry generation"] == [0.0, 0.0, 0.0] and "其他（能效等）other incl. efficiency" not in t.wedges


def test_central_levers_have_no_uncertainty():
    lv = Levers(gdp_growth=Dist(0.05, 0.01), intensity_change={"*": Dist(-0.03, 0.01, "lognormal")},
                elasticity={"*": 1.0}, ef_uncertainty=0.1, grid_factor_noise=0.2, hydro_variability=0.3)
    c = model.central(lv)
    assert c.gdp_growth == Dist(0.05, 0.0, "fixed") and c.intensity_change["*"] == Dist(-0.03, 0.0, "fixed")
    assert (c.ef_uncertainty, c.grid_factor_noise, c.hydro_variability) == (0.0, 0.0, 0.0)


# --- LMDI -------------------------------------------------------------------------------------

def test_sector_lmdi_by_hand():
    # one sector: GDP 100 → 110, energy 50 → 55 (intensity unchanged), CO2 100 → 121 (2 → 2.2 t/tce).
    # L(121, 100) = 21 / ln 1.21 and ln 1.21 = 2 ln 1.1: activity = carbon = 21 / 2 = 10.5, energy 0.
    # A second sector with energy in one state only (CO2 0 → 7) is not decomposed.
    eff = model.sector_lmdi(100.0, np.array([50.0, 0.0]), np.array([100.0, 0.0]),
                            110.0, np.array([55.0, 3.0]), np.array([121.0, 7.0]))
    assert eff["activity"] == pytest.approx(10.5, rel=1e-12)
    assert eff["carbon_intensity"] == pytest.approx(10.5, rel=1e-12)
    assert eff["energy_intensity"] == pytest.approx(0.0, abs=1e-9)
    assert (eff["total"], eff["not_decomposed"]) == (21.0, 7.0)


def test_history_decomposition_by_hand():
    lines = pd.DataFrame({"year": [2020, 2020, 2024], "sector": ["工业", "工业", "工业"],
                          "energy_tce": [20.0, 30.0, 55.0], "co2_direct_t": [40.0, 60.0, 121.0]})
    d = model.history_decomposition(lines, {2020: 100.0, 2024: 110.0})
    assert (d.from_year, d.to_year, d.unit) == (2020, 2024, "tCO2")
    assert d.effects["activity"] == pytest.approx(10.5, rel=1e-12) and d.effects["total"] == 21.0
    assert d.label == {"zh": "历史 2020→2024年", "en": "history 2020→2024"}
    assert model.history_decomposition(lines, {2020: 100.0}) is None  # no GDP for 2024


def test_gap_decomposition_names_the_parent_not_a_file():
    p = proj([2024, 2030], energy=np.zeros((1, 2)), gdp_index=np.array([[1.0, 1.1]]),
             energy_by_sector=np.array([[[50.0], [55.0]]]), co2_by_sector=np.array([[[100.0], [121.0]]]))
    c = proj([2024, 2030], energy=np.zeros((1, 2)), gdp_index=np.array([[1.0, 1.0]]),
             energy_by_sector=np.array([[[50.0], [50.0]]]), co2_by_sector=np.array([[[100.0], [100.0]]]))
    g = model.gap_decomposition(p, c, "基准情景 Baseline")
    assert (g.year, g.parent) == (2030, "基准情景 Baseline")
    assert g.effects["total"] == -21.0 and g.effects["activity"] == pytest.approx(-10.5, rel=1e-12)
    assert g.label == {"zh": "相对基准情景（2030年）", "en": "vs Baseline (2030)"}
    assert model.gap_decomposition(None, c, "x") is None and model.gap_decomposition(p, c, "x", 2024) is None


def test_split_name():
    assert model.split_name("方案情景 Policy") == {"zh": "方案情景", "en": "Policy"}
    assert model.split_name("煤改气") == {"zh": "煤改气", "en": "煤改气"}
    assert model.split_name("my scenario") == {"zh": "my scenario", "en": "my scenario"}


# --- the typed spec -------------------------------------------------------------------------------

@pytest.mark.parametrize("tables, field", [
    ({"scenario": {"perspective": "global"}}, "scenario.perspective"),
    ({"scenario": {"plateau_tolerance": 0.7}}, "scenario.plateau_tolerance"),
    ({"scenario": {"peak_window": 1}}, "scenario.peak_window"),
    ({"scenario": {"draws": "many"}}, "scenario.draws"),
    ({"scenario": {"seed": -1}}, "scenario.seed"),
    ({"scenario": {"horizon": 1999}}, "scenario.horizon"),
    ({"drivers": {"gdp_growth": {"mean": 0.05, "sd": -1}}}, "drivers.gdp_growth"),
    ({"energy": {"sectors": {"工业": {"driver": "weather"}}}}, "energy.sectors.工业.driver"),
    ({"measures": {"switching": [{"name": "x", "from": "coal", "to": "wood", "start": 2025, "rate": 0.1}]}},
     "measures.switching"),
])
def test_spec_errors_name_the_file_and_field(tables, field):
    with pytest.raises(InputRejected) as e:
        scenarios.parse_spec(tables, "mine", "mine.toml")
    issue = e.value.issues[0]
    assert (issue.file, issue.column) == ("mine.toml", field)


def test_spec_read_once_with_its_parent_and_edited_without_a_file(tmp_path):
    spec = scenarios.read_spec(scenarios.spec_path("policy"))
    assert (spec.id, spec.source, spec.lineage, spec.horizon) == ("policy", "policy.toml", ("baseline", "policy"), 2035)
    assert spec.parent.id == "baseline" and spec.parent.parent is None
    assert spec.title == {"zh": "方案情景", "en": "Policy"}
    edited = scenarios.edit_spec(spec, {"gdp_growth": 0.04, "switch_rates": {"煤改电": 0.2}})
    assert edited.parent is spec and edited.lineage == ("baseline", "policy", "edited")
    assert edited.tables["drivers"]["gdp_growth"] == {"mean": 0.04, "sd": 0.012}  # the parent's sd kept
    assert [w["rate"] for w in edited.tables["measures"]["switching"]] == [0.08, 0.2, 0.03]
    assert edited.tables["energy"] == spec.tables["energy"]  # unchanged levers: the parent's
    assert 'parent = "policy.toml"' in edited.toml and "/" not in edited.toml.split("parent = ")[1].split("\n")[0]
    assert edited.title == {"zh": "方案情景（调整）", "en": "Policy (edited)"}
    assert not list(tmp_path.iterdir())


def test_levers_in_percent_with_names():
    spec = scenarios.read_spec(scenarios.spec_path("policy"))
    zh = {lv.name: lv for lv in scenarios.editor_levers(spec, "zh")}
    assert zh["gdp_growth"].value == 0.055 and zh["gdp_growth"].percent == "5.5 %/年"
    assert zh["intensity_change"].percent == "-3.5 %/年" and zh["gdp_growth"].label == "GDP 年增速"
    assert zh["switch:煤改气"].label == "煤改气（煤炭→天然气，自2025年起）每年转换比例" and zh["switch:煤改气"].percent == "8.0 %/年"
    en = {lv.name: lv for lv in scenarios.editor_levers(spec, "en")}
    assert en["switch:煤改气"].label == "coal to gas (coal → natural gas, from 2025): share switched per year"
    assert en["grid_factor_change"].percent == "-1.5 % a year"
    assert scenarios.format_percent(-0.0001, "%") == "0.0 %"


# --- runs on the demo -------------------------------------------------------------------------

def test_parent_projection_computed_once_for_every_edit(demo_platform, monkeypatch):
    from carbonpeak.services.scenarios import run as run_module

    calls = []
    real = run_module._parent_projection

    def counted(platform, parent, base, horizon):
        calls.append(parent.id)
        return real(platform, parent, base, horizon)

    monkeypatch.setattr(run_module, "_parent_projection", counted)
    a = scenarios.run_child(demo_platform, "policy", {"gdp_growth": 0.05}, 100, 1)
    b = scenarios.run_child(demo_platform, "policy", {"gdp_growth": 0.07, "intensity_change": -0.05}, 100, 1)
    assert calls == ["policy"]
    # the cached parent gives what a fresh one gives: the residual wedge and gap as computed anew
    fresh = scenarios.run_child(demo_platform, "policy", {"gdp_growth": 0.07, "intensity_change": -0.05}, 100, 1)
    assert calls == ["policy"] and fresh.to_dict() == b.to_dict()
    for res in (a, b):
        doc = res.to_dict()
        assert doc["spec"] == "edited" and doc["lineage"] == ["baseline", "policy", "edited"]
        assert doc["decomposition"]["vs_parent"]["from"] == "方案情景 Policy"
        assert doc["decomposition"]["vs_parent"]["label"]["zh"] == "相对方案情景（2030年）"
        assert doc["lineage_names"][-1] == {"zh": "方案情景（调整）", "en": "Policy (edited)"}
        text = json.dumps(doc, ensure_ascii=False, default=str)
        assert str(scenarios.scenario_dir()) not in text and "/tmp" not in text
    assert a["peak_year"] == a.to_dict()["peak_year"]  # read by key: the document


def test_result_matches_the_api_schema(demo_ro):
    from carbonpeak.api.scenario_models import ScenarioResultOut

    res = scenarios.run_scenario(demo_ro, scenarios.read_spec(scenarios.spec_path("enhanced")), 100, 2)
    doc = json.loads(json.dumps(res.to_dict(), default=str))
    out = ScenarioResultOut.model_validate(doc)  # extra keys forbidden: the schema is the whole document
    assert set(out.model_dump(by_alias=True)) - {"spec_toml"} == set(doc) and "spec_toml" not in doc
    assert doc["spec"] == "enhanced.toml" and doc["decomposition"]["vs_parent"]["from"] == "方案情景 Policy"
    labels = doc["wedges"]["labels"]
    assert set(labels) == set(doc["wedges"]["wedges"])
    assert labels["方案项目 pumped_storage"] == {"zh": "方案项目：抽水蓄能", "en": "plan projects: pumped storage"}
    for name in labels.values():
        assert not re.search(r"[a-z_]", name["zh"]), name  # no code or English in the zh names
    assert doc["perspective_name"] == {"zh": "属地排放", "en": "territorial"}


def test_openapi_declares_the_scenario_schemas(sqlite_demo_ro):
    from carbonpeak.web.app import create_app

    client = TestClient(create_app(sqlite_demo_ro.settings, sqlite_demo_ro))
    listed = client.get("/api/scenarios").json()["scenarios"]
    assert [x["id"] for x in listed] == ["baseline", "policy", "enhanced"]
    assert listed[1] == {"id": "policy", "name": "方案情景 Policy", "lineage": ["baseline", "policy"],
                         "title": {"zh": "方案情景", "en": "Policy"}}
    api = client.get("/openapi.json").json()
    for path, method in (("/api/scenarios/{name}", "get"), ("/api/scenarios/{name}/edit", "post"),
                         ("/api/scenarios", "get")):
        schema = api["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema.get("$ref", "").startswith("#/components/schemas/Scenario"), (path, schema)
    props = api["components"]["schemas"]["GapDecompositionOut"]["properties"]
    assert "from" in props and "from_" not in props


# --- the page ---------------------------------------------------------------------------------

def _visible(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b[^>]*>.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


def test_scenario_page_no_path_percent_levers_and_zh_names(sqlite_demo_platform):
    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    create_user(sqlite_demo_platform, "zh_admin", "Xq7-anhua-black-tea", "admin", "test")
    c = TestClient(create_app(sqlite_demo_platform.settings, sqlite_demo_platform))
    c.cookies.set("lang", "zh")
    assert c.post("/api/auth/login", json={"username": "zh_admin", "password": "Xq7-anhua-black-tea"}).status_code == 200
    page = c.get("/scenarios?name=policy").text
    assert str(scenarios.scenario_dir()) not in page and ".toml" not in _visible(page)
    main = _visible(page.split('<div id="scenario"', 1)[1].split(">", 1)[1])
    assert "5.5 %/年" in main and "-3.5 %/年" in main and "8.0 %/年" in main
    assert "0.055" not in main and "0.080" not in main  # no raw fractions shown
    assert "GDP 年增速" in main and "煤改气（煤炭→天然气，自2025年起）" in main
    chips = _visible(page.split("<h1>", 1)[1].split("</h1>", 1)[0])
    assert "方案情景" in chips and "Policy" not in chips and "Baseline" not in chips
    words = {w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", main) if re.search(r"[a-z_]", w)}
    assert not words - {"CarbonPeak"}, words  # no code or English word in zh (the product's name)
    assert "吨二氧化碳" in main and "下载 IAMC 格式数据（CSV）" in main
    c.cookies.set("lang", "en")
    en = _visible(c.get("/scenarios?name=policy").text)
    assert "GDP growth" in en and "5.5 % a year" in en and "coal to gas" in en
