"""`carbonpeak reporting …`: statistical reporting from the command line (cron, no terminal needed):
send the due-soon and overdue reminders, the overdue list (as XLSX for the leading group), the
obligations. The CLI acts as an administrator (whoever runs it on the server holds the database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..services import reporting as rep
from ..services.users import Principal
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app

reporting_app = typer.Typer(no_args_is_help=True, help="统计填报：提醒、逾期清单、填报任务 / statistical reporting")
app.add_typer(reporting_app, name="reporting")


def _admin(actor: str) -> Principal:
    return Principal(0, actor, "admin")


@reporting_app.command()
def remind(lang: LangOpt = None) -> None:
    """发送即将截止与逾期提醒（站内通知；配置邮件服务器时同时发邮件）。重复执行不重复提醒 /
    send the reminders now (once per account, period and kind: a second run sends nothing)."""
    s = _settings(lang)
    done = _run(s, lambda: rep.remind(_platform(s), _admin(s.actor)))
    print(f"通知 notified: {done.notified}  邮件 e-mailed: {done.emailed}"
          + (f"  未送达 refused: {', '.join(done.failed)}" if done.failed else ""))


@reporting_app.command()
def overdue(xlsx: Annotated[Path | None, typer.Option("--xlsx", help="另存逾期清单 XLSX / write the list as XLSX")] = None,
            fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """逾期未报清单（按责任单位）/ the overdue periods by department."""
    s = _settings(lang)
    p, who = _platform(s), _admin(s.actor)
    found = _run(s, lambda: rep.dispatch(p, who, lang=s.lang))
    if xlsx is not None:
        data = _run(s, lambda: rep.overdue_xlsx(p, who, lang=s.lang))
        try:
            xlsx.write_bytes(data)
        except OSError as exc:  # a folder that does not exist, no permission: named, no traceback
            print(f"--xlsx {xlsx}: 无法写入 / cannot be written ({exc.strerror})", file=sys.stderr)
            raise typer.Exit(1) from exc
    rows = [{"department": v.department, "obligation": v.title, "code": v.code, "period": v.period,
             "due": v.due_on.isoformat(), "days_overdue": (found.as_of - v.due_on).days, "status": v.status_name}
            for v in sorted(found.overdue, key=lambda x: (x.department, x.due_on, x.code))]
    if fmt is Fmt.json:
        print(r.to_json(rows))
        return
    r.console().print(r.table(f"逾期未报 / overdue ({found.as_of})", ["责任单位", "填报任务", "报告期", "截止日期", "逾期天数", "状态"],
                              [[x["department"], x["obligation"], x["period"], x["due"], str(x["days_overdue"]), x["status"]]
                               for x in rows]))
    if xlsx is not None:
        print(xlsx)


@reporting_app.command()
def obligations(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """填报任务列表 / the obligations: who reports what, how often, by when."""
    s = _settings(lang)
    rows = _run(s, lambda: rep.list_obligations(_platform(s), _admin(s.actor), s.lang))
    if fmt is Fmt.json:
        print(r.to_json(rows))
        return
    r.console().print(r.table("填报任务 / obligations", ["编号", "填报任务", "责任单位", "周期", "首个报告期", "截止（期末后天数）", "填报项"],
                              [[o.code, o.title + (" *" if o.illustrative else ""), o.department + (f"（{o.unit_uscc}）" if o.unit_uscc else ""),
                                o.period_name, o.first_period, str(o.due_days), str(len(o.fields))] for o in rows]))
