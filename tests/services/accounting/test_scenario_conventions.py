"""The scenario's non-fossil share on the convention the inventory shows (发电煤耗计算法 by
default): hand-worked on a tiny base state, and on the demo, where its first year is the
inventory's figure of the same convention."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from carbonpeak.domain.conventions import CALORIFIC, EQUIVALENT
from carbonpeak.domain.projection import GROUPS, BaseState, Dist, Levers, project
from carbonpeak.services import scenarios
from carbonpeak.services.indicators import indicator_set


def tiny(coefficients: dict[int, float], convention: str = EQUIVALENT) -> BaseState:
    """600 tce coal + 400 tce electricity (当量值: 400 / 0.1229 kgce/kWh = 3 254 678.6 kWh),
    local generation 4 GWh hydro + 1 GWh thermal: a net exporter, 80 % of its electricity non-fossil."""
    energy = np.zeros((1, len(GROUPS)))
    energy[0, GROUPS.index("coal")], energy[0, GROUPS.index("electricity")] = 600.0, 400.0
    return BaseState(2024, ["industry"], energy, np.zeros(len(GROUPS)), np.zeros(1),
                     {"hydro": 4e6, "thermal": 1e6}, 0.5e-3, share_convention=convention,
                     share_kgce_per_kwh=coefficients)


FLAT = Levers(gdp_growth=Dist(0.0), intensity_change={"*": Dist(0.0)}, elasticity={"*": 1.0})


def test_share_on_the_coal_equivalent_method_by_hand():
    # 2024 at 0.300: electricity 3 254 678.6 kWh × 0.300 = 976.4036 tce, non-fossil 0.8 × that
    # = 781.1229 tce, total 600 + 976.4036 = 1 576.4036 tce → 49.5509 %.
    # 2025 at its own 0.280: 911.3100 tce, 729.0480 / 1 511.3100 → 48.2395 %; 2026, 2027 have no
    # coefficient: the last known year's (2025) 0.280 → 48.2395 %.
    p = project(tiny({2023: 0.31, 2024: 0.300, 2025: 0.280}), FLAT, 2027, draws=2, seed=0)
    assert p.share_convention == EQUIVALENT
    assert list(p.share_kgce_per_kwh) == [0.300, 0.280, 0.280, 0.280]
    assert p.nonfossil_share[0] == pytest.approx([49.550945, 48.239475, 48.239475, 48.239475], abs=1e-6)
    # the energy totals stay on the accounting's 当量值: 1 000 tce, of which 320 tce non-fossil
    assert p.energy[0] == pytest.approx([1000.0] * 4, rel=1e-12)
    assert p.nonfossil_energy[0] == pytest.approx([320.0] * 4, rel=1e-12)


def test_share_on_the_calorific_value_by_hand():
    p = project(tiny({}, CALORIFIC), FLAT, 2025, draws=1, seed=0)
    assert p.share_convention == CALORIFIC and list(p.share_kgce_per_kwh) == [0.1229, 0.1229]
    assert p.nonfossil_share[0] == pytest.approx([32.0, 32.0], rel=1e-12)  # 320 / 1 000


def test_base_year_without_a_coefficient_is_not_estimated():
    # as the inventory (NE in a year without 发电煤耗); later years take the last known (2023) one
    p = project(tiny({2023: 0.300}), FLAT, 2025, draws=1, seed=0)
    assert np.isnan(p.nonfossil_share[0, 0])
    assert p.nonfossil_share[0, 1] == pytest.approx(49.550945, abs=1e-6)


def test_demo_scenario_starts_at_the_inventorys_official_share(demo_ro):
    res = scenarios.run_scenario(demo_ro, scenarios.spec_path("policy"), draws=40, seed=3)
    official = indicator_set(demo_ro, scenarios.OPTIONS).get("nonfossil_share", 2024, "raw",
                                                                    convention=EQUIVALENT)
    assert round(res["nonfossil_share_pct"]["p50"][0], 2) == round(official.value, 2) == 54.48
    assert res["nonfossil_share_pct"]["p50"][0] == pytest.approx(official.value, rel=1e-12)
    fig = res["figures"]["nonfossil_share_pct"]
    assert fig["convention"] == EQUIVALENT and fig["value"] == official.value
    conv = res["nonfossil_share_convention"]
    assert conv["convention"] == EQUIVALENT and conv["kgce_per_kwh"][0] == 0.300
    assert "last known" in conv["rule"]["en"] and "最近已知年份" in conv["rule"]["zh"]
    checks = {c["id"]: c for c in res["target_checks"]}
    i = res["years"].index(2025)
    assert checks["T01"]["convention"] == EQUIVALENT
    assert checks["T01"]["median"] == pytest.approx(res["nonfossil_share_pct"]["p50"][i], rel=1e-12)
    # the energy series stays on the accounting's 当量值
    assert res["figures"]["energy_tce"]["convention"] == CALORIFIC


def test_intensity_still_excludes_non_fossil_energy_at_the_accountings_convention(demo_ro):
    base, meta = scenarios.base_state(demo_ro, "territorial")
    lv = FLAT
    official = project(base, lv, 2030, draws=1, seed=0)
    calorific = project(replace(base, share_convention=CALORIFIC, share_kgce_per_kwh={}), lv, 2030, 1, 0)
    assert calorific.nonfossil_share[0, 0] == pytest.approx(32.90, abs=0.005)  # the inventory's 当量值 share
    assert official.nonfossil_energy == pytest.approx(calorific.energy * calorific.nonfossil_share / 100.0, rel=1e-9)
    # the intensity (non-fossil energy excluded from 2024 on) is the same whichever convention the share is on
    assert np.allclose(scenarios.energy_intensity_change(official, meta),
                       scenarios.energy_intensity_change(calorific, meta), equal_nan=True)
