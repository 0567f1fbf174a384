"""Shared pieces of the `carbonpeak` command: the Typer app, options, settings, error mapping.

Exit codes: 0 ok, 1 error (bad input, nothing written), 2 usage, 3 finished with blocking findings.
"""

from __future__ import annotations

import dataclasses
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..domain.policy import AccountingPolicy
from ..services import accounting as acc
from ..services import tenancy
from ..services.errors import EXIT_USAGE, CarbonPeakError, InputRejected
from ..services.indicators import display
from ..services.platform import Platform, open_platform
from ..settings import Settings, SettingsError
from ..tabular import import_limits
from . import render as r

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="CarbonPeak 碳峰：县域碳达峰平台（规划数据、能源与碳排放核算、目标跟踪）")
plan_app = typer.Typer(no_args_is_help=True, help="规划：查看、检查、载入 / the plan: show, check, load")
factors_app = typer.Typer(no_args_is_help=True, help="因子库 / the factor library")
app.add_typer(plan_app, name="plan")
app.add_typer(factors_app, name="factors")


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Convention(str, Enum):
    calorific = "calorific"
    equivalent = "equivalent"


class Fallback(str, Enum):
    strict = "strict"
    nearest_earlier = "nearest_earlier"
    nearest = "nearest"  # the former name of nearest_earlier


FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="table | json | csv")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="zh (默认) | en")]
FactorsOpt = Annotated[Path | None, typer.Option("--factors", help="用户因子集 CSV/XLSX，或内置备选版本名（如 CN-PROVINCIAL-GUIDE.r1），"
                                                              "覆盖默认值 / user factor set, or shipped alternative releases")]
ConvOpt = Annotated[Convention, typer.Option("--electricity-convention",
                                             help="calorific = 当量值 0.1229 kgce/kWh (默认); equivalent = 等价值")]
GridOpt = Annotated[str | None, typer.Option("--grid", help="电网排放因子地区（默认：规划所在省份）/ grid geography "
                                                            "(default: the plan's province)")]
FallbackOpt = Annotated[Fallback | None, typer.Option(
    "--electricity-fallback", help="无当年电网因子时 / a year without a grid factor: nearest_earlier（默认，用最近的较早年份并提示）"
                                   "| strict（报错）")]


_COUNTY: dict[str, str | None] = {"code": None}  # the --county given before the command


CITY_COMMANDS = ("user", "backup", "restore", "plan")  # what --county city may do: its accounts, database, plan


@app.callback()
def _choose_county(ctx: typer.Context, county: Annotated[str | None, typer.Option(
        "--county", envvar="CARBONPEAK_COUNTY",
        help="部署有多个县时（CARBONPEAK_COUNTIES）：命令作用的县；city = 市级账号 / a deployment of several "
             "counties: the county a command works on; city = the city's accounts")] = None) -> None:
    if county == "city" and ctx.invoked_subcommand not in CITY_COMMANDS:
        print(f"--county city 只用于 {'、'.join(CITY_COMMANDS)}（市级账号、数据库与市、省级规划）/ --county city is for "
              f"{', '.join(CITY_COMMANDS)} only: the city's database holds no county's data", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    _COUNTY["code"] = county


def _settings(lang: str | None, whole_deployment: bool = False) -> Settings:
    """The settings of the command: from the environment, for the county chosen with --county
    (``whole_deployment``: the deployment's own, for ``serve``, which serves every county)."""
    s = None
    try:
        s = Settings.from_env()
        if not whole_deployment:
            s = tenancy.selected(s, _COUNTY["code"])
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from exc
    except CarbonPeakError as exc:
        print("\n".join(exc.messages(s.lang if s else "zh")), file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from exc
    return dataclasses.replace(s, lang=lang) if lang in ("zh", "en") else s


def _platform(settings: Settings, factors: Path | None = None) -> Platform:
    return open_platform(settings, factors)


def _policy(platform: Platform | None, conv: Convention | None = None, grid: str | None = None,
            fallback: Fallback | None = None) -> AccountingPolicy:
    """The accounting policy of a command: the one service decides it (services/accounting.py),
    from the stored plan (``platform``; None = the bundled plan) and the options given."""
    return acc.accounting_policy(platform, electricity_convention=conv.value if conv else None, grid=grid,
                                 electricity_fallback=fallback.value if fallback else None)


def _fail(exc: CarbonPeakError, lang: str, max_issues: int = 100) -> None:
    """Refused input: its first ``max_issues`` issues (and how many more), then "nothing written"."""
    if isinstance(exc, InputRejected):
        shown, note = exc.first(max_issues, lang)
        messages = [i.message(lang) for i in shown] + ([note] if note else [])
    else:
        messages = exc.messages(lang)
    for m in messages:
        print(m, file=sys.stderr)
    print(("未写入任何数据。" if lang == "zh" else "Nothing was written.") if messages else "", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def _run(s: Settings, fn):
    """Call a service under the settings' import limits (every file a command reads: ``account
    FILE``, ``--factors``, ledgers ...); a CarbonPeakError becomes its messages on stderr and its
    exit code."""
    try:
        with import_limits(s.import_limits):
            return fn()
    except CarbonPeakError as exc:
        _fail(exc, s.lang, s.import_limits.max_issues)


def _emit_account(report: acc.AccountReport, fmt: Fmt, lang: str, title: str) -> None:
    d = report.as_dict(lang)
    if fmt is Fmt.json:
        print(r.to_json(d))
        return
    if fmt is Fmt.csv:
        cols = acc.LINE_FIELDS + ["factor_ids", *r.FLAG_COLUMNS]
        rows = [{**rec, "factor_ids": "|".join(f["id"] for f in rec["factors"])} for rec in d["lines"]]
        print(r.to_csv(rows, cols), end="")
        return
    con = r.console()
    t = d["totals"]
    zh = lang == "zh"
    con.print(f"[bold]{title}[/]  {d['convention']['text']}")
    heads = (["能耗 tce", "直接排放 CO2 t", "电力净调入 CO2 t", "合计 CO2 t"] if zh else
             ["energy tce", "direct CO2 t", "electricity CO2 t", "total CO2 t"])
    con.print(r.table("按部门 / by sector" if zh else "By sector",
                      ["部门" if zh else "sector", *heads],
                      [[x["sector"] + r.marks(x), x["energy_tce"], x["co2_direct_t"], x["co2_electricity_t"], x["co2_t"]]
                       for x in d["by_sector"]]))
    con.print(r.table("按能源品种 / by carrier" if zh else "By carrier",
                      ["能源品种" if zh else "carrier", *heads],
                      [[x["carrier"] + r.marks(x), x["energy_tce"], x["co2_direct_t"], x["co2_electricity_t"], x["co2_t"]]
                       for x in d["by_carrier"]]))
    con.print(f"{'能源消费总量' if zh else 'Total energy'}: {r.num(t['energy_tce'])} tce；"
              f"{'属地直接排放' if zh else 'territorial CO2'}: {r.num(t['co2_territorial_t'])} t；"
              f"{'含电力调入调出' if zh else 'with electricity'}: {r.num(t['co2_with_electricity_t'])} t")
    if "indicators" in d:
        rows = [[v["code"], v["basis"], display(v["value"]) + r.marks(v), v["unit"], v.get("qualifier", ""),
                 v["note"]] for v in d["indicators"]]
        con.print(r.table("指标 / indicators", ["indicator", "basis", "value", "unit", "电力折标·价格基年 / basis of", "note"],
                          rows))
    r.print_flags(con, d["flags"])
    r.print_findings(con, d["findings"], lang)
    con.print(f"因子版本 / factor releases: {', '.join(d['factor_releases'])}")
