"""The `carbonpeak` command. Thin: parse options, call one service, render the result.

Exit codes: 0 ok, 1 error (bad input, nothing written), 2 usage, 3 finished with blocking findings.
"""

from __future__ import annotations

import dataclasses
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..domain.accounting import AccountingOptions
from ..domain.tracking import BarometerRule
from ..services import accounting as acc
from ..services import catalogue as cat_svc
from ..services import demo as demo_svc
from ..services import imports as imp
from ..services import plans as plan_svc
from ..services import scenarios as scen_svc
from ..services import tracking as trk
from ..services import backup as backup_svc
from ..services import users as user_svc
from ..services.errors import EXIT_BLOCKING, EXIT_USAGE, CarbonPeakError
from ..services.platform import Platform, open_platform, reference
from ..settings import Settings, SettingsError
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
    nearest = "nearest"


FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="table | json | csv")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="zh (默认) | en")]
FactorsOpt = Annotated[Path | None, typer.Option("--factors", help="用户因子集 CSV/XLSX，覆盖默认值 / user factor set")]
ConvOpt = Annotated[Convention, typer.Option("--electricity-convention",
                                             help="calorific = 当量值 0.1229 kgce/kWh (默认); equivalent = 等价值")]
GridOpt = Annotated[str, typer.Option("--grid", help="默认电网排放因子地区 / default grid geography")]


def _settings(lang: str | None) -> Settings:
    try:
        s = Settings.from_env()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from exc
    return dataclasses.replace(s, lang=lang) if lang in ("zh", "en") else s


def _platform(settings: Settings, factors: Path | None = None) -> Platform:
    return open_platform(settings, factors)


def _options(conv: Convention, grid: str, fallback: Fallback) -> AccountingOptions:
    return AccountingOptions(electricity_convention=conv.value, default_grid=grid, electricity_fallback=fallback.value)


def _fail(exc: CarbonPeakError, lang: str) -> None:
    for m in exc.messages(lang):
        print(m, file=sys.stderr)
    n = len(exc.messages(lang))
    print(("未写入任何数据。" if lang == "zh" else "Nothing was written.") if n else "", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def _emit_account(report: acc.AccountReport, fmt: Fmt, lang: str, title: str) -> None:
    d = report.as_dict(lang)
    if fmt is Fmt.json:
        print(r.to_json(d))
        return
    if fmt is Fmt.csv:
        cols = acc.LINE_FIELDS + ["factor_ids"]
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
                      [[x["sector"], x["energy_tce"], x["co2_direct_t"], x["co2_electricity_t"], x["co2_t"]]
                       for x in d["by_sector"]]))
    con.print(r.table("按能源品种 / by carrier" if zh else "By carrier",
                      ["能源品种" if zh else "carrier", *heads],
                      [[x["carrier"], x["energy_tce"], x["co2_direct_t"], x["co2_electricity_t"], x["co2_t"]]
                       for x in d["by_carrier"]]))
    con.print(f"{'能源消费总量' if zh else 'Total energy'}: {r.num(t['energy_tce'])} tce；"
              f"{'属地直接排放' if zh else 'territorial CO2'}: {r.num(t['co2_territorial_t'])} t；"
              f"{'含电力调入调出' if zh else 'with electricity'}: {r.num(t['co2_with_electricity_t'])} t")
    if "indicators" in d:
        rows = [[v["code"], v["basis"], v["value"] if v["value"] is not None else "NE", v["unit"], v["note"]]
                for v in d["indicators"]]
        con.print(r.table("指标 / indicators", ["indicator", "basis", "value", "unit", "note"], rows))
    r.print_findings(con, d["findings"], lang)
    con.print(f"因子版本 / factor releases: {', '.join(d['factor_releases'])}")


@app.command()
def account(
    file: Annotated[Path, typer.Argument(help="活动数据 CSV/XLSX：年份,地区,部门,能源品种,数量,单位")],
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_convention: ConvOpt = Convention.calorific, grid: GridOpt = "湖南",
    electricity_fallback: Annotated[Fallback, typer.Option(help="strict: 无当年电网因子即报错; nearest: 用最近年份并提示")] = Fallback.strict,
    lang: LangOpt = None,
) -> None:
    """核算一个活动数据文件（不使用数据库）/ account a file of activity rows, no database."""
    s = _settings(lang)
    try:
        report = acc.account_file(file, reference(factors), _options(electricity_convention, grid, electricity_fallback))
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    _emit_account(report, fmt, s.lang, file.name)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="活动数据、GDP 或目标实际值文件 (CSV/XLSX)")],
    kind: Annotated[str | None, typer.Option(help="activity | gdp | observations（默认按表头识别）")] = None,
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_fallback: Annotated[Fallback, typer.Option(help="strict | nearest")] = Fallback.strict,
    lang: LangOpt = None,
) -> None:
    """导入数据（整体事务，重复导入不产生重复数据）/ import a file (one transaction, idempotent)."""
    s = _settings(lang)
    try:
        res = imp.import_file(_platform(s, factors), file, s.actor, kind=kind,
                              options=AccountingOptions(electricity_fallback=electricity_fallback.value))
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    if fmt is Fmt.json:
        print(r.to_json(res.as_dict()))
        return
    zh = s.lang == "zh"
    msg = (f"{res.file}: {res.rows} 行；新增 {res.inserted}，更新 {res.updated}，未变 {res.unchanged}" if zh else
           f"{res.file}: {res.rows} rows; inserted {res.inserted}, updated {res.updated}, unchanged {res.unchanged}")
    print(msg)


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出 XLSX 文件")] = Path("carbonpeak-template.xlsx"),
    kind: Annotated[str, typer.Option(help="activity | gdp | observations")] = "activity",
    lang: LangOpt = None,
) -> None:
    """下载导入模板 (XLSX) / write the import template as XLSX."""
    s = _settings(lang)
    try:
        path = cat_svc.write_template(out, kind)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    print(str(path))


@app.command()
def inventory(
    year: Annotated[int, typer.Option("--year", "-y", help="年份")],
    region: Annotated[str | None, typer.Option(help="地区（默认：已载入规划的地区）")] = None,
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_convention: ConvOpt = Convention.calorific, grid: GridOpt = "湖南",
    electricity_fallback: Annotated[Fallback, typer.Option(help="nearest (默认，用代用年份并提示) | strict")] = Fallback.nearest,
    lang: LangOpt = None,
) -> None:
    """某年的能源与碳排放清单及指标 / the stored inventory and indicators of a year."""
    s = _settings(lang)
    try:
        report = acc.inventory_report(_platform(s, factors), year,
                                      _options(electricity_convention, grid, electricity_fallback), region)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    _emit_account(report, fmt, s.lang, f"{report.extra['region']} {year}")


@app.command()
def targets(
    year: Annotated[int, typer.Option("--year", "-y", help="年份")],
    fmt: FormatOpt = Fmt.table,
    green_min: Annotated[float, typer.Option(help="绿灯：完成进度/时序进度 ≥ 该值")] = 1.0,
    yellow_min: Annotated[float, typer.Option(help="黄灯：完成进度/时序进度 ≥ 该值")] = 0.8,
    electricity_fallback: Annotated[Fallback, typer.Option(help="nearest | strict")] = Fallback.nearest,
    lang: LangOpt = None,
) -> None:
    """目标进度晴雨表 / progress of every target with its red/yellow/green light and rule."""
    s = _settings(lang)
    try:
        if not 0 < yellow_min <= green_min:
            raise typer.BadParameter("need 0 < yellow-min ≤ green-min")
        rep = trk.targets_report(_platform(s), year, AccountingOptions(electricity_fallback=electricity_fallback.value),
                                 BarometerRule(green_min, yellow_min), lang=s.lang)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    if fmt is Fmt.json:
        print(r.to_json(rep))
        return
    cols = ["id", "name", "light", "actual", "expected", "target_value", "unit", "target_year", "reason", "clause"]
    if fmt is Fmt.csv:
        print(r.to_csv(rep["targets"], cols), end="")
        return
    lights = r.LIGHTS if s.lang == "zh" else r.LIGHTS_EN
    con = r.console()
    con.print(f"[bold]{rep['region']} {year}[/]  {rep['rule']}")
    con.print(r.table("目标 / targets", ["编号", "目标", "灯", "实际", "时序目标", "目标值", "单位", "年份", "依据"],
                      [[t["id"], t["name"], lights[t["light"]], r.actual(t), t["expected"], t["target_value"],
                        t["unit"], str(t["target_year"]), t["reason"]] for t in rep["targets"]]))
    con.print(r.ILLUSTRATIVE_NOTE)
    con.print(" ".join(f"{lights[k]} {v}" for k, v in rep["counts"].items()))
    r.print_findings(con, rep["findings"], s.lang)


def _plan_for(s: Settings, file: Path | None):
    if file is not None:
        return plan_svc.read_plan(file)[0], str(file)
    stored = plan_svc.stored_plan(_platform(s))
    if stored is not None:
        return stored, "database"
    path = plan_svc.bundled_plan_path()
    return plan_svc.read_plan(path)[0], "bundled:anhua.yaml"


@plan_app.command("show")
def plan_show(
    file: Annotated[Path | None, typer.Option("--file", help="规划文件 YAML（默认：数据库中的规划，否则内置安化方案）")] = None,
    fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """显示整个规划：目标、行动、任务与责任单位、项目 / the whole plan."""
    s = _settings(lang)
    try:
        plan, source = _plan_for(s, file)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    doc = plan_svc.plan_document(plan)
    doc["loaded_from"] = source
    if fmt is Fmt.json:
        print(r.to_json(doc))
        return
    if fmt is Fmt.csv:
        rows = [{"kind": "target", "id": t["id"], "name": t["name"], "value": t["value"], "unit": t["unit"],
                 "year": t["target_year"], "detail": t["clause"]} for t in doc["targets"]]
        rows += [{"kind": "task", "id": t["id"], "name": t["title"], "detail": "、".join(t["departments"])}
                 for a in doc["actions"] for t in a["tasks"]]
        rows += [{"kind": "project", "id": p["id"], "name": p["name"], "value": p["capacity"], "unit": p["capacity_unit"],
                  "year": p["year"], "detail": p["town"]} for p in doc["projects"]]
        print(r.to_csv(rows, ["kind", "id", "name", "value", "unit", "year", "detail"]), end="")
        return
    con = r.console()
    con.print(f"[bold]{plan.name}[/] ({plan.region} {plan.admin_code}) — {source}")
    con.print(r.table("目标 / targets", ["编号", "目标", "方向", "值", "单位", "基年", "目标年", "条款"],
                      [[t.id, t.name, t.direction, "待下达" if t.value is None else t.value, t.unit,
                        str(t.base_year or ""), str(t.target_year), t.clause] for t in plan.targets]))
    con.print(r.table("重点任务 / actions and tasks", ["编号", "行动 / 任务", "责任单位"],
                      [[t.id, f"{a.title} / {t.title}", "、".join(t.departments)] for a in plan.actions for t in a.tasks]))
    con.print(r.table("重点项目 / projects", ["编号", "专栏", "项目", "类型", "乡镇", "规模", "单位", "年份", "状态"],
                      [[p.id, str(p.box or "—"), p.name, p.type, p.town or "", p.capacity, p.capacity_unit or "",
                        str(p.year or ""), p.status] for p in plan.projects]))
    con.print(str(doc["summary"]))


@plan_app.command("check")
def plan_check(
    file: Annotated[Path | None, typer.Option("--file", help="规划文件 YAML")] = None,
    fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """检查规划内部一致性 / report the plan's internal inconsistencies as findings."""
    s = _settings(lang)
    try:
        plan, source = _plan_for(s, file)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    findings = [f.as_dict(s.lang) for f in plan_svc.plan_findings(plan)]
    if fmt is Fmt.json:
        print(r.to_json({"plan": plan.code, "source": source, "findings": findings}))
    elif fmt is Fmt.csv:
        print(r.to_csv(findings, ["severity", "code", "message", "rule"]), end="")
    else:
        con = r.console()
        con.print(f"[bold]{plan.name}[/] — {len(findings)} 项发现 / findings")
        r.print_findings(con, findings, s.lang)
    if any(f["severity"] == "blocking" for f in findings):
        raise typer.Exit(EXIT_BLOCKING)


@plan_app.command("load")
def plan_load(file: Annotated[Path, typer.Argument(help="规划文件 YAML")], lang: LangOpt = None) -> None:
    """把规划文件载入数据库 / store a plan file in the database."""
    s = _settings(lang)
    try:
        plan, sha = plan_svc.read_plan(file)
        res = plan_svc.store_plan(_platform(s), plan, sha, source=str(file), actor=s.actor)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    print(r.to_json(res))


@factors_app.command("list")
def factors_list(
    kind: Annotated[str | None, typer.Option(help="standard_coal | fuel_co2 | electricity_co2 | process_co2 | gwp")] = None,
    factors: FactorsOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """因子库：数值、单位、来源与核实状态 / the factor library with sources and status."""
    s = _settings(lang)
    try:
        rows = cat_svc.factor_rows(reference(factors), kind)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    cols = ["factor_id", "release", "kind", "carrier", "geography", "year", "parameter", "value", "unit",
            "status", "source_document", "source_table", "note"]
    if fmt is Fmt.json:
        print(r.to_json(rows))
    elif fmt is Fmt.csv:
        print(r.to_csv(rows, cols), end="")
    else:
        r.console().print(r.table("因子库 / factors", ["id", "kind", "品种/地区", "年份", "参数", "值", "单位", "状态", "来源"],
                                  [[x["factor_id"], x["kind"], x["carrier"] or x["geography"], str(x["year"] or ""),
                                    x["parameter"], f"{x['value']:g}", x["unit"], x["status"],
                                    f"{x['source_document']} {x['source_table']}"] for x in rows]))


@app.command()
def demo(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """安化示范：建库、载入规划与示例数据、核算 2020–2024 并评估目标 / run the Anhua demo."""
    s = _settings(lang)
    try:
        res = demo_svc.run_demo(_platform(s), s.actor, lang=s.lang)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    if fmt is Fmt.csv:
        print(r.to_csv(res["series"], list(res["series"][0])), end="")
        return
    zh = s.lang == "zh"
    con = r.console()
    con.print(f"[bold]安化县碳达峰平台示范 / Anhua demo[/]  数据库 / database: {res['database']}")
    con.print("[yellow]示例数据 / illustrative: 活动数据与多数GDP为示例数据，非统计数据（见 docs/demo-data.md）[/]")
    for i in res["imports"]:
        con.print(f"  {i['file']}: {'新增' if zh else 'inserted'} {i['inserted']}, {'更新' if zh else 'updated'} "
                  f"{i['updated']}, {'未变' if zh else 'unchanged'} {i['unchanged']}")
    con.print(r.table("2020–2024 能源与碳排放 / energy and CO2",
                      ["年份", "能耗 tce", "考核口径 tce", "属地CO2 t", "含电力CO2 t", "能耗强度 tce/万元",
                       "强度较2020 %", "非化石占比 %", "可再生发电占比 %"],
                      [[str(x["year"]) + (" *" if x["illustrative"] else ""), x["energy_tce"], x["energy_assessment_tce"], x["co2_territorial_t"],
                        x["co2_with_electricity_t"], r.num(x["energy_intensity"], 4),
                        x["energy_intensity_change_vs_2020_pct"], x["nonfossil_share_pct"],
                        x["renewable_share_local_generation_pct"]] for x in res["series"]]))
    b = res["barometer"]
    lights = r.LIGHTS if zh else r.LIGHTS_EN
    shown = [t for t in b["targets"] if t["light"] != "grey"]
    con.print(r.table(f"目标晴雨表 {b['year']} / barometer (有数据的目标)", ["编号", "目标", "灯", "实际", "时序目标", "目标值", "单位"],
                      [[t["id"], t["name"], lights[t["light"]], r.actual(t), t["expected"], t["target_value"], t["unit"]]
                       for t in shown]))
    con.print(r.ILLUSTRATIVE_NOTE)
    con.print(f"规则 / rule: {b['rule']}")
    con.print(" ".join(f"{lights[k]} {v}" for k, v in b["counts"].items()))
    r.print_findings(con, res["findings"], s.lang)
    con.print("下一步 / next: carbonpeak inventory --year 2023 ; carbonpeak targets --year 2024 ; carbonpeak plan check")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址 / bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=16, help="进程数 / worker processes")] = 1,
    lang: LangOpt = None,
) -> None:
    """启动平台（网页与 API），首次启动时建库并载入安化示范 / start the web platform."""
    import uvicorn

    from ..web.app import create_app

    s = _settings(lang)
    try:
        s.session_secret()
        platform = _platform(s)
        if plan_svc.stored_plan(platform) is None:
            print("首次启动：载入安化示范数据 / first start: loading the Anhua demo ...", flush=True)
            demo_svc.run_demo(platform, "system:first-start", lang=s.lang)
        first = user_svc.ensure_first_admin(platform, s.admin_password)
    except (CarbonPeakError, SettingsError) as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(1) from exc
    url = f"http://{host}:{port}/"
    print(f"碳峰 CarbonPeak: {url}   API: {url}docs   数据库 / database: {s.database_url}", flush=True)
    if first.generated_password:
        print(f"首个管理员 / first administrator: {first.username} / {first.generated_password}  (仅显示这一次 / "
              "shown once; set CARBONPEAK_ADMIN_PASSWORD before the first start to choose it)", flush=True)
    elif first.created:
        print(f"首个管理员 / first administrator: {first.username}, 密码取自 CARBONPEAK_ADMIN_PASSWORD", flush=True)
    else:
        print("账号已存在；新建账号 / accounts exist; add one with: carbonpeak user add NAME --role ROLE", flush=True)
    if workers > 1:
        if platform.engine.dialect.name == "sqlite":
            print("提示 / note: several processes share one SQLite file; writes are serialised (WAL)", flush=True)
        platform.engine.dispose()
        import os
        os.environ.update({"CARBONPEAK_DATABASE_URL": s.database_url, "CARBONPEAK_HOME": str(s.home),
                           "CARBONPEAK_ENV": s.env})
        uvicorn.run("carbonpeak.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        uvicorn.run(create_app(s, platform), host=host, port=port, log_level="warning")


@app.command()
def backup(out: Annotated[Path, typer.Argument(help="备份文件 / backup file")], lang: LangOpt = None) -> None:
    """在线一致性备份整个平台数据库 / consistent backup of the whole database while it runs."""
    s = _settings(lang)
    try:
        print(r.to_json(backup_svc.backup(_platform(s), out)))
    except CarbonPeakError as exc:
        _fail(exc, s.lang)


@app.command()
def restore(src: Annotated[Path, typer.Argument(help="备份文件 / backup file")],
            yes: Annotated[bool, typer.Option("--yes", help="确认覆盖当前数据 / confirm replacing current data")] = False,
            lang: LangOpt = None) -> None:
    """从备份恢复（覆盖当前数据）/ restore a backup, replacing the current data."""
    s = _settings(lang)
    if not yes:
        print("恢复将覆盖当前数据库；确认请加 --yes / restoring replaces the database: add --yes", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    try:
        print(r.to_json(backup_svc.restore(_platform(s), src)))
    except CarbonPeakError as exc:
        _fail(exc, s.lang)


user_app = typer.Typer(no_args_is_help=True, help="账号 / accounts")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="admin | dept_editor | enterprise | viewer")],
    department: Annotated[str | None, typer.Option(help="部门（dept_editor 必填）")] = None,
    enterprise: Annotated[str | None, typer.Option(help="企业（enterprise 角色）")] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
    lang: LangOpt = None,
) -> None:
    """新建账号 / create an account."""
    s = _settings(lang)
    try:
        who = user_svc.create_user(_platform(s), username, password, role, s.actor, department, enterprise)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    print(r.to_json(who.as_dict()))


scenario_app = typer.Typer(no_args_is_help=True, help="情景预测 / scenario projection")
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("run")
def scenario_run(
    spec: Annotated[Path, typer.Argument(help="情景文件 TOML，如 src/carbonpeak/data/scenarios/anhua/policy.toml")],
    draws: Annotated[int | None, typer.Option(min=1, max=1_000_000, help="蒙特卡洛次数（默认取自情景文件，10000）")] = None,
    seed: Annotated[int | None, typer.Option(help="随机种子（默认取自情景文件）")] = None,
    out: Annotated[Path | None, typer.Option(help="另存为 IAMC 格式 CSV/XLSX")] = None,
    fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """运行情景：达峰年份 P10/P50/P90、峰值、2030年前达峰概率 / run a scenario."""
    s = _settings(lang)
    try:
        res = scen_svc.run_scenario(_platform(s), spec, draws, seed)
        if out is not None:
            scen_svc.export_iamc(res, out)
    except CarbonPeakError as exc:
        _fail(exc, s.lang)
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    if fmt is Fmt.csv:
        print(scen_svc.iamc_frame(res).to_csv(index=False), end="")
        return
    con = r.console()
    py = res["peak_year"]
    show = lambda y: str(y) if y is not None else f">{res['horizon']}"  # noqa: E731
    con.print(f"[bold]{res['scenario']}[/] ({' → '.join(res['lineage'])}) · {res['region']} · {res['draws']} draws, seed {res['seed']}")
    con.print(f"达峰年份 peak year P10/P50/P90: {show(py['p10'])} / {show(py['p50'])} / {show(py['p90'])}  ·  "
              f"峰值 peak (P50): {r.num(res['peak_value_t'], 0)} t  ·  2030年前达峰概率 P(peak ≤ 2030): "
              f"{res['p_peak_by_2030']:.1%}  ·  口径 {res['perspective']}, 平台容差 {res['plateau_tolerance']:.0%}")
    rows = [[str(y), res["co2_territorial_t"]["p10"][i], res["co2_territorial_t"]["p50"][i],
             res["co2_territorial_t"]["p90"][i], res["co2_with_electricity_t"]["p50"][i], res["energy_tce"]["p50"][i]]
            for i, y in enumerate(res["years"])]
    con.print(r.table("CO2 t (P10/P50/P90), 含电力 P50, 能耗 tce P50",
                      ["年份", "属地 P10", "属地 P50", "属地 P90", "含电力 P50", "能耗 P50"], rows))
    con.print(f"方案项目 / registry projects linked: {len(res['projects'])}")
    if res["illustrative"]:
        con.print("[yellow]示例数据 / illustrative: 情景假设与基年数据为示例[/]")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
