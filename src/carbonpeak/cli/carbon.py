"""`carbonpeak carbon`: carbon dual control (碳排放双控) — import monthly electricity, figures on each
factor basis, the 以电折碳 estimate, the budget, its decomposition and tracking, targets, 协同考核,
project carbon reviews. services/carbon computes; this module prints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer

from ..domain.carbon import Rule
from ..domain.messages import render
from ..services import carbon
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app

carbon_app = typer.Typer(no_args_is_help=True, help="碳排放双控 / carbon dual control")
app.add_typer(carbon_app, name="carbon")
YearOpt = Annotated[int | None, typer.Option("--year", help="年份 / year")]
_LANG = {"lang": "zh"}


def _t(kind: str, code: str) -> str:
    """A code as the user reads it (domain/carbon_texts.py), in the command's language."""
    return render(f"carbon.{kind}.{code}", {}, _LANG["lang"])


def _print(obj, fmt: Fmt, lines) -> None:
    if fmt is Fmt.json:
        print(r.to_json(dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else obj))
        return
    for line in lines(obj):
        print(line)


@carbon_app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="分行业月度用电量或绿证 CSV/XLSX")],
            kind: Annotated[str, typer.Option(help="monthly_electricity | green_certificates")] = "monthly_electricity",
            fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """导入分行业月度用电量（或绿证电量）/ import monthly electricity by sector (or green certificates)."""
    s = _settings(lang)
    _LANG["lang"] = s.lang
    fn = carbon.import_certificates if kind == "green_certificates" else carbon.import_electricity
    _print(_run(s, lambda: fn(_platform(s), file, s.actor)), fmt,
           lambda x: [(f"{x.file}: {x.rows} 行 rows, 新增 inserted {x.inserted}, 更新 updated {x.updated}, "
                      f"未变 unchanged {x.unchanged}")])


@carbon_app.command("figures")
def figures(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """各电力排放因子口径下的二氧化碳排放与强度 / CO2 and intensity on each factor basis."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(f: carbon.CarbonFigures):
        yield f"口径: {_t('text', f.scope)}"
        for x in f.rows:
            yield (f"{x.year} [{_t('basis', x.basis)}] 因子 {r.num(x.factor_t_per_mwh, 4)} tCO2/MWh"
                   f"{f'（借用{x.proxy_year}年）' if x.proxy_year else ''} 排放 {r.num(x.total_co2_t, 0)} t "
                   f"强度 {r.num(x.intensity, 4)} t/万元（{x.price_base_year}年价）{' *示例' if x.illustrative else ''}")
        for x in f.periods:
            yield (f"{_t('period', x.period)} {x.start_year}→{x.end_year}{'（截至最新年份）' if x.partial else ''} "
                   f"[{_t('basis', x.basis)}] 强度变化 {r.num(None if x.intensity_change is None else x.intensity_change * 100)}%")
    _print(_run(s, lambda: carbon.carbon_figures(_platform(s))), fmt, lines)


@carbon_app.command("estimate")
def estimate(year: YearOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """以电折碳月度估算（估算值）及回测误差 / the monthly estimate and its back-test."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(e: carbon.EstimateResult):
        yield (f"{e.label} {e.year}年1–{e.months}月: {r.num(e.total_t, 0)} tCO2 ± {r.num((e.band or 0) * 100, 1)}% "
               f"（以{e.calibration_year}年清单校准；模型 {e.model}）")
        yield f"最近正式清单 {e.last_inventory_year}年: {r.num(e.last_inventory_co2_t, 0)} tCO2"
        if e.back_test:
            yield f"回测 {list(e.back_test.years)}: 总量 MAPE {r.num(e.back_test.mape_total * 100, 2)}%"
            for x in e.back_test.sectors:
                yield f"  {x.sector}: MAPE {r.num(None if x.mape is None else x.mape * 100, 2)}%"
        for m in e.missing_months:
            yield f"缺少数据: {m}"
    _print(_run(s, lambda: carbon.monthly_estimate(_platform(s), year)), fmt, lines)


@carbon_app.command("budget")
def budget(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """县碳排放预算路径 2026–2030 / the county budget path."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(p: carbon.PathResult):
        yield (f"基准 {p.base_year}: {r.num(p.base_co2_t, 0)} tCO2（{_t('source', p.base_co2_source)}）, GDP {r.num(p.base_gdp, 0)} 万元"
               f"（{_t('source', p.base_gdp_source)}）; 强度下降 {p.intensity_reduction:.1%}（{p.target_id}）{' *示例' if p.illustrative else ''}")
        for y, b, i in zip(p.years, p.budget_t, p.intensity):
            yield f"{y}: 预算 {r.num(b, 0)} tCO2, 强度 {r.num(i, 4)} t/万元"
    _print(_run(s, lambda: carbon.county_path(_platform(s))), fmt, lines)


@carbon_app.command("decompose")
def decompose(level: Annotated[str, typer.Option(help="township | sector | unit")] = "sector",
              rule: Annotated[Rule, typer.Option(help="分解规则 / rule")] = Rule.HISTORICAL_SHARE,
              year: YearOpt = None, reserve: Annotated[float | None, typer.Option(help="新增项目预留比例")] = None,
              inputs: Annotated[Path | None, typer.Option(help="JSON: {字段: {对象: 数值}}")] = None,
              fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """按所选规则分解碳预算（乡镇、部门、重点用能单位）/ decompose a year's budget by a named rule."""
    s = _settings(lang)
    _LANG["lang"] = s.lang
    given = json.loads(inputs.read_text(encoding="utf-8")) if inputs else None

    def lines(d: carbon.DecompositionResult):
        yield (f"{d.year}年预算 {r.num(d.budget_t, 0)} tCO2，规则 {_t('rule', d.rule)}，权重 {_t('text', d.weight_basis)}，"
               f"预留 {d.reserve:.0%} = {r.num(d.reserve_t, 0)} t")
        for x in d.rows:
            yield f"  {x.entity}: {x.share:.2%} → {r.num(x.budget_t, 0)} tCO2"
    _print(_run(s, lambda: carbon.decomposition(_platform(s), level, rule, year, reserve, given)), fmt, lines)


@carbon_app.command("track")
def track(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """实际（或估算）排放对照预算及预警 / actual or estimated CO2 against the budget, with warnings."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(t: carbon.TrackingResult):
        yield f"阈值: 预警 ≥ {t.thresholds['yellow']:.0%}, 超预算 > {t.thresholds['red']:.0%}"
        for x in t.years + t.months:
            yield (f"{x.period}: {r.num(x.actual_t, 0)} / {r.num(x.budget_t, 0)} tCO2 = {x.ratio:.1%} "
                   f"{_t('light', x.level)}{'（估算）' if x.estimated else ''}")
    _print(_run(s, lambda: carbon.tracking(_platform(s))), fmt, lines)


@carbon_app.command("targets")
def targets(fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """“十五五”碳排放目标与年度节点 / the 15th-plan targets and milestones."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(t: carbon.TargetsResult):
        for x in t.targets:
            yield f"{x.id} {x.name}: {x.value:g} {x.unit}（{_t('status', x.status)}；{x.source}）{_t('light', x.light)} {x.why}"
        for m in t.milestones:
            yield f"  {m.year}: 强度节点 {r.num(m.intensity, 4)} t/万元; 下达年度降幅 {r.num(m.assigned_pct, 1)}%"
    _print(_run(s, lambda: carbon.targets(_platform(s), s.lang)), fmt, lines)


@carbon_app.command("assess")
def assess(year: YearOpt = None, fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """协同考核表（部门、乡镇）/ the assessment table per department and township."""
    s = _settings(lang)
    _LANG["lang"] = s.lang

    def lines(a: carbon.AssessmentResult):
        yield f"{a.year}年 协同考核，规则 {_t('rule', a.rule)}，权重 {'；'.join(_t('text', w) for w in a.weight_basis)}"
        for x in a.rows:
            yield f"  [{_t('level', x.kind)}] {x.name}: 预算 {r.num(x.budget_t, 0)} t, 实际 {r.num(x.actual_t, 0)} t {_t('text', x.note)}"
    _print(_run(s, lambda: carbon.assessment(_platform(s), year)), fmt, lines)


@carbon_app.command("review")
def review(file: Annotated[Path, typer.Argument(help="项目 JSON（code, name, industry, start_year, annual_output, energy）")],
           fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """项目碳评审（存档，保留历史版本）/ review a project's carbon (stored with its history)."""
    s = _settings(lang)
    _LANG["lang"] = s.lang
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["energy"] = [carbon.CarrierUse(**c) for c in doc.get("energy", [])]

    def lines(x: carbon.ReviewResult):
        yield f"{x.code} v{x.version} {x.name}: {x.verdict_text}"
        yield (f"  能耗 {r.num(x.energy_tce, 1)} tce, 排放 {r.num(x.co2_t, 1)} tCO2, 单位产品能耗 {r.num(x.unit_energy, 1)} {x.unit}"
               f"（标杆 {r.num(x.benchmark, 1)}, 准入 {r.num(x.access, 1)}）")
        yield f"  占剩余预算 {r.num(None if x.share_of_remaining is None else x.share_of_remaining * 100, 2)}%（{_t('text', x.remaining_rule)}）"
        for reason in x.reasons:
            yield f"  - {reason.text}"
    _print(_run(s, lambda: carbon.review_project(_platform(s), carbon.ReviewInput(**doc), s.actor, s.lang)), fmt, lines)


@carbon_app.command("reviews")
def reviews(code: Annotated[str | None, typer.Option(help="项目编号 / project code")] = None,
            fmt: FormatOpt = Fmt.table, lang: LangOpt = None) -> None:
    """项目碳评审历史 / review history."""
    s = _settings(lang)
    _LANG["lang"] = s.lang
    rows = _run(s, lambda: carbon.review_history(_platform(s), code))
    _print([dataclasses.asdict(x) for x in rows], fmt,
           lambda rs: [f"{x['code']} v{x['version']} {x['name']}: {_t('verdict', x['verdict'])} {r.num(x['co2_t'], 1)} tCO2 {x['at']}"
                       for x in rs])
