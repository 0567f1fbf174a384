"""Carbon dual control arithmetic, worked by hand (domain/carbon)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from carbonpeak.domain.carbon import (
    Benchmark,
    BudgetError,
    Level,
    ProjectInput,
    Rule,
    Verdict,
    back_test,
    budget_path,
    decompose_named,
    estimate_year,
    month_use,
    review,
    year_use,
)
from carbonpeak.domain.carbon.indicators import Basis, CarbonInputs, carbon_figure, milestones, period_change


def test_budget_path_geometric_intensity() -> None:
    # 100 t on 50 (10⁴ yuan): intensity 2.0; −19 % over 2 years → factor 0.9 a year; GDP +10 %, +10 %.
    p = budget_path(2025, 100.0, 50.0, [0.10, 0.10], 0.19)
    assert p.years == (2026, 2027)
    assert p.annual_factor == pytest.approx(0.9)
    assert p.intensity == pytest.approx((1.8, 1.62))
    assert p.gdp == pytest.approx((55.0, 60.5))
    assert p.budget_t == pytest.approx((99.0, 98.01))
    assert p.total_t == pytest.approx(197.01)


@pytest.mark.parametrize("args,code", [
    ((2025, 0.0, 50.0, [0.1], 0.1), "carbon.base_not_positive"),
    ((2025, 1.0, 50.0, [0.1], 1.0), "carbon.bad_reduction"),
    ((2025, 1.0, 50.0, [], 0.1), "carbon.bad_growth"),
])
def test_budget_path_refuses(args, code) -> None:
    with pytest.raises(BudgetError) as e:
        budget_path(*args)
    assert e.value.code == code


TOWNS = ["东坪镇", "梅城镇", "江南镇"]


def test_three_townships_each_rule() -> None:
    hist = [60.0, 30.0, 10.0]
    # historical share, 10 % reserve: 1000 × 0.9 × (0.6, 0.3, 0.1)
    d = decompose_named(2026, 1000.0, TOWNS, Rule.HISTORICAL_SHARE, 0.10, history=hist)
    assert [r.budget_t for r in d.rows] == pytest.approx([540.0, 270.0, 90.0])
    assert d.reserve_t == pytest.approx(100.0)
    assert sum(r.budget_t for r in d.rows) + d.reserve_t == pytest.approx(1000.0)
    # intensity benchmark: output × benchmark = (10×2, 20×1, 40×0.5) = (20, 20, 20) → equal thirds
    d = decompose_named(2026, 900.0, TOWNS, Rule.INTENSITY_BENCHMARK, history=hist,
                        output=[10, 20, 40], benchmark=[2.0, 1.0, 0.5])
    assert [r.budget_t for r in d.rows] == pytest.approx([300.0, 300.0, 300.0])
    # growth allowance: (60×1.0, 30×1.5, 10×2.5) = (60, 45, 25), Σ 130
    d = decompose_named(2026, 1300.0, TOWNS, Rule.GROWTH_ALLOWANCE, history=hist, growth=[0.0, 0.5, 1.5])
    assert [r.budget_t for r in d.rows] == pytest.approx([600.0, 450.0, 250.0])
    # entered shares
    d = decompose_named(2026, 100.0, TOWNS, Rule.ENTERED_SHARES, shares=[0.5, 0.25, 0.25])
    assert [r.budget_t for r in d.rows] == pytest.approx([50.0, 25.0, 25.0])


def test_decomposition_refusals() -> None:
    with pytest.raises(BudgetError) as e:
        decompose_named(2026, 100.0, TOWNS, Rule.ENTERED_SHARES, shares=[0.5, 0.25, 0.2])
    assert e.value.code == "carbon.shares_not_whole"
    with pytest.raises(BudgetError) as e:
        decompose_named(2026, 100.0, TOWNS, Rule.INTENSITY_BENCHMARK, history=[1, 1, 1])
    assert e.value.code == "carbon.rule_needs"
    with pytest.raises(BudgetError) as e:
        decompose_named(2026, 100.0, TOWNS, Rule.HISTORICAL_SHARE, history=[1, 1])
    assert e.value.code == "carbon.length_mismatch"
    with pytest.raises(BudgetError) as e:
        decompose_named(2026, 100.0, ["东坪镇", "东坪镇", "江南镇"], Rule.HISTORICAL_SHARE, history=[1, 1, 1])
    assert e.value.code == "carbon.duplicate_entity"
    with pytest.raises(BudgetError) as e:
        decompose_named(2026, 100.0, TOWNS, Rule.HISTORICAL_SHARE, 1.0, history=[1, 1, 1])
    assert e.value.code == "carbon.bad_reserve"


def test_budget_use_levels() -> None:
    assert year_use(2026, 85.0, 100.0).level is Level.GREEN
    assert year_use(2026, 95.0, 100.0).level is Level.YELLOW
    assert year_use(2026, 101.0, 100.0).level is Level.RED
    # 1200 t a year, even profile: 100 t due per month; 95 + 100 = 195 of 200 → yellow in February
    rows = month_use(2026, [95.0, 100.0, 150.0], 1200.0)
    assert [r.period for r in rows] == ["2026-01", "2026-02", "2026-03"]
    assert [r.budget_t for r in rows] == pytest.approx([100.0, 200.0, 300.0])
    assert [r.level for r in rows] == [Level.YELLOW, Level.YELLOW, Level.RED]
    # a winter-heavy profile moves the budget due early in the year
    rows = month_use(2026, [150.0], 1200.0, profile=[2] + [1] * 10 + [2])
    assert rows[0].budget_t == pytest.approx(1200.0 * 2 / 14)


def _series(ratio_by_year: list[float], sectors: int = 2) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    years = tuple(range(2020, 2020 + len(ratio_by_year)))
    rng = np.random.default_rng(7)
    elec = rng.uniform(50, 150, size=(len(years), sectors, 12))
    inv = np.stack([r * elec[i].sum(axis=-1) for i, r in enumerate(ratio_by_year)])
    return elec, inv, years


def test_back_test_known_error() -> None:
    # The ratio falls 5 % a year: estimating year y from y−1 overstates by 0.05 / 0.95 exactly.
    elec, inv, years = _series([1.0, 0.95, 0.95 ** 2, 0.95 ** 3])
    bt = back_test(elec, inv, years)
    assert bt.years == (2021, 2022, 2023)
    assert bt.ape == pytest.approx(np.full((3, 2), 0.05 / 0.95))
    assert bt.mape_total == pytest.approx(0.05 / 0.95)
    assert bt.band == pytest.approx(np.full(2, 0.05 / 0.95))


def test_back_test_skips_missing_inventory_and_vectorises() -> None:
    elec, inv, years = _series([1.0, 1.1, 1.0])
    inv[1] = np.nan  # 2021 has no inventory: 2022 is estimated from 2020, exactly
    bt = back_test(elec, inv, years)
    assert bt.years == (2022,)
    assert bt.mape_total == pytest.approx(0.0, abs=1e-12)
    both = back_test(np.stack([elec, elec]), np.stack([inv, inv]), years)  # two counties
    assert both.mape_total.shape == (2,)


def test_monthly_estimate_uses_latest_inventory() -> None:
    elec, inv, years = _series([2.0, 1.0, math.nan])
    inv[2] = np.nan  # the current year has no inventory yet
    est = estimate_year(elec, inv, years, 2022, months=3, band=0.04)
    assert est.calibration_year == 2021
    assert est.monthly_t.shape == (2, 3)
    assert est.total_t == pytest.approx(elec[2, :, :3].sum() * 1.0)
    assert est.band == 0.04


def test_project_review_verdicts() -> None:
    bench = Benchmark("kgce/t", benchmark=100.0, baseline=117.0, source="illustrative")
    good = ProjectInput("甲", "水泥熟料", 2027, annual_output=10_000, energy_tce=950, co2_t=2_000)
    r = review(good, bench, remaining_budget_t=1_000_000)
    assert r.unit_energy == pytest.approx(95.0) and r.verdict is Verdict.PASS
    assert r.share_of_remaining_budget == pytest.approx(0.002)
    mid = ProjectInput("乙", "水泥熟料", 2027, annual_output=10_000, energy_tce=1_100, co2_t=2_000)
    assert review(mid, bench, 1_000_000).verdict is Verdict.CONDITIONAL
    bad = ProjectInput("丙", "水泥熟料", 2027, annual_output=10_000, energy_tce=1_200, co2_t=2_000)
    assert review(bad, bench, 1_000_000).verdict is Verdict.REFUSE
    big = ProjectInput("丁", "水泥熟料", 2027, annual_output=10_000, energy_tce=950, co2_t=100_000)
    r = review(big, bench, 1_000_000)
    assert r.verdict is Verdict.CONDITIONAL and "carbon.review.large_share" in [x.code for x in r.reasons]
    assert review(big, bench, 50_000).verdict is Verdict.REFUSE
    assert review(good, None, None).verdict is Verdict.CONDITIONAL


def test_factor_bases_and_period() -> None:
    x20 = CarbonInputs(2020, direct_co2_t=1000.0, electricity_mwh=1000.0, green_certificate_mwh=200.0,
                       gdp_constant=100.0)
    avg = carbon_figure(x20, Basis.AVERAGE, 0.5)
    excl = carbon_figure(x20, Basis.EXCL_MARKET_NONFOSSIL, 0.6)
    assert avg.total_co2_t == pytest.approx(1500.0) and avg.intensity == pytest.approx(15.0)
    assert excl.electricity_co2_t == pytest.approx(480.0)  # (1000 − 200) × 0.6
    x25 = CarbonInputs(2025, 1000.0, 1000.0, 0.0, 125.0)
    ch = period_change(avg, carbon_figure(x25, Basis.AVERAGE, 0.5))
    assert ch.intensity_change == pytest.approx(12.0 / 15.0 - 1.0)
    with pytest.raises(ValueError):
        period_change(avg, excl)
    with pytest.raises(ValueError):
        carbon_figure(CarbonInputs(2020, 1.0, 10.0, 11.0, 1.0), Basis.AVERAGE, 0.5)


def test_milestones_constant_rate() -> None:
    m = milestones(2025, 1.0, 2027, 0.81)
    assert m == pytest.approx({2026: 0.9, 2027: 0.81})


def test_path_arrays_match_checked_path() -> None:
    from carbonpeak.domain.carbon.budget import path_arrays
    co2, gdp = np.array([100.0, 300.0]), np.array([50.0, 120.0])
    growth = np.array([[0.1, 0.1], [0.05, 0.06]])
    _, _, budgets = path_arrays(co2, gdp, growth, 0.19)
    for c in range(2):
        assert budgets[c] == pytest.approx(budget_path(2025, co2[c], gdp[c], growth[c], 0.19).budget_t)


def test_every_carbon_code_has_a_message_in_both_languages() -> None:
    import inspect

    from carbonpeak.domain import carbon
    from carbonpeak.domain.messages import known_codes, render
    src = "".join(inspect.getsource(m) for m in (carbon.budget, carbon.review))
    import re
    codes = set(re.findall(r'"(carbon\.[a-z_.]+)"', src))
    assert codes and codes <= known_codes()
    for c in codes:
        assert "{" not in render(c, {k: 1 for k in ("co2", "gdp", "value", "values", "rule", "fields", "total",
                                                     "entities", "field", "expected", "got", "industry", "unit",
                                                     "baseline", "benchmark", "remaining", "share", "limit")}, "zh")


def test_rules_in_force_per_year() -> None:
    from carbonpeak.refdata.carbon import basis_factors, rules_for
    assert rules_for(2027)["binding_indicator"].value == "carbon_intensity"
    assert "国办发〔2024〕39号" in rules_for(2027)["binding_indicator"].source_document
    assert rules_for(2023)["binding_indicator"].value == "energy_intensity"
    assert "carbon_budget" not in rules_for(2023)
    f = {(b.basis, b.year): b.t_per_mwh for b in basis_factors()}
    assert f[("excl_market_nonfossil", 2022)] == 0.5856 and f[("fossil", 2023)] == 0.8273
    assert ("excl_market_nonfossil", 2021) not in f  # not found: not estimated
