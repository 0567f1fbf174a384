"""`carbonpeak report`, `dispatch`, `open-data`: the annual assessment, the dispatch report, open data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..services import dispatch_report, report_files, reports
from ..services.reports import office
from ..services.reports import template as report_template
from ..services.users import Principal
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app


@app.command()
def report(year: Annotated[int, typer.Option(help="年份 / year")],
           out: Annotated[Path, typer.Option(help="输出目录 / output folder")] = Path("."),
           lang: LangOpt = None,
           org: Annotated[str | None, typer.Option(help="编制单位 / issuing body (default: the county's 发展和改革局)")] = None,
           pdf: Annotated[bool, typer.Option(help="另存 PDF（需 LibreOffice）/ also write a PDF (LibreOffice)")] = False) -> None:
    """年度评估报告（Word 与 Excel，A4 公文格式）/ the annual assessment report (.docx and .xlsx)."""
    s = _settings(lang)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("年度评估报告" if s.lang == "zh" else "assessment report", total=11)

        def step(name: str, i: int, n: int) -> None:
            label = report_files.STEP_LABELS.get(name, (name, name))[s.lang == "en"]
            bar.update(task, completed=i, total=n, description=label)

        res = _run(s, lambda: report_files.write_report(_platform(s), year, out, s.lang, step, organisation=org))
    if pdf:
        res["pdf"] = _run(s, lambda: office.to_pdf(res["docx"]))
    for fmt in ("docx", "xlsx", "pdf"):
        if fmt in res:
            print(res[fmt])
    for note in res["model"].flags["notes"]:  # 示例数据 / 代用因子
        print(note)
    for m in res["model"].missing:
        print(("缺失：" if s.lang == "zh" else "missing: ") + m)


@app.command()
def dispatch(start: Annotated[str, typer.Option(help="开始日期 YYYY-MM-DD")],
             end: Annotated[str, typer.Option(help="结束日期 YYYY-MM-DD")],
             by: Annotated[str, typer.Option(help="department（部门，任务）或 township（乡镇，项目）")] = "department",
             out: Annotated[Path | None, typer.Option(help="另存为 CSV/XLSX")] = None,
             fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """调度通报：各部门/乡镇本期承诺、完成、未完成 / dispatch report for a period."""
    s = _settings(lang)
    d = _run(s, lambda: dispatch_report.dispatch(_platform(s), date.fromisoformat(start), date.fromisoformat(end), by, s.lang))
    rows = dispatch_report.dispatch_rows(d)
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
    con.print(r.table(f"{d['start']} – {d['end']}", ["名称", "承担", "本期承诺", "完成", "未完成", "整改逾期", "未完成事项"],
                      [[x["name"], str(x["assigned"]), str(x["committed"]), str(x["done"]), str(x["missed"]),
                        str(x.get("rectifications_overdue", "—")), x["items_missed"][:80]] for x in rows
                       if x["level"] != "unit"]))
    if d["punctuality"]:
        con.print(r.table("报送及时率 / reporting on time", ["责任单位/重点用能单位", "应报", "按时", "逾期报送", "仍未报送", "按时率"],
                          [[u["name"], str(u["reports_due"]), str(u["reports_on_time"]), str(u["reports_late"]),
                            str(u["reports_overdue"]), "—" if u["reports_on_time_rate"] is None
                            else f"{u['reports_on_time_rate']}%"] for u in d["punctuality"]]))


@app.command("open-data")
def open_data(name: Annotated[str, typer.Argument(help="indicators | inventory | targets | supervision")],
              out: Annotated[Path, typer.Option(help="CSV 或 XLSX 文件")],
              year: Annotated[int | None, typer.Option(help="年份")] = None, lang: LangOpt = None) -> None:
    """导出开放数据（含每个数字的来源）/ export a published data set with provenance."""
    s = _settings(lang)
    rows = _run(s, lambda: reports.open_dataset(_platform(s), name, year, s.lang))
    out.write_bytes(report_files.rows_to_xlsx(rows, name) if out.suffix.lower() == ".xlsx" else report_files.rows_to_csv(rows))
    print(f"{out}: {len(rows)}")


@app.command("report-template")
def report_template_cmd(file: Annotated[Path | None, typer.Argument(help="Word 模板 .docx")] = None,
                        clear: Annotated[bool, typer.Option(help="删除模板，恢复默认格式 / remove the template")] = False,
                        lang: LangOpt = None) -> None:
    """本县报告的 Word 模板（样式、版头）/ the county's Word template of the report (administrators)."""
    s = _settings(lang)
    p = _platform(s)
    who = Principal(0, s.actor, "admin")  # whoever runs the CLI on the server holds the database
    if clear:
        _run(s, lambda: report_template.clear(p, who))
        print("已删除模板 / template removed")
    elif file is not None:
        print(_run(s, lambda: report_template.store(p, file.read_bytes(), who, file.name)))
    else:
        print(report_template.current(p) or "未设置模板（使用默认格式）/ no template (default layout)")
