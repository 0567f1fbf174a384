"""One computation, every surface (issue #12, item 1): every indicator value of every year is the
same on every surface that shows it: CLI (json, csv), API, pages, Word and Excel report, open
data (csv, xlsx, json) and the scenario's starting year; each names the electricity convention
and the price base it depends on.

Run on the Anhua demo and on a second, made-up county (tests/data/other_county*.{yaml,csv}) whose
plan has a target with base year 2022 beside its default base 2020: the case in which indicators
at 2022 prices once leaked onto the surfaces that show 2020 prices.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from page_figures import Figures
from paths import DATA
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli_app
from carbonpeak.domain import labels
from carbonpeak.domain.accounting import AccountingOptions
from carbonpeak.domain.indicators import compute_indicators
from carbonpeak.services import scenarios
from carbonpeak.services.accounting import stored_lines
from carbonpeak.services.imports import import_file
from carbonpeak.services.indicators import indicator_set
from carbonpeak.services.plans import read_plan, store_plan, stored_plan
from carbonpeak.services.report_files import write_report
from carbonpeak.services.reports import open_dataset
from carbonpeak.web.app import create_app

OPTIONS = AccountingOptions(electricity_fallback="nearest")
CONVENTION_WORDS = {"当量值": "calorific", "等价值": "equivalent"}
T3 = ('  - {id: T3, name: 单位地区生产总值能源消耗比2022年下降, indicator: energy_intensity_change_vs_base, kind: change, '
      'value: -6, unit: "%", direction: "<=", base_year: 2022, target_year: 2025, basis: assessment, clause: 二}\n')


def load_other_county(platform, tmp_path: Path) -> None:
    """The second county: its plan (with a target on base year 2022 added) and its own data."""
    text = (DATA / "other_county.yaml").read_text(encoding="utf-8")
    path = tmp_path / "other_county.yaml"
    path.write_text(text.replace("  - {id: T2,", T3 + "  - {id: T2,", 1), encoding="utf-8")
    plan, sha = read_plan(path)
    store_plan(platform, plan, sha, "tests/data/other_county.yaml", "test")
    for name in ("other_county_activity.csv", "other_county_gdp.csv"):
        import_file(platform, DATA / name, "test", options=OPTIONS)


# --- reading each surface as {key: (value, decimals shown or None for full precision)} ----------

def _num(text: str) -> tuple[float | None, int | None]:
    text = text.strip().replace(",", "").replace("−", "-")
    if text in ("NE", "—", ""):
        return None, None
    return float(text), len(text.split(".")[1]) if "." in text else 0


def _key(d: dict) -> tuple:
    base = d.get("price_base_year")
    base = None if base in (None, "") else int(base)
    return (d["code"], int(d["year"]), d.get("basis") or "", d.get("convention") or "", base)


def _value(v):
    return None if v in (None, "") else float(v)


def _records(rows, surface: str, out: dict) -> None:
    for r in rows:
        out.setdefault(surface, {})[_key(r)] = (_value(r["value"]), None)


def _qualified(code: str, year: int, basis: str, qualifier: str) -> tuple:
    """A key from the words beside a figure (the Word report names convention and prices in words)."""
    conv = next((c for w, c in CONVENTION_WORDS.items() if w in qualifier), "")
    m = re.search(r"GDP (\d{4})年不变价", qualifier)
    return (code, year, basis, conv, int(m.group(1)) if m else None)


def _page(html: str, surface: str, out: dict) -> None:
    p = Figures()
    p.feed(html)
    for a, text in p.found:
        if not a.get("data-year") or a["data-code"] == "net_emissions":
            continue  # an entered target value, or the net emissions (CO2 less the sink): no indicator
        key = _key({"code": a["data-code"], "year": a["data-year"], "basis": a["data-basis"],
                    "convention": a["data-convention"], "price_base_year": a["data-price-base"]})
        shown, digits = _num(text)
        name = surface + (" targets" if a.get("data-target") else "")  # a target's: at its base year's prices
        out.setdefault(name, {})[key] = (_value(a["data-value"]), None)
        out.setdefault(name + " (as shown)", {})[key] = (shown, digits)


def _cli(args: list[str]) -> str:
    res = CliRunner().invoke(cli_app, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def _targets(rows: list[dict], surface: str, out: dict) -> None:
    for t in rows:
        ind = (t.get("source") or {}).get("indicator")
        if ind and t["actual"] is not None:
            out.setdefault(surface, {})[_key(ind)] = (t["actual"], None)


def read_cli(years, out: dict) -> None:
    for y in years:
        _records(json.loads(_cli(["inventory", "--year", str(y), "-f", "json"]))["indicators"], "cli json", out)
        text = _cli(["inventory", "--year", str(y), "-f", "csv", "--table", "indicators"])
        _records(csv.DictReader(io.StringIO(text)), "cli csv", out)
        rows = json.loads(_cli(["targets", "--year", str(y), "-f", "json"]))["targets"]
        _targets(rows, "cli targets json", out)
        # the csv has no key columns: each computed target's actual and qualifier as in the json
        computed = {t["id"]: (t["actual"], t["source"]["qualifier"]) for t in rows
                    if (t["source"] or {}).get("kind") == "computed"}
        shown = {r["id"]: (_value(r["actual"]), r["qualifier"])
                 for r in csv.DictReader(io.StringIO(_cli(["targets", "--year", str(y), "-f", "csv"])))
                 if r["id"] in computed}
        assert shown == computed


def read_api_and_pages(client: TestClient, years, out: dict) -> None:
    for y in years:
        ov = client.get(f"/api/overview?year={y}").json()
        _records([h for h in ov["headline"] if h["code"] != "net_emissions"], "api overview", out)
        _records(client.get(f"/api/inventory/{y}").json()["indicators"], "api inventory", out)
        _targets(client.get(f"/api/targets?year={y}").json()["targets"], "api targets", out)
        for path, name in ((f"/?year={y}", "page 总览"), (f"/accounting?year={y}", "page 核算"),
                           (f"/targets?year={y}", "page 目标")):
            page = client.get(path)
            assert page.status_code == 200
            _page(page.text, name, out)
    for fmt in ("json", "csv", "xlsx"):
        body = client.get(f"/api/open/indicators.{fmt}")
        if fmt == "json":
            rows = body.json()["rows"]
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(body.content.decode("utf-8-sig"))))
        else:
            ws = openpyxl.load_workbook(io.BytesIO(body.content)).active
            head, *data = [[c.value for c in r] for r in ws.iter_rows()]
            rows = [dict(zip(head, r)) for r in data]
        _records([dict(r, code=r["indicator"]) for r in rows if r["indicator"] != "net_emissions"], f"open {fmt}", out)


def read_report(platform, years, folder: Path, out: dict) -> None:
    for y in years:
        files = write_report(platform, y, folder / str(y))
        table = next(t for t in docx.Document(str(files["docx"])).tables
                     if [c.text for c in t.rows[0].cells][:5] == ["指标", "口径", "数值", "单位", "计算依据"])
        names = {zh: code for code, (zh, _) in labels.INDICATORS.items()}  # the report names indicators in words
        bases = {zh: code for code, (zh, _) in labels.BASES.items()}
        for row in table.rows[1:]:
            name, basis_words, value, _, qualifier = (c.text for c in row.cells[:5])
            code, basis = names[name], bases[basis_words]
            if code != "net_emissions":
                out.setdefault("report docx", {})[_qualified(code, y, basis, qualifier)] = _num(value)
        ws = openpyxl.load_workbook(files["xlsx"])["指标"]
        head, *data = [[c.value for c in r] for r in ws.iter_rows()]
        rows = [dict(zip(head, r)) for r in data if r[head.index("指标代码")] != "net_emissions"]
        _records([{"code": r["指标代码"], "year": y, "basis": r["口径代码"], "convention": r["折标代码"],
                   "price_base_year": r["价格基年"], "value": r["数值"]} for r in rows], "report xlsx", out)


def read_scenario(platform, out: dict) -> None:
    res = scenarios.run_scenario(platform, scenarios.spec_path("policy"), draws=40, seed=3)
    assert res["figures"], "the scenario names the indicator of each series"
    for series, fig in res["figures"].items():
        assert res["years"][0] == fig["year"]
        out.setdefault("scenario start", {})[_key(fig)] = (res[series]["p50"][0], None)
        out.setdefault("scenario figures", {})[_key(fig)] = (fig["value"], None)


# --- the comparison ---------------------------------------------------------------------------

def _agrees(value, digits, truth) -> bool:
    if value is None or truth is None:
        return value is None and truth is None
    if digits is None:
        return abs(value - truth) <= 1e-9 * max(1.0, abs(truth))
    return abs(value - truth) <= 0.5 * 10 ** -digits + 1e-9 * abs(truth)


def disagreements(ind, out: dict) -> list[str]:
    bad = []
    for surface, figures in out.items():
        for key, (value, digits) in figures.items():
            truth = ind.values.get(key)
            if "targets" not in surface and "目标" not in surface and key[4] not in (None, ind.price_base_year):
                bad.append(f"{surface}: {key} is not at the plan's price base {ind.price_base_year}")
            elif truth is None:
                bad.append(f"{surface}: {key} is not a computed indicator value")
            elif not _agrees(value, digits, truth.value):
                bad.append(f"{surface}: {key} = {value} but the indicator is {truth.value}")
    return bad


def check_every_surface(platform, settings, tmp_path, monkeypatch) -> dict:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    ind = indicator_set(platform, OPTIONS)
    plan = stored_plan(platform)
    years = list(ind.years)
    # the price base every surface shows is the plan's default base year, computed the plain way
    lines, _, gdp = stored_lines(platform, plan.region, OPTIONS, by_year=True)
    plain = {(v.code, v.year, v.basis): v.value for v in compute_indicators(lines, gdp, plan.default_base_year)}
    assert ind.price_base_year == plan.default_base_year
    assert all(ind.get(c, y, b).value == plain[(c, y, b)] for (c, y, b) in plain if c.startswith("energy_intensity"))
    out: dict = {}
    read_cli(years, out)
    read_api_and_pages(TestClient(create_app(settings, platform)), years, out)
    read_report(platform, years[-1:] if len(years) > 3 else years, tmp_path / "reports", out)
    read_scenario(platform, out)
    assert disagreements(ind, out) == []
    every = {v.key for y in years for v in ind.of_year(y)}
    for surface in ("cli json", "cli csv", "api inventory", "page 核算"):
        assert set(out[surface]) == every, surface  # every indicator × year
    for surface in ("api overview", "page 总览", "open json", "open csv", "open xlsx"):
        assert len({k[:3] for k in out[surface]}) >= 7 * len(years), surface  # the headline of every year
    assert out["report docx"] and out["report xlsx"] and out["page 目标 targets"]
    return out


def test_every_surface_shows_the_same_figures_demo(demo_platform, settings, tmp_path, monkeypatch):
    out = check_every_surface(demo_platform, settings, tmp_path, monkeypatch)
    key = ("energy_intensity", 2024, "raw", "calorific", 2020)
    assert round(out["api overview"][key][0], 5) == round(out["cli json"][key][0], 5) == 0.17233
    # `carbonpeak demo` prints the same series
    ind = indicator_set(demo_platform, OPTIONS)
    columns = {"energy_tce": ("energy_total", "raw"), "energy_intensity": ("energy_intensity", "raw"),
               "co2_with_electricity_t": ("co2_total", "with_electricity"), "nonfossil_share_pct": ("nonfossil_share", "raw"),
               "energy_intensity_change_vs_2020_pct": ("energy_intensity_change_vs_base", "assessment")}
    for row in json.loads(_cli(["demo", "-f", "json"]))["series"]:
        for col, (code, basis) in columns.items():
            assert row[col] == ind.get(code, row["year"], basis).value, (col, row["year"])
        assert row["qualifiers"]["energy_intensity"] == "电力当量值 · GDP 2020年不变价"


def test_every_surface_shows_the_same_figures_other_county(platform, settings, tmp_path, monkeypatch):
    load_other_county(platform, tmp_path)
    out = check_every_surface(platform, settings, tmp_path, monkeypatch)
    # the target on base year 2022 is judged at 2022 prices, and says so; the figures shown beside
    # it elsewhere stay at the plan's 2020 prices
    t3 = [k for k in out["api targets"] if k[0] == "energy_intensity_change_vs_base" and k[4] == 2022]
    assert t3 and all(k[4] in (None, 2020) for k in out["api inventory"])


@pytest.mark.parametrize("lang,words", [("zh", ["电力当量值", "GDP 2020年不变价"]),
                                        ("en", ["electricity at calorific value", "GDP at constant 2020 prices"])])
def test_each_figure_names_its_convention_and_prices(sqlite_demo_ro, lang, words):
    rows = {r["indicator"]: r for r in open_dataset(sqlite_demo_ro, "indicators", lang=lang) if r["year"] == 2024}
    assert rows["energy_intensity"]["qualifier"] == " · ".join(words)
    assert rows["energy_intensity"]["convention"] == "calorific" and rows["energy_intensity"]["price_base_year"] == 2020
    assert rows["co2_total"]["qualifier"] == "" and rows["co2_total"]["price_base_year"] is None
