"""Report files: the annual assessment as Word (.docx, python-docx) and Excel (.xlsx, openpyxl,
with native charts), charts drawn by matplotlib with a CJK font; tables as CSV/XLSX downloads.

Layout only: every figure comes from services/reports.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..tabular import neutralise, neutralise_row
from .indicators import display
from .platform import Platform
from .reports import STEP_NAMES, TASK_STATES, Progress, assessment

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
             "SimHei", "PingFang SC"]
LIGHT_COLOURS = {"green": "#2e9d4f", "yellow": "#e0a800", "red": "#d64541", "grey": "#9aa5b1"}
LIGHT_ZH = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰（无数据）"}
STATE_ZH = {"done": "已完成", "on_track": "推进中", "late": "滞后"}
PROJECT_ZH = {"planned": "计划", "under_construction": "在建", "completed": "已建成", "delayed": "延期", "cancelled": "取消"}


def _tr(mapping: dict[str, str], key: str, lang: str) -> str:
    return key if lang == "en" else mapping.get(key, key)


def cjk_font() -> str | None:
    """The first CJK font matplotlib can find (None: chart text would not render; the annex says so)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def charts(model: dict[str, Any], folder: Path) -> dict[str, Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = [font]
    plt.rcParams["axes.unicode_minus"] = False
    zh = model["lang"] != "en"
    out: dict[str, Path] = {}
    counts = model["targets"]["counts"]
    fig, ax = plt.subplots(figsize=(6, 2.6), dpi=150)
    keys = ["green", "yellow", "red", "grey"]
    ax.bar([_tr(LIGHT_ZH, k, model["lang"]) for k in keys], [counts.get(k, 0) for k in keys],
           color=[LIGHT_COLOURS[k] for k in keys])
    ax.set_title(f"{model['year']}年目标晴雨表（项）" if zh else f"Target barometer {model['year']} (count)")
    for i, k in enumerate(keys):
        ax.annotate(str(counts.get(k, 0)), (i, counts.get(k, 0)), ha="center", va="bottom")
    fig.tight_layout()
    out["barometer"] = folder / "barometer.png"
    fig.savefig(out["barometer"])
    plt.close(fig)
    series = [s for s in model.get("series", []) if s.get("energy_total:raw") is not None]
    if series:
        fig, ax = plt.subplots(figsize=(6, 2.8), dpi=150)
        years = [str(s["year"]) + ("*" if s["illustrative"] else "") for s in series]
        ax.bar(years, [s["energy_total:raw"] / 1e4 for s in series], color="#9cc9b9",
               label="能源消费量（万吨标准煤）" if zh else "energy (10⁴ tce)")
        ax2 = ax.twinx()
        ax2.plot(years, [(s.get("co2_total:territorial") or 0) / 1e4 for s in series], color="#0f6e56", marker="o",
                 label="属地二氧化碳排放（万吨）" if zh else "territorial CO2 (10⁴ t)")
        ax.set_title("能源消费与碳排放（*示例数据）" if zh else "Energy and CO2 (* illustrative)")
        fig.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        out["trend"] = folder / "trend.png"
        fig.savefig(out["trend"])
        plt.close(fig)
    inv = model.get("inventory")
    if inv:
        rows = sorted(inv["by_sector"], key=lambda r: r["co2_t"])
        fig, ax = plt.subplots(figsize=(6, 3.2), dpi=150)
        ax.barh([r["sector"] for r in rows], [r["co2_t"] / 1e4 for r in rows], color="#0f6e56")
        ax.set_xlabel("二氧化碳（含电力，万吨）" if zh else "CO2 with electricity (10⁴ t)")
        ax.tick_params(axis="y", labelsize=7)
        fig.tight_layout()
        out["sectors"] = folder / "sectors.png"
        fig.savefig(out["sectors"])
        plt.close(fig)
    return out


def _num(v: Any, d: int = 0) -> str:
    if v is None:
        return "—"
    if isinstance(v, (int, float)):
        return f"{v:,.{d}f}"
    return str(v)


# Tables both files show, as (headers, rows).

def _sector_table(model: dict[str, Any], zh: bool) -> tuple[list[str], list[list[Any]]]:
    return (["部门", "能耗 tce", "直接 CO2 t", "电力 CO2 t", "合计 CO2 t"] if zh else
            ["sector", "energy tce", "direct CO2 t", "electricity CO2 t", "total CO2 t"],
            [[r["sector"], r["energy_tce"], r["co2_direct_t"], r["co2_electricity_t"], r["co2_t"]]
             for r in model["inventory"]["by_sector"]])


def _task_table(model: dict[str, Any], zh: bool) -> tuple[list[str], list[list[Any]]]:
    return (["责任单位", "任务数", "已完成", "推进中", "滞后"] if zh else ["department", "tasks", "done", "on track", "late"],
            [[r["department"], r["tasks"], *[r[s] for s in TASK_STATES]] for r in model["tasks"]])


def _project_table(model: dict[str, Any], zh: bool) -> tuple[list[str], list[list[Any]]]:
    return (["项目类型", "项目数", *[PROJECT_ZH[s] for s in PROJECT_ZH]] if zh else ["type", "projects", *PROJECT_ZH],
            [[r["type"], r["projects"], *[r[s] for s in PROJECT_ZH]] for r in model["projects"]])


def write_docx(model: dict[str, Any], pictures: dict[str, Path], path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    zh = model["lang"] != "en"
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    for s in ("Title", "Heading 1", "Heading 2"):
        doc.styles[s].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")
    doc.add_heading(model["title"], level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{model['plan']['name']} · {'生成于' if zh else 'generated'} {model['generated_at']} · CarbonPeak 碳峰")

    def table(headers: list[str], rows: list[list[Any]], wide: int = 1):
        """A table whose column ``wide`` gets the room the text needs (page width 16 cm)."""
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Light Grid Accent 1"
        t.autofit = False
        narrow = 10.0 / max(1, len(headers) - 1) if len(headers) > 2 else 8.0
        widths = [Cm(6.0 if i == wide else narrow) for i in range(len(headers))]
        for i, h in enumerate(headers):
            t.rows[0].cells[i].text = str(h)
        for r in rows:
            cells = t.add_row().cells
            for i, v in enumerate(r):
                cells[i].text = v if isinstance(v, str) else _num(v, 2 if isinstance(v, float) and abs(v) < 100 else 0)
        for row in t.rows:
            for i, c in enumerate(row.cells):
                c.width = widths[i]
        return t

    if model["missing"]:
        doc.add_heading("缺失数据" if zh else "Missing data", level=1)
        for m in model["missing"]:
            doc.add_paragraph(m, style="List Bullet")

    doc.add_heading("一、目标完成情况" if zh else "1. Targets", level=1)
    bar = model["targets"]
    doc.add_paragraph(("规则：" if zh else "Rule: ") + bar["rule"])
    doc.add_picture(str(pictures["barometer"]), width=Cm(14))
    table(["编号", "目标（判定）", "灯", "实际值", "应达值", "目标值", "单位"] if zh else
          ["id", "target (why)", "light", "actual", "expected", "target", "unit"],
          [[t["id"], f"{t['name']}\n{_why(t)}", _tr(LIGHT_ZH, t["light"], model["lang"]), t["actual"], t["expected"],
            t["target_value"], t["unit"]] for t in bar["targets"]])

    doc.add_heading("二、能源消费与碳排放" if zh else "2. Energy and emissions", level=1)
    inv = model["inventory"]
    if inv is None:
        doc.add_paragraph(next((m for m in model["missing"] if "活动数据" in m or "activity data" in m), ""))
    else:
        t = inv["totals"]
        doc.add_paragraph((f"能源消费总量 {_num(t['energy_tce'])} 吨标准煤；属地二氧化碳排放 {_num(t['co2_territorial_t'])} 吨；"
                           f"含电力调入调出 {_num(t['co2_with_electricity_t'])} 吨。口径：{inv['convention']['text']}。")
                          if zh else
                          (f"Energy {_num(t['energy_tce'])} tce; territorial CO2 {_num(t['co2_territorial_t'])} t; with "
                           f"electricity {_num(t['co2_with_electricity_t'])} t. Convention: {inv['convention']['text']}."))
        if "trend" in pictures:
            doc.add_picture(str(pictures["trend"]), width=Cm(14))
        if "sectors" in pictures:
            doc.add_picture(str(pictures["sectors"]), width=Cm(14))
        table(*_sector_table(model, zh), wide=0)
        doc.add_heading("主要指标" if zh else "Indicators", level=2)
        table(["指标", "口径", "数值", "单位", "计算依据", "公式"] if zh else
              ["indicator", "basis", "value", "unit", "convention and prices", "formula"],
              [[h["code"], h.get("basis", ""), display(h["value"]), h.get("unit", ""), h.get("qualifier", ""),
                h.get("formula", "")] for h in model["indicators"]], wide=5)
        doc.add_heading("方法与因子来源" if zh else "Method and factor sources", level=2)
        doc.add_paragraph(("因子版本：" if zh else "Factor releases: ") + ", ".join(inv["factor_releases"]))
        table(["编号", "参数", "数值", "单位", "来源", "状态"] if zh else ["id", "parameter", "value", "unit", "source", "status"],
              [[f["id"], f["parameter"], str(f["value"]), f["unit"], f["source"], f["status"]] for f in inv["factors"]], wide=4)

    doc.add_heading("三、重点用能单位" if zh else "3. Key energy-using units", level=1)
    m = model["monitoring"]
    if m is None:
        doc.add_paragraph("没有重点用能单位名录。" if zh else "No key energy-using units registered.")
    else:
        table(["单位", "类别", "能耗 tce", "CO2 t", "预算", "数据问题"] if zh else ["unit", "category", "energy tce", "CO2 t", "budget", "data findings"],
              [[u["name"], u["category"], u["energy_tce"], u["co2_t"],
                _tr(LIGHT_ZH, (u["budget"] or {}).get("light", "grey"), model["lang"]), str(u["findings"])] for u in m["units"]],
              wide=0)

    doc.add_heading("四、任务与项目" if zh else "4. Tasks and projects", level=1)
    table(*_task_table(model, zh), wide=0)
    doc.add_paragraph("")
    table(*_project_table(model, zh), wide=0)

    doc.add_heading("五、碳汇与公共建筑" if zh else "5. Sinks and public buildings", level=1)
    s = model["sinks"]
    if s and s.get("sink"):
        doc.add_paragraph((f"森林碳汇（{s['sink']['from']}–{s['sink']['to']}年储量差法）：{_num(s['sink']['total_tco2_per_year'])} 吨CO2/年。方法：{s['method']}")
                          if zh else f"Forest sink ({s['sink']['from']}–{s['sink']['to']}, stock difference): "
                          f"{_num(s['sink']['total_tco2_per_year'])} tCO2/yr. Method: {s['method']}")
    b = model["buildings"]
    if b:
        doc.add_paragraph(("公共建筑能效等级（栋）：" if zh else "Public-building grades (count): ")
                          + "，".join(f"{g}级 {n}" for g, n in b["grades"].items())
                          + ("；超约束值：" if zh else "; over the constraint: ") + (", ".join(b["over_constraint"]) or "—"))

    doc.add_heading("附件：数据质量与来源说明" if zh else "Annex: data quality and provenance", level=1)
    table(["内容", "状态", "来源"] if zh else ["what", "status", "source"],
          [[a["what"], a["status"], a["source"]] for a in model["annex"]] or [["—", "—", "—"]], wide=0)
    doc.save(path)
    return path


def write_xlsx(model: dict[str, Any], pictures: dict[str, Path], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    zh = model["lang"] != "en"
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list[Any]], first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(headers)
        for c in ws[1]:
            c.font = bold
        for r in rows:
            ws.append(_cells(r))
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, max(len(str(c.value or "")) for c in col) + 2))
        return ws

    ws = sheet("目标" if zh else "targets",
               ["编号", "目标", "灯", "实际值", "应达值", "目标值", "单位", "规则", "判定", "基期"] if zh else
               ["id", "target", "light", "actual", "expected", "target", "unit", "rule", "why", "base"],
               [[t["id"], t["name"], _tr(LIGHT_ZH, t["light"], model["lang"]), t["actual"], t["expected"], t["target_value"],
                 t["unit"], t["rule"], t["why"], _why(t, base_only=True)] for t in model["targets"]["targets"]], first=True)
    ws.insert_rows(1)
    ws["A1"] = neutralise(model["title"])
    ws["A1"].font = Font(bold=True, size=14)
    counts = wb.create_sheet("晴雨表" if zh else "barometer")
    counts.append(["灯" if zh else "light", "项" if zh else "count"])
    for k in ("green", "yellow", "red", "grey"):
        counts.append(_cells([_tr(LIGHT_ZH, k, model["lang"]), model["targets"]["counts"].get(k, 0)]))
    chart = BarChart()
    chart.title = f"{model['year']}年目标晴雨表" if zh else f"Target barometer {model['year']}"
    chart.add_data(Reference(counts, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(counts, min_col=1, min_row=2, max_row=5))
    counts.add_chart(chart, "D2")
    counts.add_image(Image(str(pictures["barometer"])), "D18")
    inv = model["inventory"]
    if inv is None:
        sheet("清单" if zh else "inventory", ["说明" if zh else "note"], [[m] for m in model["missing"]])
    else:
        ws = sheet("清单" if zh else "inventory", *_sector_table(model, zh))
        n = len(inv["by_sector"])
        ws.append(_cells(["合计" if zh else "total", inv["totals"]["energy_tce"], inv["totals"]["co2_territorial_t"],
                          inv["totals"]["co2_electricity_net_import_t"], inv["totals"]["co2_with_electricity_t"]]))
        bc = BarChart()
        bc.type = "bar"
        bc.title = "分部门二氧化碳（含电力）" if zh else "CO2 by sector (with electricity)"
        bc.add_data(Reference(ws, min_col=5, min_row=1, max_row=n + 1), titles_from_data=True)
        bc.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        bc.height, bc.width = 10, 18
        ws.add_chart(bc, "G2")
        if "sectors" in pictures:
            ws.add_image(Image(str(pictures["sectors"])), "G24")
        sheet("指标" if zh else "indicators", ["指标", "口径", "数值", "单位", "计算依据", "电力折标", "价格基年", "公式", "输入"]
              if zh else ["indicator", "basis", "value", "unit", "convention and prices", "convention", "price base year",
                          "formula", "inputs"],
              [[h["code"], h.get("basis", ""), h["value"], h.get("unit", ""), h.get("qualifier", ""),
                h.get("convention", ""), h.get("price_base_year"), h.get("formula", ""), str(h.get("inputs", ""))]
               for h in model["indicators"]])
        sheet("因子来源" if zh else "factors", ["编号", "版本", "参数", "数值", "单位", "来源", "来源表", "状态"] if zh else
              ["id", "release", "parameter", "value", "unit", "source", "table", "status"],
              [[f["id"], f["release"], f["parameter"], f["value"], f["unit"], f["source"], f.get("table", ""), f["status"]]
               for f in inv["factors"]])
    m = model["monitoring"]
    sheet("重点用能单位" if zh else "key units", ["单位", "统一社会信用代码", "类别", "能耗 tce", "CO2 t", "预算", "预算比值", "数据问题"] if zh else
          ["unit", "USCC", "category", "energy tce", "CO2 t", "budget", "ratio", "data findings"],
          [[u["name"], u["uscc"], u["category"], u["energy_tce"], u["co2_t"], (u["budget"] or {}).get("light"),
            (u["budget"] or {}).get("ratio"), u["findings"]] for u in (m["units"] if m else [])])
    sheet("任务" if zh else "tasks", *_task_table(model, zh))
    sheet("项目" if zh else "projects", *_project_table(model, zh))
    sheet("数据说明" if zh else "annex", ["内容", "状态", "来源"] if zh else ["what", "status", "source"],
          [[m_] for m_ in model["missing"]] + [[a["what"], a["status"], a["source"]] for a in model["annex"]])
    wb.save(path)
    return path


def _why(t: dict[str, Any], base_only: bool = False) -> str:
    """Beside each light: which branch of the barometer rule decided it, and an assumed base marked."""
    base = f"{t['assumption']}：{t['base_note']}" if t.get("assumption") else ""
    return base if base_only else t["why"] + (f"（{t['assumption']}）" if t.get("assumption") else "")


def _cells(values) -> list[Any]:
    """One spreadsheet row: numbers and text as they are, anything else as text, and text that a
    spreadsheet would evaluate as a formula neutralised (tabular.neutralise)."""
    return neutralise_row(v if isinstance(v, (int, float, str)) or v is None else str(v) for v in values)


def write_report(platform: Platform, year: int, folder: Path, lang: str = "zh", progress: Progress | None = None,
                 formats: tuple[str, ...] = ("docx", "xlsx")) -> dict[str, Path]:
    """Compute the assessment of ``year`` and write it to ``folder`` as .docx and .xlsx."""
    folder.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda *_: None)
    total = 8 + 1 + len(formats)
    model = assessment(platform, year, lang, progress=lambda name, i, n: say(name, i, total))
    if cjk_font() is None:
        model["annex"].append({"what": "charts", "status": "no CJK font found: chart labels may not render",
                               "source": "install fonts-noto-cjk"})
    say("charts", 9, total)
    pictures = charts(model, folder)
    stem = f"assessment_{year}_{lang}"
    out: dict[str, Path] = {}
    for i, fmt in enumerate(formats, start=10):
        say(fmt, i, total)
        out[fmt] = (write_docx if fmt == "docx" else write_xlsx)(model, pictures, folder / f"{stem}.{fmt}")
    out["model"] = model  # type: ignore[assignment]
    return out


def rows_to_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writerow({k: neutralise(k) for k in rows[0]})
        w.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def rows_to_xlsx(rows: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if rows:
        ws.append(_cells(rows[0]))
        for r in rows:
            ws.append(_cells(r.values()))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


STEP_LABELS = {**STEP_NAMES, "charts": ("图表", "charts"), "docx": ("Word 文档", "Word"), "xlsx": ("Excel 表格", "Excel")}
