"""Reference data and the accounting rules they feed (issue #12 item 7).

Hand-worked from the shipped tables (refdata/tables):
* 天然气 standard coal: 1.3300 kgce/m³ (GB/T 2589-2008 油田天然气, SC-012 in GBT2589-2020.r2);
  alternative 1.2143 (气田天然气, GBT2589-2008-GASFIELD.r1).
* 热力: 0.03412 kgce/MJ (SC-016), 0.11 tCO2/GJ (HC-001, GB/T 32150 / industry guideline).
* 焦炭: LCV 28.435 GJ/t, oxidation 0.93; carbon content 29.42 tC/TJ (industry, FC-011) or
  29.5 (provincial, FP-001). 天然气: 389.31 GJ/10^4 Nm³, 0.99; 15.32 (FC-035) or 15.3 (FP-003).
* 原煤: 0.7143 kgce/kg; 20.908 GJ/t × 0.02618 tC/GJ × 0.93 × 44/12 = 1.866537 tCO2/t.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from carbonpeak.domain.accounting import AccountingOptions, account, prepare_activity, totals
from carbonpeak.domain.factors import FactorSet, convention_text
from carbonpeak.refdata import ALTERNATIVE_RELEASES, DEFAULT_RELEASES, load_release
from carbonpeak.services.accounting import account_file
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.platform import open_platform, reference
from carbonpeak.settings import Settings

HEADER = "year,region,sector,carrier,quantity,unit,use\n"


def run(ref, rows, **options):
    raw = pd.DataFrame(rows, columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    act, issues = prepare_activity(raw, "t.csv", ref.catalogue)
    assert not issues
    return account(act, ref.factors, ref.catalogue, AccountingOptions(**options))


def factor(ref, factor_id):
    t = ref.factors.table
    return t[t["factor_id"] == factor_id].iloc[0]


# --- natural gas: labelled by edition and gas type, alternative selectable -------------------

def test_gas_default_is_labelled_by_edition_and_gas_type(ref):
    row = factor(ref, "SC-012")
    assert row["value"] == 1.33
    assert "2008" in row["source_document"] and "油田天然气" in row["source_document"]
    assert "2020" not in row["source_document"]
    assert row["release"] == "GBT2589-2020.r2"
    assert "1.2143" in row["note"] and "GBT2589-2008-GASFIELD.r1" in row["note"]


def test_gas_field_value_is_selectable(ref):
    rows = [("2022", "X", "城镇居民生活", "天然气", "100", "万m3", "燃料")]
    assert run(ref, rows).lines.iloc[0]["energy_tce"] == pytest.approx(1330.0)  # 1e6 m³ × 1.33 / 1000
    alt = reference("GBT2589-2008-GASFIELD.r1")
    line = run(alt, rows).lines.iloc[0]
    assert line["energy_tce"] == pytest.approx(1214.3)  # 1e6 m³ × 1.2143 / 1000
    assert "GBT2589-2008-GASFIELD.r1" in alt.factors.releases()
    assert line["co2_direct_t"] == pytest.approx(2165.015, abs=1e-3)  # CO2 unchanged: FC-034..036


# --- clinker: status from what the sources say ----------------------------------------------

def test_clinker_status_is_single_source(ref):
    row = factor(ref, "PR-001")
    assert row["status"] == "single_source" and row["release"] == "MEE-CEMENT.r2"
    assert run(ref, [("2022", "X", "工业", "水泥熟料", "1000", "t", "")]).lines.iloc[0]["co2_direct_t"] == \
        pytest.approx(535.0)


# --- heat: the official default ships, so heat rows account ----------------------------------

def test_heat_rows_account_with_the_shipped_default(ref, write_csv):
    path = write_csv("heat.csv", HEADER + "2022,X,工业,热力,1000,GJ,燃料\n")
    rep = account_file(path, ref, AccountingOptions())
    line = rep.lines.iloc[0]
    assert line["energy_tce"] == pytest.approx(34.12)  # 1e6 MJ × 0.03412 kgce/MJ / 1000
    assert line["co2_electricity_t"] == pytest.approx(110.0)  # 1000 GJ × 0.11 tCO2/GJ
    assert line["co2_direct_t"] == 0.0
    assert line["factor_ids"] == "SC-016|HC-001"
    hc = factor(ref, "HC-001")
    assert hc["status"] == "confirmed" and "32150" in hc["source_document"]


def test_heat_without_a_factor_is_still_refused(ref, write_csv):
    no_heat = replace(ref, factors=FactorSet(ref.factors.table[ref.factors.table["kind"] != "heat_co2"]))
    path = write_csv("heat.csv", HEADER + "2022,X,工业,热力,5,GJ,\n")
    with pytest.raises(InputRejected) as e:
        account_file(path, no_heat, AccountingOptions())
    assert [(i.code, i.row, i.column) for i in e.value.issues] == [("input.no_factor", 2, "carrier")]


# --- carbon content: industry guideline by default, provincial guideline selectable -----------

def test_provincial_release_overrides_carbon_content_and_is_named(ref, write_csv):
    rows = [("2022", "X", "工业", "焦炭", "100", "t", ""), ("2022", "X", "生活", "天然气", "100", "万m3", "")]
    ind = run(ref, rows).lines
    assert list(ind["co2_direct_t"]) == pytest.approx([285.266, 2165.015], abs=1e-3)
    prov_ref = reference("CN-PROVINCIAL-GUIDE.r1")
    prov = run(prov_ref, rows).lines
    assert list(prov["co2_direct_t"]) == pytest.approx([286.042, 2162.189], abs=1e-3)
    assert prov.iloc[0]["factor_ids"] == "SC-004|FC-010|FP-001|FC-012"  # LCV and oxidation stay
    path = write_csv("a.csv", HEADER + "2022,X,工业,焦炭,100,t,\n")
    d = account_file(path, prov_ref, AccountingOptions()).as_dict()
    assert "CN-PROVINCIAL-GUIDE.r1" in d["factor_releases"]
    assert d["convention"]["releases"]["fuel_co2"] == ["CN-INDUSTRY-GUIDE.r1", "CN-PROVINCIAL-GUIDE.r1"]
    assert account_file(path, ref, AccountingOptions()).as_dict()["convention"]["releases"]["fuel_co2"] == \
        ["CN-INDUSTRY-GUIDE.r1"]


def test_industry_rows_say_which_guideline():
    ind = reference().factors.of_kind("fuel_co2", "carbon_content")
    assert ind["source_document"].str.contains("工业其他行业企业温室气体排放核算方法与报告指南").all()
    prov = reference("CN-PROVINCIAL-GUIDE.r1").factors.of_kind("fuel_co2", "carbon_content")
    prov = prov[prov["release"] == "CN-PROVINCIAL-GUIDE.r1"]
    assert prov["source_document"].str.contains("省级温室气体清单编制指南").all()
    assert dict(zip(prov["carrier"], prov["value"]))["焦炭"] == 0.0295


def test_setting_selects_a_release(tmp_path):
    s = Settings.from_env({"CARBONPEAK_HOME": str(tmp_path), "CARBONPEAK_FACTORS": "CN-PROVINCIAL-GUIDE.r1"})
    assert s.factors == "CN-PROVINCIAL-GUIDE.r1"
    p = open_platform(replace(s, database_url=f"sqlite:///{tmp_path / 'x.db'}"), migrate=False)
    try:
        assert "CN-PROVINCIAL-GUIDE.r1" in p.base_ref.factors.releases()
    finally:
        p.engine.dispose()


def test_every_shipped_release_loads_and_alternatives_only_override(ref):
    keys = set(map(tuple, ref.factors.table[["kind", "carrier", "parameter"]].values))
    for release, kind in ALTERNATIVE_RELEASES.items():
        t = load_release(release, ref.catalogue).table
        assert set(t["kind"]) == {kind} and kind in DEFAULT_RELEASES
        assert set(map(tuple, t[["kind", "carrier", "parameter"]].values)) <= keys, release


# --- feedstock: carbon stored, not burnt --------------------------------------------------------

def test_feedstock_lines_carry_energy_but_no_combustion_co2(ref):
    rows = [("2022", "X", "化工", "原煤", "100", "t", "原料"), ("2022", "X", "工业", "原煤", "100", "t", "燃料")]
    res = run(ref, rows)
    feed, fuel = res.lines.iloc[0], res.lines.iloc[1]
    assert feed["energy_tce"] == pytest.approx(71.43) and fuel["energy_tce"] == pytest.approx(71.43)
    assert feed["co2_direct_t"] == 0.0 and feed["co2_t"] == 0.0
    assert fuel["co2_direct_t"] == pytest.approx(186.654, abs=1e-3)
    assert feed["factor_ids"] == "SC-001"
    assert totals(res.lines)["co2_territorial_t"] == pytest.approx(186.654, abs=1e-3)
    found = [f for f in res.findings if f.code == "accounting.feedstock_no_combustion"]
    assert [f.params for f in found] == [{"carrier": "原煤", "year": 2022, "quantity": 100.0, "unit": "t"}]
    assert "原料" in found[0].message("zh") and "feedstock" in found[0].message("en")


def test_feedstock_as_combustion_on_request(ref):
    res = run(ref, [("2022", "X", "化工", "原煤", "100", "t", "原料")], feedstock_co2="combustion")
    assert res.lines.iloc[0]["co2_direct_t"] == pytest.approx(186.654, abs=1e-3)
    assert not [f for f in res.findings if f.code == "accounting.feedstock_no_combustion"]


# --- convention text: from the factor in force -------------------------------------------------

def test_convention_text_names_the_factor_in_force(ref, write_csv):
    assert "0.1229" in convention_text(ref.factors, "calorific")
    own = write_csv("own.csv", "kind,carrier,parameter,value,unit,source_document\n"
                               "standard_coal,电力,coefficient_calorific,0.123,kgce/kWh,county rule\n")
    mine = reference(own)
    text = convention_text(mine.factors, "calorific")
    assert "0.123 kgce/kWh" in text and "0.1229" not in text and "county rule" in text
    path = write_csv("e.csv", HEADER + "2022,X,工业,电力,100,万kWh,\n")
    d = account_file(path, mine, AccountingOptions()).as_dict()
    assert d["convention"]["text"] == text
    assert d["totals"]["energy_tce"] == pytest.approx(123.0)  # 1e6 kWh × 0.123 kgce/kWh / 1000
    eq = convention_text(ref.factors, "equivalent")
    assert "0.3" in eq and "SC-101" in eq
