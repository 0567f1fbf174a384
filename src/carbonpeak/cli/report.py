"""`carbonpeak report`, `dispatch`, `open-data`: the annual assessment, the dispatch report, open data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..services import report_files, reports
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app


@app.command()
def report(year: Annotated[int, typer.Option(help="年份 / year")],
           out: Annotated[Path, typer.Option(help="输出目录 / output folder")] = Path("."),
           lang: LangOpt = None) -> None:
    """年度评估报告（Word 与 Excel）/ the annual assessment report (.docx and .xlsx)."""
    s = _settings(lang)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("年度评估报告" if s.lang == "zh" else "assessment report", total=11)

        def step(name: str, i: int, n: int) -> None:
            label = report_files.STEP_LABELS.get(name, (name, name))[s.lang == "en"]
            bar.update(task, completed=i, total=n, description=label)

        res = _run(s, lambda: report_files.write_report(_platform(s), year, out, s.lang, step))
    for fmt in ("docx", "xlsx"):
        print(res[fmt])
    for note in res["model"]["flags"]["notes"]:  # 示例数据 / 代用因子 (services/flags.py)
        print(note)
    for m in res["model"]["missing"]:
        print(("缺失：" if s.lang == "zh" else "missing: ") + m)


@app.command()
def dispatch(start: Annotated[str, typer.Option(help="开始日期 YYYY-MM-DD")],
             end: Annotated[str, typer.Option(help="结束日期 YYYY-MM-DD")],
             by: Annotated[str, typer.Option(help="department（部门，任务）或 township（乡镇，项目）")] = "department",
             out: Annotated[Path | None, typer.Option(help="另存为 CSV/XLSX")] = None,
             fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """调度通报：各部门/乡镇本期承诺、完成、未完成 / dispatch report for a period."""
    s = _settings(lang)
    d = _run(s, lambda: reports.dispatch(_platform(s), date.fromisoformat(start), date.fromisoformat(end), by, s.lang))
    rows = reports.dispatch_rows(d)
    if out is not None:
        out.write_bytes(report_files.rows_to_xlsx(rows, "调度通报") if out.suffix.lower() == ".xlsx"
                        else report_files.rows_to_csv(rows))
    if fmt is Fmt.json:
        print(r.to_json(d))
        return
    if fmt is Fmt.csv:
        print(report_files.rows_to_csv(rows).decode("utf-8-sig"), end="")
        return
    con = r.console()
    con.print(d["rule"])
    con.print(r.table(f"{d['start']} – {d['end']}", ["名称", "承担", "本期承诺", "完成", "未完成", "未完成事项"],
                      [[x["name"], str(x["assigned"]), str(x["committed"]), str(x["done"]), str(x["missed"]),
                        x["items_missed"][:80]] for x in rows]))


@app.command("open-data")
def open_data(name: Annotated[str, typer.Argument(help="indicators | inventory | targets | supervision")],
              out: Annotated[Path, typer.Option(help="CSV 或 XLSX 文件")],
              year: Annotated[int | None, typer.Option(help="年份")] = None, lang: LangOpt = None) -> None:
    """导出开放数据（含每个数字的来源）/ export a published data set with provenance."""
    s = _settings(lang)
    rows = _run(s, lambda: reports.open_dataset(_platform(s), name, year, s.lang))
    out.write_bytes(report_files.rows_to_xlsx(rows, name) if out.suffix.lower() == ".xlsx" else report_files.rows_to_csv(rows))
    print(f"{out}: {len(rows)}")
