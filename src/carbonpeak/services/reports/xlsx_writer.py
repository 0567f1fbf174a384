"""The annual assessment as an Excel workbook: the same tables as the Word file, Chinese headers
and codes, values kept exact and shown rounded by number format (labels.excel_format), native
charts; every text cell neutralised against formula injection (tabular.neutralise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...domain.labels import CONVENTIONS, LIGHTS, UNITS, excel_format, pick, say
from ...tabular import neutralise, neutralise_row
from . import carbon_section, tables
from .model import Assessment


def _cells(values) -> list[Any]:
    return neutralise_row(v if isinstance(v, (int, float, str)) or v is None else str(v) for v in values)


def _sheet(wb, title: str, headers: list[str], rows: list[list[Any]], first: bool = False, units: list[str] | None = None):
    from openpyxl.styles import Font

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    unit_col = headers.index("单位") if "单位" in headers else None
    for r in rows:
        ws.append(_cells(r))
        unit = str(r[unit_col]) if unit_col is not None else ""
        for cell in ws[ws.max_row]:
            kind = (units or [])[cell.column - 1] if cell.column <= len(units or []) else ""
            fmt = None if kind == "f" else excel_format(cell.value, unit if kind == "u" else "%" if kind == "p" else "")
            if fmt:
                cell.number_format = fmt
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = min(60, max(10, max(len(str(c.value or "")) for c in col) + 4))
    return ws


def _table_sheet(wb, title: str, table: tables.Table, first: bool = False):
    headers, rows, kinds = table
    return _sheet(wb, title, headers, rows, first, kinds)


def write_xlsx(a: Assessment, pictures: dict[str, Path], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    _targets(wb, a)
    _barometer(wb, a, pictures)
    _inventory(wb, a, pictures)
    _table_sheet(wb, pick("重点用能单位", "key units", a.lang), tables.units(a))
    _table_sheet(wb, pick("任务", "tasks", a.lang), tables.tasks(a))
    _table_sheet(wb, pick("项目", "projects", a.lang), tables.projects(a))
    if a.supervision is not None and a.supervision.inspections:
        _table_sheet(wb, pick("节能监察", "supervision", a.lang), tables.supervision(a))
        _table_sheet(wb, pick("违法用能单位", "violators", a.lang), tables.violators(a))
    for kind, value in carbon_section.blocks(a):  # 碳排放双控: one sheet per table, as in the Word file
        if kind == "table":
            _table_sheet(wb, value[0], value[1])
    _sheet(wb, pick("数据说明", "annex", a.lang), *tables.annex(a)[:2])
    ws = wb[pick("数据说明", "annex", a.lang)]
    for m in a.missing:
        ws.append(_cells([m, pick("缺失", "missing", a.lang), "—"]))
    wb.save(path)
    return path


def _targets(wb, a: Assessment) -> None:
    from openpyxl.styles import Font

    lg = a.lang
    headers = [pick(h, e, lg) for h, e in (("编号", "id"), ("目标", "target"), ("评价", "light"), ("实际值", "actual"),
                                           ("应达值", "expected"), ("目标值", "target"), ("单位", "unit"), ("规则", "rule"),
                                           ("判定", "why"), ("基期", "base"))]
    rows = [[t.id, t.name, say(LIGHTS, t.light, lg), t.actual, t.expected, t.target_value,
             say(UNITS, t.unit, lg) or t.unit,
             t.rule, t.why, f"{t.assumption}：{t.base_note}" if t.assumption else ""]
            for t in a.target_rows]
    ws = _sheet(wb, pick("目标", "targets", lg), headers, rows, first=True, units=["", "", "", "u", "u", "u"])
    ws.insert_rows(1)
    ws["A1"] = neutralise(a.title)
    ws["A1"].font = Font(bold=True, size=14)


def _barometer(wb, a: Assessment, pictures: dict[str, Path]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image

    counts = wb.create_sheet(pick("目标评价", "barometer", a.lang))
    counts.append([pick("评价", "light", a.lang), pick("项数", "count", a.lang)])
    for k in ("green", "yellow", "red", "grey"):
        counts.append(_cells([say(LIGHTS, k, a.lang), a.targets.counts.get(k, 0)]))
    chart = BarChart()
    chart.title = pick(f"{a.year}年目标评价", f"Targets {a.year}", a.lang)
    chart.add_data(Reference(counts, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(counts, min_col=1, min_row=2, max_row=5))
    counts.add_chart(chart, "D2")
    counts.add_image(Image(str(pictures["barometer"])), "D18")


def _inventory(wb, a: Assessment, pictures: dict[str, Path]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image

    lg = a.lang
    if a.inventory is None:
        _sheet(wb, pick("清单", "inventory", lg), [pick("说明", "note", lg)], [[m] for m in a.missing])
        return
    ws = _table_sheet(wb, pick("清单", "inventory", lg), tables.sectors(a))
    n = len(a.inventory["by_sector"])
    bc = BarChart()
    bc.type, bc.title = "bar", pick("分部门二氧化碳排放（含电力，吨）", "CO2 by sector (with electricity, t)", lg)
    bc.add_data(Reference(ws, min_col=5, min_row=1, max_row=n + 1), titles_from_data=True)
    bc.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    bc.height, bc.width = 10, 18
    ws.add_chart(bc, "G2")
    if "sectors" in pictures:
        ws.add_image(Image(str(pictures["sectors"])), "G24")
    headers, rows, kinds = tables.indicators(a)
    codes = tables.indicator_codes(a)
    _sheet(wb, pick("指标", "indicators", lg),
           headers + [pick("电力折标", "electricity convention", lg), pick("价格基年", "price base year", lg),
                      pick("指标代码", "indicator code", lg), pick("口径代码", "basis code", lg), pick("折标代码", "convention code", lg)],
           [r + [say(CONVENTIONS, c[2], lg), c[3], c[0], c[1], c[2]] for r, c in zip(rows, codes)], units=kinds)
    _table_sheet(wb, pick("因子来源", "factors", lg), tables.factors(a))

