"""Flags everywhere (issue #12 item 8): every output of every surface carries both flags,
示例数据 (illustrative) and 代用因子 (proxy grid factor).

The demo year 2024 rests on illustrative inputs and is accounted with the 2023 grid factor
(MEE/NBS publish 2021–2023 only: finding factor.electricity.proxy_year), so on each surface
both flags must be present and set where a figure depends on them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli
from carbonpeak.services import flags

YEAR = 2024
ILL_ZH, PROXY_ZH = "示例数据：", "代用因子："


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _assert_flag_rows(rows: list[dict], proxy_expected: bool = True) -> None:
    """Both flag columns in every row; illustrative set somewhere; proxy set somewhere if expected."""
    assert rows and all({"illustrative", "proxy_factor"} <= set(r) for r in rows)
    truthy = lambda v: v is True or str(v).lower() == "true"  # noqa: E731
    assert any(truthy(r["illustrative"]) for r in rows)
    if proxy_expected:
        assert any(truthy(r["proxy_factor"]) for r in rows)


def _xlsx_rows(path_or_bytes) -> list[dict]:
    wb = load_workbook(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes)
    values = list(wb.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(values[0], v)) for v in values[1:]]


@pytest.fixture
def run(sqlite_demo_platform, monkeypatch, tmp_path):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", sqlite_demo_platform.settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))

    def _run(*args: str) -> str:
        res = CliRunner().invoke(cli, list(args))
        assert res.exit_code == 0, res.output
        return res.stdout
    return _run


def test_line_and_value_rules():
    """Hand-worked: a 2024 electricity line (grid 湖南) with a 2024 proxy finding is flagged, a coal
    line (no grid) is not; an indicator only when it includes the electricity term."""
    import pandas as pd

    from carbonpeak.domain.findings import Finding, Severity

    found = [Finding(flags.PROXY_CODE, Severity.WARNING, {"year": 2024, "geography": "湖南", "proxy_year": 2023})]
    lines = pd.DataFrame({"year": [2024, 2024, 2023], "grid": ["湖南", "", "湖南"]})
    assert flags.line_proxy(lines, found).tolist() == [True, False, False]
    assert flags.value_proxy("co2_total", "with_electricity", 2024, None, [2024])
    assert not flags.value_proxy("co2_total", "territorial", 2024, None, [2024])
    assert flags.value_proxy("co2_intensity_change_vs_base", "with_electricity", 2023, 2024, [2024])
    assert flags.value_proxy("co2_intensity_change_yoy", "with_electricity", 2025, None, [2024])
    assert not flags.value_proxy("co2_intensity_change_yoy", "with_electricity", 2026, None, [2024])


def test_cli_inventory_table_json_csv(run):
    table = run("inventory", "--year", str(YEAR))
    assert ILL_ZH in table and PROXY_ZH in table and " *" in table and " †" in table
    d = json.loads(run("inventory", "--year", str(YEAR), "--format", "json"))
    assert d["flags"]["illustrative"] and d["flags"]["proxy_factor"] and YEAR in d["flags"]["proxy_years"]
    _assert_flag_rows(d["lines"])
    _assert_flag_rows(d["by_sector"])
    _assert_flag_rows(d["by_carrier"])
    _assert_flag_rows(d["indicators"])
    # exactly the electricity lines (those with a grid geography) rest on the proxy factor
    assert all(ln["proxy_factor"] == bool(ln.get("grid")) for ln in d["lines"])
    assert {i["code"] for i in d["indicators"] if i["proxy_factor"]} >= {"co2_total", "co2_intensity"}
    assert not any(i["proxy_factor"] for i in d["indicators"] if i["basis"] != "with_electricity")
    _assert_flag_rows(_csv(run("inventory", "--year", str(YEAR), "--format", "csv")))


def test_cli_targets_table_json_csv(run):
    table = run("targets", "--year", str(YEAR))
    assert ILL_ZH in table and PROXY_ZH in table
    d = json.loads(run("targets", "--year", str(YEAR), "--format", "json"))
    assert d["flags"]["illustrative"] and d["flags"]["proxy_factor"]
    # no target of the plan is on the with-electricity basis: no row rests on the proxy factor
    _assert_flag_rows(d["targets"], proxy_expected=False)
    rows = _csv(run("targets", "--year", str(YEAR), "--format", "csv"))
    _assert_flag_rows(rows, proxy_expected=False)


@pytest.mark.parametrize("name,proxy", [("indicators", True), ("inventory", True), ("targets", False),
                                        ("supervision", False)])
def test_cli_open_data_csv_xlsx(run, tmp_path, name, proxy):
    run("open-data", name, "--year", str(YEAR), "--out", str(tmp_path / f"{name}.csv"))
    _assert_flag_rows(_csv((tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig")), proxy)
    run("open-data", name, "--year", str(YEAR), "--out", str(tmp_path / f"{name}.xlsx"))
    _assert_flag_rows(_xlsx_rows(tmp_path / f"{name}.xlsx"), proxy)


def test_cli_report_docx_and_xlsx(run, tmp_path):
    from docx import Document

    out = run("report", "--year", str(YEAR), "--out", str(tmp_path))
    assert ILL_ZH in out and PROXY_ZH in out
    doc = "\n".join([p.text for p in Document(tmp_path / f"assessment_{YEAR}_zh.docx").paragraphs]
                    + [c.text for t in Document(tmp_path / f"assessment_{YEAR}_zh.docx").tables
                       for row in t.rows for c in row.cells])
    assert ILL_ZH in doc and PROXY_ZH in doc
    wb = load_workbook(tmp_path / f"assessment_{YEAR}_zh.xlsx")
    cells = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert ILL_ZH in cells and PROXY_ZH in cells


def test_cli_scenario_json_csv_iamc(run, tmp_path):
    from carbonpeak.services.scenarios import scenario_dir

    spec = str(scenario_dir() / "policy.toml")
    out = tmp_path / "iamc.xlsx"
    d = json.loads(run("scenario", "run", spec, "--draws", "200", "--seed", "1", "--format", "json", "--out", str(out)))
    assert d["illustrative"] and d["proxy_factor"] and d["proxy_years"] == [YEAR]
    assert d["flags"]["notes"][-1].startswith(PROXY_ZH) and d["flags"]["notes_en"][-1].startswith("proxy factor")
    rows = _csv(run("scenario", "run", spec, "--draws", "200", "--seed", "1", "--format", "csv"))
    _assert_flag_rows(rows)
    # only the with-electricity series includes the grid factor
    assert {r["variable"].split("|P")[0] for r in rows if r["proxy_factor"] == "True"} == {
        "Emissions|CO2|Including Net Electricity Imports"}
    _assert_flag_rows(_xlsx_rows(out))
    meta = load_workbook(out)["meta"]
    head, values = list(meta.iter_rows(values_only=True))
    m = dict(zip(head, values))
    assert m["illustrative"] is True and m["proxy_factor"] is True and m["proxy_years"] == str(YEAR)
    table = run("scenario", "run", spec, "--draws", "200", "--seed", "1")
    assert PROXY_ZH in table and "含电力 P50 †" in table


def test_api_every_surface(sqlite_demo_platform):
    from fastapi.testclient import TestClient

    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    p = sqlite_demo_platform
    create_user(p, "admin", "Anhua-peak-2031", "admin", "test")
    c = TestClient(create_app(p.settings, p))
    inv = c.get(f"/api/inventory/{YEAR}").json()
    assert inv["flags"]["illustrative"] and inv["flags"]["proxy_factor"]
    _assert_flag_rows(inv["lines"])
    bar = c.get("/api/targets", params={"year": YEAR}).json()
    assert bar["flags"]["illustrative"] and bar["flags"]["proxy_factor"]
    _assert_flag_rows(bar["targets"], proxy_expected=False)
    for name, proxy in (("indicators", True), ("inventory", True), ("targets", False), ("supervision", False)):
        _assert_flag_rows(c.get(f"/api/open/{name}.json", params={"year": YEAR}).json()["rows"], proxy)
        _assert_flag_rows(_csv(c.get(f"/api/open/{name}.csv", params={"year": YEAR}).content.decode("utf-8-sig")), proxy)
        _assert_flag_rows(_xlsx_rows(c.get(f"/api/open/{name}.xlsx", params={"year": YEAR}).content), proxy)
    scen = c.get("/api/scenarios/policy").json()
    assert scen["illustrative"] and scen["proxy_factor"] and scen["flags"]["proxy_factor"]
    _assert_flag_rows(_csv(c.get("/api/scenarios/policy/iamc.csv").text))
