"""The factor library as rows, and the import templates (XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain.findings import InputIssue
from ..refdata import load_catalogue
from ..tabular import neutralise, neutralise_row
from .errors import InputRejected
from .platform import Reference

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "activity": [("年份", "year"), ("地区", "region"), ("部门", "sector"), ("能源品种", "carrier"), ("数量", "quantity"),
                 ("单位", "unit"), ("用途", "use: 燃料 | 原料"), ("来源", "source"), ("示例数据", "illustrative: 是 | 否")],
    "gdp": [("年份", "year"), ("地区", "region"), ("地区生产总值", "GDP, current prices"), ("单位", "unit: 亿元 | 万元"),
            ("发展速度", "volume index, previous year = 100"), ("来源", "source"), ("示例数据", "illustrative: 是 | 否")],
    "observations": [("目标编号", "target id, e.g. T24"), ("年份", "year"), ("数值", "value in the target's unit"),
                     ("来源", "source"), ("示例数据", "illustrative: 是 | 否")],
    "parcels": [("年份", "inventory year"), ("乡镇", "township"), ("村", "village"), ("小班号", "parcel id"),
                ("地类", "land type, e.g. 乔木林地, 竹林地"), ("森林类别", "forest category"),
                ("优势树种组", "species group, e.g. 杉木, 马尾松, 阔叶混"), ("起源", "origin"), ("龄组", "age class"),
                ("面积", "area [ha]"), ("每公顷蓄积", "stem volume [m³/ha]"), ("来源", "source"),
                ("示例数据", "illustrative: 是 | 否")],
    "project_progress": [("项目编号", "project id, e.g. P17-03"), ("年份", "year"),
                         ("本年投运规模", "put into service in the year (not a running total)"),
                         ("单位", "unit (default: the project's)"), ("本年完成投资", "investment completed [10⁴ yuan]"),
                         ("状态", "status: 计划 | 在建 | 已建成 | 延期 | 取消"), ("来源", "source"), ("备注", "note"),
                         ("示例数据", "illustrative: 是 | 否")],
}


def factor_rows(ref: Reference, kind: str | None = None) -> list[dict[str, Any]]:
    t = ref.factors.table
    if kind:
        t = t[t["kind"] == kind]
    out = []
    for rec in t.drop(columns=["canonical"]).to_dict("records"):
        rec["year"] = None if rec["year"] is None or str(rec["year"]) == "<NA>" else int(rec["year"])
        out.append(rec)
    return out


def quota_rows(ref: Reference) -> list[dict[str, Any]]:
    """Building quotas per type and climate zone: constraint and guide side by side, with status,
    source and whether the county set them."""
    t = ref.factors.of_kind("building_quota")
    rows: dict[tuple, dict[str, Any]] = {}
    for r in t.itertuples():
        row = rows.setdefault((r.carrier, r.geography), {"type": r.carrier, "zone": r.geography, "unit": "kWh/(m²·a)"})
        row[r.parameter] = float(r.canonical)
        row[f"{r.parameter}_status"] = r.status
        row[f"{r.parameter}_source"] = r.source_document
        row["county"] = row.get("county", False) or r.release == "county"
    return sorted(rows.values(), key=lambda x: (x["type"], x["zone"]))


def write_template(out: Path, kind: str = "activity") -> Path:
    if kind not in TEMPLATES:
        raise InputRejected([InputIssue("input.bad_value", "--kind", None, "kind",
                                        {"value": kind, "reason": f"one of {sorted(TEMPLATES)}"})])
    cols = TEMPLATES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = {"activity": "活动数据", "gdp": "地区生产总值", "observations": "目标实际值", "parcels": "小班调查",
                "project_progress": "项目进展"}[kind]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, (zh, en) in enumerate(cols, 1):
        c = ws.cell(row=1, column=i, value=neutralise(zh))
        c.font, c.fill = bold, fill
        ws.column_dimensions[c.column_letter].width = max(12, len(en) // 2 + 8)
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("说明 Help")
    help_ws.append(["列 column", "含义 meaning"])
    for zh, en in cols:
        help_ws.append(neutralise_row([zh, en]))
    if kind == "activity":
        catalogue = load_catalogue()
        lists = wb.create_sheet("能源品种 Carriers")
        lists.append(["能源品种", "English", "计量单位 canonical unit", "类别 category"])
        for c in catalogue.carriers.values():
            lists.append(neutralise_row([c.name, c.name_en, c.canonical_unit, c.category]))
        n = len(catalogue.carriers) + 1
        dv = DataValidation(type="list", formula1=f"='能源品种 Carriers'!$A$2:$A${n}", allow_blank=False,
                            showErrorMessage=True, errorTitle="能源品种", error="请从列表中选择 GB/T 2589 能源品种名称")
        ws.add_data_validation(dv)
        dv.add("D2:D5000")
        use = DataValidation(type="list", formula1='"燃料,原料"', allow_blank=True)
        ws.add_data_validation(use)
        use.add("G2:G5000")
        help_ws.append([])
        help_ws.append(["单位示例 units", "吨 t 万吨 | 万立方米 万m³ m³ | 千瓦时 kWh 万千瓦时 万kWh 亿千瓦时 | GJ 吉焦"])
        help_ws.append(["电力生产", "本地发电量请用能源品种 水力发电/风力发电/太阳能发电/生物质发电/火力发电，部门填“电力生产”"])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
