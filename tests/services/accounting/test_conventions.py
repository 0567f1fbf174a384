"""Indicator conventions (#12 items 3 and 5): the non-fossil share on the official basis
(发电煤耗计算法) beside 当量值, and the assessment basis on versioned rule sets.

Hand-worked from the demo data (src/carbonpeak/data/demo/anhua_activity.csv); per year:

| year | electricity [kWh] | energy without electricity [tce] | constant-price GDP [10⁴ yuan] |
|---|---|---|---|
| 2020 | 1 184 000 000 | 372 767.32    | 2 400 000 |
| 2021 | 1 244 270 000 | 376 736.513   | 2 580 000 (× 1.075) |
| 2022 | 1 267 160 000 | 357 752.64946 | 2 709 000 (× 1.050) |
| 2023 | 1 320 320 000 | 350 873.41384 | 2 839 032 (× 1.048) |
| 2024 | 1 369 980 000 | 343 389.67602 | 2 969 627.472 (× 1.046) |

(electricity = Σ of the 电力 rows in 万kWh × 10⁴; energy without electricity = Σ of the fossil
rows, quantity × GB/T 2589 coefficient: t × kgce/kg, or m³ × kgce/m³ / 1000 for 天然气 at 1.33.
Anhua generates more than it consumes, all of it hydro, wind, solar, biomass, so consumed
electricity is all non-fossil and no other carrier is.)

Official share = kWh × c / (other + kWh × c), c = 0.300 kgce/kWh (shipped lead PEC-Y):
2024: 410 994 / (343 389.67602 + 410 994) = 54.4808 %; 2020: 355 200 / 727 967.32 = 48.7934 %.
当量值 share, c = 0.1229: 2024: 168 370.542 / 511 760.21802 = 32.9003 %.
Assessment (rule ASSESS-2024: feedstock and non-fossil excluded, no feedstock in the demo): the
intensity is other / GDP in every year; 2024 vs 2020: (343 389.67602 / 2 969 627.472) /
(372 767.32 / 2 400 000) = 0.115634 / 0.155320 − 1 = −25.55 %.
"""

from __future__ import annotations

import pandas as pd
import pytest

from carbonpeak.domain.accounting import AccountingOptions, account, prepare_activity
from carbonpeak.domain.conventions import BUILTIN_RULES, CALORIFIC, EQUIVALENT, IndicatorConventions
from carbonpeak.domain.indicators import compute_indicators, stamped
from carbonpeak.refdata.rules import assessment_rule_rows, load_assessment_rules
from carbonpeak.services.conventions import indicator_conventions
from carbonpeak.services.demo import demo_file
from carbonpeak.services.platform import reference

COLUMNS = {"年份": "year", "地区": "region", "部门": "sector", "能源品种": "carrier", "数量": "quantity",
           "单位": "unit", "用途": "use"}


def _demo(ref):
    raw = pd.read_csv(demo_file("anhua_activity.csv"), dtype=str, keep_default_na=False)
    prepared, issues = prepare_activity(raw.rename(columns=COLUMNS)[list(COLUMNS.values())], "demo", ref.catalogue)
    assert not issues
    lines = account(prepared, ref.factors, ref.catalogue, AccountingOptions(electricity_fallback="nearest")).lines
    g = pd.read_csv(demo_file("anhua_gdp.csv"))
    gdp = pd.DataFrame({"year": g["年份"], "gdp_current": g["地区生产总值"] * 1e4, "index_prev": g["发展速度"]})
    return lines, gdp


def _by(values, code, basis, convention=None):
    return {v.year: v for v in values if v.code == code and v.basis == basis
            and (convention is None or v.convention == convention)}


def test_demo_nonfossil_share_on_the_official_basis_hand_worked(ref):
    lines, gdp = _demo(ref)
    values = compute_indicators(lines, gdp, 2020, conventions=indicator_conventions(ref.factors))
    official = _by(values, "nonfossil_share", "raw", EQUIVALENT)
    calorific = _by(values, "nonfossil_share", "raw", CALORIFIC)
    assert {y: round(v.value, 4) for y, v in official.items()} == {
        2020: 48.7934, 2021: 49.7696, 2022: 51.5175, 2023: 53.0271, 2024: 54.4808}
    assert {y: round(v.value, 4) for y, v in calorific.items()} == {
        2020: 28.0762, 2021: 28.8716, 2022: 30.3287, 2023: 31.6224, 2024: 32.9003}
    v24 = official[2024]
    assert v24.inputs["kgce_per_kwh"] == 0.3 and v24.inputs["coefficient_factor_id"] == "PEC-2024"
    assert v24.inputs["coefficient_status"] == "unverified"
    assert v24.inputs["nonfossil_tce"] == pytest.approx(410_994.0)
    assert v24.inputs["total_tce"] == pytest.approx(343_389.67602 + 410_994.0)
    assert "发电煤耗计算法" in v24.note and "当量值" in calorific[2024].note
    # the official one is given last, so a reader keyed by (code, year, basis) alone shows it
    shares = [v for v in values if v.code == "nonfossil_share" and v.year == 2024]
    assert [v.convention for v in shares] == [CALORIFIC, EQUIVALENT]


def test_stamping_keeps_the_convention_a_share_names(ref):
    lines, gdp = _demo(ref)
    values = stamped(compute_indicators(lines, gdp, 2020, conventions=indicator_conventions(ref.factors)),
                     2020, CALORIFIC)
    conventions = {v.convention for v in values if v.code == "nonfossil_share"}
    assert conventions == {CALORIFIC, EQUIVALENT}
    assert {v.convention for v in values if v.code == "energy_total"} == {CALORIFIC}


def test_demo_assessment_series_on_the_rule_of_the_assessment_year(ref):
    lines, gdp = _demo(ref)
    conv = indicator_conventions(ref.factors)
    series = _by(compute_indicators(lines, gdp, 2020, conventions=conv), "energy_intensity_change_vs_base",
                 "assessment")
    # assessed in 2024 (the latest year): every year on ASSESS-2024, the base year too; no jump
    assert {y: round(v.value, 2) for y, v in series.items()} == {
        2020: 0.0, 2021: -5.99, 2022: -14.97, 2023: -20.43, 2024: -25.55}
    assert {v.rule for v in series.values()} == {"ASSESS-2024"}
    assert series[2024].inputs["reference"] == pytest.approx(372_767.32 / 2_400_000)
    # the same series assessed in 2023: feedstock only (803号), none in the demo, so it is the raw
    # change; 2024 on that rule is −20.20 %: 5.35 points of the −25.55 % are the rule change
    s23 = _by(compute_indicators(lines, gdp, 2020, conventions=indicator_conventions(ref.factors, 2023)),
              "energy_intensity_change_vs_base", "assessment")
    assert {y: round(v.value, 2) for y, v in s23.items()} == {
        2020: 0.0, 2021: -4.93, 2022: -12.23, 2023: -16.3, 2024: -20.2}
    assert {v.rule for v in s23.values()} == {"ASSESS-14FYP"}
    energy = _by(compute_indicators(lines, gdp, 2020, conventions=conv), "energy_total", "assessment")
    assert energy[2021].rule == "ASSESS-2024" and "扣除原料用能、非化石能源" in energy[2021].note


def test_shipped_rule_table_is_the_builtin_rule_book_and_cites_its_documents():
    assert load_assessment_rules() == BUILTIN_RULES
    rows = assessment_rule_rows()
    assert all(r["source_document"] and r["status"] and r["unit"] == "flag" for r in rows)
    docs = " ".join(r["source_document"] for r in rows)
    assert "发改环资〔2022〕803号" in docs and "发改环资〔2024〕113号" in docs and "发改运行〔2022〕1258号" in docs
    book = load_assessment_rules()
    assert book.for_year(2020).rule_id == "ASSESS-13FYP" and book.for_year(2023).rule_id == "ASSESS-14FYP"
    assert book.for_year(2030).rule_id == "ASSESS-2024"
    assert (book.for_year(2022).deduct_feedstock, book.for_year(2022).exclude_nonfossil) == (True, False)


def test_a_factor_set_year_value_replaces_the_lead(write_csv):
    """A county's 2024 发电煤耗 of 0.290 kgce/kWh: 1 369 980 000 × 0.290 / 1000 = 397 294.2 tce;
    share = 397 294.2 / (343 389.67602 + 397 294.2) = 53.6388 %; 2023 keeps the lead (53.0271 %)."""
    own = write_csv("pec.csv", "kind,carrier,geography,year,parameter,value,unit,source_document,status\n"
                               "primary_electricity_coal,电力,全国,2024,coal_rate,0.29,kgce/kWh,county bulletin,confirmed\n")
    mine = reference(own)
    lines, gdp = _demo(mine)
    official = _by(compute_indicators(lines, gdp, 2020, conventions=indicator_conventions(mine.factors)),
                   "nonfossil_share", "raw", EQUIVALENT)
    assert round(official[2024].value, 4) == 53.6388 and official[2024].inputs["coefficient_status"] == "confirmed"
    assert round(official[2023].value, 4) == 53.0271


def test_equivalent_accounting_takes_the_year_coal_rate(ref, write_csv):
    """等价值 in the accounting engine: 100万 kWh in 2022 at that year's 发电煤耗 (a factor set:
    0.28 kgce/kWh) = 280 tce, not the year-less lead SC-101 (0.300 → 300 tce)."""
    own = write_csv("pec.csv", "kind,carrier,geography,year,parameter,value,unit,source_document\n"
                               "primary_electricity_coal,电力,全国,2022,coal_rate,0.28,kgce/kWh,yearbook\n")
    mine = reference(own)
    df = pd.DataFrame([("2022", "X", "工业", "电力", "100", "万kWh", "燃料")],
                      columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    prepared, _ = prepare_activity(df, "t", mine.catalogue)
    res = account(prepared, mine.factors, mine.catalogue, AccountingOptions(electricity_convention="equivalent"))
    assert res.lines.iloc[0]["energy_tce"] == pytest.approx(280.0)
    assert "SC-101" not in res.lines.iloc[0]["factor_ids"]


def test_year_without_a_coal_rate_has_no_official_share(ref):
    df = pd.DataFrame([("2019", "X", "工业", "电力", "100", "万kWh", "燃料"),
                       ("2019", "X", "电力生产", "水力发电", "200", "万kWh", "")],
                      columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    prepared, _ = prepare_activity(df, "t", ref.catalogue)
    lines = account(prepared, ref.factors, ref.catalogue, AccountingOptions(electricity_fallback="nearest")).lines
    values = compute_indicators(lines, pd.DataFrame(), 2019, conventions=IndicatorConventions())
    official = _by(values, "nonfossil_share", "raw", EQUIVALENT)[2019]
    assert official.value is None and "no 发电煤耗 coefficient for 2019" in official.note
    assert _by(values, "nonfossil_share", "raw", CALORIFIC)[2019].value == pytest.approx(100.0)
