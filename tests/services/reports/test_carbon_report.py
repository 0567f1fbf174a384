"""The report's section 碳排放双控 (services/reports/carbon_section.py, carbon_tables.py) and the carbon
open data sets (open_data_carbon.py): the numbers are those of /api/carbon/* (one computation: the
same services/carbon results), the estimate is labelled 估算 beside the last inventory with its band,
every table names its electricity factor basis, the section reads as Chinese in Chinese (no codes) and
as English in English, and it survives being frozen. The demo report is rendered once for the module
(Word, Excel; PDF and page images where LibreOffice is installed, written to CARBONPEAK_REPORT_PAGES)."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from carbonpeak.services import carbon
from carbonpeak.services.report_files import write_report
from carbonpeak.services.reporting import frozen
from carbonpeak.services.reports import OPEN_DATASETS, office, open_dataset
from carbonpeak.services.reports.carbon_section import blocks, carbon_section
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

OFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_office = pytest.mark.skipif(not OFFICE and os.environ.get("CARBONPEAK_REQUIRE_OFFICE") != "1",
                                  reason="LibreOffice/poppler not installed")
PASSWORD = "Carbon-report-2031x"
HEADINGS = ["七、碳排放双控", "（一）排放总量与强度（分电力排放因子口径）", "（二）“十五五”目标与年度节点", "（三）碳排放预算及执行",
            "（四）协同考核表（分乡镇、分部门）", "（五）以电折碳月度估算（估算值）"]
# ASCII a Chinese reader may see in this section: ids (CC01), years and months (2026-01), numbers
ALLOWED = re.compile(r"[A-Z]{1,3}-?\d{1,3}[A-Z]?|[A-Z]|CO2|GDP|\d.*")


@pytest.fixture(scope="module")
def made(db_templates, tmp_path_factory):
    from conftest import TEST_HASHING

    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings

    home = tmp_path_factory.mktemp("carbon_report")
    url = db_templates.copy_sqlite("demo", home / "demo.db")
    p = open_platform(Settings(database_url=url, home=home, actor="test", password_hash_profile=TEST_HASHING))
    out = write_report(p, 2024, home / "out")
    yield p, out, home
    p.engine.dispose()


def _sheet(path: Path, title: str) -> list[dict]:
    ws = load_workbook(path)[title]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def _api(platform, settings):
    create_user(platform, "view", PASSWORD, "viewer", "test")
    c = TestClient(create_app(settings, platform))
    r = c.post("/api/auth/login", json={"username": "view", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c


def test_report_cells_are_the_api_values(demo_platform, settings, tmp_path):
    """Both databases: the Excel cells of the section equal /api/carbon/* and /api/targets for the
    report's year (2026: the first budget year, with monthly electricity to October)."""
    out = write_report(demo_platform, 2026, tmp_path, formats=("xlsx",))
    c = _api(demo_platform, settings)
    yr = {"year": 2026}
    budget, track = c.get("/api/carbon/budget").json(), c.get("/api/carbon/tracking", params=yr).json()
    rows = _sheet(out["xlsx"], "碳排放预算")
    assert [r["年份"] for r in rows] == [str(y) for y in budget["years"]]
    assert [r["预算（吨二氧化碳）"] for r in rows] == pytest.approx(budget["budget_t"])
    months = _sheet(out["xlsx"], "预算执行（月度估算）")
    assert [r["月份"] for r in months] == [m["period"] for m in track["months"]] and months
    assert [r["使用率（%）"] for r in months] == pytest.approx([m["ratio"] * 100 for m in track["months"]])
    assert [r["来源"] for r in months] == ["以电折碳估算"] * len(months)
    est = c.get("/api/carbon/estimate", params=yr).json()
    assert est["year"] == 2026
    by = {r["期间"]: r for r in _sheet(out["xlsx"], "以电折碳月度估算")}
    assert by[f"{est['year']}-01"]["排放（吨二氧化碳）"] == pytest.approx(est["months_list"][0]["co2_t"])
    total = by[f"{est['year']}年1—{est['months']}月合计"]
    assert total["排放（吨二氧化碳）"] == pytest.approx(est["total_t"]) and total["性质"] == "以电折碳估算"
    assert total["误差带（吨二氧化碳）"] == f"{est['low_t']:,.0f}—{est['high_t']:,.0f}"
    last = by[f"最近正式清单（{est['last_inventory_year']}年全年）"]
    assert last["排放（吨二氧化碳）"] == pytest.approx(est["last_inventory_co2_t"]) and last["性质"] == "正式清单"
    dept = {r["责任部门"]: r for r in _sheet(out["xlsx"], "协同考核（部门）")}
    api_rows = c.get("/api/carbon/assessment", params=yr).json()["rows"]
    for r in (x for x in api_rows if x["kind"] == "department"):
        assert dept[r["name"]]["预算（吨二氧化碳）"] == pytest.approx(r["budget_t"])
    towns = {r["乡镇"]: r["预算（吨二氧化碳）"] for r in _sheet(out["xlsx"], "协同考核（乡镇）")}
    assert towns == {r["name"]: pytest.approx(r["budget_t"]) for r in api_rows if r["kind"] == "township"}
    targets = {r["编号"]: r for r in _sheet(out["xlsx"], "碳排放目标")}
    api_t = {t["id"]: t for t in c.get("/api/carbon/targets", params=yr).json()["targets"]}
    bar = {t["id"]: t for t in c.get("/api/targets", params=yr).json()["targets"]}
    assert set(targets) == set(api_t) == {"CC01", "CC02"}
    for tid, t in api_t.items():
        assert targets[tid]["目标值"] == t["rated_value"] == bar[tid]["target_value"]
        assert targets[tid]["判定"] == t["why"] == bar[tid]["why"] and bar[tid]["light"] == t["light"]
    periods = _sheet(out["xlsx"], "规划期强度变化")
    fig = c.get("/api/carbon/figures").json()["periods"]
    assert [r["强度变化（%）"] for r in periods] == pytest.approx([p["intensity_change"] * 100 for p in fig])


def test_open_data_carbon_sets_are_the_api_values(demo_platform, settings):
    c = _api(demo_platform, settings)
    anon = TestClient(create_app(settings, demo_platform))
    assert {"carbon_indicators", "carbon_budget", "carbon_assessment", "carbon_estimate"} <= set(OPEN_DATASETS)
    assert "carbon_estimate" in anon.get("/open-data").text
    rows = anon.get("/api/open/carbon_budget.json").json()["rows"]
    budget = c.get("/api/carbon/budget").json()
    assert [r["budget_t"] for r in rows[:5]] == pytest.approx(budget["budget_t"])
    assert all(r["source"] and r["scope"] and r["illustrative"] for r in rows)
    est = anon.get("/api/open/carbon_estimate.json").json()["rows"]
    assert all(r["estimated"] and r["label"] == "以电折碳估算" for r in est[:-1])
    assert not est[-1]["estimated"] and est[-1]["label"].startswith("最近正式清单")
    totals = [r["co2_t"] for r in est if r["sector"] == "合计" and r["estimated"]]
    assert sum(totals) == pytest.approx(c.get("/api/carbon/estimate").json()["total_t"])
    ind = {(r["year"], r["basis"]): r for r in open_dataset(demo_platform, "carbon_indicators", None)}
    fig = {(r["year"], r["basis"]): r for r in c.get("/api/carbon/figures").json()["rows"]}
    assert set(ind) == set(fig) and all(ind[k]["total_co2_t"] == pytest.approx(fig[k]["total_co2_t"]) for k in fig)
    assert all(r["proxy_factor"] for (_, b), r in ind.items() if b != "average" and fig[(r["year"], b)]["proxy_year"])
    zh = anon.get("/api/open/carbon_indicators.csv", params={"headers": "zh"}).content.decode("utf-8-sig").splitlines()[0]
    assert "电力排放因子口径" in zh and "强度（吨二氧化碳/万元）" in zh


def test_section_in_the_word_file_names_basis_and_estimate(made):
    _, out, _ = made
    doc = Document(out["docx"])
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    start = heads.index(HEADINGS[0])
    assert heads[start:start + len(HEADINGS)] == HEADINGS
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "计入县域全部终端用电量" in text and "电力排放因子口径：平均排放因子" in text
    e = out["model"].carbon.estimate
    assert f"{e.year}年1—{e.months}月估算排放" in text and "（估算）" in text and f"最近正式清单为{e.last_inventory_year}年" in text
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "以电折碳估算" in cells and "正式清单" in cells and "平均因子" in cells


def test_section_in_english_and_frozen(made):
    p, out, _ = made
    a = out["model"]
    assert frozen.encode(frozen.decode(frozen.encode(a))) == frozen.encode(a)  # a frozen version keeps it whole
    en = dataclasses.replace(a, lang="en", carbon=carbon_section(p, 2024, "en"))
    heads = [v for k, v in blocks(en) if k == "h2"]
    assert heads[0] == "Totals and intensity on each factor basis" and not any(re.search(r"[\u4e00-\u9fff]", h) for h in heads)
    tables = [v[1] for k, v in blocks(en) if k == "table"]
    assert tables[0][0][1] == "factor basis" and tables[0][1][0][1] == "average"
    assert en.carbon.targets.targets[0].light == a.carbon.targets.targets[0].light  # the same result in either language
    assert a.carbon.targets == carbon.targets(p, "zh", year=2024)


@needs_office
def test_rendered_section_has_no_codes(made):
    _, out, home = made
    pdf = office.to_pdf(out["docx"], home / "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    first = next(i for i, t in enumerate(pages) if "七、碳排放双控" in t and "......" not in t)
    last = next(i for i, t in enumerate(pages) if "附件：数据质量与来源说明" in t and "......" not in t)
    section = "\n".join(pages[first:last + 1]).split("附件：数据质量与来源说明")[0]
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_./-]*", section))
    assert sorted(w for w in words if not ALLOWED.fullmatch(w)) == []
    assert "估算" in section and "误差带" in section and "协同考核" in section
    folder = Path(os.environ.get("CARBONPEAK_REPORT_PAGES") or home / "pages")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first + 1), "-l", str(last + 1), str(pdf),
                    str(folder / "carbon")], check=True)
    assert len(list(folder.glob("carbon-*.png"))) == last - first + 1
