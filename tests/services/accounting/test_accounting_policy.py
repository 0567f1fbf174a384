"""The one accounting policy (domain/policy.py, services/accounting.accounting_policy): enums,
the grid of the plan's province, one grid-year fallback rule on every surface, the per-unit
factor seam and the typed path of stored rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from paths import DATA
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli_app
from carbonpeak.domain.accounting import account, prepare_activity, prepare_stored, unit_factors
from carbonpeak.domain.policy import (
    AccountingPolicy,
    ElectricityConvention,
    FactorBasis,
    GridYearFallback,
    grid_year,
    province_of,
)
from carbonpeak.services.accounting import account_file, accounting_policy, completed
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.imports import import_file
from carbonpeak.services.plans import read_plan, store_plan
from carbonpeak.services.platform import reference
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

HEAD = "年份,地区,部门,能源品种,数量,单位\n"
# 2025 has no published grid factor (2021-2023 shipped): the fallback rule decides
PROXY_FILE = HEAD + "2025,安化县,工业,电力,100,万kWh\n2025,安化县,工业,原煤,10,吨\n"


def test_policy_takes_enums_and_refuses_unknown_strings():
    p = AccountingPolicy(electricity_convention="equivalent", feedstock_co2="combustion", electricity_fallback="nearest")
    assert p.electricity_convention is ElectricityConvention.EQUIVALENT
    assert p.feedstock_co2 is FactorBasis.COMBUSTION
    assert p.electricity_fallback is GridYearFallback.NEAREST_EARLIER  # the former name, one rule
    assert hash(p) == hash(AccountingPolicy(electricity_convention=ElectricityConvention.EQUIVALENT,
                                            feedstock_co2=FactorBasis.COMBUSTION,
                                            electricity_fallback=GridYearFallback.NEAREST_EARLIER))
    assert AccountingPolicy().grid == ""  # no literal grid in the domain
    with pytest.raises(ValueError):
        AccountingPolicy(electricity_fallback="closest")
    with pytest.raises(ValueError):
        AccountingPolicy(electricity_convention="当量")


def test_grid_year_is_the_nearest_earlier_published_year():
    published = [2021, 2023]
    assert grid_year(published, 2023, GridYearFallback.NEAREST_EARLIER) == 2023
    assert grid_year(published, 2022, GridYearFallback.NEAREST_EARLIER) == 2021  # earlier, not the later tie
    assert grid_year(published, 2026, GridYearFallback.NEAREST_EARLIER) == 2023
    assert grid_year(published, 2019, GridYearFallback.NEAREST_EARLIER) == 2021  # before the first: the first
    assert grid_year(published, 2022, GridYearFallback.STRICT) is None
    assert grid_year([], 2022, GridYearFallback.NEAREST_EARLIER) is None


def test_province_of_an_administrative_code():
    assert province_of("430923") == "湖南" and province_of("440104") == "广东"
    assert province_of("999999") is None and province_of("") is None and province_of(None) is None


def test_no_database_policy_follows_the_bundled_plan():
    p = accounting_policy()
    assert (p.grid, p.electricity_fallback) == ("湖南", GridYearFallback.NEAREST_EARLIER)
    assert "430923" in p.grid_source
    assert accounting_policy(grid="华中").grid == "华中" and accounting_policy(grid="华中").grid_source == "stated"
    assert accounting_policy(electricity_fallback="strict").electricity_fallback is GridYearFallback.STRICT


def _store_plan_in(platform, tmp_path: Path, admin_code: str) -> None:
    text = (DATA / "other_county.yaml").read_text(encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace('admin_code: "439999"', f'admin_code: "{admin_code}"', 1), encoding="utf-8")
    plan, sha = read_plan(path)
    store_plan(platform, plan, sha, "tests/data/other_county.yaml", "test")


def test_plan_in_another_province_uses_that_provinces_grid(platform, tmp_path, write_csv):
    _store_plan_in(platform, tmp_path, "440123")  # 广东
    policy = accounting_policy(platform)
    assert policy.grid == "广东" and "440123" in policy.grid_source
    act = write_csv("act.csv", HEAD + "2022,示例县,工业,电力,100,万kWh\n")
    with pytest.raises(InputRejected) as e:  # no 广东 grid factor shipped: a clear refusal, not 湖南's
        import_file(platform, act, "test")
    (issue,) = e.value.issues
    assert (issue.code, issue.row, issue.column) == ("input.no_factor", 2, "year")
    assert "广东 2022" in issue.message("zh")
    fac = write_csv("gd.csv", "kind,geography,year,parameter,value,unit,source_document,status\n"
                              "electricity_co2,广东,2022,grid_average,0.40,kgCO2/kWh,本县测试用因子,unverified\n")
    rep = account_file(act, reference(fac), policy).as_dict()
    assert rep["lines"][0]["co2_t"] == pytest.approx(400.0) and rep["lines"][0]["grid"] == "广东"
    assert rep["convention"]["default_grid"] == "广东" and rep["convention"]["grid_year_fallback"] == "nearest_earlier"


def test_plan_without_a_province_refuses_electricity_rows_clearly(platform, tmp_path, write_csv):
    _store_plan_in(platform, tmp_path, "999999")
    assert accounting_policy(platform).grid == ""
    with pytest.raises(InputRejected) as e:
        import_file(platform, write_csv("a.csv", HEAD + "2022,示例县,工业,电力,1,万kWh\n"), "test")
    assert [(i.code, i.row, i.column) for i in e.value.issues] == [("input.no_grid", 2, "grid")]
    assert "电网" in e.value.issues[0].message("zh") and "grid" in e.value.issues[0].message("en")
    ok = import_file(platform, write_csv("b.csv", "year,region,sector,carrier,quantity,unit,grid\n"
                                                  "2022,示例县,工业,电力,1,万kWh,华中\n"), "test")
    assert ok.inserted == 1  # a stated grid needs no plan province


def test_a_caller_policy_without_grid_gets_the_plans():
    p = completed(AccountingPolicy(electricity_convention="equivalent"))
    assert p.grid == "湖南" and p.electricity_convention is ElectricityConvention.EQUIVALENT
    assert completed(AccountingPolicy(grid="全国")).grid == "全国"


def _cli_import(db_url, tmp_path, monkeypatch, path: Path, *extra: str):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", db_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.setenv("CARBONPEAK_ACTOR", "cli-test")
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    return CliRunner().invoke(cli_app, ["import", str(path), "--format", "json", *extra], catch_exceptions=False)


def _api_client(platform, settings) -> TestClient:
    create_user(platform, "admin", "Anhua-peak-2031", "admin", "test")
    c = TestClient(create_app(settings, platform))
    r = c.post("/api/auth/login", json={"username": "admin", "password": "Anhua-peak-2031"})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_same_file_same_result_on_cli_and_api(platform, settings, db_url, tmp_path, monkeypatch, write_csv):
    path = write_csv("proxy.csv", PROXY_FILE)
    c = _api_client(platform, settings)
    api = c.post("/api/uploads/validate", files={"file": ("proxy.csv", io.BytesIO(PROXY_FILE.encode()), "text/csv")})
    assert api.status_code == 200, api.text
    cli = _cli_import(db_url, tmp_path, monkeypatch, path)
    assert cli.exit_code == 0, cli.stderr
    a, b = api.json(), json.loads(cli.stdout)
    keys = ("kind", "file", "rows", "inserted", "updated", "unchanged")
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys} == {
        "kind": "activity", "file": "proxy.csv", "rows": 2, "inserted": 2, "updated": 0, "unchanged": 0}
    assert [(f["code"], f["data"]) for f in a["findings"]] == [(f["code"], f["data"]) for f in b["findings"]] == [
        ("factor.electricity.proxy_year", {"year": 2025, "geography": "湖南", "proxy_year": 2023, "factor_id": "EL-009"})]
    assert "nearest_earlier" in a["findings"][0]["rule"]


def test_strict_refusal_is_the_same_on_cli_and_in_the_service(platform, db_url, tmp_path, monkeypatch, write_csv):
    path = write_csv("proxy.csv", PROXY_FILE)
    with pytest.raises(InputRejected) as e:
        import_file(platform, path, "test", options=accounting_policy(platform, electricity_fallback="strict"))
    cli = _cli_import(db_url, tmp_path, monkeypatch, path, "--electricity-fallback", "strict")
    assert cli.exit_code == 1 and e.value.issues[0].message("zh") in cli.stderr and "湖南 2025" in cli.stderr


@pytest.mark.parametrize("carrier,unit,year", [("电力", "万kWh", 2022), ("原煤", "吨", 2022), ("柴油", "t", 2023),
                                               ("天然气", "万m³", 2021), ("水力发电", "亿kWh", 2023),
                                               ("水泥熟料", "万吨", 2022)])
def test_unit_factors_equal_an_accounted_line_of_one_unit(ref, carrier, unit, year):
    policy = AccountingPolicy(grid="湖南")
    got = unit_factors(carrier, unit, year, policy, ref.factors, ref.catalogue)
    raw = pd.DataFrame([(str(year), "安化县", "x", carrier, "1", unit)],
                       columns=["year", "region", "sector", "carrier", "quantity", "unit"])
    line = account(prepare_activity(raw, "t", ref.catalogue)[0], ref.factors, ref.catalogue, policy).lines.iloc[0]
    assert got.issues == ()
    assert got.energy_tce == pytest.approx(line["energy_tce"], rel=1e-12, abs=1e-15)
    assert got.co2_t == pytest.approx(line["co2_t"], rel=1e-12, abs=1e-15)
    assert "|".join(got.factor_ids) == line["factor_ids"] and got.factor_ids


def test_unit_factors_follow_the_policy_and_say_why_not(ref):
    near = unit_factors("电力", "kWh", 2025, AccountingPolicy(grid="湖南", electricity_fallback="nearest_earlier"),
                        ref.factors, ref.catalogue)
    assert near.co2_t == pytest.approx(0.4976e-3) and "EL-009" in near.factor_ids
    assert [f.code for f in near.findings] == ["factor.electricity.proxy_year"]
    strict = unit_factors("电力", "kWh", 2025, AccountingPolicy(grid="湖南"), ref.factors, ref.catalogue)
    assert [i.code for i in strict.issues] == ["input.no_factor"]
    assert [i.code for i in unit_factors("煤炭石", "吨", 2022, AccountingPolicy(), ref.factors, ref.catalogue).issues] \
        == ["input.unknown_carrier"]
    assert [i.code for i in unit_factors("原煤", "斤", 2022, AccountingPolicy(), ref.factors, ref.catalogue).issues] \
        == ["input.unknown_unit"]
    assert [i.code for i in unit_factors("原煤", "万m³", 2022, AccountingPolicy(), ref.factors, ref.catalogue).issues] \
        == ["input.unit_mismatch"]


def test_stored_rows_take_the_typed_path_to_the_same_frame(ref):
    typed = pd.DataFrame({"row": [7, 8, 9], "year": [2022, 2022, 2023], "region": ["安化县"] * 3,
                          "sector": ["工业", "交通", "工业"], "carrier": ["原煤", "柴油", "电力"],
                          "quantity": [1000.5, 50.0, 3.0], "unit": ["吨", "t", "万kWh"],
                          "use": ["fuel", "fuel", "fuel"], "grid": ["", "", ""], "source": ["", "", ""]})
    stored, issues = prepare_stored(typed, ref.catalogue)
    assert issues == []
    text, issues = prepare_activity(typed.astype(str), "database", ref.catalogue)
    assert issues == []
    cols = ["row", "year", "carrier", "use", "quantity", "canonical_unit", "quantity_canonical"]
    pd.testing.assert_frame_equal(stored[cols].astype({"row": int}), text[cols].astype({"row": int}))
    bad = typed.assign(year=[2022, 1800, 2023], quantity=[1.0, 2.0, -1.0])
    _, issues = prepare_stored(bad, ref.catalogue)
    assert [(i.code, i.row, i.column) for i in issues] == [("input.bad_year", 8, "year"), ("input.negative", 9, "quantity")]


def test_county_factor_results_are_typed_and_serialise_as_before(platform, settings):
    from carbonpeak.services import factor_store

    c = _api_client(platform, settings)
    row = {"kind": "electricity_co2", "geography": "广东", "year": 2022, "parameter": "grid_average", "value": 0.4,
           "unit": "kgCO2/kWh", "source_document": "测试用因子", "status": "unverified"}
    put = c.put("/api/factors/county", json=[row])
    assert put.status_code == 200, put.text
    (stored,) = put.json()["stored"]
    assert list(stored) == list(factor_store.FIELDS) and stored["geography"] == "广东" and stored["value"] == 0.4
    (listed,) = c.get("/api/factors/county").json()["factors"]
    assert list(listed) == [*factor_store.FIELDS, "revision", "actor"] and listed["actor"] == "admin"
    (typed,) = factor_store.list_overrides(platform)
    assert isinstance(typed, factor_store.CountyFactor) and typed.as_dict() == listed
    gone = c.delete("/api/factors/county", params={"kind": "electricity_co2", "geography": "广东", "year": 2022,
                                                   "parameter": "grid_average"}).json()["removed"]
    assert gone == stored
