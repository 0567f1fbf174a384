"""The report's section 碳排放双控 (carbon dual control) as data: the results of services/carbon the
/carbon page and /api/carbon/* answer with (figures on each electricity factor basis, the 15th-plan
targets rated in the report's year as the barometer rates them, the budget path and its use, the
协同考核 table, the 以电折碳 estimate; every part of the report's year, never of a later one: a year
without data says so), kept whole in the Assessment so the Word and Excel files and a
frozen version show the same numbers. Each part that cannot be computed says why, in the reader's words.

``blocks`` lays the section out as headings, paragraphs and tables (carbon_tables.py); the writers
(docx_writer, xlsx_writer) only render them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...domain.labels import num, pick
from ...domain.messages import render
from .. import carbon
from ..errors import CarbonPeakError, InputRejected
from ..platform import Platform
from . import carbon_tables as ct
from .model import Assessment

PARTS = ("figures", "targets", "path", "tracking", "assessment", "estimate")


@dataclass(frozen=True)
class CarbonSection:
    """The services/carbon results of one report (None: that part cannot be computed, see ``missing``)."""
    year: int
    figures: carbon.CarbonFigures | None = None
    targets: carbon.TargetsResult | None = None
    path: carbon.PathResult | None = None
    tracking: carbon.TrackingResult | None = None
    assessment: carbon.AssessmentResult | None = None
    estimate: carbon.EstimateResult | None = None
    missing: dict[str, str] = field(default_factory=dict)  # part → why (the service's refusal)


def carbon_section(platform: Platform, year: int, lang: str) -> CarbonSection | None:
    """The section of the report of ``year``; None when the plan has no carbon dual-control data."""
    try:
        ctx = carbon.context(platform)
        if ctx.plan.carbon_control is None:
            return None
    except CarbonPeakError:
        return None
    calls: dict[str, Callable[[], Any]] = {
        "figures": lambda: carbon.carbon_figures(platform, ctx),
        "targets": lambda: carbon.targets(platform, lang, ctx, year),  # rated in the report's year, as the barometer
        "path": lambda: carbon.county_path(platform, ctx),
        "tracking": lambda: carbon.tracking(platform, ctx, year),  # the months of the report's year
        "assessment": lambda: _assessment_of(platform, ctx, year, lang),
        "estimate": lambda: _estimate_of(platform, ctx, year, lang)}
    got: dict[str, Any] = {}
    missing: dict[str, str] = {}
    for part, call in calls.items():
        try:
            got[part] = call()
        except _Absent as exc:
            missing[part] = str(exc)
        except CarbonPeakError as exc:
            missing[part] = _reason(exc, lang)
    return CarbonSection(year, missing=missing, **got)


class _Absent(Exception):
    """The report's year has no data for a part: the reason, in the reader's words."""


def _assessment_of(platform: Platform, ctx: carbon.Context, year: int, lang: str) -> carbon.AssessmentResult:
    """The 协同考核 table of the report's year, never of another year (it splits that year's budget)."""
    years = carbon.county_path(platform, ctx).years
    if year not in years:
        raise _Absent(pick(f"{year}年不在碳排放预算期（{years[0]}—{years[-1]}年）内，本报告年度无预算可分解，不编制协同考核表",
                           f"{year} is outside the carbon budget period ({years[0]}–{years[-1]}): no budget of the "
                           "report's year to split", lang))
    return carbon.assessment(platform, year, ctx)


def _estimate_of(platform: Platform, ctx: carbon.Context, year: int, lang: str) -> carbon.EstimateResult:
    """The 以电折碳 estimate of the report's year, never of another year."""
    if ctx.electricity is None or year not in ctx.electricity.years:
        raise _Absent(pick(f"{year}年无分行业月度用电量数据，不作本报告年度的以电折碳估算",
                           f"no monthly electricity by sector for {year}: no estimate of the report's year", lang))
    return carbon.monthly_estimate(platform, year, ctx)


def _reason(exc: CarbonPeakError, lang: str) -> str:
    """Why a part cannot be computed, in the reader's words (a refusal's issues are catalogued)."""
    if isinstance(exc, InputRejected) and exc.issues:
        return pick("；", "; ", lang).join(i.message(lang) for i in exc.issues[:3])
    return pick("缺少所需数据（基准年清单或用电量、地区生产总值、分行业用电量）", str(exc), lang)


Block = tuple[str, Any]  # ("h2", text) | ("p", text) | ("table", (title, Table))


def blocks(a: Assessment) -> list[Block]:
    """The section laid out: its heading's paragraphs, then one part after another."""
    s: CarbonSection | None = a.carbon
    if s is None:
        return [("p", pick("方案未载明碳排放双控数据（碳排放目标、预算设置），本节从略。",
                           "The plan holds no carbon dual-control data (targets, budget settings): section omitted.", a.lang))]
    out: list[Block] = [("p", _lead(a))]
    for part, fn in (("figures", _figures), ("targets", _targets), ("path", _budget), ("assessment", _assessment),
                     ("estimate", _estimate)):
        out += fn(a, s)
    return out


def _lead(a: Assessment) -> str:
    scope = render("carbon.text.scope_consumption", {}, a.lang)
    return pick("依据国办发〔2024〕39号，“十五五”时期实行以强度控制为主、总量控制为辅的碳排放双控。本节数值与平台“碳排放双控”"
                f"页面及接口为同一计算结果；排放计入县域全部终端用电量（{scope}），每个数值注明电力排放因子口径；"
                "标“估算”的为以电折碳估算值，不是正式清单；标“示例”的为示例数据。",
                "After 国办发〔2024〕39号 the 15th plan period binds carbon intensity with the total beside it. The figures "
                f"are those of the platform's carbon page and API; all electricity consumed in the county counts ({scope}); "
                "every figure names its electricity factor basis; 'estimate' marks the estimate from electricity, not an "
                "inventory; 'illustrative' marks illustrative data.", a.lang)


def _why(a: Assessment, s: CarbonSection, part: str) -> list[Block]:
    return [("p", pick("暂无法计算：", "Not available: ", a.lang) + s.missing.get(part, pick("缺少数据", "no data", a.lang)))]


def _figures(a: Assessment, s: CarbonSection) -> list[Block]:
    out: list[Block] = [("h2", pick("（一）排放总量与强度（分电力排放因子口径）", "Totals and intensity on each factor basis", a.lang))]
    f = s.figures
    if f is None:
        return out + _why(a, s, "figures")
    out.append(("p", pick("强度按规划期基年不变价计算（2025年及以前为2020年价，以后为2025年价）；“清单净排放”为清单本身的"
                          "总量（本地发电按电网因子抵扣），列于其旁，不作为双控口径。",
                          "Intensity at the constant prices of the plan period's base year (2020 up to 2025, 2025 after); "
                          "'inventory net' is the inventory's own total (local generation credited), shown beside, not the "
                          "dual-control scope.", a.lang) + pick("口径简称——", " Bases: ", a.lang) + ct.legend(a) + pick("。", ".", a.lang)))
    out.append(("table", (pick("碳排放总量与强度", "carbon totals", a.lang), ct.figures(a))))
    out.append(("table", (pick("规划期强度变化", "plan periods", a.lang), ct.periods(a))))
    if not any(p.period == "15th" for p in f.periods):
        out.append(("p", pick("“十五五”时期（2025—2030年）：尚无2025年及以后年份的正式清单，期间变化暂不计算；"
                              "当年排放见下文以电折碳估算（估算值）。",
                              "15th plan period (2025–2030): no inventory of 2025 or later yet, so no change is computed; "
                              "the current year is estimated below (estimate).", a.lang)))
    return out


def _targets(a: Assessment, s: CarbonSection) -> list[Block]:
    out: list[Block] = [("h2", pick("（二）“十五五”目标与年度节点", "15th-plan targets and milestones", a.lang))]
    t = s.targets
    if t is None:
        return out + _why(a, s, "targets")
    rule = render(f"carbon.text.{t.milestone_rule}", {}, a.lang)
    out.append(("p", pick(f"目标按与其他目标相同的晴雨表规则评价（{a.year}年，与本报告目标完成情况表一致）；{rule}。",
                          f"The targets are rated by the barometer rule of every target ({a.year}, as in the target "
                          f"table of this report); {rule}.", a.lang)))
    basis = render("carbon.text.barometer_basis", {"basis": render(f"carbon.basis.{t.basis}", {}, a.lang),
                                                  "scope": render(f"carbon.text.{t.scope}", {}, a.lang)}, a.lang)
    out.append(("p", pick(f"实际值的{basis}。", f"Actual values: {basis}.", a.lang)))
    out.append(("table", (pick("碳排放目标", "carbon targets", a.lang), ct.targets(a))))
    out.append(("table", (pick("年度节点", "milestones", a.lang), ct.milestones(a))))
    return out


def _budget(a: Assessment, s: CarbonSection) -> list[Block]:
    out: list[Block] = [("h2", pick("（三）碳排放预算及执行", "Carbon budget and its use", a.lang))]
    p = s.path
    if p is None:
        return out + _why(a, s, "path")
    src = render(f"carbon.source.{p.base_co2_source}", {}, a.lang)
    out.append(("p", pick(f"预算以{p.base_year}年为基准（排放 {num(p.base_co2_t, places=0)} 吨二氧化碳，来源：{src}；地区生产总值 "
                          f"{num(p.base_gdp, places=0)} 万元），按“十五五”强度下降 {num(p.intensity_reduction * 100, '%')}% 编制："
                          f"{render('carbon.text.' + p.rule, {}, a.lang)}。2026—2030年预算合计 {num(p.total_t, places=0)} 吨二氧化碳。",
                          f"Budget from {p.base_year} (CO2 {num(p.base_co2_t, places=0)} t, source: {src}; GDP "
                          f"{num(p.base_gdp, places=0)} × 10⁴ yuan), intensity falling {num(p.intensity_reduction * 100, '%')} % "
                          f"over the period: {render('carbon.text.' + p.rule, {}, a.lang)}. 2026–2030 total "
                          f"{num(p.total_t, places=0)} tCO2.", a.lang)))
    out.append(("table", (pick("碳排放预算", "carbon budget", a.lang), ct.budget(a))))
    tr = s.tracking
    if tr is None:
        return out + _why(a, s, "tracking")
    out.append(("p", _thresholds(a, tr)))
    if tr.months:
        out.append(("table", (pick("预算执行（月度估算）", "budget use (monthly estimate)", a.lang), ct.months(a))))
    else:
        out.append(("p", pick(f"{a.year}年无月度以电折碳估算（不在预算期内或缺少当年分行业用电量），不列月度预算执行。",
                              f"No monthly estimate of {a.year} (outside the budget period or no electricity of the "
                              "year): no monthly budget use.", a.lang)))
    return out


def _thresholds(a: Assessment, tr: carbon.TrackingResult) -> str:
    y, r = num(tr.thresholds["yellow"] * 100, "%"), num(tr.thresholds["red"] * 100, "%")
    months = pick(f"{tr.month_year}年各月为以电折碳估算累计值对照截至当月的预算（按校准年用电季节分布）。",
                  f"The months of {tr.month_year} set the cumulative estimate against the budget due by then.", a.lang) \
        if tr.months else ""
    return pick(f"使用率 = 实际（无清单的年份为以电折碳估算）÷ 可用预算；使用率 ≥ {y}% 为预警，> {r}% 为超预算。{months}",
                f"Use = actual (the estimate where no inventory exists) ÷ the budget so far; warning at ≥ {y} %, over budget "
                f"above {r} %. {months}", a.lang)


def _assessment(a: Assessment, s: CarbonSection) -> list[Block]:
    out: list[Block] = [("h2", pick("（四）协同考核表（分乡镇、分部门）", "Assessment table (townships and departments)", a.lang))]
    x = s.assessment
    if x is None:
        return out + _why(a, s, "assessment")
    bases = ct.joined(a, [render(f"carbon.text.{b}", {}, a.lang) for b in x.weight_basis])
    out.append(("p", pick(f"{x.year}年预算按“{render('carbon.rule.' + x.rule, {}, a.lang)}”分解，权重依据：{bases}。"
                          "部门实际排放取当年清单；乡镇无分乡镇清单，不估计实际排放。",
                          f"The {x.year} budget split by {render('carbon.rule.' + x.rule, {}, a.lang)}; weights: {bases}. "
                          "Departments: the year's inventory; townships: no township inventory, no actual claimed.", a.lang)))
    out.append(("table", (pick("协同考核（部门）", "assessment (departments)", a.lang), ct.assessment(a))))
    if ct.notes(a, "department"):
        out.append(("p", pick("说明：", "Note: ", a.lang) + ct.joined(a, ct.notes(a, "department")) + pick("。", ".", a.lang)))
    out.append(("table", (pick("协同考核（乡镇）", "assessment (townships)", a.lang), ct.townships(a))))
    if ct.notes(a, "township"):
        out.append(("p", pick("说明：", "Note: ", a.lang) + ct.joined(a, ct.notes(a, "township")) + pick("。", ".", a.lang)))
    return out


def _estimate(a: Assessment, s: CarbonSection) -> list[Block]:
    out: list[Block] = [("h2", pick("（五）以电折碳月度估算（估算值）", "Monthly estimate from electricity (estimate)", a.lang))]
    e = s.estimate
    if e is None:
        return out + _why(a, s, "estimate")
    band = num(e.band * 100, "%") if e.band is not None else "—"
    out.append(("p", pick(f"{e.year}年1—{e.months}月估算排放 {num(e.total_t, places=0)} 吨二氧化碳（估算），误差带 ±{band}%"
                          f"（{num(e.low_t, places=0)}—{num(e.high_t, places=0)} 吨）；最近正式清单为{e.last_inventory_year}年 "
                          f"{num(e.last_inventory_co2_t, places=0)} 吨二氧化碳。方法：各部门以{e.calibration_year}年清单的"
                          "排放与用电量之比乘以当月分行业用电量；误差带取回测中总量的最大误差。",
                          f"January–month {e.months} of {e.year}: {num(e.total_t, places=0)} tCO2 (estimate), band ±{band} % "
                          f"({num(e.low_t, places=0)}–{num(e.high_t, places=0)} t); last inventory {e.last_inventory_year}: "
                          f"{num(e.last_inventory_co2_t, places=0)} tCO2. Each sector's CO2 per MWh of the "
                          f"{e.calibration_year} inventory × its monthly electricity; the band is the back-test's largest "
                          "error of the total.", a.lang)))
    out.append(("table", (pick("以电折碳月度估算", "monthly estimate", a.lang), ct.estimate(a))))
    if e.back_test is not None:
        out.append(("table", (pick("估算回测", "back-test", a.lang), ct.backtest(a))))
    return out
