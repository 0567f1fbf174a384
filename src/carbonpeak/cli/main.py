"""The `carbonpeak` command. Thin: parse options, call one service, render the result.

Exit codes: 0 ok, 1 error (bad input, nothing written), 2 usage, 3 finished with blocking findings.
Commands live here (accounting, data, plan, factors, demo), in admin.py (serve, backup, restore,
accounts) and in scenario.py; common.py holds the app, the options and the error mapping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..domain.tracking import BarometerRule
from ..services import accounting as acc
from ..services import catalogue as cat_svc
from ..services import demo as demo_svc
from ..services import demo_county
from ..services import imports as imp
from ..services import indicators as ind
from ..services import plans as plan_svc
from ..services import target_sources
from ..services import tracking as trk
from ..services.errors import EXIT_BLOCKING
from ..services.platform import reference
from ..settings import Settings
from . import admin, carbon, monitor, report, reporting, scenario  # noqa: F401  (they register their commands on the app)
from . import render as r
from .common import (
    Convention,
    ConvOpt,
    FactorsOpt,
    FallbackOpt,
    Fmt,
    FormatOpt,
    GridOpt,
    LangOpt,
    _emit_account,
    _platform,
    _policy,
    _run,
    _settings,
    app,
    factors_app,
    plan_app,
)


@app.command()
def account(
    file: Annotated[Path, typer.Argument(help="活动数据 CSV/XLSX：年份,地区,部门,能源品种,数量,单位")],
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_convention: ConvOpt = Convention.calorific, grid: GridOpt = None,
    electricity_fallback: FallbackOpt = None, lang: LangOpt = None,
) -> None:
    """核算一个活动数据文件（不使用数据库，电网按内置规划所在省份）/ account a file of activity rows, no database
    (grid: the bundled plan's province)."""
    s = _settings(lang)
    accounted = _run(s, lambda: acc.account_file(file, reference(factors),
                                                 _policy(None, electricity_convention, grid, electricity_fallback)))
    _emit_account(accounted, fmt, s.lang, file.name)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="活动数据、GDP 或目标实际值文件 (CSV/XLSX)")],
    kind: Annotated[str | None, typer.Option(help="activity | gdp | observations | parcels | project_progress"
                                                  "（默认按表头识别）")] = None,
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_fallback: FallbackOpt = None, lang: LangOpt = None,
) -> None:
    """导入数据（整体事务，重复导入不产生重复数据）/ import a file (one transaction, idempotent)."""
    s = _settings(lang)

    def go():
        p = _platform(s, factors)
        return imp.import_file(p, file, s.actor, kind=kind, options=_policy(p, fallback=electricity_fallback))
    res = _run(s, go)
    if fmt is Fmt.json:
        print(r.to_json(res.as_dict(s.lang)))
        return
    zh = s.lang == "zh"
    msg = (f"{res.file}: {res.rows} 行；新增 {res.inserted}，更新 {res.updated}，未变 {res.unchanged}" if zh else
           f"{res.file}: {res.rows} rows; inserted {res.inserted}, updated {res.updated}, unchanged {res.unchanged}")
    print(msg)
    r.print_findings(r.console(), res.as_dict(s.lang)["findings"], s.lang)  # warnings: year-on-year jumps


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出 XLSX 文件")] = Path("carbonpeak-template.xlsx"),
    kind: Annotated[str, typer.Option(help="activity | gdp | observations | parcels")] = "activity",
    lang: LangOpt = None,
) -> None:
    """下载导入模板 (XLSX) / write the import template as XLSX."""
    s = _settings(lang)
    path = _run(s, lambda: cat_svc.write_template(out, kind))
    print(str(path))


@app.command()
def inventory(
    year: Annotated[int, typer.Option("--year", "-y", help="年份")],
    region: Annotated[str | None, typer.Option(help="地区（默认：已载入规划的地区）")] = None,
    fmt: FormatOpt = Fmt.table, factors: FactorsOpt = None,
    electricity_convention: ConvOpt = Convention.calorific, grid: GridOpt = None,
    electricity_fallback: FallbackOpt = None,
    table: Annotated[str, typer.Option("--table", help="csv 输出：lines（清单行，默认）| indicators（指标）")] = "lines",
    lang: LangOpt = None,
) -> None:
    """某年的能源与碳排放清单及指标 / the stored inventory and indicators of a year."""
    s = _settings(lang)
    if table not in ("lines", "indicators"):
        raise typer.BadParameter("--table: lines | indicators")
    def go():
        p = _platform(s, factors)
        return ind.inventory_report(p, year, _policy(p, electricity_convention, grid, electricity_fallback), region,
                                    lang=s.lang)
    inv = _run(s, go)
    if fmt is Fmt.csv and table == "indicators":
        print(r.to_csv(inv.extra["indicators"], r.INDICATOR_COLUMNS), end="")
        return
    _emit_account(inv, fmt, s.lang, f"{inv.extra['region']} {year}")


@app.command()
def targets(
    year: Annotated[int, typer.Option("--year", "-y", help="年份")],
    fmt: FormatOpt = Fmt.table,
    green_min: Annotated[float, typer.Option(help="绿灯：完成进度/时序进度 ≥ 该值")] = 1.0,
    yellow_min: Annotated[float, typer.Option(help="黄灯：完成进度/时序进度 ≥ 该值")] = 0.8,
    electricity_fallback: FallbackOpt = None, lang: LangOpt = None,
) -> None:
    """目标进度晴雨表 / progress of every target with its red/yellow/green light and rule."""
    s = _settings(lang)
    if not 0 < yellow_min <= green_min:
        raise typer.BadParameter("need 0 < yellow-min ≤ green-min")
    def go():
        p = _platform(s)
        return trk.targets_report(p, year, _policy(p, fallback=electricity_fallback),
                                  BarometerRule(green_min, yellow_min), lang=s.lang)
    rep = _run(s, go)
    if fmt is Fmt.json:
        print(r.to_json(rep))
        return
    cols = ["id", "name", "light", "actual", "qualifier", "expected", "target_value", "unit", "target_year", "reason",
            "why", "assumption", "base_note", "clause", *r.FLAG_COLUMNS]
    rows = [{**{c: getattr(t, c) for c in cols if c != "qualifier"}, "qualifier": t.source.qualifier if t.source else ""}
            for t in rep.targets]
    if fmt is Fmt.csv:
        print(r.to_csv(rows, cols), end="")
        return
    lights = r.LIGHTS if s.lang == "zh" else r.LIGHTS_EN
    con = r.console()
    con.print(f"[bold]{rep.region} {year}[/]  {rep.rule}")
    con.print(r.table("目标 / targets", ["编号", "目标", "灯", "实际", "时序目标", "目标值", "单位", "年份", "判定 / why"],
                      [[t["id"], t["name"] + (f"\n({t['assumption']})" if t["assumption"] else ""), lights[t["light"]],
                        r.actual(t) + (f"\n{t['qualifier']}" if t["qualifier"] else ""), t["expected"], t["target_value"],
                        t["unit"], str(t["target_year"]), t["why"]] for t in rows]))
    r.print_flags(con, rep.flags)
    con.print(" ".join(f"{lights[k]} {v}" for k, v in rep.counts.items()))
    r.print_findings(con, rep.findings, s.lang)


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
    plan, source = _run(s, lambda: _plan_for(s, file))
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
    plan, source = _run(s, lambda: _plan_for(s, file))
    findings = [f.as_dict(s.lang) for f in target_sources.plan_findings(plan)]
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
    plan, sha = _run(s, lambda: plan_svc.read_plan(file))
    res = _run(s, lambda: plan_svc.store_plan(_platform(s), plan, sha, source=str(file), actor=s.actor))
    print(r.to_json(res))


@factors_app.command("store")
def factors_store(file: Annotated[Path, typer.Argument(help="因子集文件 CSV/XLSX（与内置表同列）")],
                  fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """保存县级设定值（覆盖同键内置值，记入审计）/ store county reference values from a factor-set file."""
    from ..services import factor_store

    s = _settings(lang)
    rows = _run(s, lambda: factor_store.store_factor_file(_platform(s), file, s.actor))
    if fmt is Fmt.json:
        print(r.to_json([x.as_dict() for x in rows]))
        return
    print(f"{file.name}: {len(rows)} 个县级设定值 / county values stored")


@factors_app.command("list")
def factors_list(
    kind: Annotated[str | None, typer.Option(help="standard_coal | fuel_co2 | electricity_co2 | process_co2 | gwp")] = None,
    factors: FactorsOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """因子库：数值、单位、来源与核实状态 / the factor library with sources and status."""
    s = _settings(lang)
    rows = _run(s, lambda: cat_svc.factor_rows(reference(factors), kind))
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
    if s.county not in (None, demo_county.ANHUA):  # a further county of the deployment: its bundled demo
        return print(r.to_json(_run(s, lambda: demo_county.load_county_demo(_platform(s), s.county, s.actor))))
    res = _run(s, lambda: demo_svc.run_demo(_platform(s), s.actor, lang=s.lang))
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    if fmt is Fmt.csv:  # each figure's convention and price base in a column beside it
        rows = [{**x, **{f"{k}_qualifier": q for k, q in x["qualifiers"].items()}} for x in res["series"]]
        print(r.to_csv(rows, [c for c in rows[0] if c != "qualifiers"]), end="")
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
    if res["series"]:
        con.print("口径 / basis: " + "；".join(f"{k} {q}" for k, q in res["series"][-1]["qualifiers"].items()))
    b = res["barometer"]
    lights = r.LIGHTS if zh else r.LIGHTS_EN
    shown = [t for t in b.targets if t.light != "grey"]
    con.print(r.table(f"目标晴雨表 {b.year} / barometer (有数据的目标)", ["编号", "目标", "灯", "实际", "时序目标", "目标值", "单位"],
                      [[t.id, t.name, lights[t.light],
                        r.num(t.actual) + r.marks({"illustrative": t.illustrative, "proxy_factor": t.proxy_factor}),
                        t.expected, t.target_value, t.unit] for t in shown]))
    con.print(r.ILLUSTRATIVE_NOTE)
    con.print(f"规则 / rule: {b.rule}")
    con.print(" ".join(f"{lights[k]} {v}" for k, v in b.counts.items()))
    r.print_findings(con, res["findings"], s.lang)
    con.print("下一步 / next: carbonpeak inventory --year 2023 ; carbonpeak targets --year 2024 ; carbonpeak plan check")


sinks_app = typer.Typer(no_args_is_help=True, help="碳汇 / carbon sinks")
app.add_typer(sinks_app, name="sinks")


@sinks_app.command("ledger")
def sinks_ledger(
    files: Annotated[list[Path], typer.Argument(help="森林资源二类调查小班表（1 或 2 期，CSV/XLSX）")],
    factors: FactorsOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """碳储量（按乡镇、树种组）与两期蓄积差法年碳汇 / forest carbon stock and annual sink."""
    from ..services import sinks as sink_svc

    s = _settings(lang)
    if not 1 <= len(files) <= 2:
        raise typer.BadParameter("one or two inventory files")
    res = _run(s, lambda: sink_svc.ledger(files, reference(factors)))
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    rows = [{"year": inv["year"], "township": t["township"], "area_ha": t["area_ha"], "stock_tco2": t["stock_tco2"]}
            for inv in res["inventories"] for t in inv["by_township"]]
    if fmt is Fmt.csv:
        print(r.to_csv(rows, ["year", "township", "area_ha", "stock_tco2"]), end="")
        return
    con = r.console()
    con.print(f"[bold]碳储量 / carbon stock[/]  {res['method']}")
    con.print(r.table("按乡镇 / by township", ["年份", "乡镇", "面积 ha", "碳储量 tCO2"],
                      [[str(x["year"]), x["township"], x["area_ha"], x["stock_tco2"]] for x in rows]))
    if "sink" in res:
        k = res["sink"]
        con.print(f"年碳汇 / annual sink {k['from']}–{k['to']}: {r.num(k['total_tco2_per_year'], 0)} tCO2/a")
    g = res["growth"]
    if g["available"]:
        con.print(f"生长率法 / growth-rate method {g['year']}: {r.num(g['total_tco2_per_year'], 0)} tCO2/a"
                  f"（未估算小班 parcels without rate: {g['parcels_without_rate']}）")
    for c in res["inventories"][-1]["area_classes"]:
        net = "未估算 not estimated (" + ", ".join(c["missing_parameters"]) + ")" if c["net_tco2_per_year"] is None \
            else f"{r.num(c['net_tco2_per_year'], 0)} tCO2/a"
        con.print(f"{c['class']} {r.num(c['area_ha'], 0)} ha: {net}")
    if res["unverified_factors"]:
        con.print(f"[yellow]使用了 {res['unverified_factors']} 个未经核实的森林碳参数（见 factors list --kind forest_carbon）[/]")


buildings_app = typer.Typer(no_args_is_help=True, help="公共建筑 / public buildings")
app.add_typer(buildings_app, name="buildings")


@buildings_app.command("grade")
def buildings_grade(
    file: Annotated[Path, typer.Argument(help="公共建筑与年能耗表 CSV/XLSX")],
    over_limit: Annotated[float, typer.Option(min=1.0, max=3.0, help="四级上限 = 约束值 × 该值")] = 1.2,
    factors: FactorsOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """能耗强度、约束值/引导值、五级能效评级与排名 / grade public buildings against their quotas."""
    from ..domain.buildings import GradeRule
    from ..services import buildings as bld

    s = _settings(lang)
    res = _run(s, lambda: bld.grade_file(file, reference(factors), GradeRule(over_limit), s.lang))
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    cols = ["building_id", "name", "building_class", "subtype", "eui", "constraint", "guide", "grade", "rank_in_type"]
    if fmt is Fmt.csv:
        print(r.to_csv([vars(b) for b in res.buildings], cols), end="")
        return
    con = r.console()
    con.print(f"[bold]公共建筑能效 / building grades[/]  {res.rule}  ({res.unit}; {res.conversion})")
    con.print(r.table("按能耗强度降序 / by EUI", ["编号", "名称", "类型", "子类型", "EUI", "约束值", "引导值", "等级", "类内排名"],
                      [[b.building_id, b.name, b.building_class, b.subtype, b.eui, b.constraint, b.guide, str(b.grade),
                        str(b.rank_in_type)] for b in res.buildings]))
    con.print(f"超约束值 / over the constraint value: {', '.join(res.over_constraint) or '—'}")
    con.print("[yellow]约束值、引导值为未经核实的线索值（GB/T 51161-2016，凭记忆）/ quota values unverified[/]")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
