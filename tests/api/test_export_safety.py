"""Exported files are not formula carriers (issue #11, item 13; OWASP CSV injection).

Text a user imported (a sector or source such as ``=HYPERLINK(..)``) reaches every CSV/XLSX the
platform writes: open data, the report workbook, the dispatch report, the CLI's --format csv, the
IAMC export. Each must show it as text (a leading single quote) while numbers, negative ones
included, stay numbers; JSON keeps the raw text; the Word report is unaffected.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from paths import SRC
from sqlalchemy import select
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli_app
from carbonpeak.services import catalogue, report_files
from carbonpeak.services.imports import import_file
from carbonpeak.services.users import create_user
from carbonpeak.store.models import ProjectRow
from carbonpeak.tabular import FORMULA_TRIGGERS, neutralise, neutralise_frame
from carbonpeak.web.app import create_app

HYPERLINK = '=HYPERLINK("http://x","y")'
# As imported (cells are stripped on import, so the tab and CR cases arrive as "=1" and "=2").
PAYLOADS = (HYPERLINK, "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=2")
STORED = tuple(p.strip() for p in PAYLOADS)
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
SCEN = SRC / "data" / "scenarios" / "anhua"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture
def poisoned(demo_platform, write_csv):
    """The demo plus activity rows whose sector (部门/行业) and source (来源) are formulas, and a
    project whose township is one (for the dispatch report by township)."""
    lines = ["年份,地区,行业,能源品种,数量,单位,用途,来源,示例数据"]
    lines += [f"2024,安化县,{_quoted(p)},原煤,100,吨,燃料,{_quoted(p)},是" for p in PAYLOADS]
    import_file(demo_platform, write_csv("poison.csv", "\n".join(lines) + "\n"), "test")
    with demo_platform.sessions.begin() as s:
        project = s.scalars(select(ProjectRow).where(ProjectRow.year.is_not(None)).order_by(ProjectRow.id)).first()
        project.town = HYPERLINK
    demo_platform.cache.clear()
    return demo_platform


def assert_xlsx_safe(data: bytes | Path, expect_negative: bool = True) -> list:
    """No cell is a formula or text that starts like one; the payload is there, quoted; a
    negative number (when expected) is still a number. Returns every cell value."""
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith(FORMULA_TRIGGERS), (ws.title, c.coordinate, c.value)
                values.append(c.value)
    assert "'" + HYPERLINK in values
    if expect_negative:
        assert any(isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0 for v in values)
    return values


def assert_csv_safe(text: str, expect_negative: bool = True) -> list[str]:
    """Every field starting like a formula is a plain (negative) number; the payload is quoted."""
    fields = [f for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for f in row]
    for f in fields:
        assert f not in STORED, f
        if f.startswith(FORMULA_TRIGGERS):
            assert NUMBER.fullmatch(f), f
    assert "'" + HYPERLINK in fields
    if expect_negative:
        assert any(f.startswith("-") and NUMBER.fullmatch(f) for f in fields)
    return fields


def test_neutralise_text_only():
    for p in ("=1", "+1", "-1", "@x", "\t=1", "\r=1", HYPERLINK):
        assert neutralise(p) == "'" + p
    for v in (-1, -2.5, 0, True, None, "", "工业", "a=b", "'=already"):
        assert neutralise(v) == v and type(neutralise(v)) is type(v)
    import pandas as pd

    df = neutralise_frame(pd.DataFrame({"=h": ["=a", "b"], "n": [-1.5, 2.0], "i": [-3, 4]}))
    assert list(df.columns) == ["'=h", "n", "i"] and list(df["'=h"]) == ["'=a", "b"]
    assert df["n"].dtype.kind == "f" and df["i"].dtype.kind == "i" and df["n"].iloc[0] == -1.5


def test_open_data_report_and_dispatch_files(poisoned, settings, tmp_path):
    api = create_app(settings, poisoned)
    anon = TestClient(api)
    for name in ("inventory", "indicators", "targets"):
        csv_body = anon.get(f"/api/open/{name}.csv", params={"year": 2024})
        xlsx_body = anon.get(f"/api/open/{name}.xlsx", params={"year": 2024})
        assert csv_body.status_code == xlsx_body.status_code == 200
        if name == "inventory":
            assert_csv_safe(csv_body.content.decode("utf-8"))
            assert_xlsx_safe(xlsx_body.content)
        else:  # no imported text here; still no formula, and negative figures stay numbers
            assert not any(c.data_type == "f" for r in load_workbook(io.BytesIO(xlsx_body.content)).active.iter_rows()
                           for c in r)
    rows = anon.get("/api/open/inventory.json", params={"year": 2024}).json()["rows"]
    assert set(STORED) <= {r["sector"] for r in rows} and set(STORED) <= {r["activity_source"] for r in rows}

    out = report_files.write_report(poisoned, 2024, tmp_path / "report")
    assert_xlsx_safe(out["xlsx"])
    doc = Document(out["docx"])
    assert HYPERLINK in {c.text for t in doc.tables for r in t.rows for c in r.cells}

    create_user(poisoned, "viewer", "tea-hills-4521", "viewer", "test")
    c = TestClient(api)
    c.post("/api/auth/login", json={"username": "viewer", "password": "tea-hills-4521"})
    q = {"start": "2020-01-01", "end": "2030-12-31", "by": "township"}
    assert_csv_safe(c.get("/api/dispatch", params={**q, "format": "csv"}).content.decode("utf-8"), expect_negative=False)
    assert_xlsx_safe(c.get("/api/dispatch", params={**q, "format": "xlsx"}).content, expect_negative=False)


def test_cli_csv_and_files(poisoned, settings, tmp_path, monkeypatch, write_csv):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    runner = CliRunner()

    def run(*args: str) -> str:
        res = runner.invoke(cli_app, list(args), catch_exceptions=False)
        assert res.exit_code == 0, res.output
        return res.stdout

    assert_csv_safe(run("inventory", "--year", "2024", "--format", "csv"))
    assert_csv_safe(run("dispatch", "--start", "2020-01-01", "--end", "2030-12-31", "--by", "township",
                        "--format", "csv"), expect_negative=False)
    run("open-data", "inventory", "--year", "2024", "--out", str(tmp_path / "inv.xlsx"))
    assert_xlsx_safe(tmp_path / "inv.xlsx")
    run("open-data", "inventory", "--year", "2024", "--out", str(tmp_path / "inv.csv"))
    assert_csv_safe((tmp_path / "inv.csv").read_text(encoding="utf-8"))

    # IAMC export of a scenario whose name is a formula (a user's TOML file)
    spec = tmp_path / "evil.toml"
    spec.write_text(f"[scenario]\nname = '{HYPERLINK}'\nparent = '{(SCEN / 'baseline.toml').as_posix()}'\n",
                    encoding="utf-8")
    out = tmp_path / "iamc.xlsx"
    text = run("scenario", "run", str(spec), "--draws", "200", "--seed", "1", "--format", "csv", "--out", str(out))
    fields = assert_csv_safe(text, expect_negative=False)
    assert "Emissions|CO2|Territorial" in fields
    values = assert_xlsx_safe(out, expect_negative=False)
    assert any(isinstance(v, float) for v in values)


def test_templates_have_no_formula_cells(tmp_path):
    """The import templates: text only (their list validation is a validation rule, not a cell)."""
    for kind in catalogue.TEMPLATES:
        wb = load_workbook(catalogue.write_template(tmp_path / f"{kind}.xlsx", kind))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f" and not (isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS))
