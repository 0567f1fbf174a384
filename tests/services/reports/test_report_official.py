"""The annual assessment as an official document: A4, shipped fonts embedded, title page, TOC and
PAGE fields, Chinese tables with units and rounding, a narrative whose numbers are the tables' and
the scenario API's, task counts by real status, the annex in the reader's words, a county's own
Word template, the Excel file's rounding and Chinese headers, CJK charts without glyph warnings.

The PDF tests need LibreOffice and poppler (skipped without them unless CARBONPEAK_REQUIRE_OFFICE=1).
The rendered pages are written to ``CARBONPEAK_REPORT_PAGES`` (default: the test's tmp folder) for
people to look at."""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from paths import ROOT

from carbonpeak.domain import labels
from carbonpeak.services import registry
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.report_files import write_report
from carbonpeak.services.reports import charts, office, tasks_by_department
from carbonpeak.services.reports import template as report_template
from carbonpeak.services.users import Principal, create_user
from carbonpeak.web.app import create_app

OFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_office = pytest.mark.skipif(not OFFICE and os.environ.get("CARBONPEAK_REQUIRE_OFFICE") != "1",
                                  reason="LibreOffice/poppler not installed (libreoffice-writer-nogui, poppler-utils)")
ADMIN = Principal(1, "admin", "admin", None, None, "admin")
DRC = "县发展和改革局"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# ASCII words a Chinese reader may see: standard and document numbers, target/factor/building ids,
# unit symbols, the method's acronyms; anything else (energy_total, lcv, pv, raw, .py …) is a leak.
ALLOWED = re.compile(r"(GB|LY|GBT)(/T)?|[A-Z]{1,3}-?\d{1,3}[A-Z]?|AR-CM-\d+|CCER|IPCC|LULUCF|LMDI|GDP|LNG|CO2|[A-Z]|[A-Z]{1,3}/|kgce/kWh|"
                     r"kWh|[A-Z]{2,3}|\d.*")


@pytest.fixture(scope="module")
def made(db_templates, tmp_path_factory):
    """The demo with two tasks of 县发展和改革局 touched (one in progress, one past its deadline),
    its 2024 report written once for the module."""
    from conftest import TEST_HASHING

    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings

    home = tmp_path_factory.mktemp("official")
    url = db_templates.copy_sqlite("demo", home / "demo.db")
    p = open_platform(Settings(database_url=url, home=home, actor="test", password_hash_profile=TEST_HASHING))
    drc = [t for t in registry.list_tasks(p) if DRC in t.departments]
    registry.update_task(p, drc[0].id, {"status": "in_progress"}, ADMIN)
    registry.update_task(p, drc[1].id, {"deadline": date(2024, 6, 30)}, ADMIN)
    out = write_report(p, 2024, home / "out")
    yield p, out, home
    p.engine.dispose()


def test_tasks_are_counted_by_their_real_status(made):
    p, out, _ = made
    row = next(r for r in out["model"].tasks if r.department == DRC)
    assert (row.in_progress, row.late, row.done) == (1, 1, 0)
    assert row.not_started == row.tasks - 2
    assert row == next(r for r in tasks_by_department(registry.list_tasks(p)) if r.department == DRC)
    table = next(t for t in Document(out["docx"]).tables if t.rows[0].cells[0].text == "责任单位")
    cells = next([c.text for c in r.cells] for r in table.rows if r.cells[0].text == DRC)
    assert cells == [DRC, str(row.tasks), "0", "1", str(row.tasks - 2), "1"]
    assert [c.text for c in table.rows[0].cells] == ["责任单位", "任务数", "已完成", "推进中", "未开始", "滞后"]


def test_narrative_quotes_the_tables_and_the_scenario_api(made):
    p, out, _ = made
    a = out["model"]
    text = "\n".join(x for s in a.narrative for x in s.paragraphs)
    t = a.inventory["totals"]
    assert f"能源消费总量{labels.wan(t['energy_tce'])}万吨标准煤" in text
    c = a.targets.counts
    assert f"绿灯{c['green']}项" in text and f"红灯{c['red']}项" in text and f"{c['grey']}项暂无" in text
    for target in (x for x in a.targets.targets if x.light == "red"):
        assert target.why in text and f"{target.name}为红灯" in text  # why, and a recommendation
    assert "未开始" in text and "滞后1项" in text  # the touched task is the only late one
    api = TestClient(create_app(p.settings, p)).get("/api/scenarios/policy").json()
    assert a.outlook.p_peak_by_2030 == api["p_peak_by_2030"]  # one computation (the cached published run)
    assert f"达峰的概率为{labels.num(api['p_peak_by_2030'] * 100, '%')}%" in text
    eff = a.outlook.history["effects"]
    assert f"经济增长+{labels.wan(eff['activity'])}万吨" in text
    docx_text = "\n".join(x.text for x in Document(out["docx"]).paragraphs)
    assert all(x in docx_text for s in a.narrative for x in s.paragraphs)


def test_annex_in_the_readers_words_each_once(made):
    a = made[1]["model"]
    rows = [(r.what, r.status, r.source) for r in a.annex]
    assert len(rows) == len({(w, s) for w, s, _ in rows})
    flat = " ".join(" ".join(r) for r in rows)
    for leak in (".py", "services/", "README", "AccountingOptions", "fallback", "unverified", "single_source",
                 "lcv", "fuel_co2", "database:", "warning"):
        assert leak not in flat, leak
    assert any(s == "未经核实" for _, s, _ in rows) and any("示例数据" in s for _, s, _ in rows)


def test_excel_rounds_by_format_and_speaks_chinese(made):
    wb = load_workbook(made[1]["xlsx"])
    ws = wb["指标"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["指标", "口径", "数值", "单位", "计算依据"] and "指标代码" in head
    rows = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2)}
    energy = rows[("能源消费总量", "统计口径")]
    assert energy[2].number_format == "#,##0" and isinstance(energy[2].value, float)  # exact value, shown rounded
    assert energy[3].value == "吨标准煤"
    share = rows[("非化石能源消费比重", "统计口径")]
    assert share[2].number_format == "#,##0.0"
    units = {c.value for c in wb["因子来源"]["E"][1:]}
    assert "吉焦/吨" in units and "GJ/t" not in units
    statuses = {c.value for c in wb["因子来源"]["G"][1:]}
    assert statuses <= {"已核实", "单一来源，待复核", "未经核实"}
    assert {c.value for c in wb["项目"]["A"][1:]} >= {"光伏发电", "风力发电"}


def test_charts_render_chinese_without_glyph_warnings(made, tmp_path):
    a = made[1]["model"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pictures = charts.charts(a, tmp_path)
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert set(pictures) == {"barometer", "trend", "sectors"}


def test_docx_has_a4_title_page_toc_and_page_fields(made):
    path = made[1]["docx"]
    doc = Document(path)
    assert all(round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297 for s in doc.sections)
    assert "编制单位：安化县发展和改革局" in [p.text for p in doc.paragraphs[:25]]
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
        fonts = [n for n in z.namelist() if n.startswith("word/fonts/")]
    assert re.search(r"<w:instrText[^>]*> TOC \\o", body)
    assert any(re.search(r"<w:instrText[^>]*> PAGE ", f) for f in footers)
    assert len(fonts) == 2  # Noto Sans SC (黑体) and Noto Serif SC (宋体), embedded and subset
    styles = {s.name: s for s in doc.styles}
    assert styles["Heading 1"].font.name == "Noto Sans SC" and styles["Normal"].font.name == "Noto Serif SC"


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@needs_office
def test_pdf_is_a4_fonts_embedded_toc_updated_no_codes(made):
    _, out, home = made
    pdf = office.to_pdf(out["docx"], home / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(ln.split()[-5] == "yes" for ln in fonts), fonts  # every font embedded
    assert {"NotoSerifSC-Regular", "NotoSansSC-Regular"} == {ln.split()[0].split("+")[1] for ln in fonts}
    text = _pdf_text(pdf)
    pages = text.split("\f")
    assert re.search(r"一、目标完成情况\s*\.{3,}\s*\d+", pages[1]), "the contents carry page numbers"
    assert re.search(r"—\s*1\s*—", pages[1]) and re.search(r"—\s*2\s*—", pages[2])
    assert "编制单位" in pages[0]
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_./-]*", text))
    assert sorted(w for w in words if not ALLOWED.fullmatch(w)) == []
    for leak in ("energy_total", "raw", "lcv", "pv", ".py", "Σ", "unverified", "territorial"):
        assert leak not in text, leak
    assert not re.search(r"\d\.\d{6,}", text), "statistical rounding (coefficients keep their published digits)"
    a = out["model"]
    for raw in (a.inventory["totals"]["energy_tce"], *(h["value"] for h in a.indicators)):
        assert str(raw) not in text or float(raw).is_integer(), raw
    folder = Path(os.environ.get("CARBONPEAK_REPORT_PAGES") or home / "pages")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "page")], check=True)
    assert len(list(folder.glob("page-*.png"))) == len(pages) - 1


def _letterhead(tmp_path: Path) -> bytes:
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.name = "仿宋_GB2312"
    doc.styles["Normal"].font.size = Pt(16)
    head = doc.sections[0].header.paragraphs[0]
    run = head.add_run("安化县发展和改革局文件")
    run.font.color.rgb = RGBColor(0xC0, 0, 0)
    doc.add_paragraph("模板正文（生成报告时删除）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_county_template_upload_is_checked_and_used(sqlite_demo_platform, tmp_path):
    p = sqlite_demo_platform
    app = create_app(p.settings, p)
    create_user(p, "admin", "tea-hills-4521-x", "admin", "test")
    create_user(p, "viewer", "tea-hills-4521", "viewer", "test")

    def client(user, password):
        c = TestClient(app)
        r = c.post("/api/auth/login", json={"username": user, "password": password})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c
    body = _letterhead(tmp_path)
    viewer = client("viewer", "tea-hills-4521")
    assert viewer.put("/api/reports/template", content=body).status_code == 403
    assert 'id="template-form"' not in viewer.get("/reports").text
    admin = client("admin", "tea-hills-4521-x")
    assert 'id="template-form"' in admin.get("/reports").text
    assert admin.put("/api/reports/template", content=b"not a word file").status_code == 422
    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"\0")
    bad = admin.put("/api/reports/template", content=macro.getvalue())
    assert bad.status_code == 422 and "宏" in bad.text
    assert report_template.current(p) is None  # nothing half-written
    with pytest.raises(InputRejected) as too_big:
        report_template.validate(b"PK" + b"\0" * (report_template.MAX_BYTES + 1), "big.docx")
    assert "5 MB" in too_big.value.messages()[0] and "big.docx" in too_big.value.messages()[0]
    ok = admin.put("/api/reports/template", content=body)
    assert ok.status_code == 200 and ok.json() == {"stored": True, "bytes": len(body)}
    out = write_report(p, 2019, tmp_path / "out", formats=("docx",))
    doc = Document(out["docx"])
    assert doc.styles["Normal"].font.name == "仿宋_GB2312"  # the county's styles
    assert "安化县发展和改革局文件" in "".join(x.text for s in doc.sections for x in s.header.paragraphs)
    texts = [x.text for x in doc.paragraphs]
    assert "模板正文（生成报告时删除）" not in texts and any("2019年度评估报告" in x for x in texts)
    assert round(doc.sections[-1].page_width.mm) == 210
    cell_runs = [r for t in doc.tables for c in t.rows[1].cells for p_ in c.paragraphs for r in p_.runs]
    assert cell_runs and all(r.font.name is None for r in cell_runs)  # the template's faces, not ours


MODULES = ROOT / "src/carbonpeak/services/reports"


def test_report_modules_are_small():
    """Modules < 400 lines, functions < 50 lines (the report code was three long functions)."""
    for path in [*MODULES.glob("*.py"), MODULES.parent / "report_files.py"]:
        src = path.read_text(encoding="utf-8")
        assert len(src.splitlines()) < 400, path.name
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 < 50, f"{path.name}:{node.name}"
