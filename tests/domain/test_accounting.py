"""Accounting engine: literal values worked by hand from the cited tables, and properties.

Hand-worked values (factors from src/carbonpeak/refdata/tables):
  柴油 100 t:  energy 100 000 kg × 1.4571 kgce/kg = 145.71 tce  (GB/T 2589-2020 表A.1)
              CO2 100 × 42.652 GJ/t × 0.0202 tC/GJ × 0.98 × 44/12 = 309.590964 t (GB/T 32150-2015 表A.1)
  原煤 1000 t: energy 714.3 tce; CO2 1000 × 20.908 × 0.02618 × 0.93 × 44/12 = 1866.536610 t
  天然气 10 万m³: energy 100 000 m³ × 1.33 kgce/m³ = 133 tce;
              CO2 10 × 389.31 GJ/万m³ × 0.01532 × 0.99 × 44/12 = 216.501520 t
  电力 100 万kWh, 2022, 湖南: energy 1e6 × 0.1229 kgce = 122.9 tce; CO2 1e6 × 0.4900 kg = 490 t
              (MEE/NBS 公告2024年第33号)
  水泥熟料 1 万吨: CO2 10 000 × 0.535 = 5 350 t, no energy
  水力发电 1 亿kWh, 2023: electricity term −1e8 × 0.4976 kg = −49 760 t
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.domain.accounting import AccountingOptions, account, inventory, prepare_activity, totals

HAND = [
    # year, region, sector, carrier, quantity, unit, energy_tce, co2_direct, co2_electricity
    ("2022", "安化县", "交通运输", "柴油", "100", "t", 145.71, 309.590964, 0.0),
    ("2022", "安化县", "工业", "原煤", "1000", "吨", 714.3, 1866.536610, 0.0),
    ("2022", "安化县", "居民", "天然气", "10", "万m³", 133.0, 216.501520, 0.0),
    ("2022", "安化县", "工业", "电力", "100", "万kWh", 122.9, 0.0, 490.0),
    ("2022", "安化县", "工业", "水泥熟料", "1", "万吨", 0.0, 5350.0, 0.0),
    ("2023", "安化县", "电力生产", "水力发电", "1", "亿kWh", 0.0, 0.0, -49760.0),
]


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame([r[:6] for r in rows], columns=["year", "region", "sector", "carrier", "quantity", "unit"])


GRID = "湖南"  # 安化县's province: the engine has no default grid, the policy names it (test_accounting_policy.py)


def run(ref, rows, options=None):
    df, issues = prepare_activity(frame(rows), "t.csv", ref.catalogue)
    assert issues == []
    return account(df, ref.factors, ref.catalogue, dataclasses.replace(options or AccountingOptions(), grid=GRID))


@pytest.mark.parametrize("row", HAND, ids=[r[3] for r in HAND])
def test_hand_worked_line(ref, row):
    res = run(ref, [row])
    assert res.issues == []
    line = res.lines.iloc[0]
    assert line["energy_tce"] == pytest.approx(row[6], rel=1e-9, abs=1e-9)
    assert line["co2_direct_t"] == pytest.approx(row[7], rel=1e-8, abs=1e-9)
    assert line["co2_electricity_t"] == pytest.approx(row[8], rel=1e-9, abs=1e-9)


def test_totals_and_perspectives(ref):
    res = run(ref, HAND)
    t = totals(res.lines)
    direct = sum(r[7] for r in HAND)
    elec = sum(r[8] for r in HAND)
    assert t["energy_tce"] == pytest.approx(sum(r[6] for r in HAND))
    assert t["co2_territorial_t"] == pytest.approx(direct)
    assert t["co2_with_electricity_t"] == pytest.approx(direct + elec)
    assert t["co2_t"] == t["co2_with_electricity_t"]


def test_every_line_names_its_factors(ref):
    res = run(ref, HAND)
    ids = list(res.lines["factor_ids"])
    assert ids[0] == "SC-009|FC-025|FC-026|FC-027"  # diesel: coefficient, LCV, carbon content, oxidation
    assert ids[3] == "SC-100|EL-006"  # electricity 当量值 + Hunan 2022 grid factor
    assert ids[4] == "PR-001"
    assert all(ids)


def test_region_selects_grid_geography(ref):
    res = run(ref, [("2021", "华中", "工业", "电力", "100", "万kWh")])
    assert res.lines.iloc[0]["co2_electricity_t"] == pytest.approx(535.4)
    assert "EL-002" in res.lines.iloc[0]["factor_ids"]


def test_equivalent_convention_is_flagged_unverified(ref):
    res = run(ref, [("2022", "安化县", "工业", "电力", "100", "万kWh")],
              AccountingOptions(electricity_convention="equivalent"))
    assert res.lines.iloc[0]["energy_tce"] == pytest.approx(300.0)
    # 等价值 takes the year's 火电发电标准煤耗 (a lead, unverified), not the year-less SC-101
    assert any(f.code == "factor.unverified" and f.params["factor_id"] == "PEC-2022" for f in res.findings)


def test_year_without_grid_factor_is_an_error_by_default(ref):
    df, _ = prepare_activity(frame([("2024", "安化县", "工业", "电力", "1", "万kWh")]), "t.csv", ref.catalogue)
    res = account(df, ref.factors, ref.catalogue, AccountingOptions(grid=GRID), file="t.csv")
    assert [(i.code, i.row, i.column) for i in res.issues] == [("input.no_factor", 2, "year")]
    assert "湖南 2024" in res.issues[0].message("zh")


def test_nearest_fallback_uses_proxy_year_and_says_so(ref):
    df, _ = prepare_activity(frame([("2024", "安化县", "工业", "电力", "1", "万kWh")]), "t.csv", ref.catalogue)
    res = account(df, ref.factors, ref.catalogue, AccountingOptions(electricity_fallback="nearest", grid=GRID))
    assert res.issues == []
    assert res.lines.iloc[0]["co2_electricity_t"] == pytest.approx(10000 * 0.4976 / 1000)
    (f,) = [f for f in res.findings if f.code == "factor.electricity.proxy_year"]
    assert f.params == {"year": 2024, "geography": "湖南", "proxy_year": 2023, "factor_id": "EL-009"}


def test_inventory_by_sector_sums_to_totals(ref):
    res = run(ref, HAND)
    inv = inventory(res.lines, ["sector"])
    assert inv["co2_t"].sum() == pytest.approx(totals(res.lines)["co2_t"])
    assert set(inv["sector"]) == {r[2] for r in HAND}


# --- properties ------------------------------------------------------------------------------
CARRIERS = [("柴油", "t"), ("原煤", "吨"), ("天然气", "万m3"), ("电力", "万kWh"), ("水泥熟料", "t"), ("汽油", "t"),
            ("液化石油气", "t"), ("焦炭", "t"), ("水力发电", "万kWh")]
row_st = st.tuples(st.sampled_from(["2021", "2022", "2023"]), st.sampled_from(CARRIERS),
                   st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False))


def _rows(draw_rows):
    out = []
    for i, (y, (c, u), q) in enumerate(draw_rows):
        out.append((y, "安化县", f"s{i}", c, repr(q), u))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(row_st, min_size=1, max_size=25))
def test_sector_sums_equal_totals(ref, draw):
    res = run(ref, _rows(draw))
    inv = inventory(res.lines, ["sector", "carrier"])
    t = totals(res.lines)
    assert inv["energy_tce"].sum() == pytest.approx(t["energy_tce"], rel=1e-9, abs=1e-6)
    assert inv["co2_t"].sum() == pytest.approx(t["co2_t"], rel=1e-9, abs=1e-6)
    assert (res.lines["co2_t"] - res.lines["co2_direct_t"] - res.lines["co2_electricity_t"]).abs().max() < 1e-6


@settings(max_examples=60, deadline=None)
@given(st.lists(row_st, min_size=1, max_size=10), st.floats(min_value=0.001, max_value=1000))
def test_scaling_activity_scales_results(ref, draw, k):
    base = run(ref, _rows(draw)).lines
    scaled_rows = [(y, r, s, c, repr(float(q) * k), u) for (y, r, s, c, q, u) in _rows(draw)]
    scaled = run(ref, scaled_rows).lines
    for col in ("energy_tce", "co2_direct_t", "co2_electricity_t"):
        assert scaled[col].to_numpy() == pytest.approx(base[col].to_numpy() * k, rel=1e-9, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.floats(min_value=0.0, max_value=1.0))
def test_splitting_a_row_is_additive(ref, q, frac):
    whole = run(ref, [("2022", "安化县", "a", "柴油", repr(q), "t")]).lines
    parts = run(ref, [("2022", "安化县", "a", "柴油", repr(q * frac), "t"),
                      ("2022", "安化县", "b", "柴油", repr(q * (1 - frac)), "t")]).lines
    assert parts["co2_t"].sum() == pytest.approx(whole["co2_t"].sum(), rel=1e-9, abs=1e-9)
    assert parts["energy_tce"].sum() == pytest.approx(whole["energy_tce"].sum(), rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_same_quantity_in_other_units_gives_same_result(ref, q):
    a = run(ref, [("2022", "安化县", "a", "柴油", repr(q), "万吨")]).lines
    b = run(ref, [("2022", "安化县", "a", "柴油", repr(q * 10000), "吨")]).lines
    assert a["co2_t"].iloc[0] == pytest.approx(b["co2_t"].iloc[0], rel=1e-9, abs=1e-9)


def test_one_proxy_finding_per_year_and_geography(ref):
    rows = [("2024", "安化县", "工业", "电力", "1", "万kWh"), ("2024", "安化县", "电力生产", "水力发电", "1", "万kWh"),
            ("2024", "安化县", "电力生产", "风力发电", "1", "万kWh")]
    res = run(ref, rows, AccountingOptions(electricity_fallback="nearest"))
    assert [f.params["year"] for f in res.findings if f.code == "factor.electricity.proxy_year"] == [2024]
