"""The `carbonpeak` command end to end (Typer's runner, real databases)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from carbonpeak.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", db_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.setenv("CARBONPEAK_ACTOR", "cli-test")
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    return tmp_path


def run(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


ACTIVITY = ("年份,地区,部门,能源品种,数量,单位\n"
            "2022,安化县,交通运输,柴油,100,t\n"
            "2022,安化县,工业,电力,100,万kWh\n"
            "2021,安化县,工业,原煤,1000,吨\n")


def test_account_json_contract(write_csv):
    path = write_csv("act.csv", ACTIVITY)
    res = run("account", str(path), "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [ln["carrier"] for ln in d["lines"]] == ["柴油", "电力", "原煤"]  # input order
    assert [ln["row"] for ln in d["lines"]] == [2, 3, 4]
    assert d["lines"][0]["energy_tce"] == pytest.approx(145.71)
    assert d["lines"][0]["co2_t"] == pytest.approx(309.590964)
    assert d["lines"][1]["co2_t"] == pytest.approx(490.0)
    assert d["totals"]["energy_tce"] == pytest.approx(sum(ln["energy_tce"] for ln in d["lines"]))
    assert d["totals"]["co2_t"] == pytest.approx(sum(ln["co2_t"] for ln in d["lines"]))
    f = {x["id"]: x for x in d["lines"][1]["factors"]}
    assert f["EL-006"]["value"] == 0.49 and "2024年第33号" in f["EL-006"]["source"] and f["EL-006"]["status"] == "confirmed"
    assert f["SC-100"]["value"] == 0.1229 and "GB/T 2589-2020" in f["SC-100"]["source"]
    assert d["convention"]["electricity"] == "calorific"


def test_account_csv_and_table(write_csv):
    path = write_csv("act.csv", ACTIVITY)
    res = run("account", str(path), "--format", "csv")
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("row,year,region,sector,carrier")
    assert len(lines) == 4 and "SC-009|FC-025|FC-026|FC-027" in lines[1]
    table = run("account", str(path))
    assert table.exit_code == 0 and "按部门" in table.stdout and "能源消费总量" in table.stdout


def test_account_bad_input_exit_1_with_named_cell(write_csv):
    path = write_csv("bad.csv", ACTIVITY + "2022,安化县,工业,煤炭石,1,吨\n")
    res = run("account", str(path))
    assert res.exit_code == 1
    assert "bad.csv，第5行，列“carrier”" in res.stderr and "未写入任何数据" in res.stderr
    en = run("account", str(path), "--lang", "en")
    assert "bad.csv, row 5, column 'carrier'" in en.stderr


def test_account_with_user_factor_set(write_csv):
    act = write_csv("act.csv", "year,region,sector,carrier,quantity,unit\n2024,安化县,工业,电力,100,万kWh\n")
    # no 2024 grid factor: by default the nearest earlier year (2023), said as a finding; strict refuses
    proxied = run("account", str(act), "--format", "json")
    assert proxied.exit_code == 0 and any(f["code"] == "factor.electricity.proxy_year"
                                          for f in json.loads(proxied.stdout)["findings"])
    assert run("account", str(act), "--electricity-fallback", "strict").exit_code == 1
    fac = write_csv("f.csv", "kind,geography,year,parameter,value,unit,source_document,status\n"
                             "electricity_co2,湖南,2024,grid_average,0.45,kgCO2/kWh,本县测试用因子,unverified\n")
    res = run("account", str(act), "--factors", str(fac), "--format", "json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["lines"][0]["co2_t"] == pytest.approx(450.0)
    assert d["lines"][0]["factors"][1]["source"] == "本县测试用因子"
    assert any(x["code"] == "factor.unverified" for x in d["findings"])


def test_bad_factor_file_is_named(write_csv):
    act = write_csv("act.csv", ACTIVITY)
    fac = write_csv("f.csv", "kind,geography,year,parameter,value,unit,source_document\n"
                             "electricity_co2,湖南,2024,grid_average,abc,kgCO2/kWh,x\n")
    res = run("account", str(act), "--factors", str(fac))
    assert res.exit_code == 1 and "f.csv，第2行，列“value”" in res.stderr


def test_usage_error_exit_2():
    assert run("account").exit_code == 2
    assert run("account", "x.csv", "--format", "yaml").exit_code == 2


def test_template_round_trip(env, write_csv):
    out = env / "t.xlsx"
    assert run("template", "--out", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["活动数据"]
    assert [c.value for c in ws[1]] == ["年份", "地区", "部门", "能源品种", "数量", "单位", "用途", "来源", "示例数据"]
    assert "电力" in [r[0].value for r in wb["能源品种 Carriers"].iter_rows(min_row=2)]
    empty = run("import", str(out))
    assert empty.exit_code == 1 and "没有数据行" in empty.stderr
    ws.append([2022, "安化县", "工业", "原煤", 1000, "吨", "燃料", "县统计局", "否"])
    wb.save(out)
    ok = run("import", str(out), "--format", "json")
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["inserted"] == 1


def test_demo_inventory_targets_plan(env):
    first = run("demo", "--format", "json")
    assert first.exit_code == 0, first.stderr
    d = json.loads(first.stdout)
    assert [i["inserted"] for i in d["imports"]] == [215, 5, 17, 115, 115, 10, 15, 5, 8, 5, 3, 3, 96, 984, 2]  # T28 2022–23 and T45 2023 come through reporting
    assert d["monitoring"]["readings"]["rejected"] == 0 and d["monitoring"]["simulated"]
    assert [s["year"] for s in d["series"]] == [2020, 2021, 2022, 2023, 2024]
    again = json.loads(run("demo", "--format", "json").stdout)
    assert len(again["imports"]) == len(d["imports"])
    assert [i["inserted"] + i["updated"] for i in again["imports"]] == [0] * len(d["imports"])
    assert again["monitoring"]["readings"]["accepted"] == 0
    assert again["series"] == d["series"]

    inv = run("inventory", "--year", "2023", "--format", "json")
    assert inv.exit_code == 0, inv.stderr
    inv = json.loads(inv.stdout)
    assert inv["region"] == "安化县" and len(inv["lines"]) == 43
    assert all(ln["illustrative"] for ln in inv["lines"])
    assert inv["totals"]["co2_territorial_t"] == pytest.approx(d["series"][3]["co2_territorial_t"])
    codes = {(v["code"], v["basis"]) for v in inv["indicators"]}
    assert ("energy_intensity_change_vs_base", "assessment") in codes

    inv24 = json.loads(run("inventory", "--year", "2024", "--format", "json").stdout)
    assert any(f["code"] == "factor.electricity.proxy_year" for f in inv24["findings"])
    strict = run("inventory", "--year", "2024", "--electricity-fallback", "strict")
    assert strict.exit_code == 1 and "湖南 2024" in strict.stderr

    tg = json.loads(run("targets", "--year", "2024", "--format", "json").stdout)
    by_id = {t["id"]: t for t in tg["targets"]}
    assert by_id["T02"]["light"] in ("green", "yellow", "red") and by_id["T02"]["source"]["kind"] == "computed"
    assert by_id["T03"]["light"] == "grey" and by_id["T03"]["reason"] == "value_not_assigned"
    # T43 from the demo's illustrative project progress (issue #19), equal to the entered 240
    assert by_id["T43"]["source"]["kind"] == "computed" and by_id["T43"]["illustrative"] is True
    assert by_id["T43"]["actual"] == 240 and not by_id["T43"]["source"]["disagree"]
    assert by_id["T02"]["illustrative"] is True  # computed from illustrative activity data
    assert all(s["illustrative"] for s in d["series"])
    # the plan's 67 targets and the 15th-plan carbon targets CC01, CC02
    assert sum(tg["counts"].values()) == 67 + 2 and "时序进度" in tg["rule"]
    assert by_id["T21"]["assumption"] == "基期为假设：方案未载明" and "基期为假设" in by_id["T21"]["why"]
    # T13 is computed from the registry (existing hydro 125 + projects in service: none on the demo), and
    # the entered 176 beside it disagrees beyond the tolerance (issue #19)
    assert by_id["T13"]["why"].startswith("完成进度0.0%，时序进度40.0%") and by_id["T13"]["light"] == "red"
    assert by_id["T13"]["source"]["uses"] == "computed" and by_id["T13"]["source"]["entered"]["value"] == 176
    assert any(f["code"] == "target.sources_disagree" and f["data"]["id"] == "T13" for f in tg["findings"])
    table = run("targets", "--year", "2024").stdout
    assert "(基期为假设：方案未载明)" in table and "时序进度40.0%" in table
    csv_out = run("targets", "--year", "2024", "--format", "csv").stdout
    assert "why" in csv_out.splitlines()[0] and "基期为假设：方案未载明" in csv_out

    show = json.loads(run("plan", "show", "--format", "json").stdout)
    assert show["loaded_from"] == "database" and show["summary"]["projects"] == 97
    chk = run("plan", "check", "--format", "json")
    assert chk.exit_code == 0
    assert any(f["code"] == "plan.total_mismatch" for f in json.loads(chk.stdout)["findings"])
    assert run("plan", "show").exit_code == 0 and run("targets", "--year", "2024").exit_code == 0


def test_inventory_without_data_is_a_clear_error(env):
    res = run("inventory", "--year", "2023")
    assert res.exit_code == 1 and "carbonpeak demo" in res.stderr


def test_factors_list(env):
    res = run("factors", "list", "--kind", "electricity_co2", "--format", "json")
    rows = json.loads(res.stdout)
    assert {(r["geography"], r["year"]) for r in rows} >= {("湖南", 2021), ("湖南", 2022), ("湖南", 2023), ("华中", 2022)}
    assert all(r["source_document"] and r["status"] for r in rows)


def test_buildings_grade_in_every_format_shows_the_service_figures():
    """`buildings grade FILE`: JSON, CSV and the table carry the grades of the service (one figure)."""
    import csv
    import io

    from paths import DATA

    from carbonpeak.services.buildings import grade_file
    from carbonpeak.services.platform import reference

    path = DATA / "buildings.csv"
    want = grade_file(path, reference())
    d = json.loads(run("buildings", "grade", str(path), "--format", "json").stdout)
    assert [(b["building_id"], b["grade"], b["eui"]) for b in d["buildings"]] == \
        [(b.building_id, b.grade, b.eui) for b in want.buildings]
    assert d["over_constraint"] == want.over_constraint and d["rule"] == want.rule
    rows = list(csv.DictReader(io.StringIO(run("buildings", "grade", str(path), "--format", "csv").stdout)))
    assert [(r["building_id"], r["grade"]) for r in rows] == [(b.building_id, str(b.grade)) for b in want.buildings]
    table = run("buildings", "grade", str(path))
    assert table.exit_code == 0 and all(b.building_id in table.stdout for b in want.buildings)
    assert ", ".join(want.over_constraint) in table.stdout
