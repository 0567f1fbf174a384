"""Indicators: constant-price GDP, the Hunan change rule, non-fossil share, assessment basis."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonpeak.domain.accounting import AccountingOptions, account, prepare_activity
from carbonpeak.domain.indicators import compute_indicators, constant_price_gdp, hunan_change


def test_constant_price_chain():
    gdp = pd.DataFrame({"year": [2020, 2021, 2022], "gdp_current": [100.0, 115.0, 130.0],
                        "index_prev": [None, 107.0, 105.0]})
    c = constant_price_gdp(gdp, 2020)
    assert c[2020] == 100.0
    assert c[2021] == pytest.approx(107.0)
    assert c[2022] == pytest.approx(107.0 * 1.05)


def test_broken_chain_is_not_estimated():
    gdp = pd.DataFrame({"year": [2020, 2021, 2022], "gdp_current": [100.0, 115.0, 130.0],
                        "index_prev": [None, None, 105.0]})
    c = constant_price_gdp(gdp, 2020)
    assert c[2021] is None and c[2022] is None


def test_hunan_change_rounds_the_ratio_to_four_decimals():
    assert hunan_change(0.8555, 1.0) == -0.1445
    assert hunan_change(1.0 / 3.0, 0.5) == round(2 / 3 - 1, 4) == -0.3333


def _lines(ref, rows):
    df = pd.DataFrame(rows, columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    prepared, issues = prepare_activity(df, "t", ref.catalogue)
    assert not issues
    res = account(prepared, ref.factors, ref.catalogue, AccountingOptions(grid="湖南"))  # the policy names the grid
    assert not res.issues
    return res.lines


def test_indicators_hand_worked(ref):
    # 2021: diesel 1000 t (1457.1 tce), electricity 1e7 kWh (1229 tce), local hydro 2e7 kWh, feedstock coal 100 t
    # 2022: diesel 900 t, electricity 1e7 kWh, hydro 2e7 kWh
    rows = [("2021", "X", "交通", "柴油", "1000", "t", "燃料"), ("2021", "X", "工业", "电力", "1000", "万kWh", "燃料"),
            ("2021", "X", "电力生产", "水力发电", "2000", "万kWh", ""), ("2021", "X", "工业", "原煤", "100", "t", "原料"),
            ("2022", "X", "交通", "柴油", "900", "t", "燃料"), ("2022", "X", "工业", "电力", "1000", "万kWh", "燃料"),
            ("2022", "X", "电力生产", "水力发电", "2000", "万kWh", "")]
    gdp = pd.DataFrame({"year": [2021, 2022], "gdp_current": [10000.0, 11000.0], "index_prev": [None, 110.0]})
    ind = {(v.code, v.year, v.basis): v for v in compute_indicators(_lines(ref, rows), gdp, base_year=2021)}
    e21 = 1457.1 + 1229.0 + 71.43
    assert ind[("energy_total", 2021, "raw")].value == pytest.approx(e21)
    assert ind[("energy_total", 2021, "assessment")].value == pytest.approx(e21 - 71.43)  # feedstock deducted
    # net exporter: all consumed electricity is local hydro, so it is all non-fossil
    assert ind[("nonfossil_share", 2021, "raw")].value == pytest.approx(1229.0 / e21 * 100)
    assert ind[("renewable_share_local_generation", 2021, "")].value == pytest.approx(100.0)
    assert ind[("energy_intensity", 2021, "raw")].value == pytest.approx(e21 / 10000.0)
    e22 = 900 * 1.4571 + 1229.0
    i21, i22 = e21 / 10000.0, e22 / 11000.0
    assert ind[("energy_intensity_change_vs_base", 2022, "raw")].value == pytest.approx(round(i22 / i21 - 1, 4) * 100)
    # with electricity: the net export of 1e7 kWh is credited at the Hunan factor of the year
    d21 = 1000 * 42.652 * 0.0202 * 0.98 * 44 / 12  # the feedstock coal burns nothing (domain/feedstock.py)
    assert ind[("co2_total", 2021, "territorial")].value == pytest.approx(d21)
    assert ind[("co2_total", 2021, "with_electricity")].value == pytest.approx(d21 - 1e7 * 0.5138 / 1000)


def test_assessment_basis_excludes_nonfossil_from_2024(ref):
    from carbonpeak.domain.accounting import AccountingOptions
    rows = [("2023", "X", "交通", "柴油", "1000", "t", "燃料"), ("2023", "X", "工业", "电力", "1000", "万kWh", "燃料"),
            ("2023", "X", "电力生产", "水力发电", "2000", "万kWh", ""),
            ("2024", "X", "交通", "柴油", "1000", "t", "燃料"), ("2024", "X", "工业", "电力", "1000", "万kWh", "燃料"),
            ("2024", "X", "电力生产", "水力发电", "2000", "万kWh", "")]
    df = pd.DataFrame(rows, columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    prepared, _ = prepare_activity(df, "t", ref.catalogue)
    lines = account(prepared, ref.factors, ref.catalogue, AccountingOptions(electricity_fallback="nearest",
                                                                          grid="湖南")).lines
    gdp = pd.DataFrame({"year": [2023, 2024], "gdp_current": [10000.0, 10000.0], "index_prev": [None, 100.0]})
    ind = {(v.code, v.year, v.basis): v for v in compute_indicators(lines, gdp, base_year=2023)}
    # the series is assessed in 2024 (its latest year): 2023 too is on the 2024 rule
    assert ind[("energy_total", 2023, "assessment")].value == pytest.approx(1457.1)
    assert ind[("energy_total", 2024, "assessment")].value == pytest.approx(1457.1)
    # the base year is restated under the 2024 rules, so an unchanged economy shows no change
    assert ind[("energy_intensity_change_vs_base", 2024, "assessment")].value == pytest.approx(0.0)


def test_net_importer_without_grid_fraction_is_not_estimated(ref):
    rows = [("2022", "X", "工业", "电力", "1000", "万kWh", "燃料"), ("2022", "X", "交通", "柴油", "10", "t", "燃料")]
    ind = {(v.code, v.year, v.basis): v for v in compute_indicators(_lines(ref, rows), pd.DataFrame(), 2022)}
    v = ind[("nonfossil_share", 2022, "raw")]
    assert v.value is None and "net importer" in v.note
    assert ind[("energy_intensity", 2022, "raw")].value is None  # no GDP: NE, never zero


def test_yoy_on_assessment_basis_restates_the_previous_year(ref):
    from carbonpeak.domain.accounting import AccountingOptions
    rows = [(y, "X", s, c, q, u, "燃料" if c != "水力发电" else "") for y in ("2023", "2024")
            for s, c, q, u in (("交通", "柴油", "1000", "t"), ("工业", "电力", "1000", "万kWh"),
                               ("电力生产", "水力发电", "2000", "万kWh"))]
    df = pd.DataFrame(rows, columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    prepared, _ = prepare_activity(df, "t", ref.catalogue)
    lines = account(prepared, ref.factors, ref.catalogue, AccountingOptions(electricity_fallback="nearest",
                                                                          grid="湖南")).lines
    gdp = pd.DataFrame({"year": [2023, 2024], "gdp_current": [10000.0, 10000.0], "index_prev": [None, 100.0]})
    ind = {(v.code, v.year, v.basis): v for v in compute_indicators(lines, gdp, base_year=2023)}
    # same economy both years: 2023 restated under the 2024 rules gives no change
    assert ind[("energy_intensity_change_yoy", 2024, "assessment")].value == pytest.approx(0.0)


def test_change_of_a_negative_intensity_is_not_estimated(ref):
    # a net exporter of hydropower: with-electricity CO2 is negative, its change has no meaning
    rows = [(y, "X", s, c, q, u, "") for y in ("2021", "2022")
            for s, c, q, u in (("交通", "柴油", "10", "t"), ("电力生产", "水力发电", "10000", "万kWh"))]
    gdp = pd.DataFrame({"year": [2021, 2022], "gdp_current": [100.0, 100.0], "index_prev": [None, 100.0]})
    ind = {(v.code, v.year, v.basis): v for v in compute_indicators(_lines(ref, rows), gdp, base_year=2021)}
    assert ind[("co2_intensity", 2022, "with_electricity")].value < 0
    v = ind[("co2_intensity_change_vs_base", 2022, "with_electricity")]
    assert v.value is None and "non-positive" in v.note
    assert ind[("co2_intensity_change_vs_base", 2022, "territorial")].value == pytest.approx(0.0)
