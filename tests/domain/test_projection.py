"""Scenario projection: analytic cases, reproducibility, convergence, peaks, measures, specs."""

from __future__ import annotations

import json
from statistics import NormalDist

import numpy as np
import pytest
from paths import SRC

from carbonpeak.domain.projection import GROUPS, Addition, BaseState, Dist, Levers, Switch, peaks, project

SCEN = SRC / "data" / "scenarios" / "anhua"


def base(coal=1000.0, elec=0.0, hydro=0.0, grid=0.5e-3) -> BaseState:
    energy = np.zeros((1, len(GROUPS)))
    energy[0, GROUPS.index("coal")] = coal
    energy[0, GROUPS.index("electricity")] = elec
    ef = np.zeros(len(GROUPS))
    ef[GROUPS.index("coal")] = 2.6
    return BaseState(2024, ["industry"], energy, ef, np.zeros(1), {"hydro": hydro}, grid)


def levers(**kw) -> Levers:
    d = dict(gdp_growth=Dist(0.0), intensity_change={"*": Dist(0.0)}, elasticity={"*": 1.0})
    d.update(kw)
    return Levers(**d)


def test_deterministic_growth_matches_the_formula():
    p = project(base(), levers(gdp_growth=Dist(0.05), intensity_change={"*": Dist(-0.03)},
                               elasticity={"*": 0.8}), 2030, draws=3, seed=1)
    t = np.arange(7)
    expected = 1000 * (1 + 0.8 * 0.05) ** t * (1 - 0.03) ** t
    assert p.energy[0] == pytest.approx(expected, rel=1e-12)
    assert p.co2_territorial[0] == pytest.approx(expected * 2.6, rel=1e-12)


def test_lognormal_factor_matches_its_analytic_quantiles():
    # CO2 = C0 · m with m lognormal, E[m] = 1, sd of log s: quantile q = C0 · exp(−s²/2 + z_q · s)
    s = 0.1
    p = project(base(), levers(ef_uncertainty=s), 2026, draws=40_000, seed=7)
    c0 = 2600.0
    for q in (0.1, 0.5, 0.9):
        analytic = c0 * np.exp(-s * s / 2 + NormalDist().inv_cdf(q) * s)
        assert np.quantile(p.co2_territorial[:, 1], q) == pytest.approx(analytic, rel=0.005)
    assert p.co2_territorial[:, 1].mean() == pytest.approx(c0, rel=0.005)


def test_seeded_and_reproducible():
    lv = levers(gdp_growth=Dist(0.05, 0.01), ef_uncertainty=0.05)
    a = project(base(), lv, 2035, 500, seed=42)
    b = project(base(), lv, 2035, 500, seed=42)
    c = project(base(), lv, 2035, 500, seed=43)
    assert np.array_equal(a.co2_territorial, b.co2_territorial)
    assert not np.array_equal(a.co2_territorial, c.co2_territorial)


def test_quantiles_converge_as_draws_grow():
    lv = levers(gdp_growth=Dist(0.05, 0.015), intensity_change={"*": Dist(-0.03, 0.01)}, ef_uncertainty=0.05)
    p50 = [np.median(project(base(), lv, 2035, n, seed=n).co2_territorial[:, -1]) for n in (5_000, 20_000, 80_000)]
    assert abs(p50[1] / p50[2] - 1) < 0.01 and abs(p50[0] / p50[2] - 1) < 0.02


def test_peak_detection_rules():
    years = np.arange(2024, 2030)
    series = np.array([
        [1.0, 3.0, 2.0, 1.5, 1.0, 0.9],     # clear peak in 2025
        [1.0, 2.0, 2.01, 1.9, 1.8, 1.7],    # a bump within 1 % does not move the peak from 2025
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],     # still rising: not peaked within the horizon
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],     # flat from the start: plateau reached in 2024
    ])
    pk = peaks(series, years, tolerance=0.01)
    assert list(pk.peak_year[:2]) == [2025, 2025] and np.isnan(pk.peak_year[2]) and pk.peak_year[3] == 2024
    assert pk.probability_by(2025) == 0.75
    hist = peaks(np.array([[5.0, 4.0, 3.0]]), np.arange(2024, 2027), 0.01, history={2021: 6.0, 2022: 5.5})
    assert hist.peak_year[0] == 2021  # the past counts


def test_the_baseline_reports_no_past_peak_while_every_percentile_rises(demo_ro):
    from carbonpeak.services.scenarios import run_scenario

    r = run_scenario(demo_ro, SCEN / "baseline.toml", draws=2000, seed=11)
    band = r["co2_territorial_t"]
    assert all(band[q][-1] > band[q][-2] > band[q][0] for q in ("p10", "p50", "p90"))  # rising to 2035
    assert r["peak_year"] == {"p10": None, "p50": None, "p90": None}          # no past year (was P10 = 2021)
    assert r["peak_year_text"]["zh"]["p10"] == "未达峰（至2035年仍上升）"
    assert r["peak_year_text"]["en"]["p50"] == "not peaked (still rising in 2035)"
    assert r["p_not_peaked"] > 0.9 and r["p_peak_by_2030"] <= 1 - r["p_not_peaked"] + 1e-12  # was 0.21
    assert r["peak_value_t"] is None and "1%" in r["peak_rule"]["zh"]


def test_fuel_switch_and_generation_move_results_the_right_way():
    lv = levers()
    switched = levers(switches=(Switch("煤改电", "coal", "electricity", 2026, 0.5, ratio=0.35),))
    a = project(base(), lv, 2030, 1, 0)
    b = project(base(), switched, 2030, 1, 0)
    assert b.co2_territorial[0, 2] == pytest.approx(2600 * 0.5)       # half the coal gone in 2026
    assert b.electricity_kwh[0, 2] == pytest.approx(500 * 0.35 * 1000 / 0.1229)
    assert (b.co2_with_electricity[0, 2:] > b.co2_territorial[0, 2:]).all()
    assert a.co2_territorial[0, 2] == pytest.approx(2600)
    pv = levers(additions=(Addition("P1", "pv", 1e5, 2027, Dist(1000)),))
    c = project(base(elec=100), pv, 2030, 1, 0)
    d = project(base(elec=100), lv, 2030, 1, 0)
    diff = d.co2_with_electricity[0] - c.co2_with_electricity[0]
    assert list(np.round(diff, 6)) == [0, 0, 0, pytest.approx(1e8 * 0.5e-3), pytest.approx(1e8 * 0.5e-3), pytest.approx(1e8 * 0.5e-3), pytest.approx(1e8 * 0.5e-3)]


# --- services and CLI on the demo ------------------------------------------------------------

@pytest.fixture
def demo(demo_platform):
    return demo_platform


def test_delaying_a_project_raises_emissions_with_electricity(demo, tmp_path):
    from carbonpeak.services.registry import update_project
    from carbonpeak.services.scenarios import run_scenario
    from carbonpeak.services.users import Principal

    spec = tmp_path / "policy_el.toml"
    spec.write_text(f'[scenario]\nparent = "{SCEN / "policy.toml"}"\nperspective = "with_electricity"\n', encoding="utf-8")
    before = run_scenario(demo, spec, draws=300, seed=5)
    assert any(p["id"] == "P04-14" and p["online"] == 2025 for p in before["projects"])
    update_project(demo, "P04-14", {"status": "delayed"}, Principal(1, "admin", "admin"))   # 清塘铺镇 20万千瓦
    delayed = run_scenario(demo, spec, draws=300, seed=5)
    i25, i27 = before["years"].index(2025), before["years"].index(2027)
    gain = 20e4 * 1000 * 0.4976e-3  # 20万千瓦 × 1000 h × the base grid factor, roughly
    for i in (i25, i25 + 1):
        assert delayed["co2_with_electricity_t"]["p50"][i] - before["co2_with_electricity_t"]["p50"][i] == pytest.approx(gain, rel=0.2)
    assert delayed["co2_with_electricity_t"]["p50"][i27] == pytest.approx(before["co2_with_electricity_t"]["p50"][i27], rel=1e-9)
    update_project(demo, "P04-14", {"status": "cancelled"}, Principal(1, "admin", "admin"))
    cancelled = run_scenario(demo, spec, draws=300, seed=5)
    assert cancelled["co2_with_electricity_t"]["p50"][-1] > before["co2_with_electricity_t"]["p50"][-1]
    assert all(p["id"] != "P04-14" for p in cancelled["projects"])


def test_policy_inherits_and_enhanced_peaks_earlier(demo_ro):
    from carbonpeak.services.scenarios import load_spec, run_scenario

    spec = load_spec(SCEN / "enhanced.toml")
    assert spec["scenario"]["lineage"] == ["baseline", "policy", "enhanced"]
    assert spec["drivers"]["gdp_growth"]["mean"] == 0.055                # from the baseline
    assert spec["energy"]["intensity_change"]["mean"] == -0.045           # its own
    assert spec["measures"]["registry"]["enabled"] is True                # from the policy
    runs = {n: run_scenario(demo_ro, SCEN / f"{n}.toml", draws=2000, seed=3) for n in ("baseline", "policy", "enhanced")}
    co2_2035 = [runs[n]["co2_territorial_t"]["p50"][-1] for n in ("baseline", "policy", "enhanced")]
    assert co2_2035[0] > co2_2035[1] > co2_2035[2]
    # the demo_ro's illustrative assumptions rise to 2035 in all three: few draws peak, fewer in the baseline
    assert runs["baseline"]["p_peak_by_2030"] < runs["enhanced"]["p_peak_by_2030"]
    assert runs["baseline"]["p_not_peaked"] > runs["enhanced"]["p_not_peaked"]
    assert runs["baseline"]["projects"] == [] and len(runs["policy"]["projects"]) > 10


def test_bad_specs_are_named(demo_ro, tmp_path):
    from carbonpeak.services.errors import InputRejected
    from carbonpeak.services.scenarios import run_scenario

    loop_a, loop_b = tmp_path / "a.toml", tmp_path / "b.toml"
    loop_a.write_text('[scenario]\nparent = "b.toml"\n')
    loop_b.write_text('[scenario]\nparent = "a.toml"\n')
    with pytest.raises(InputRejected) as e:
        run_scenario(demo_ro, loop_a)
    assert "circular" in e.value.messages("en")[0]
    bad = tmp_path / "bad.toml"
    bad.write_text('[drivers]\ngdp_growth = { mean = 0.05, sd = -1 }\n')
    with pytest.raises(InputRejected) as e:
        run_scenario(demo_ro, bad)
    assert e.value.issues[0].column == "drivers.gdp_growth"
    bad.write_text('[scenario]\nplateau_tolerance = -0.01\n')
    with pytest.raises(InputRejected) as e:
        run_scenario(demo_ro, bad)
    assert e.value.issues[0].column == "scenario.plateau_tolerance" and e.value.issues[0].file == "bad.toml"


def test_cli_json_and_iamc_export(demo, settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from carbonpeak.cli.main import app

    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    out = tmp_path / "policy.xlsx"
    res = CliRunner().invoke(app, ["scenario", "run", str(SCEN / "policy.toml"), "--draws", "1000", "--seed", "9",
                                   "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d["peak_year"]) == {"p10", "p50", "p90"} and 0 <= d["p_peak_by_2030"] <= 1 - d["p_not_peaked"] + 1e-12
    assert (d["peak_value_t"] is None) == (d["peak_year"]["p50"] is None)
    assert d["peak_rule"]["zh"].startswith("达峰判定") and d["peak_rule"]["en"].startswith("Peak rule")
    table = CliRunner().invoke(app, ["scenario", "run", str(SCEN / "baseline.toml"), "--draws", "500", "--seed", "9"])
    assert table.exit_code == 0, table.output
    assert "未达峰（至2035年仍上升）" in table.stdout and "至2035年未达峰概率" in table.stdout and "达峰判定" in table.stdout
    import pandas as pd
    iamc = pd.read_excel(out)
    assert list(iamc.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value",
                                  "illustrative", "proxy_factor"]  # the IAMC columns, then the flags (meta columns)
    assert {"Emissions|CO2|Territorial", "Emissions|CO2|Territorial|P10"} <= set(iamc["variable"])
    assert iamc["year"].between(2024, 2035).all()


def test_population_drivers():
    b = BaseState(2024, ["urban", "rural"], np.array([[100.0, 0, 0, 0, 0], [100.0, 0, 0, 0, 0]]),
                  np.array([2.6, 0, 0, 0, 0]), np.zeros(2), {}, 0.5e-3, population=1e6, urbanisation=0.4)
    lv = levers(driver={"urban": "urban", "rural": "rural"}, population_growth=Dist(0.0),
                urbanisation_change=Dist(1.0))  # +1 percentage point per year
    p = project(b, lv, 2026, 1, 0)
    assert p.energy_by_sector[0, 2, 0] == pytest.approx(100 * 0.42 / 0.40)
    assert p.energy_by_sector[0, 2, 1] == pytest.approx(100 * 0.58 / 0.60)


def test_scenario_outputs_are_consistent(demo_ro):
    from carbonpeak.services.scenarios import run_scenario

    r = run_scenario(demo_ro, SCEN / "policy.toml", draws=500, seed=2)
    checks = {c["id"]: c for c in r["target_checks"]}
    assert {"T01", "T02", "T04", "T12"} <= set(checks) and all(0 <= c["p_met"] <= 1 for c in checks.values())
    # the wedges (with the residual) add up exactly to the baseline-minus-policy gap, central values
    w = r["wedges"]
    gap = np.array(_central_series(demo_ro, "baseline")) - np.array(w["central"])
    assert np.sum(list(w["wedges"].values()), axis=0) == pytest.approx(gap, rel=1e-9, abs=1e-6)
    assert w["wedges"]["煤改电"][-1] > 0 and w["wedges"]["煤改气"][-1] > 0
    # LMDI effects sum to the change they decompose
    for part in ("history", "vs_parent"):
        eff = r["decomposition"][part]["effects"]
        assert eff["activity"] + eff["energy_intensity"] + eff["carbon_intensity"] == pytest.approx(eff["total"], rel=1e-9)
    hist = r["decomposition"]["history"]["effects"]["total"]
    assert hist == pytest.approx(_territorial(demo_ro, 2024) - _territorial(demo_ro, 2020), rel=1e-9)
    assert r["energy_intensity_change_vs_2020_pct"]["p50"][0] == pytest.approx(-25.55, abs=0.01)  # stored 2024 value


def _territorial(platform, year):
    from carbonpeak.domain.accounting import AccountingOptions
    from carbonpeak.services.indicators import inventory_report
    return inventory_report(platform, year, AccountingOptions(electricity_fallback="nearest")).as_dict(with_lines=False)["totals"]["co2_territorial_t"]


def _central_series(platform, name):
    from carbonpeak.services.scenarios import _central, base_state, levers_from_spec, load_spec, registry_measures
    spec = load_spec(SCEN / f"{name}.toml")
    b, _ = base_state(platform, "territorial", spec)
    adds, dems, _, onl = registry_measures(platform, spec, b.year)
    return project(b, _central(levers_from_spec(spec, adds, name, dems, onl)), 2035, 1, 0).co2_territorial[0]


def test_demands_add_energy_and_savings_accumulate():
    from carbonpeak.domain.projection import Demand

    lv = levers(demands=(Demand("boiler", "central_heating", "industry", "coal", Dist(100.0), 2026),
                         Demand("retrofit", "building_retrofit", "industry", "coal", Dist(-10.0), 2026, cumulative=True)))
    p = project(base(), lv, 2029, 1, 0)
    assert list(p.energy[0]) == pytest.approx([1000, 1000, 1090, 1080, 1070, 1060])
    assert p.co2_by_sector[0, :, 0] == pytest.approx(p.co2_territorial[0])


def test_registry_project_types_enter_as_the_spec_says(demo):
    from carbonpeak.services.registry import update_project
    from carbonpeak.services.scenarios import load_spec, registry_measures, run_scenario
    from carbonpeak.services.users import Principal

    spec = load_spec(SCEN / "policy.toml")
    adds, dems, used, onlines = registry_measures(demo, spec, 2024)
    by_id = {d.name: d for d in dems}
    assert onlines["P04-29"] == 2029 and onlines["P05-01"] == 2026          # per-project overrides
    ps = by_id["P04-29"]   # 240万千瓦 pumped storage, 1200 h, 75 %: net use 2.4e6 kW × 1200 h × (1/0.75 − 1)
    assert ps.group == "electricity" and ps.amount.mean == pytest.approx(2.4e6 * 1200 * (1 / 0.75 - 1) * 0.1229 / 1000)
    # 专栏13: 2 × 35 t/h operate; the 25 t/h chain-grate boiler is standby and not counted
    assert by_id["P13-01"].amount.mean == pytest.approx(70 * 300) and by_id["P13-01"].online == 2028
    assert by_id["P17-03"].amount.mean == pytest.approx(-50 * 30) and by_id["P17-03"].cumulative
    r = run_scenario(demo, SCEN / "policy.toml", draws=200, seed=1)
    assert "煤改气" in r["wedges"]["wedges"] and "方案项目 central_heating" in r["wedges"]["wedges"]
    assert r["wedges"]["wedges"]["方案项目 central_heating"][-1] < 0  # new boilers add emissions
    update_project(demo, "P05-01", {"status": "cancelled"}, Principal(1, "admin", "admin"))
    r2 = run_scenario(demo, SCEN / "policy.toml", draws=200, seed=1)
    assert "煤改气" not in r2["wedges"]["wedges"]                     # no pipeline, no coal-to-gas
