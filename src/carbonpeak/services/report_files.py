"""Report files: the annual assessment written as Word (.docx, an official A4 document) and Excel
(.xlsx), with charts; tables as CSV/XLSX downloads. The layout lives in services/reports/
(docx_writer, xlsx_writer, charts); every figure comes from services/reports/assessment.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..tabular import neutralise, neutralise_row
from .platform import Platform
from .reporting.freeze import report_model as frozen_report
from .reporting.frozen import settle
from .reports import STEP_NAMES, Progress, assessment
from .reports import template as county_template
from .reports.charts import charts
from .reports.docx_writer import write_docx
from .reports.xlsx_writer import write_xlsx

__all__ = ["STEP_LABELS", "charts", "rows_to_csv", "rows_to_xlsx", "write_docx", "write_report", "write_xlsx"]


def write_report(platform: Platform, year: int, folder: Path, lang: str = "zh", progress: Progress | None = None,
                 formats: tuple[str, ...] = ("docx", "xlsx"), organisation: str | None = None) -> dict[str, Any]:
    """Compute the assessment of ``year`` (a frozen year: take its latest frozen version) and write
    it to ``folder``: {format: path, "model": Assessment}.
    The Word file uses the county's own template when one is stored (reports/template.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda *_: None)
    total = 8 + 1 + len(formats)
    model = frozen_report(platform, year, lang, organisation)  # a frozen year: its latest version, as kept
    if model is None:
        model = assessment(platform, year, lang, progress=lambda name, i, n: say(name, i, total), organisation=organisation)
    say("charts", 9, total)
    pictures = charts(model, folder)
    stem = f"assessment_{year}_{lang}"
    out: dict[str, Any] = {}
    for i, fmt in enumerate(formats, start=10):
        say(fmt, i, total)
        target = folder / f"{stem}.{fmt}"
        out[fmt] = (write_docx(model, pictures, target, county_template.current(platform)) if fmt == "docx"
                    else write_xlsx(model, pictures, target))
        if "frozen" in model.flags:  # a frozen version: the same bytes every time it is written
            settle(out[fmt], model.flags["frozen"]["frozen_at"])
    out["model"] = model
    return out


def rows_to_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writerow({k: neutralise(k) for k in rows[0]})
        w.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def _cells(values) -> list[Any]:
    return neutralise_row(v if isinstance(v, (int, float, str)) or v is None else str(v) for v in values)


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
