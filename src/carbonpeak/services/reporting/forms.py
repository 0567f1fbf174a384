"""The Excel form of one period (填报表): download it, fill the 数值 column, upload it again.

Columns: 填报任务 (obligation), 报告期 (period), 字段 (field), 项目 (label), 数值 (value), 单位 (unit).
An uploaded file is read with the import limits (tabular.read_table); a file of another
obligation or period, a row of an unknown field or a cell that is not a number is refused naming
its row and column, and nothing is saved.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ...domain.findings import InputIssue
from ...domain.reporting import FieldSpec
from ...tabular import map_headers, neutralise_row, read_table
from ..errors import InputRejected

HEADERS = {"code": ("填报任务", "obligation"), "period": ("报告期", "period"), "field": ("字段", "field"),
           "label": ("项目", "label"), "value": ("数值", "value"), "unit": ("单位", "unit")}


def form_xlsx(code: str, period: str, fields: list[FieldSpec], values: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "填报表"
    ws.append([zh for zh, _ in HEADERS.values()])
    for f in fields:
        ws.append(neutralise_row([code, period, f.name, f.label_zh, values.get(f.name), f.unit]))
    for col, width in zip("ABCDEF", (14, 10, 10, 40, 14, 10)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_form(path: Path, name: str, code: str, period: str,
              fields: list[FieldSpec]) -> tuple[dict[str, Any], dict[str, str]]:
    """The values and units of an uploaded form (refused naming row and column when it is not one
    of ``code`` for ``period``)."""
    df, issues = read_table(path, name)
    if df is None or issues:
        raise InputRejected(issues or [InputIssue("input.file_empty", name, None, None, {})])
    spec = {zh: (en, key) for key, (zh, en) in HEADERS.items()}  # the Chinese header is the one a message names
    df, issues = map_headers(df, spec, tuple(HEADERS[k][0] for k in ("code", "period", "field", "value")), name)
    if issues:
        raise InputRejected(issues)
    df = df.rename(columns={zh: key for key, (zh, _) in HEADERS.items()})
    known = {f.name for f in fields}
    values, units, bad = {}, {}, []
    for r in df.itertuples():
        if str(r.code).strip() != code or str(r.period).strip() != period:
            bad.append(InputIssue("input.bad_value", name, int(r.row), "填报任务",
                                  {"value": f"{r.code} {r.period}"[:40], "reason": f"本表应为 {code} {period} / this form is for {code} {period}"}))
        elif str(r.field).strip() not in known:
            bad.append(InputIssue("reporting.unknown_field", name, int(r.row), "字段", {"value": str(r.field)[:40]}))
        else:
            values[str(r.field).strip()] = r.value
            if getattr(r, "unit", None):
                units[str(r.field).strip()] = str(r.unit).strip()
    if bad:
        raise InputRejected(bad)
    return values, units
