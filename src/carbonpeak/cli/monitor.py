"""`carbonpeak monitor`: key energy-using units (tokens, backfill, MQTT subscriber, overview)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..services import ingest, monitoring
from ..services import mqtt as mqtt_svc
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app

monitor_app = typer.Typer(no_args_is_help=True, help="重点用能单位在线监测 / online energy monitoring")
app.add_typer(monitor_app, name="monitor")


@monitor_app.command("token")
def token(uscc: Annotated[str, typer.Argument(help="统一社会信用代码 / USCC")], lang: LangOpt = None) -> None:
    """为单位签发新的接口令牌（仅显示一次）/ issue a new API token for a unit (shown once)."""
    s = _settings(lang)
    print(_run(s, lambda: ingest.issue_token(_platform(s), uscc, s.actor)))


@monitor_app.command("backfill")
def backfill(file: Annotated[Path, typer.Argument(help="读数文件 CSV/XLSX")], fmt: FormatOpt = Fmt.table,
             lang: LangOpt = None) -> None:
    """补录读数文件（整文件校验，任一条被拒则全部不写入）/ backfill readings from a file."""
    s = _settings(lang)
    res = _run(s, lambda: ingest.backfill_file(_platform(s), file, s.actor))
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    print(f"{res.file}: {res.records} 条 records, 新增 accepted {res.accepted}, 已存在 unchanged {res.unchanged}")


@monitor_app.command("subscribe")
def subscribe(host: Annotated[str, typer.Option(help="MQTT broker")] = "127.0.0.1",
              port: Annotated[int, typer.Option(help="MQTT port")] = 1883,
              root: Annotated[str | None, typer.Option(help="主题根（多县部署默认 carbonpeak/<县代码>）/ topic root "
                                                           "(several counties: carbonpeak/<county> by default)")] = None,
              lang: LangOpt = None) -> None:
    """订阅网关数据（carbonpeak/<USCC>/readings，回执 carbonpeak/<USCC>/ack）/ run the MQTT subscriber."""
    s = _settings(lang)
    root = root or (f"{mqtt_svc.ROOT}/{s.county}" if s.county else mqtt_svc.ROOT)  # one subscriber per county
    # one broker session per county: subscribers sharing a client id would take over each other's subscriptions
    client_id = f"carbonpeak-ingest-{s.county}" if s.county else "carbonpeak-ingest"
    sub = mqtt_svc.Subscriber(_platform(s), host, port, client_id=client_id, lang=s.lang, root=root)
    print(f"MQTT {host}:{port} {root}/+/readings", flush=True)
    sub.run_forever()


@monitor_app.command("maintain")
def maintain(ahead: Annotated[int, typer.Option(help="提前创建的月份数 / months created ahead")] = 3,
             lang: LangOpt = None) -> None:
    """读数分区维护：创建后续月份分区，删除超过保留期的分区（汇总值保留）/ create and drop month partitions."""
    s = _settings(lang)
    res = _run(s, lambda: monitoring.maintain(_platform(s), ahead))
    if not res.partitioned:
        print("SQLite: 读数不分区，无需维护 / readings are not partitioned on SQLite")
        return
    print(f"新建 created: {', '.join(res.created) or '-'}; 删除 dropped: {', '.join(res.dropped) or '-'}; "
          f"分区 partitions: {res.partitions}; 保留自 kept from: {res.horizon or '全部 all'}")


@monitor_app.command("units")
def units(year: Annotated[int, typer.Option(help="年份 / year")],
          as_of: Annotated[str | None, typer.Option(help="截至日期 YYYY-MM-DD")] = None,
          fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """重点用能单位：能耗、预算预警、能效、数据质量 / units with budget light, efficiency, findings."""
    s = _settings(lang)
    v = _run(s, lambda: monitoring.plain(monitoring.units_view(_platform(s), year, date.fromisoformat(as_of) if as_of else None,
                                                             s.lang)))
    if fmt is Fmt.json:
        print(r.to_json(v))
        return
    rows = [[u["name"], u["uscc"], u["category"], r.num(u["energy_tce"], 0), r.num(u["co2_t"], 0),
             (u["budget"] or {}).get("light", "-"), ",".join(e["class"] for e in u["efficiency"]) or "-",
             str(u["findings"])] for u in v["units"]]
    con = r.console()
    con.print(r.table(f"{year} 截至 {v['as_of']}", ["单位", "统一社会信用代码", "类别", "能耗 tce", "CO2 t", "预算",
                                                   "能效", "数据问题"], rows))
    for f in v["findings"]:
        con.print(f"· {f['message']}")
